"""The load check (`manage.py load-check`, bench/load_check.py) at a tiny size: two officials
for 15 seconds, through nginx, against two dashboard processes on one PostgreSQL database.
Each process served a session, every save a page confirmed is one row in the database (no
more rows, none lost), and nothing failed. The full size (50 sessions for 120 s) is run by
hand: its figures are in bench/results/load-check.md."""
import time
from pathlib import Path

import pytest

from bench.live import CHROMIUM
from bench.load_check import Plan, run_load_check
from tests.browser.conftest import require_deployment
from tests.conftest import require_or_skip

pytestmark = pytest.mark.browser


def test_two_officials_for_fifteen_seconds_through_the_proxy(tmp_path):
    server = require_deployment()
    if not Path(CHROMIUM).exists():
        require_or_skip(f"{CHROMIUM} not found: install Debian's chromium to run the browser tests")
    out = tmp_path / "load-check.md"
    started = time.monotonic()
    report = run_load_check(Plan(sessions=2, seconds=15, think_s=0.5, browsers=1), server_url=server, out=out,
                            folder=tmp_path)
    print(f"load check, 2 sessions x 15 s: {time.monotonic() - started:.0f} s in all")

    assert report.errors == 0, report.tally.errors
    assert len(report.sessions_by_port) == 2 and min(report.sessions_by_port.values()) >= 1  # both processes served
    assert report.saves >= 1
    assert report.rows_written == report.saves == report.rows_new  # nothing else written
    assert (report.lost, report.unconfirmed, report.duplicated) == ([], 0, 0)
    assert "**Lost updates** (confirmed, no row) | **0**" in out.read_text(encoding="utf-8")
