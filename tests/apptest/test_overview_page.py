"""The Overview page: KPI tiles, six plotly charts, filters in the URL, fresh after a write."""
import json

from sqlmodel import Session, select

from models import ActionItem, User
from services.items.progress import update_progress
from tests.apptest.conftest import run_page


def specs(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def titles(at) -> list[str]:
    return [s["layout"]["title"]["text"] for s in specs(at)]


def metrics(at) -> dict:
    return {m.label: (m.value, m.proto.delta) for m in at.metric}


def test_overview_draws_the_six_charts_with_the_modebar(app_db):
    at = run_page()
    assert not at.exception
    assert titles(at) == [
        "Status by agreement", "RAG rating of action items", "Progress by commitment area",
        "Timeline of action items", "Weighted progress over time", "Progress updates by organisation and month",
    ]
    rag = specs(at)[1]["data"][0]
    assert rag["x"] == ["● Red", "▲ Amber", "■ Green", "○ No rating"] and sum(rag["y"]) == 26
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["toImageButtonOptions"]["format"] == "png" and config.get("displayModeBar") is not False
    assert set(metrics(at)) == {"Agreements in force", "Action items", "Complete (weighted)", "Overdue",
                                "At risk", "Not updated for 30 days"}


def test_filters_come_from_the_url_and_apply_to_every_chart(app_db):
    at = run_page(query={"agreement": "MY-CN-AI-2025,NOPE", "category": "ethics_safety"})
    assert not at.exception
    assert at.multiselect[0].value == ["MY-CN-AI-2025"] and at.multiselect[2].value == ["ethics_safety"]
    status = specs(at)[0]["data"]
    assert {x for trace in status for x in trace["x"]} == {"MY-CN-AI-2025"}
    n = sum(sum(trace["y"]) for trace in status)
    assert n == 3 and metrics(at)["Action items"][0] == str(n)
    assert sum(specs(at)[1]["data"][0]["y"]) == n
    assert all(label.startswith("MY-CN-AI-2025") for label in specs(at)[2]["data"][0]["y"])


def test_changing_a_filter_writes_the_url(app_db):
    at = run_page()
    at.multiselect[1].set_value(["MDEC"]).run()
    assert at.query_params["org"] == "MDEC"
    at.multiselect[1].set_value([]).run()
    assert "org" not in at.query_params


def test_a_saved_update_shows_on_the_next_rerun(app_db):
    at = run_page()
    before = int(metrics(at)["Overdue"][0])
    with Session(app_db, expire_on_commit=False) as session:
        actor = session.exec(select(User).where(User.username == "demo.secretariat")).one()
        overdue = session.exec(select(ActionItem).where(ActionItem.status == "in_progress")
                               .order_by(ActionItem.due_date)).first()
        update_progress(session=session, actor=actor, item_id=overdue.id, expected_version=overdue.version,
                        status="completed", progress=100, note="Done at last")
    at.run()
    assert int(metrics(at)["Overdue"][0]) == before - 1


def test_in_chinese_the_charts_name_areas_in_chinese_and_mark_english_titles(app_db):
    at = run_page(query={"lang": "zh"})
    assert not at.exception
    areas = specs(at)[2]["data"][0]["y"]
    assert "MY-CN-DE-2025 · 政策与监管协调" in areas
    assert not any("Policy and regulatory coordination" in label for label in areas)
    # the sample items have English titles only: shown, marked as English, in the timeline and tables
    timeline = [y for trace in specs(at)[3]["data"] if trace.get("type") == "bar" for y in trace["y"]]
    assert timeline and all(label.startswith("‹EN› ") for label in timeline)
    overdue = at.dataframe[0].value
    assert all(title.startswith("‹EN› ") for title in overdue[overdue.columns[0]])
