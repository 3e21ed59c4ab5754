"""Every rule as a table of inputs and expected outputs."""
from datetime import date

import pytest

from services import rules
from services.rules import Child, RuleError

D = date


@pytest.mark.parametrize(
    "status,progress,ok",
    [
        ("not_started", 0, True),
        ("not_started", 10, False),
        ("in_progress", 0, True),
        ("in_progress", 50, True),
        ("in_progress", 100, False),
        ("completed", 100, True),
        ("completed", 99, False),
        ("on_hold", 40, True),
        ("on_hold", 100, False),
        ("cancelled", 30, True),
        ("cancelled", 100, False),
        ("in_progress", -1, False),
        ("in_progress", 101, False),
        ("bogus", 10, False),
    ],
)
def test_status_and_progress_must_agree(status, progress, ok):
    if ok:
        rules.check_status_progress(status, progress)
    else:
        with pytest.raises(RuleError):
            rules.check_status_progress(status, progress)


@pytest.mark.parametrize(
    "start,due,today,expected",
    [
        (D(2026, 1, 1), D(2026, 1, 11), D(2026, 1, 6), 50.0),
        (D(2026, 1, 1), D(2026, 1, 11), D(2025, 12, 1), 0.0),
        (D(2026, 1, 1), D(2026, 1, 11), D(2026, 2, 1), 100.0),
        (None, D(2026, 1, 11), D(2026, 1, 6), None),
        (D(2026, 1, 1), None, D(2026, 1, 6), None),
        (D(2026, 1, 5), D(2026, 1, 5), D(2026, 1, 5), 100.0),
    ],
)
def test_expected_progress(start, due, today, expected):
    assert rules.expected_progress(start, due, today) == expected


START, DUE, MID = D(2026, 1, 1), D(2026, 4, 11), D(2026, 2, 20)  # 100 days; MID: 50 elapsed
FRESH = D(2026, 2, 15)  # 5 days before MID
STALE = D(2026, 1, 5)  # 46 days before MID


@pytest.mark.parametrize(
    "status,progress,start,due,last,today,rag",
    [
        ("completed", 100, START, DUE, FRESH, MID, None),
        ("cancelled", 10, START, DUE, FRESH, D(2027, 1, 1), None),
        ("not_started", 0, D(2026, 3, 1), DUE, None, MID, None),  # its start has not come
        ("not_started", 0, None, DUE, None, MID, None),
        ("not_started", 0, START, DUE, FRESH, MID, "red"),  # should have started: 0% of 50%
        ("in_progress", 60, START, DUE, FRESH, D(2026, 4, 12), "red"),  # past due
        ("on_hold", 90, START, DUE, FRESH, D(2026, 4, 12), "red"),
        ("in_progress", 43, START, DUE, FRESH, MID, "green"),  # 86% of expected
        ("in_progress", 42, START, DUE, FRESH, MID, "amber"),  # 84%
        ("in_progress", 35, START, DUE, FRESH, MID, "amber"),  # exactly 70%
        ("in_progress", 34, START, DUE, FRESH, MID, "red"),  # 68%
        ("in_progress", 50, START, DUE, STALE, MID, "amber"),  # green but stale
        ("in_progress", 20, START, DUE, STALE, MID, "red"),  # red stays red
        ("in_progress", 50, START, DUE, D(2026, 1, 21), MID, "green"),  # exactly 30 days: not stale
        ("in_progress", 50, START, DUE, D(2026, 1, 20), MID, "amber"),  # 31 days
        ("in_progress", 10, None, None, FRESH, MID, "green"),  # no schedule to fall behind
        ("in_progress", 10, None, None, None, MID, "amber"),  # never updated
        ("in_progress", 0, START, DUE, START, START, "green"),  # first day
        ("in_progress", 99, START, DUE, D(2026, 4, 6), DUE, "green"),  # due today: not past due
    ],
)
def test_rag(status, progress, start, due, last, today, rag):
    assert rules.compute_rag(status=status, progress=progress, start=start, due=due,
                             last_update=last, today=today) == rag


@pytest.mark.parametrize(
    "children,expected",
    [
        ([], None),
        ([Child("in_progress", 50, 1)], 50),
        ([Child("in_progress", 50, 1), Child("completed", 100, 1)], 75),
        ([Child("in_progress", 0, 3), Child("completed", 100, 1)], 25),
        ([Child("cancelled", 0, 5), Child("completed", 100, 1)], 100),
        ([Child("cancelled", 0, 1)], None),
        ([Child("in_progress", 40, 0), Child("in_progress", 80, 2)], 80),
    ],
)
def test_weighted_progress(children, expected):
    assert rules.weighted_progress(children) == expected


@pytest.mark.parametrize(
    "progress,level",
    [(None, "not_started"), (0, "not_started"), (0.5, "limited"), (49.9, "limited"),
     (50, "substantial"), (99.9, "substantial"), (100, "complete")],
)
def test_completion_level(progress, level):
    assert rules.completion_level(progress) == level


@pytest.mark.parametrize(
    "status,due,today,overdue",
    [("in_progress", D(2026, 1, 1), D(2026, 1, 2), True),
     ("in_progress", D(2026, 1, 1), D(2026, 1, 1), False),
     ("completed", D(2026, 1, 1), D(2026, 2, 1), False),
     ("cancelled", D(2026, 1, 1), D(2026, 2, 1), False),
     ("on_hold", None, D(2026, 2, 1), False)],
)
def test_overdue(status, due, today, overdue):
    assert rules.is_overdue(status=status, due=due, today=today) is overdue
