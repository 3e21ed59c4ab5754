"""What a load check found, and its table (bench/results/load-check.md)."""
from __future__ import annotations

import os
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Optional

from bench.load_session import KINDS, SAVE, Tally

CLIENTS = ("protocol", "Chromium")


@dataclass
class LoadReport:
    target: str
    sessions: int
    browsers: int  # of the sessions, in Chromium
    seconds: int
    think_s: float
    elapsed_s: float
    tally: Tally
    accounts: tuple[str, ...] = ()
    rows_written: int = 0  # progress updates in the database carrying this run's notes
    rows_new: int = 0  # progress updates added to the database during the run, by anyone
    lost: list[str] = field(default_factory=list)  # confirmed saves with no row
    unconfirmed: int = 0  # rows of this run whose save the page never confirmed
    duplicated: int = 0  # notes saved in more than one row
    sessions_by_port: Optional[dict[int, int]] = None  # None: not started here
    load: list[float] = field(default_factory=list)  # 1-minute load averages sampled
    cpu: dict[str, float] = field(default_factory=dict)  # CPU-seconds used during the run

    @property
    def saves(self) -> int:
        return len(self.tally.saved_notes)

    @property
    def page_views(self) -> int:
        return sum(len(v) for k, v in self.tally.times.items() if not k.startswith(SAVE))

    @property
    def errors(self) -> int:
        return sum(self.tally.errors.values())

    def markdown(self) -> str:
        t, cores = self.tally, os.cpu_count() or 1
        lines = [f"# Load check: {self.sessions} signed-in sessions for {self.seconds} s", "",
                 f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {self.target}. {self.browsers} session(s) in "
                 f"headless Chromium (a browser context each), {self.sessions - self.browsers} speaking Streamlit's "
                 f"protocol without a browser; accounts {', '.join(self.accounts)} in turn; think time "
                 f"{self.think_s:.1f} s ± 50 %. A page's time runs from the click until the script run is over and "
                 "the page's title is drawn (a save's: until its confirmation shows).", "",
                 "| | |", "|---|---:|",
                 f"| Sessions | {self.sessions} |",
                 f"| Duration | {self.seconds} s (the last session ended after {self.elapsed_s:.0f} s) |",
                 f"| Page views | {self.page_views} |",
                 f"| Saves confirmed | {self.saves} |",
                 f"| Rows of these saves in the database | {self.rows_written} |",
                 f"| **Lost updates** (confirmed, no row) | **{len(self.lost)}** |",
                 f"| Rows written but not confirmed on the page | {self.unconfirmed} |",
                 f"| Notes saved twice | {self.duplicated} |",
                 f"| Stale-version refusals (of which on an item the tab had opened before) | "
                 f"{t.stale} ({t.stale_revisit}) |",
                 f"| Errors | {self.errors} |",
                 f"| Tabs started afresh (after an error or a refusal) | {t.reloads} |",
                 f"| Sessions (websockets) per process | {self._by_port()} |",
                 f"| Load average, 1 min ({cores} cores) | {self._load()} |",
                 f"| CPU used (share of {cores} cores over the run) | {self._cpu(cores)} |", "",
                 "| Page | Client | Count | p50 s | p95 s | max s |", "|---|---|---:|---:|---:|---:|"]
        for kind in KINDS:
            for client in CLIENTS:
                times = t.times.get(f"{kind} ({client})")
                if times:
                    lines.append(f"| {kind} | {client} | {len(times)} | " + " | ".join(f"{v:.2f}" for v in _spread(times))
                                 + " |")
        lines += ["", "| Error | Count | First message |", "|---|---:|---|"]
        lines += [f"| {k} | {n} | {t.examples.get(k, '').replace('|', '/')} |" for k, n in sorted(t.errors.items())]
        if not t.errors:
            lines.append("| none | 0 | |")
        if self.lost:
            lines += ["", "Lost: " + ", ".join(self.lost)]
        return "\n".join(lines) + "\n"

    def _by_port(self) -> str:
        if self.sessions_by_port is None:
            return "not known (pointed at --url)"
        return ", ".join(f"{port}: {n}" for port, n in self.sessions_by_port.items())

    def _load(self) -> str:
        if not self.load:
            return "–"
        return f"start {self.load[0]:.1f}, mean {statistics.fmean(self.load):.1f}, max {max(self.load):.1f}"

    def _cpu(self, cores: int) -> str:
        span = max(self.elapsed_s, 1.0) * cores
        return "; ".join(f"{name} {seconds / span:.0%}" for name, seconds in sorted(self.cpu.items(), key=lambda x: -x[1]))


def _spread(times: list[float]) -> tuple[float, float, float]:
    """p50, p95 and max (p95 by the inclusive method: interpolated between values seen)."""
    if len(times) == 1:
        return times[0], times[0], times[0]
    q = statistics.quantiles(times, n=100, method="inclusive")
    return q[49], q[94], max(times)
