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
    assert metrics["Agreements"] == "3" and metrics["Commitment areas"] == "14"
    assert "SAMPLE DATA" in texts(at)
    table = at.dataframe[0].value
    assert set(table["Code"]) == {"MY-CN-DE-2025", "MY-CN-AI-2025", "MY-CN-LOI-ZJU-2025"}


def test_agreements_detail_shows_facts_and_source(app_db):
    at = run_page("pages/agreements.py", query={"agreement": "MY-CN-AI-2025"})
    assert not at.exception
    assert at.selectbox[0].value == "MY-CN-AI-2025"
    body = texts(at)
    assert "MoU on Artificial Intelligence Cooperation" in body
    assert "program pertukaran teknikal" in body  # the clause, verbatim
    assert "Zheng Shanjie" in body and "Xi Jinping" in body
    assert len(at.expander) == 5


def test_agreements_unknown_code_falls_back(app_db):
    at = run_page("pages/agreements.py", query={"agreement": "NOPE"})
    assert not at.exception and at.selectbox[0].value == "MY-CN-AI-2025"
