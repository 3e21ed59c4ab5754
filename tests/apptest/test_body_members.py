"""The joint bodies form: members of both sides as a table of typed rows (name, organisation,
role, side), saved through save_body; a bad row is refused with a message naming the row."""
from sqlmodel import Session, select

from models import JointBody, User
from services.meetings.bodies import body_members, save_body
from services.seeding.sample import JWG_BODY
from tests.apptest.conftest import run_page


def _jwg_with_a_member(engine) -> int:
    with Session(engine, expire_on_commit=False) as s:
        body = s.exec(select(JointBody).where(JointBody.name_en == JWG_BODY)).one()
        sec = s.exec(select(User).where(User.username == "demo.secretariat")).one()
        save_body(session=s, actor=sec, body_id=body.id, data={
            "name_en": body.name_en, "name_ms": body.name_ms, "name_zh": body.name_zh,
            "members": [{"side": "my", "name": "Aisyah Rahman", "organisation": "KD", "role": "Co-chair"}]})
        return body.id


def _members(engine, body_id: int) -> dict[str, list[tuple]]:
    with Session(engine) as s:
        return {side: [(m.name, m.organisation, m.role) for m in rows]
                for side, rows in body_members(session=s, body_id=body_id).items()}


def test_members_are_edited_as_rows_and_a_bad_row_is_named(app_db):
    body_id = _jwg_with_a_member(app_db)
    at = run_page("views/meetings.py", query={"body": str(body_id)}, user="demo.secretariat")
    at.toggle(key="body_edit").set_value(True).run()
    assert not at.exception
    key = f"bf{body_id}_members"
    added = [{"name": "Li Wei", "organisation": "NDA", "role": "Co-chair", "side": "counterpart"},
             {"name": "W", "organisation": "NDA", "side": "counterpart"}]
    at.session_state[key] = {"edited_rows": {0: {"role": "Chair"}}, "added_rows": added, "deleted_rows": []}
    at.button[[b.label for b in at.button].index("Save joint body")].click().run()
    assert not at.exception
    shown = [e.value.replace("\\", "") for e in at.error]  # the page escapes Markdown
    assert "- Members, row 3: Name: String should have at least 2 characters." in shown
    assert _members(app_db, body_id)["counterpart"] == []  # nothing written

    at.session_state[key] = {"edited_rows": {0: {"role": "Chair"}}, "added_rows": added[:1] + [{}],
                             "deleted_rows": []}  # the empty row added by mistake is skipped
    at.button[[b.label for b in at.button].index("Save joint body")].click().run()
    assert not at.exception and not at.error
    assert _members(app_db, body_id) == {"my": [("Aisyah Rahman", "KD", "Chair")],
                                         "counterpart": [("Li Wei", "NDA", "Co-chair")]}
