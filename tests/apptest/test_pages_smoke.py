"""Every page renders without an exception and shows what it is for."""
from tests.apptest.conftest import run_page


def texts(at) -> str:
    parts = [m.value for m in at.markdown] + [h.value for h in at.title] + [h.value for h in at.header]
    parts += [str(m.label) + str(m.value) for m in at.metric] + [c.value for c in at.caption]
    parts += [w.value for w in at.warning]
    return "\n".join(str(p) for p in parts)


def test_overview(app_db):
    at = run_page()
    assert not at.exception
    assert at.title[0].value == "Overview"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Agreements in force"] == "3" and metrics["Action items"] == "26"
    assert "SAMPLE DATA" in texts(at)
    table = at.dataframe[-1].value  # the agreements table closes the page
    assert set(table["Code"]) == {"MY-CN-DE-2025", "MY-CN-AI-2025", "MY-CN-LOI-ZJU-2025"}


def test_agreements_detail_shows_facts_and_source(app_db):
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-AI-2025"})
    assert not at.exception
    assert at.selectbox[0].value == "MY-CN-AI-2025"
    body = texts(at)
    assert "MoU on Artificial Intelligence Cooperation" in body
    assert "program pertukaran teknikal" in body  # the clause, verbatim
    assert "Zheng Shanjie" in body and "Xi Jinping" in body
    assert len([e for e in at.expander if "  ·  " in e.label]) == 5  # one per commitment area


def test_agreements_unknown_code_falls_back(app_db):
    at = run_page("views/agreements.py", query={"agreement": "NOPE"})
    assert not at.exception and at.selectbox[0].value == "MY-CN-AI-2025"


def test_agreement_page_draws_its_charts_and_uncovered_clauses(app_db):
    import json

    from sqlalchemy import update
    from sqlmodel import Session, select

    from models import ActionItem, CommitmentArea

    with Session(app_db) as session:
        area = session.exec(select(CommitmentArea).where(CommitmentArea.title_en == "Addressing AI safety risks")).one()
        session.execute(update(ActionItem).where(ActionItem.area_id == area.id).values(archived=True))
        session.commit()
    at = run_page("views/agreements.py", query={"agreement": "MY-CN-AI-2025"})
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    assert specs[0]["layout"]["title"]["text"] == "Progress by commitment area"
    areas = specs[0]["data"][0]["y"]
    assert len(areas) == 4 and not any("AI safety" in a for a in areas)
    assert specs[1]["data"][0]["type"] == "indicator"
    assert specs[2]["layout"]["title"]["text"] == "Timeline of this agreement's action items"
    assert "Clauses with no action item yet" in [s.value for s in at.subheader]
    uncovered = [m.value for m in at.markdown if m.value.startswith("**Addressing AI safety risks**")]
    assert uncovered == ["**Addressing AI safety risks**  \n> meneroka pendekatan untuk menangani risiko keselamatan AI"]
