"""Every table of action items opens an item with one click in the same tab (ui.widgets.item_table),
never through a link column that opens a new tab and takes two clicks: no screen builds an
'item?id=' link of its own. E-mails and documents (services/) still carry full links."""
from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _item_links(path: Path) -> list[int]:
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and "item?id=" in node.value:
            lines.append(node.lineno)
    return lines


def test_no_screen_links_to_an_item_by_address():
    found = {str(p.relative_to(ROOT)): lines
             for folder in ("views", "ui") for p in sorted((ROOT / folder).rglob("*.py"))
             if (lines := _item_links(p))}
    assert found == {}, f"use ui.widgets.item_table for tables of items: {found}"


def test_the_scan_finds_such_a_link(tmp_path):
    sample = tmp_path / "page.py"
    sample.write_text('rows = [{"Open": f"/item?id={i}"} for i in ids]\n', encoding="utf-8")
    assert _item_links(sample) == [1]
