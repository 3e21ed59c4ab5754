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
    ("services", {"streamlit", "ui", "pages"}),
    ("models", {"streamlit", "ui", "pages", "services"}),
    ("core", {"streamlit", "ui", "pages", "services"}),
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


def test_every_page_is_guarded_by_the_frame():
    """Each page calls ui.frame.page_guard() so app.py (the sign-in gate) always frames it."""
    unguarded = []
    for path in sorted((ROOT / "pages").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        calls = [n for n in tree.body if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
                 and getattr(n.value.func, "id", None) == "page_guard"]
        if not calls:
            unguarded.append(path.name)
    assert unguarded == []
