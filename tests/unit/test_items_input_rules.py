"""Small input rules: progress 100 means Completed and back; progress and date parsing."""
from datetime import date, datetime

import pytest

from services.items.input_rules import check_dates, parse_date, parse_progress, resolve_status_progress


@pytest.mark.parametrize("old,new,expected", [
    (("in_progress", 40), ("in_progress", 100), ("completed", 100)),   # progress 100 completes
    (("completed", 100), ("completed", 80), ("in_progress", 80)),      # and back
    (("not_started", 0), ("not_started", 10), ("in_progress", 10)),    # starting
    (("in_progress", 40), ("completed", 40), ("completed", 100)),      # Completed means 100
    (("in_progress", 40), ("on_hold", 40), ("on_hold", 40)),           # other statuses untouched
    (("in_progress", 40), ("in_progress", 60), ("in_progress", 60)),
    (("in_progress", 40), ("completed", 90), ("completed", 90)),       # both changed: kept, rules refuse
    (("completed", 100), ("in_progress", 100), ("in_progress", 100)),  # reopening needs a lower progress
])
def test_resolve_status_progress(old, new, expected):
    assert resolve_status_progress(old_status=old[0], old_progress=old[1], status=new[0], progress=new[1]) == expected


@pytest.mark.parametrize("value,expected", [(0, 0), (100, 100), ("55", 55), (40.0, 40), ("7.0", 7)])
def test_parse_progress_accepts(value, expected):
    assert parse_progress(value) == expected


@pytest.mark.parametrize("value,message", [
    (101, "between 0 and 100"), (-1, "between 0 and 100"), ("abc", "whole number"),
    (12.5, "whole number"), (None, "whole number"), ("", "whole number"), (True, "whole number"),
])
def test_parse_progress_refuses(value, message):
    with pytest.raises(ValueError, match=message):
        parse_progress(value)


@pytest.mark.parametrize("value,expected", [
    ("2026-05-01", date(2026, 5, 1)), (date(2026, 5, 1), date(2026, 5, 1)),
    (datetime(2026, 5, 1, 13, 0), date(2026, 5, 1)), ("2026-05-01T00:00:00", date(2026, 5, 1)),
    (None, None), ("", None),
])
def test_parse_date_accepts(value, expected):
    assert parse_date(value) == expected


@pytest.mark.parametrize("value", ["2026-13-01", "2026-02-30", "tomorrow", "01/05/2026"])
def test_parse_date_refuses(value):
    with pytest.raises(ValueError, match="not a valid date"):
        parse_date(value, "due date")


@pytest.mark.parametrize("start,due,ok", [
    (date(2026, 1, 1), date(2026, 1, 1), True), (date(2026, 1, 2), date(2026, 1, 1), False),
    (None, date(2026, 1, 1), True), (date(2026, 1, 1), None, True),
])
def test_check_dates(start, due, ok):
    assert (check_dates(start, due) == []) is ok
