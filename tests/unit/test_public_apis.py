"""Libraries through their public API only (GUIDE habit 13): no module under services/ imports
a private module of openpyxl, XlsxWriter or python-pptx, reads an underscore attribute of their
objects, or subclasses their classes. An upgrade of a library must not be able to corrupt a file."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LIBRARIES = ("openpyxl", "xlsxwriter", "pptx")
# Files allowed to use a private API (none since the import reader moved to the public API).
KNOWN: set[str] = set()


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def problems(source: str) -> list[str]:
    tree = ast.parse(source)
    library_names: set[str] = set()  # names bound to a library module or class in this file
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in LIBRARIES:
                    library_names.add((alias.asname or alias.name).split(".")[0])
                    if any(_private(p) for p in alias.name.split(".")):
                        found.append(f"line {node.lineno}: imports private module {alias.name}")
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] in LIBRARIES:
            if any(_private(p) for p in node.module.split(".")):
                found.append(f"line {node.lineno}: imports from private module {node.module}")
            for alias in node.names:
                library_names.add(alias.asname or alias.name)
                if _private(alias.name):
                    found.append(f"line {node.lineno}: imports private name {alias.name}")
    if not library_names:
        return found
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and _private(node.attr):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            if owner not in ("self", "cls"):  # our own classes' private state is ours
                found.append(f"line {node.lineno}: reads private attribute .{node.attr}")
        elif isinstance(node, ast.ClassDef):
            for base in node.bases:
                name = base.id if isinstance(base, ast.Name) else getattr(base, "attr", None)
                if name in library_names:
                    found.append(f"line {node.lineno}: subclasses library class {name}")
    return found


def service_files() -> list[Path]:
    return sorted((ROOT / "services").rglob("*.py"))


@pytest.mark.parametrize("path", service_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_services_use_only_public_library_apis(path):
    rel = path.relative_to(ROOT).as_posix()
    found = problems(path.read_text(encoding="utf-8"))
    if rel in KNOWN:
        assert found, f"{rel} no longer uses private APIs: remove it from KNOWN"
        return
    assert found == []


def test_known_exceptions_still_exist():
    assert all((ROOT / k).exists() for k in KNOWN), "remove replaced files from KNOWN"


@pytest.mark.parametrize("source,expected", [
    ("from openpyxl.worksheet._reader import WorkSheetParser", "private module"),
    ("import openpyxl\nx = openpyxl.load_workbook('f')._sheets", "private attribute"),
    ("from openpyxl.workbook import Workbook\nclass W(Workbook): pass", "subclasses"),
    ("import xlsxwriter._private", "private module"),
    ("from xlsxwriter import Workbook\nWorkbook('x')._add_sheet('a')", "private attribute"),
])
def test_the_check_catches(source, expected):
    assert any(expected in p for p in problems(source))


def test_the_check_passes_public_use():
    assert problems("from xlsxwriter import Workbook\nwb = Workbook('x')\nwb.add_worksheet('a')\n"
                    "class Mine:\n    def f(self):\n        return self._x\n") == []
