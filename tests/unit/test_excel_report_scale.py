"""The default report at a whole government's scale (README "The Excel report"): the Updates
sheet's window shortened to whole days when the last 90 hold too many updates, no sheet per
agreement past a number of agreements, and a history longer than a worksheet continued on
further Updates sheets, never dropped. The limits are lowered here to the sample's size."""
from __future__ import annotations

import math
from datetime import timedelta

import pytest

from services.errors import ValidationFailed
from services.excel.report import sheets, summary, workbook
from services.excel.report.data import history_window, update_rows
from tests.unit.excel_fixtures import NOW, export_bytes, reopen

AGREEMENTS = ["MY-CN-AI-2025", "MY-CN-DE-2025", "MY-CN-LOI-ZJU-2025"]


def stamps(session) -> list:
    """Every live update's time, newest first, as the report reads them (UTC, naive)."""
    return [workbook.naive_utc(r[0]) for r in update_rows(session, now=NOW, days=None)]


def in_last(all_stamps: list, days: int) -> int:
    start = NOW.replace(tzinfo=None) - timedelta(days=days)
    return sum(1 for s in all_stamps if s >= start)


def test_ninety_days_kept_when_they_fit(sampled):
    n = in_last(stamps(sampled), 90)
    window = history_window(sampled, now=NOW, days=90, most=n)
    assert (window.days, window.shortened, window.in_asked) == (90, False, None)


@pytest.mark.parametrize("share", [0.9, 0.5, 0.2])
def test_window_is_the_most_whole_days_that_fit(sampled, share):
    all_stamps = stamps(sampled)
    n90 = in_last(all_stamps, 90)
    most = max(1, int(n90 * share))
    window = history_window(sampled, now=NOW, days=90, most=most)
    assert window.shortened and window.in_asked == n90 and 1 <= window.days < 90
    assert in_last(all_stamps, window.days) <= most or window.days == 1
    assert in_last(all_stamps, window.days + 1) > most  # one day more would not fit


def test_bad_limits_refused(sampled):
    with pytest.raises(ValueError):
        history_window(sampled, now=NOW, days=0, most=10)
    with pytest.raises(ValueError):
        history_window(sampled, now=NOW, days=90, most=0)


def test_report_says_its_history_was_shortened(sampled, monkeypatch):
    all_stamps = stamps(sampled)
    n90 = in_last(all_stamps, 90)
    monkeypatch.setattr(workbook, "DEFAULT_UPDATES_MOST", n90 // 2)
    wb = reopen(export_bytes(sampled))
    days = history_window(sampled, now=NOW, days=90, most=n90 // 2).days
    rows = list(wb["Updates"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == in_last(all_stamps, days) and days < 90
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["Update history"].startswith(f"The last {days} days. The last 90 days hold {n90:,} updates, "
                                              f"more than the {n90 // 2:,} a report holds")
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True) if r and r[0]}
    assert summary["Update history"] == about["Update history"]
    full = reopen(export_bytes(sampled, full_history=True))  # the full history is never shortened
    assert full["Updates"].max_row - 1 == len(all_stamps) > len(rows)
    assert {r[0]: r[1] for r in full["About"].iter_rows(values_only=True)}["Update history"] == "Full history"


def test_report_in_malay_says_so_in_malay(sampled, monkeypatch):
    monkeypatch.setattr(workbook, "DEFAULT_UPDATES_MOST", 1)
    monkeypatch.setattr(workbook, "AGREEMENT_SHEETS_MOST", 1)
    about = {r[0]: r[1] for r in reopen(export_bytes(sampled, lang="ms")).worksheets[-1].iter_rows(values_only=True)}
    assert "hari terakhir mengandungi" in " ".join(str(v) for v in about.values())
    assert any(str(v).startswith("Tiada: laporan meliputi 3 perjanjian") for v in about.values())


def test_no_sheet_per_agreement_past_the_limit(sampled, monkeypatch):
    monkeypatch.setattr(workbook, "AGREEMENT_SHEETS_MOST", 2)
    wb = reopen(export_bytes(sampled))
    assert not set(AGREEMENTS) & set(wb.sheetnames)
    assert {r[2] for r in wb["Items"].iter_rows(min_row=2, values_only=True)} == set(AGREEMENTS)
    about = {r[0]: r[1] for r in wb["About"].iter_rows(values_only=True)}
    assert about["Sheets per agreement"].startswith("None: the report covers 3 agreements, more than 2.")
    chosen = reopen(export_bytes(sampled, codes=AGREEMENTS[:2]))  # two chosen: a sheet each
    assert set(AGREEMENTS[:2]) <= set(chosen.sheetnames)
    assert "Sheets per agreement" not in {r[0] for r in chosen["About"].iter_rows(values_only=True)}


def test_a_sheet_that_cannot_go_on_elsewhere_is_refused(sampled, monkeypatch):
    monkeypatch.setattr(sheets, "SHEET_ROWS", 11)
    with pytest.raises(ValidationFailed, match="The sheet Summary would hold more than 11 rows"):
        export_bytes(sampled, full_history=True)  # the Summary cannot go on elsewhere: refused


def test_updates_continue_on_numbered_sheets(sampled, monkeypatch):
    all_stamps = stamps(sampled)
    monkeypatch.setattr(workbook, "Rows", _OnlyUpdatesLimited)
    monkeypatch.setattr(summary, "Rows", _OnlyUpdatesLimited)
    monkeypatch.setattr(sheets, "SHEET_ROWS", 11)  # a header and ten updates a sheet
    wb = reopen(export_bytes(sampled, full_history=True))
    names = [n for n in wb.sheetnames if n.startswith("Updates")]
    assert names == ["Updates"] + [f"Updates ({k})" for k in range(2, math.ceil(len(all_stamps) / 10) + 1)]
    written = []
    for name in names:
        rows = list(wb[name].iter_rows(values_only=True))
        assert rows[0][0] == "Date and time (UTC)" and 2 <= len(rows) <= 11
        assert wb[name].auto_filter.ref == f"A1:L{len(rows)}"
        written += [r[0] for r in rows[1:]]
    assert written == all_stamps  # every update, newest first, none dropped


class _OnlyUpdatesLimited(sheets.Rows):
    """The report's row writer, its limit kept on the Updates sheets only (the others hold more
    than ten rows in the sample)."""

    def __init__(self, ws, styles, **kw):
        super().__init__(ws, styles, **kw)
        if not ws.get_name().startswith("Updates"):
            self.limit = 10**9


def test_counts_in_messages_group_their_thousands():
    from services.errors import Count, Plural

    assert Plural("{n} update", "{n} updates", n=Count(568993)).text("en") == "568,993 updates"
    assert Plural("{n} update", "{n} updates", n=Count(1)).text("en") == "1 update"
