"""The agreement's clock as pure functions: expiry, automatic renewal, notice deadline,
status from dates, the stage of delivery, the dormant flag. Time comes in as `today`.

Conventions (README "The agreement's clock"):
- the term runs from the date of entry into force, or from signature when the agreement
  gives no separate date (an MoU commonly enters into force on signature);
- an automatic renewal extends the agreement by `renewal_months` (the term again when not
  stated) each time its expiry passes;
- the notice deadline is the current expiry minus the notice period: the last day to give
  notice that stops the next renewal (or ends the agreement).
A value the source does not give stays None ("not stated"), and so does anything derived
from it: nothing is invented."""
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from models.enums import AgreementStatus as S
from services.rules import RuleError
from services.i18n.translate import N_

ACTS = frozenset({S.TERMINATED.value, S.SUPERSEDED.value})  # recorded, never derived from dates
CLOSED = frozenset({S.EXPIRED.value, S.TERMINATED.value, S.SUPERSEDED.value})
DRAFTS = frozenset({S.DRAFT.value, S.UNDER_NEGOTIATION.value})
RUNNING = frozenset({S.IN_FORCE.value, S.RENEWED.value})  # in force now (renewed: by an automatic renewal)
MAX_TERM_MONTHS = 1200  # 100 years
MAX_NOTICE_DAYS = 3650
MAX_RENEWALS = 1000  # a guard on the roll-forward loop, far above any real agreement


@dataclass(frozen=True)
class Clock:
    status: str = S.IN_FORCE.value  # the recorded status
    signed_on: Optional[date] = None
    in_force_from: Optional[date] = None
    term_months: Optional[int] = None
    expires_on: Optional[date] = None
    auto_renews: Optional[bool] = None
    renewal_months: Optional[int] = None
    notice_days: Optional[int] = None

    @classmethod
    def of(cls, agreement: object) -> "Clock":
        """The clock of an Agreement row (or anything with the same attributes)."""
        return cls(**{k: getattr(agreement, k) for k in cls.__dataclass_fields__})


def add_months(day: date, months: int) -> date:
    """`day` plus whole months; the 31st becomes the month's last day (31 Jan + 1 = 28/29 Feb)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def start_of(clock: Clock) -> Optional[date]:
    return clock.in_force_from or clock.signed_on


def first_expiry(clock: Clock) -> Optional[date]:
    """The stated expiry date, else start + term; None when neither is known."""
    if clock.expires_on:
        return clock.expires_on
    start = start_of(clock)
    if start and clock.term_months:
        return add_months(start, clock.term_months)
    return None


def current_expiry(clock: Clock, today: date) -> tuple[Optional[date], int]:
    """(the expiry now in effect, how many automatic renewals have happened by `today`)."""
    expiry = first_expiry(clock)
    if expiry is None or not clock.auto_renews:
        return expiry, 0
    step = clock.renewal_months or clock.term_months
    if not step:  # renews, but for how long is not stated: the stated expiry is all we know
        return expiry, 0
    renewals = 0
    while expiry < today and renewals < MAX_RENEWALS:
        expiry, renewals = add_months(expiry, step), renewals + 1
    return expiry, renewals


def notice_deadline(clock: Clock, today: date) -> Optional[date]:
    """The last day to give notice before the current expiry; None when either is not stated."""
    expiry, _ = current_expiry(clock, today)
    if expiry is None or clock.notice_days is None:
        return None
    return expiry - timedelta(days=clock.notice_days)


def derive_status(clock: Clock, today: date) -> str:
    """The status now. Terminated and superseded are recorded acts; a draft stays a draft until
    it is signed; otherwise the dates decide where they are known, and the recorded status
    stands where they are not (a seeded agreement with no stated dates keeps 'in force')."""
    if clock.status in ACTS:
        return clock.status
    if clock.signed_on is None and clock.in_force_from is None:
        return S.DRAFT.value if clock.status in DRAFTS else clock.status
    start = start_of(clock)
    if start > today:
        return S.SIGNED.value
    if clock.in_force_from is None and clock.status in (S.SIGNED.value, *DRAFTS):
        return S.SIGNED.value  # signed, entry into force not yet recorded
    expiry, renewals = current_expiry(clock, today)
    if expiry is not None and today > expiry:
        return S.EXPIRED.value
    if renewals:
        return S.RENEWED.value
    if expiry is None and clock.status == S.EXPIRED.value:
        return clock.status  # recorded as expired, dates not stated
    return S.IN_FORCE.value


def days_until(day: Optional[date], today: date) -> Optional[int]:
    return None if day is None else (day - today).days


def term_days(clock: Clock) -> Optional[int]:
    expiry, start = first_expiry(clock), start_of(clock)
    if expiry and start:
        return (expiry - start).days
    if clock.term_months:
        return (add_months(date(2001, 1, 1), clock.term_months) - date(2001, 1, 1)).days
    return None


def check_clock(clock: Clock) -> None:
    """Refuse a clock that cannot be: each message names the field. RuleError."""
    if clock.term_months is not None and not 1 <= clock.term_months <= MAX_TERM_MONTHS:
        raise RuleError(N_("Term: give 1 to {most} months (or years times 12)."), most=MAX_TERM_MONTHS)
    if clock.renewal_months is not None and not 1 <= clock.renewal_months <= MAX_TERM_MONTHS:
        raise RuleError(N_("Renews for: give 1 to {most} months."), most=MAX_TERM_MONTHS)
    if clock.notice_days is not None and not 0 <= clock.notice_days <= MAX_NOTICE_DAYS:
        raise RuleError(N_("Notice period: give 0 to {most} days."), most=MAX_NOTICE_DAYS)
    if clock.renewal_months and not clock.auto_renews:
        raise RuleError(N_("Renews for: only an agreement that renews automatically renews for a period."))
    if clock.term_months and clock.expires_on:
        raise RuleError(N_("Expiry date: give the term or the expiry date, not both."))
    start = start_of(clock)
    if clock.signed_on and clock.in_force_from and clock.in_force_from < clock.signed_on:
        raise RuleError(N_("In force from: the date of entry into force ({start}) is before the signing date ({signed})."),
                        start=clock.in_force_from, signed=clock.signed_on)
    if clock.expires_on and start and clock.expires_on <= start:
        raise RuleError(N_("Expiry date: the expiry ({expiry}) is not after the date of entry into force ({start})."),
                        expiry=clock.expires_on, start=start)
    term = term_days(clock)
    if clock.notice_days and term is not None and clock.notice_days >= term:
        raise RuleError(N_("Notice period: {notice} days is not shorter than the term ({term} days)."),
                        notice=clock.notice_days, term=term)


# --- the stage of delivery and the dormant flag ---------------------------------------------

STAGES = ("signed", "focal_points", "joint_body", "first_meeting", "first_deliverable", "closed")


@dataclass(frozen=True)
class StageFacts:
    """What the data shows about one agreement (services/lifecycle/package.py reads it)."""

    status: str  # derived
    focal_points: bool = False  # an item names an owner or a counterpart focal point
    joint_body: bool = False  # a joint working group area with an item, or a body that met on it
    met: bool = False  # a meeting of a body following the agreement held on or before today
    delivered: bool = False  # an item completed


def stage_of(facts: StageFacts) -> str:
    """The furthest stage the data shows; 'closed' once expired, terminated or superseded;
    'draft' before signature. A later fact implies the earlier stages (a body that met was
    set up), so the furthest one wins even when an earlier one was not recorded."""
    if facts.status in CLOSED:
        return "closed"
    if facts.status in DRAFTS:
        return "draft"
    reached = [facts.focal_points, facts.joint_body, facts.met, facts.delivered]
    furthest = max((i for i, hit in enumerate(reached, start=1) if hit), default=0)
    return STAGES[furthest]


def is_dormant(*, last_update: Optional[date], last_meeting: Optional[date], signed_on: Optional[date],
               status: str, today: date, days: int) -> bool:
    """No update and no meeting for more than `days` (counted from signature when nothing
    happened yet). Closed and unsigned agreements are not dormant; nor is one with no date."""
    if status in CLOSED or status in DRAFTS:
        return False
    latest = max((d for d in (last_update, last_meeting, signed_on) if d is not None), default=None)
    return latest is not None and (today - latest).days > days


def coverage(areas: int, covered: int) -> Optional[float]:
    """Share (0-1) of commitment areas with at least one live item; None with no areas."""
    return covered / areas if areas else None
