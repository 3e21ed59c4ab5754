"""Start-up: bring the schema to head and seed the facts into an empty database."""
from __future__ import annotations

from datetime import date, datetime, timezone
from typing import Optional

from sqlalchemy.engine import Engine

from core.db import new_session
from core.migrate import upgrade_head
from services.i18n.translate import local_today
from services.seeding.sample import seed_sample
from services.seeding.facts import SeedReport, database_is_empty, ensure_system_user, seed_facts


def prepare_database(
    engine: Engine, *, migrate: bool = True, seed_if_empty: bool = True,
    sample: bool = False, today: Optional[date] = None,
) -> Optional[SeedReport]:
    if migrate:
        upgrade_head(engine)
    report = None
    with new_session(engine) as session:
        system = ensure_system_user(session=session)
        session.commit()
        if seed_if_empty and database_is_empty(session):
            report = seed_facts(session=session, actor=system)
        if sample:
            if today is None:  # a real start: today is the local day and nothing is later than now
                now = datetime.now(timezone.utc)
                seed_sample(session=session, actor=system, today=local_today(now), now=now)
            else:
                seed_sample(session=session, actor=system, today=today)
    return report
