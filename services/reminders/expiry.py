"""Which agreements the secretariat must hear about: 12 and 6 months before `expires_on`, and
when a notice deadline comes within NOTICE_DAYS (read from the agreement's NOTICE_FIELD when
the lifecycle issue adds it; absent, only expiry notices are sent)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Optional

from sqlmodel import Session, select

from models import Agreement
from services.i18n.content import display

MONTHS_BEFORE = (12, 6)
NOTICE_DAYS = 60
NOTICE_FIELD = "notice_deadline"


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
    """The notices due today for live agreements, in agreement code order."""
    out = []
    rows = session.exec(select(Agreement).where(~Agreement.archived, Agreement.status == "in_force")
                        .order_by(Agreement.code)).all()
    for a in rows:
        titles = {lang: display(a, "title", lang) for lang in ("en", "ms", "zh")}
        stage = expiry_stage(a.expires_on, today) if a.expires_on else None
        if stage is not None:
            out.append(Notice(a.id, a.code, titles, f"agreement:{a.id}:expiry-{stage}m", a.expires_on.isoformat(),
                              expires_on=a.expires_on))
        notice_by = getattr(a, NOTICE_FIELD, None)
        if isinstance(notice_by, date) and today <= notice_by <= today + timedelta(days=NOTICE_DAYS):
            out.append(Notice(a.id, a.code, titles, f"agreement:{a.id}:notice", notice_by.isoformat(),
                              notice_by=notice_by))
    return out
