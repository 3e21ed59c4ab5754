"""The meeting pack, reopened with python-pptx: slides, native charts and their values, tables."""
import io

import pytest
from pptx import Presentation
from pptx.enum.chart import XL_CHART_TYPE
from sqlmodel import Session, select

import manage
from core.db import make_engine
from core.migrate import upgrade_head
from core.settings import get_settings
from models import Agreement, CommitmentArea, JointBody, SourceDocument
from services.meetings.mode import ALL_AGREEMENTS
from services.meetings.pack import build_meeting_pack
from services.seeding.sample import JWG_BODY, seed_sample
from services.seeding.facts import ensure_system_user
from tests.unit.scenario import TODAY, build_scenario


@pytest.fixture
def world(store_engine):
    """On SQLite and, with TEST_DATABASE_URL, on PostgreSQL."""
    with Session(store_engine, expire_on_commit=False) as session:
        yield session, build_scenario(session)


def jwg_id(session) -> int:
    return session.exec(select(JointBody.id).where(JointBody.name_en == JWG_BODY)).one()


def open_pack(data: bytes) -> Presentation:
    return Presentation(io.BytesIO(data))


def texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def charts(slide) -> list:
    return [s.chart for s in slide.shapes if s.has_chart]


def table(slide) -> list[list[str]]:
    (shape,) = [s for s in slide.shapes if s.has_table]
    return [[c.text for c in row.cells] for row in shape.table.rows]


def test_pack_structure_charts_and_tables(world):
    session, w = world
    prs = open_pack(build_meeting_pack(session=session, today=TODAY))
    titles = [s.shapes.title.text for s in prs.slides]
    assert titles == [
        "Meeting pack", "MY-CN-AI-2025: MoU on Artificial Intelligence Cooperation",
        "MY-CN-DE-2025: MoU on Digital Economy Cooperation",
        "MY-CN-LOI-ZJU-2025: Letter of Intent between MDEC and Zhejiang University",
        "What changed since the last meeting (27 October 2026)",
        "Appendix – source clauses: MY-CN-AI-2025", "Appendix – source clauses: MY-CN-DE-2025",
        "Appendix – source clauses: MY-CN-LOI-ZJU-2025",
    ]
    assert ALL_AGREEMENTS in texts(prs.slides[0]) and "SAMPLE" not in "".join(texts(s) for s in prs.slides)
    de = prs.slides[2]
    status, areas = charts(de)
    assert status.chart_type == XL_CHART_TYPE.BAR_STACKED
    assert [(s.name, list(s.values)) for s in status.plots[0].series] == [("Not started", [1.0]), ("In progress", [1.0])]
    assert areas.chart_type == XL_CHART_TYPE.BAR_CLUSTERED
    assert list(areas.plots[0].categories) == ["Policy and regulatory coordination"]
    assert [(s.name, list(s.values)) for s in areas.plots[0].series] == [("Progress", [30.0]), ("Expected by today", [45.2])]  # (90.4 + 0) / 2: C has not started  # noqa: E501
    assert "3\nAction items" not in texts(de) and "2\nAction items" in texts(de) and "30%\nComplete (weighted)" in texts(de)
    assert table(prs.slides[1]) == [["Action item", "Lead", "Due", "Status", "Progress", "RAG"],
                                    ["Item B", "MDEC", "30 June 2026", "In progress", "10%", "● Red"]]
    assert "No Red or overdue items." in texts(prs.slides[3])


def test_what_changed_slide(world):
    session, w = world
    prs = open_pack(build_meeting_pack(session=session, today=TODAY))
    slide = prs.slides[4]
    assert "New: 1   Turned Red: 1   Completed: 0   Improved: 0   No update since: 2" in texts(slide)
    rows = table(slide)
    assert rows[1] == ["New", "Item C", "MY-CN-DE-2025", "Not started 0%", "○ No rating"]
    assert rows[2] == ["Turned Red", "Item A", "MY-CN-DE-2025", "In progress 60% → In progress 60%", "● Red"]
    assert sorted(r[1] for r in rows[3:]) == ["Item A", "Item B"]


def test_appendix_quotes_the_source_verbatim(world):
    session, _ = world
    prs = open_pack(build_meeting_pack(session=session, today=TODAY))
    doc = session.exec(select(SourceDocument)).one()
    areas = session.exec(select(CommitmentArea).join(Agreement).where(Agreement.code == "MY-CN-AI-2025")
                         .order_by(CommitmentArea.position)).all()
    body = texts(prs.slides[5])
    for area in areas:
        assert f"«{doc.text[area.quote_start:area.quote_end]}»" in body
    assert "program pertukaran teknikal" in body


def test_pack_for_a_body_in_malay_and_chinese(world):
    session, _ = world
    ms = open_pack(build_meeting_pack(session=session, today=TODAY, body_id=jwg_id(session), lang="ms"))
    titles = [s.shapes.title.text for s in ms.slides]
    assert titles[0] == "Pek mesyuarat" and len(titles) == 4  # title, one agreement, changes, appendix
    de = session.exec(select(Agreement).where(Agreement.code == "MY-CN-DE-2025")).one()
    assert titles[1] == f"MY-CN-DE-2025: {de.title_ms}"
    zh = open_pack(build_meeting_pack(session=session, today=TODAY, body_id=jwg_id(session), lang="zh"))
    assert zh.slides[0].shapes.title.text == "会议资料"
    with pytest.raises(ValueError):
        build_meeting_pack(session=session, today=TODAY, lang="fr")


def test_sample_data_is_marked_on_every_slide(seeded):
    system = ensure_system_user(session=seeded)
    seed_sample(session=seeded, actor=system, today=TODAY)
    prs = open_pack(build_meeting_pack(session=seeded, today=TODAY, body_id=jwg_id(seeded)))
    assert all("SAMPLE DATA" in texts(s) for s in prs.slides)
    # the sample JWG met 40 days ago: the changes are counted from that meeting
    assert prs.slides[2].shapes.title.text.endswith("(17 October 2026)")


def test_cli_writes_the_pack(tmp_path, monkeypatch, capsys):
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    get_settings.cache_clear()
    engine = make_engine(url)
    upgrade_head(engine)
    with Session(engine, expire_on_commit=False) as session:
        build_scenario(session)
    out = tmp_path / "pack.pptx"
    try:
        assert manage.main(["meeting-pack", "--out", str(out), "--body", JWG_BODY, "--lang", "ms"]) == 0
    finally:
        get_settings.cache_clear()
    assert open_pack(out.read_bytes()).slides[0].shapes.title.text == "Pek mesyuarat"
    assert "Meeting pack written" in capsys.readouterr().out


def test_every_shape_stays_on_the_slide_and_clear_of_the_footer(seeded):
    system = ensure_system_user(session=seeded)
    seed_sample(session=seeded, actor=system, today=TODAY)
    prs = open_pack(build_meeting_pack(session=seeded, today=TODAY))
    footer_top = 7.05 * 914400
    for slide in prs.slides:
        for shape in slide.shapes:
            assert shape.left + shape.width <= prs.slide_width
            if shape.has_text_frame and shape.text_frame.text.startswith("SAMPLE DATA:"):
                continue
            height = 914400 * 0.32 * len(shape.table.rows) if shape.has_table else shape.height
            assert shape.top + height <= footer_top, (slide.shapes.title.text, shape.name)


def test_every_change_is_in_the_pack_and_the_meetings_record_has_a_slide(world, monkeypatch):
    from services.meetings import pack
    from services.meetings.register import record_decision, save_meeting

    session, w = world
    sec = w.users["secretariat"]
    m = save_meeting(session=session, actor=sec, data={"body_id": jwg_id(session), "held_on": TODAY})
    record_decision(session=session, actor=sec, meeting_id=m.id, text="Escalate item A", item_id=w.a)
    monkeypatch.setattr(pack, "CHANGE_ROWS", 1)
    prs = open_pack(build_meeting_pack(session=session, today=TODAY, body_id=jwg_id(session)))
    titles = [s.shapes.title.text for s in prs.slides]
    changes = prs.slides[titles.index("What changed since the last meeting (27 October 2026)")]
    assert len(table(changes)) == 2 and "… and 2 more: the full list is in the appendix." in texts(changes)
    appendix = prs.slides[titles.index("Appendix – every change since the last meeting")]
    assert [r[1] for r in table(appendix)[1:]] == ["Item C", "Item A", "Item A"]  # new; turned Red; no update
    record = prs.slides[titles.index("Decisions and new action items of this meeting")]
    assert table(record)[1][:3] == ["Decision", "Escalate item A", "Item A"]


def test_long_titles_wrap_and_chart_labels_are_cut_between_words(world):
    from services.meetings.pack import word_cut

    assert word_cut("Talent development and joint training programmes for civil servants", 40) == \
        "Talent development and joint training …"
    assert word_cut("Short", 40) == "Short"
    session, w = world
    area = session.exec(select(CommitmentArea).join(Agreement).where(Agreement.code == "MY-CN-DE-2025")).first()
    area.title_en = "Cooperation on cross-border data flows, digital trade facilitation and e-commerce platforms"
    session.add(area)
    session.commit()
    prs = open_pack(build_meeting_pack(session=session, today=TODAY))
    names = [c for s in prs.slides for ch in charts(s) for c in ch.plots[0].categories
             if c != "–" and not c.startswith("MY-CN-")]  # area labels, not the status bars' codes
    full = [a.title_en for a in session.exec(select(CommitmentArea)).all()]

    def cut_between_words(label: str) -> bool:
        stem = label.removesuffix(" …")
        return label in full or any(f.startswith(stem) and f[len(stem)] == " " for f in full)
    assert area.title_en[:60] not in names and all(len(n) <= 60 and cut_between_words(n) for n in names)
    rows = [r for s in prs.slides if any(sh.has_table for sh in s.shapes) for r in table(s)]
    assert all(not r[0].endswith("…") for r in rows)  # table text is never cut
