"""Imports point down only: services/ and models/ never import streamlit."""
import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("layer,forbidden", [
    ("services", {"streamlit", "ui", "pages", "views"}),
    ("models", {"streamlit", "ui", "pages", "views", "services"}),
    ("core", {"streamlit", "ui", "pages", "views", "services"}),
])
def test_lower_layers_do_not_import_upper(layer, forbidden):
    files = sorted((ROOT / layer).rglob("*.py"))
    assert files, f"no python files in {layer}/"
    offenders = {str(f.relative_to(ROOT)): imported_modules(f) & forbidden for f in files}
    assert {f: m for f, m in offenders.items() if m} == {}


def test_checker_catches_a_streamlit_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import streamlit as st\nfrom streamlit.x import y\n")
    assert "streamlit" in imported_modules(bad)


def test_no_pages_folder_next_to_app():
    """Screens live in views/, never pages/: with a pages/ folder Streamlit 1.67 runs its old
    multipage mode on a process's first request, which runs pages/<name>.py for /<name>
    without app.py, so a signed-out visitor saw the Agreements page (checked by hand and by
    tests/browser/test_signin_browser.py). Move any new screen to views/ and list it in ui/nav.py."""
    assert not (ROOT / "pages").exists()


# The order of services/__init__.py's map: a unit imports only units listed before it.
SERVICE_ORDER = ["i18n", "errors", "rules", "labels", "forms", "permissions", "audit", "store", "accounts", "seeding",
                 "organisations", "documents", "items", "agreements", "overview", "meetings", "lifecycle", "excel",
                 "reminders"]


def service_unit(module: str) -> str | None:
    """'services.items.progress' -> 'items'; None outside services."""
    parts = module.split(".")
    return parts[1] if parts[0] == "services" and len(parts) > 1 else None


def service_imports(path: Path) -> set[str]:
    """The services units a file imports, including `from services import labels`."""
    units = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            units.update(service_unit(a.name) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.module == "services":
                units.update(a.name for a in node.names)
            else:
                units.add(service_unit(node.module))
    return units - {None}


def test_every_services_unit_is_on_the_map():
    units = {p.stem if p.is_file() else p.name for p in (ROOT / "services").iterdir()
             if p.name != "__init__.py" and not p.name.startswith((".", "__")) and (p.suffix == ".py" or p.is_dir())}
    assert units == set(SERVICE_ORDER)
    map_text = (ROOT / "services" / "__init__.py").read_text(encoding="utf-8")
    assert all(u in map_text for u in SERVICE_ORDER)


def test_services_packages_import_only_those_below_them():
    """No cycle between packages: each imports only units earlier in SERVICE_ORDER."""
    wrong = []
    for path in sorted((ROOT / "services").rglob("*.py")):
        rel = path.relative_to(ROOT / "services")
        own = rel.parts[0] if len(rel.parts) > 1 else rel.stem
        if own == "__init__":
            continue
        rank = SERVICE_ORDER.index(own)
        for unit in service_imports(path) - {own}:
            if SERVICE_ORDER.index(unit) > rank:
                wrong.append(f"{rel} imports services.{unit}")
    assert wrong == []


def test_the_package_check_sees_an_upward_import(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from services.excel.common import x\nfrom services import labels\n")
    assert service_imports(bad) == {"excel", "labels"}
