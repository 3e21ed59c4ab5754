"""The tracker's rules as small pure functions. Time comes in as an argument (`today`)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Iterable, Optional

from models.enums import RAG, ItemStatus
from services.errors import ValidationFailed
from services.i18n.translate import N_

# Thresholds: defined once, used by every page, chart and report.
GREEN_MIN_RATIO = 0.85  # progress >= 85% of expected progress
AMBER_MIN_RATIO = 0.70  # 70-85% Amber, below 70% Red
STALE_AFTER_DAYS = 30  # no update for more than this raises RAG to at least Amber
LIMITED_BELOW = 50  # agreement completion: Limited < 50 <= Substantial < 100


STATUSES = frozenset(s.value for s in ItemStatus)  # once: an import checks 10,000 rows


class RuleError(ValidationFailed, ValueError):
    """An input that breaks a rule; the message (a catalog key and values) says what to fix.
    A ValueError too, so parsers' callers catch it with the other unreadable values."""


def check_status_progress(status: str, progress: int) -> None:
    """Status and progress must agree: Not started is 0%, Completed iff 100%."""
    if status not in STATUSES:
        raise RuleError(N_("Unknown status '{status}'."), status=str(status)[:40])
    if not isinstance(progress, int) or isinstance(progress, bool):
        raise RuleError(N_("Progress must be a whole number from 0 to 100."))
    if not 0 <= progress <= 100:
        raise RuleError(N_("Progress must be between 0 and 100 (got {progress})."), progress=progress)
    if status == ItemStatus.COMPLETED and progress != 100:
        raise RuleError(N_("A completed item has progress 100%."))
    if progress == 100 and status != ItemStatus.COMPLETED:
        raise RuleError(N_("Progress 100% means the item is Completed: set the status to Completed."))
    if status == ItemStatus.NOT_STARTED and progress != 0:
        raise RuleError(N_("A not-started item has progress 0%: set the status to In progress."))


def expected_progress(start: Optional[date], due: Optional[date], today: date) -> Optional[float]:
    """Share of the start-to-due time elapsed, 0-100; None when either date is missing."""
    if start is None or due is None:
        return None
    if due <= start:
        return 100.0 if today >= due else 0.0
    elapsed = (today - start).days / (due - start).days
    return max(0.0, min(1.0, elapsed)) * 100.0


def compute_rag(
    *,
    status: str,
    progress: int,
    start: Optional[date],
    due: Optional[date],
    last_update: Optional[date],
    today: date,
) -> Optional[str]:
    """RAG health of one item, or None for no rating.

    Completed and Cancelled items have no rating; neither has a Not-started item that is not
    yet due and whose start date has not come (or that has none). Past due and not completed
    is Red. Otherwise progress is compared with the share of the start-to-due time elapsed.
    No update for more than STALE_AFTER_DAYS raises the rating to at least Amber.
    """
    if status in (ItemStatus.COMPLETED, ItemStatus.CANCELLED):
        return None
    if due is not None and today > due:
        return RAG.RED.value
    if status == ItemStatus.NOT_STARTED and (start is None or today < start):
        return None
    rag = _schedule_rag(progress, expected_progress(start, due, today))
    if rag == RAG.GREEN and is_stale(last_update, today):
        return RAG.AMBER.value
    return rag


def _schedule_rag(progress: int, expected: Optional[float]) -> str:
    if not expected:  # no dates, or the start has just come: nothing is behind yet
        return RAG.GREEN.value
    ratio = progress / expected
    if ratio >= GREEN_MIN_RATIO:
        return RAG.GREEN.value
    if ratio >= AMBER_MIN_RATIO:
        return RAG.AMBER.value
    return RAG.RED.value


# An item is open until it is completed or cancelled: the one definition every list, count and
# chart uses (the Overview's overdue and stale lists, the items filter, meetings, the report).
CLOSED_STATUSES: tuple[str, ...] = (ItemStatus.COMPLETED.value, ItemStatus.CANCELLED.value)


def is_open(status: str) -> bool:
    """True for an item still to be delivered: any status but completed or cancelled."""
    return status not in CLOSED_STATUSES


def is_stale(last_update: Optional[date], today: date) -> bool:
    return last_update is None or (today - last_update).days > STALE_AFTER_DAYS


def is_overdue(*, status: str, due: Optional[date], today: date) -> bool:
    return is_open(status) and due is not None and today > due


def as_date(value: date | datetime | None) -> Optional[date]:
    if isinstance(value, datetime):
        return value.date()
    return value


@dataclass(frozen=True)
class Child:
    status: str
    progress: float
    weight: float


def weighted_progress(children: Iterable[Child]) -> Optional[float]:
    """Weighted mean progress; cancelled children are left out. None when nothing counts."""
    total = weight = 0.0
    for c in children:
        if c.status == ItemStatus.CANCELLED or c.weight <= 0:
            continue
        total += c.progress * c.weight
        weight += c.weight
    if weight == 0:
        return None
    return total / weight


def completion_level(progress: Optional[float]) -> str:
    """Agreement completion: not_started / limited (<50) / substantial (50-99) / complete."""
    if progress is None or progress <= 0:
        return "not_started"
    if progress >= 100:
        return "complete"
    if progress < LIMITED_BELOW:
        return "limited"
    return "substantial"
