"""Which agreements the secretariat must hear about: 12 and 6 months before the expiry now in
effect, and when the notice deadline comes within NOTICE_DAYS. Both come from the agreement's
clock (services/lifecycle/clock.py): an expiry stated or derived from the start and the term,
rolled forward by automatic renewals, and the notice deadline = that expiry minus the notice
period. An agreement whose clock does not state them gets no notice (nothing is invented)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from sqlmodel import Session, select

from models import Agreement
from services.i18n.content import display
from services.lifecycle.clock import RUNNING, Clock, current_expiry, derive_status, notice_deadline

MONTHS_BEFORE = (12, 6)
NOTICE_DAYS = 60


def months_before(day: date, months: int) -> date:
    """`day` moved back by whole months (the 31st becomes the month's last day)."""
    total = day.year * 12 + day.month - 1 - months
    year, month = divmod(total, 12)
    for d in (day.day, 30, 29, 28):
        try:
            return date(year, month + 1, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Notice:
    agreement_id: int
    code: str
    titles: dict[str, str]  # lang -> title
    subject_key: str  # e.g. "agreement:3:expiry-6m", for the SentMail key
    period: str  # the date the notice is about (ISO)
    expires_on: Optional[date] = None
    notice_by: Optional[date] = None


def expiry_stage(expires_on: date, today: date) -> Optional[int]:
    """12 or 6: the nearest threshold already passed before expiry; None before the 12-month
    mark or once expired. Only the nearest one is sent, so a late start does not send both."""
    if today >= expires_on:
        return None
    passed = [m for m in MONTHS_BEFORE if today >= months_before(expires_on, m)]
    return min(passed) if passed else None


def due_notices(*, session: Session, today: date) -> list[Notice]:
    """The notices due today for the live agreements in force by their clock, in agreement code
    order. The period of an expiry notice is the expiry date, so a renewed term gets its own."""
    out = []
    rows = session.exec(select(Agreement).where(~Agreement.archived).order_by(Agreement.code)).all()
    for a in rows:
        clock = Clock.of(a)
        if derive_status(clock, today) not in RUNNING:
            continue
        titles = {lang: display(a, "title", lang) for lang in ("en", "ms", "zh")}
        expiry, _renewals = current_expiry(clock, today)
        stage = expiry_stage(expiry, today) if expiry else None
        if stage is not None:
            out.append(Notice(a.id, a.code, titles, f"agreement:{a.id}:expiry-{stage}m", expiry.isoformat(),
                              expires_on=expiry))
        notice_by = notice_deadline(clock, today)
        if notice_by is not None and today <= notice_by <= today + timedelta(days=NOTICE_DAYS):
            out.append(Notice(a.id, a.code, titles, f"agreement:{a.id}:notice", notice_by.isoformat(),
                              notice_by=notice_by))
    return out
