"""Migration 0003_i15 from the schema before it: free-text bodies and working-group areas become
joint body records; every meeting, decision and item stays attached. On SQLite and PostgreSQL."""
from sqlalchemy import text

from core.migrate import migrate_to

JWG = "Joint Working Group on the Digital Economy"



def _sample(conn) -> dict:
    """Today's shape: an agreement with a working-group area, another agreement whose items a
    second free-text body decided on, meetings of both and their decisions."""
    conn.execute(text("INSERT INTO organisation (id, acronym, name_en, country, kind) VALUES (1, 'KD', 'Ministry', 'MY', 'ministry')"))
    for i, code in ((1, "DE"), (2, "AI")):
        conn.execute(text("INSERT INTO agreement (id, code, kind, title_en, lead_org_id, status, archived, is_sample) "
                          "VALUES (:i, :c, 'MoU', :c, 1, 'in_force', false, false)"), {"i": i, "c": code})
    conn.execute(text("INSERT INTO commitmentarea (id, agreement_id, position, title_en, title_ms, title_zh, category, archived) "
                      "VALUES (1, 1, 1, :t, 'Kumpulan Kerja Bersama', '联合工作组', 'joint_working_group', false), "
                      "(2, 2, 1, 'Talent', NULL, NULL, 'talent_programme', false)"), {"t": JWG})
    conn.execute(text("INSERT INTO meeting (id, body, held_on, venue, is_sample) VALUES "
                      "(1, :jwg, '2026-01-10', 'Putrajaya', false), (2, 'ASEAN officials', '2026-03-01', NULL, false)"),
                 {"jwg": JWG})
    conn.execute(text("INSERT INTO actionitem (id, area_id, title, category, status, progress, weight, priority, meeting_id, "
                      "created_at, archived, is_sample, version) VALUES "
                      "(1, 1, 'Terms of reference', 'other', 'not_started', 0, 1, 'medium', 1, '2026-01-10 10:00:00+00', false, false, 1), "
                      "(2, 2, 'Talent exchange', 'other', 'not_started', 0, 1, 'medium', NULL, '2026-01-10 10:00:00+00', false, false, 1)"))
    conn.execute(text("INSERT INTO decision (id, meeting_id, text, item_id, is_sample) VALUES "
                      "(1, 1, 'Draft the terms', 1, false), (2, 2, 'Start the exchange', 2, false), (3, 2, 'Noted', NULL, false)"))
    return {}


def test_free_text_bodies_become_records_and_keep_their_meetings(bare_store_engine):
    migrate_to(bare_store_engine, "0002")
    with bare_store_engine.begin() as conn:
        _sample(conn)
    migrate_to(bare_store_engine, "head")
    with bare_store_engine.connect() as conn:
        bodies = {r[1]: r for r in conn.execute(text("SELECT id, name_en, name_ms, name_zh FROM jointbody ORDER BY id"))}
        assert set(bodies) == {JWG, "ASEAN officials"}
        assert bodies[JWG][2:] == ("Kumpulan Kerja Bersama", "联合工作组")
        links = set(conn.execute(text("SELECT b.name_en, a.code FROM bodyagreement l JOIN jointbody b ON b.id = l.body_id "
                                      "JOIN agreement a ON a.id = l.agreement_id")).all())
        assert links == {(JWG, "DE"), ("ASEAN officials", "AI")}
        meetings = dict(conn.execute(text("SELECT m.id, b.name_en FROM meeting m JOIN jointbody b ON b.id = m.body_id")).all())
        assert meetings == {1: JWG, 2: "ASEAN officials"}
        assert conn.execute(text("SELECT id, meeting_id, item_id FROM decision ORDER BY id")).all() == [
            (1, 1, 1), (2, 2, 2), (3, 2, None)]
        assert conn.execute(text("SELECT meeting_id FROM actionitem WHERE id = 1")).scalar_one() == 1
    migrate_to(bare_store_engine, "0002", direction="downgrade")  # and back: the names return to the meetings
    with bare_store_engine.connect() as conn:
        assert dict(conn.execute(text("SELECT id, body FROM meeting")).all()) == {1: JWG, 2: "ASEAN officials"}
