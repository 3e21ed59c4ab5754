"""The XlsxWriter report's Items sheet imports back through the existing import, with user text
that looks like a formula or spans lines: only the cell the user edited is a change."""
from __future__ import annotations

import pytest

from models import ActionItem
from tests.unit.test_excel_import import edited, open_items, plan_for

OWNERS = ["=SUM(A1:A3)", "+60 3-8000 8000", "-", "@team", "Siti\nAli", "Ahmad 😀 陈"]


@pytest.mark.parametrize("owner", OWNERS)
def test_text_owners_round_trip_unchanged(sampled, users, owner):
    a = open_items(sampled)[0]
    item = sampled.get(ActionItem, a.id)
    item.owner_name = owner
    sampled.add(item)
    sampled.commit()
    sampled.refresh(item)

    def edit(ws, col, rows):
        ws.cell(rows[item.id], col["Progress (%)"]).value = item.progress + 5

    plan = plan_for(sampled, users["secretariat"], edited(sampled, edit))
    assert plan.ok and not plan.conflicts
    changes = {(p["Item ID"], p["Field"]) for p in plan.preview()}
    assert changes == {(item.id, "Progress (%)")}  # the owner came back exactly as stored
