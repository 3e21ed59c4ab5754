"""Small input rules shared by the update form, the bulk edit and the item forms."""
from __future__ import annotations

from datetime import date, datetime
from typing import Optional

from models.enums import ItemStatus
from services.errors import Message
from services.i18n.translate import N_
from services.rules import RuleError

WHOLE = N_("Progress must be a whole number from 0 to 100.")
WHOLE_GOT = N_("Progress must be a whole number from 0 to 100 (got {value}).")
DONE, STARTED, NEW = ItemStatus.COMPLETED.value, ItemStatus.IN_PROGRESS.value, ItemStatus.NOT_STARTED.value


def resolve_status_progress(*, old_status: str, old_progress: int, status: str, progress: int) -> tuple[str, int]:
    """Progress 100 means Completed, and back: when the user changes only one of the two,
    the other follows. When both change, they are kept as given (and checked by the rules)."""
    if status == old_status and progress != old_progress:
        if progress == 100:
            return DONE, 100
        if old_status == DONE or (old_status == NEW and progress > 0):
            return STARTED, progress
    if status != old_status and progress == old_progress and status == DONE:
        return DONE, 100
    return status, progress


def parse_progress(value: object) -> int:
    """A whole number 0-100 from a form or an edited table cell."""
    if isinstance(value, bool) or value is None or value == "":
        raise RuleError(WHOLE)
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise RuleError(WHOLE_GOT, value=repr(value)[:40]) from None
    if number != int(number):
        raise RuleError(WHOLE_GOT, value=value)
    if not 0 <= number <= 100:
        raise RuleError(N_("Progress must be between 0 and 100 (got {progress})."), progress=int(number))
    return int(number)


def parse_date(value: object, what: Optional[str] = None) -> Optional[date]:
    """A date from a date, a datetime or ISO text (table cells arrive as text)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip()[:10])
    except ValueError:
        if what is None:
            raise RuleError(N_("'{value}' is not a valid date (use YYYY-MM-DD)."), value=str(value)[:40]) from None
        raise RuleError(N_("The {what} '{value}' is not a valid date (use YYYY-MM-DD)."),
                        what=Message(what), value=str(value)[:40]) from None


def check_dates(start: Optional[date], due: Optional[date]) -> list[Message]:
    if start and due and due < start:
        return [Message(N_("The due date {due} is before the start date {start}."), due=due, start=start)]
    return []
