"""Migration 0003_i12: text stored before the gate is cleaned, made to fit, and every change is
in the audit trail; on SQLite and PostgreSQL (where over-long text could never be stored)."""
import json
from datetime import date

import pytest
from sqlalchemy import text
from sqlmodel import Session, select

from core.migrate import migrate_to
from models import ActionItem, AuditEvent, CommitmentArea, Decision, ProgressUpdate
from models.text import clean_text


WORD_NOTE = "Met the vendor.\x0bNext: sign-off\x01 e\u0301 "  # PostgreSQL cannot hold NUL at all


@pytest.mark.store
def test_stored_text_is_cleaned_and_the_change_audited(store_engine):
    migrate_to(store_engine, "0002", direction="downgrade")
    long_owner = "o" * 274 if store_engine.dialect.name == "sqlite" else "o" * 200
    with store_engine.begin() as conn:
        conn.execute(text("INSERT INTO organisation (acronym, name_en, country, kind) VALUES ('KD', 'Kementerian', 'MY', 'ministry')"))
        conn.execute(text("INSERT INTO agreement (code, kind, title_en, lead_org_id, status, archived, is_sample) "
                          "VALUES ('MY-1', 'MoU', 'Digital\r\neconomy', 1, 'in_force', false, false)"))
        conn.execute(text("INSERT INTO commitmentarea (agreement_id, position, title_en, category, archived) "
                          "VALUES (1, 0, 'Area', 'other', false)"))
        conn.execute(text(
            "INSERT INTO actionitem (area_id, title, category, owner_name, status, progress, weight, priority, "
            "created_at, archived, is_sample, version) VALUES (1, :title, 'other', :owner, 'in_progress', 10, 1.0, "
            "'medium', :ts, false, false, 1)"), {"title": "  Item\x07 one ", "owner": long_owner,
                                                 "ts": "2026-01-01 00:00:00+00:00"})
        conn.execute(text(
            "INSERT INTO progressupdate (item_id, ts, status_after, progress_after, note, source, is_sample) "
            "VALUES (1, :ts, 'in_progress', 10, :note, 'web', false)"), {"note": WORD_NOTE, "ts": "2026-01-02 00:00:00+00:00"})
        conn.execute(text("INSERT INTO meeting (body, held_on, is_sample) VALUES ('JWG', :d, false)"), {"d": date(2026, 1, 3)})
        conn.execute(text("INSERT INTO decision (meeting_id, text, is_sample) VALUES (1, :t, false)"), {"t": "\x0b\x0c"})
    migrate_to(store_engine, "head", direction="upgrade")  # 0003_i12 cleans
    with Session(store_engine) as session:
        item = session.get(ActionItem, 1)
        assert item.title == "Item one"
        assert len(item.owner_name) <= 200
        assert session.get(ProgressUpdate, 1).note == clean_text(WORD_NOTE) == "Met the vendor.\nNext: sign-off é"
        assert session.get(Decision, 1).text == "-"  # required, and nothing was left of it
        assert session.get(CommitmentArea, 1).title_en == "Area"  # clean text is left alone
        events = session.exec(select(AuditEvent).where(AuditEvent.action == "clean_text")
                              .order_by(AuditEvent.object_type, AuditEvent.object_id)).all()
        changed = {(e.object_type, e.object_id): (json.loads(e.before), json.loads(e.after)) for e in events}
        assert set(changed) == {("agreement", 1), ("item", 1), ("progress_update", 1), ("decision", 1)}
        assert changed[("progress_update", 1)] == ({"note": WORD_NOTE}, {"note": clean_text(WORD_NOTE)})
        assert changed[("agreement", 1)][1] == {"title_en": "Digital\neconomy"}
        if store_engine.dialect.name == "sqlite":  # only SQLite could hold the 274-character owner
            assert item.owner_name == "o" * 199 + "…"
            assert changed[("item", 1)][0]["owner_name"] == long_owner
