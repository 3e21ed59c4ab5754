"""The renewal brief, read back with python-docx; and the command line."""
import io
from datetime import date

import pytest
from docx import Document
from sqlmodel import select

import manage
from models import ActionItem, Agreement, BodyAgreement, CommitmentArea, Decision, JointBody, Meeting
from services.errors import NotFound
from services.lifecycle.brief import write_renewal_brief
from services.lifecycle.edit import set_clock
from tests.unit.scenario import TODAY, build_scenario


def _text(data: bytes) -> str:
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    return "\n".join([p.text for p in doc.paragraphs] + cells)


@pytest.fixture
def scenario(session):
    return build_scenario(session)


def test_brief_reports_delivery_and_the_clock(session, scenario):
    de = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
    set_clock(session=session, actor=scenario.users["secretariat"], agreement_id=de.id,
              data={"signed_on": date(2025, 4, 16), "term_years": 2, "notice_days": 90})
    body = session.exec(select(JointBody).join(BodyAgreement, BodyAgreement.body_id == JointBody.id)
                        .where(BodyAgreement.agreement_id == de.id)).one()  # the seed's record of the source's JWG
    meeting = Meeting(body_id=body.id, held_on=date(2026, 9, 1))
    session.add(meeting)
    session.flush()
    item_a = session.get(ActionItem, scenario.a)
    item_a.meeting_id = meeting.id
    session.add(Decision(meeting_id=meeting.id, text="Draft the data-centre roadmap", item_id=item_a.id))
    session.commit()
    text = _text(write_renewal_brief(session=session, code="MY-CN-DE-2025", today=TODAY))
    assert "Renewal brief: MY-CN-DE-2025" in text
    assert "16 April 2027 (in 141 days)" in text  # expiry, with the time to it
    assert "Action items open (2)" in text and "Item A — In progress, 60%" in text
    assert "Action items done (0)" in text
    areas = session.exec(select(CommitmentArea).where(CommitmentArea.agreement_id == de.id)).all()
    assert "Commitment areas without any live action item" in text
    assert f"1 of {len(areas)} areas" in text
    assert "Meetings held (1)" in text and "Draft the data-centre roadmap" in text
    for choice in ("☐ Renew", "☐ Renew with amendments", "☐ Let lapse"):
        assert choice in text


def test_brief_of_a_seeded_agreement_says_not_stated(session, scenario):
    text = _text(write_renewal_brief(session=session, code="MY-CN-LOI-ZJU-2025", today=TODAY, lang="ms"))
    assert "Taklimat pembaharuan: MY-CN-LOI-ZJU-2025" in text
    assert "Tidak dinyatakan" in text and "Not stated" not in text


def test_unknown_agreement_is_refused(session, scenario):
    with pytest.raises(NotFound, match="NOPE"):
        write_renewal_brief(session=session, code="NOPE", today=TODAY)


def test_command_line(tmp_path, monkeypatch, capsys, session, scenario, engine):
    monkeypatch.setattr(manage, "make_engine", lambda: engine)
    out = tmp_path / "brief.docx"
    assert manage.main(["renewal-brief", "--agreement", "MY-CN-AI-2025", "--out", str(out), "--lang", "zh"]) == 0
    assert "续期简报：MY-CN-AI-2025" in _text(out.read_bytes())
    assert manage.main(["renewal-brief", "--agreement", "NOPE", "--out", str(out)]) == 2
    assert "NOPE" in capsys.readouterr().err
    assert manage.main(["renewal-brief", "--agreement", "MY-CN-AI-2025", "--out", str(tmp_path / "no" / "x.docx")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_the_pack_gains_a_package_slide_for_several_agreements(session, scenario):
    from functools import partial

    from pptx import Presentation

    from services.lifecycle.pack_slide import package_slide
    from services.meetings.pack import build_meeting_pack

    ai = session.exec(select(Agreement).where(Agreement.code == "MY-CN-AI-2025")).one()
    ai.title_en = "Memorandum of Understanding on Cooperation in the Field of Artificial Intelligence"
    session.add(ai)
    session.commit()
    extra = partial(package_slide, session=session, today=TODAY, lang="en")
    plain = Presentation(io.BytesIO(build_meeting_pack(session=session, today=TODAY)))
    prs = Presentation(io.BytesIO(build_meeting_pack(session=session, today=TODAY, extra=extra)))
    assert len(prs.slides) == len(plain.slides) + 1
    slide = next(s for s in prs.slides if s.shapes.title.text == "The agreements this body follows")
    table = next(sh.table for sh in slide.shapes if sh.has_table)
    assert [table.cell(r, 0).text for r in range(1, len(table.rows))] == [
        "MY-CN-AI-2025", "MY-CN-DE-2025", "MY-CN-LOI-ZJU-2025"]
    assert table.cell(1, 4).text == "Not stated"
    assert package_slide(None, [1], session=session, today=TODAY) is False  # one agreement: no slide
    titles = [table.cell(r, 1).text for r in range(1, len(table.rows))]
    full = {a.title_en for a in session.exec(select(Agreement)).all()}
    for title in titles:  # whole, or shortened between words: never cut mid-word
        assert title in full or (title.endswith(" …") and any(f.startswith(title[:-2] + " ") for f in full))
    assert titles[0] == "Memorandum of Understanding on Cooperation in the Field of …"
