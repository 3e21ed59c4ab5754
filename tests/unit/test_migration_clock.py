"""Migration 0003_i18 on a store holding data: expires_on and status kept (under_negotiation
becomes draft), the clock columns empty; then the facts read the same on SQLite and PostgreSQL."""
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from core.migrate import migrate_to
from models import Agreement
from services.lifecycle.facts import agreement_facts



@pytest.mark.store
def test_migration_keeps_expiry_and_status(bare_store_engine):
    migrate_to(bare_store_engine, "0002")
    with bare_store_engine.begin() as conn:
        conn.execute(text("INSERT INTO organisation (acronym, name_en, country, kind) VALUES ('KD', 'KD', 'MY', 'ministry')"))
        for code, status, expires in (("A-1", "in_force", "2027-04-16"), ("A-2", "under_negotiation", None),
                                      ("A-3", "expired", "2024-01-01")):
            conn.execute(text("INSERT INTO agreement (code, kind, title_en, lead_org_id, status, expires_on, signed_on, "
                              "archived, is_sample) VALUES (:c, 'MoU', :c, 1, :s, :e, :d, false, false)"),
                         {"c": code, "s": status, "e": expires, "d": "2023-01-01" if status != "under_negotiation" else None})
    migrate_to(bare_store_engine, "head")
    with Session(bare_store_engine) as session:
        rows = {a.code: a for a in session.exec(select(Agreement)).all()}
        assert {c: (a.status, a.expires_on) for c, a in rows.items()} == {
            "A-1": ("in_force", date(2027, 4, 16)), "A-2": ("draft", None), "A-3": ("expired", date(2024, 1, 1))}
        assert all(a.term_months is None and a.notice_days is None and a.auto_renews is None for a in rows.values())
        facts = agreement_facts(session=session, agreements=rows.values(), today=date(2026, 11, 26), dormant_days=90)
        by_code = {rows[c].code: f for c, f in ((a.code, facts[a.id]) for a in rows.values())}
        assert (by_code["A-1"].status, by_code["A-1"].days_to_expiry) == ("in_force", 141)
        assert by_code["A-2"].status == "draft" and by_code["A-3"].status == "expired"
    migrate_to(bare_store_engine, "0002", direction="downgrade")
    with bare_store_engine.connect() as conn:
        assert conn.execute(text("SELECT status FROM agreement WHERE code = 'A-2'")).scalar_one() == "under_negotiation"


@pytest.mark.store
def test_facts_read_the_same_on_each_store(store_engine):
    from datetime import datetime, timezone

    from models import ActionItem, CommitmentArea
    from services.seeding.facts import ensure_system_user, seed_facts

    with Session(store_engine, expire_on_commit=False) as session:
        seed_facts(session=session, actor=ensure_system_user(session=session))
        de = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
        area = session.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == de.id)).first()
        session.add(ActionItem(area_id=area.id, title="Done", status="completed", progress=100, owner_name="A",
                               created_at=datetime(2026, 1, 1, tzinfo=timezone.utc),
                               last_update_at=datetime(2026, 10, 1, 23, 30, tzinfo=timezone.utc)))
        session.commit()
        f = agreement_facts(session=session, agreements=[de], today=date(2026, 11, 26), dormant_days=90)[de.id]
        assert (f.last_update, f.covered, f.stage, f.dormant) == (date(2026, 10, 1), 1, "first_deliverable", False)
