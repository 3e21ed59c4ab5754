"""The package page: the seeded package's agreements, the funnel, 'N of 31 recorded', and the
secretariat adding an agreement the statement counts."""
import json

from sqlmodel import Session, select

from models import Agreement
from tests.apptest.conftest import run_page


def metrics(at) -> dict:
    return {m.label: m.value for m in at.metric}


def test_package_page_lists_the_agreements_and_draws_the_funnel(app_db):
    at = run_page("views/package.py")
    assert not at.exception, at.exception
    assert at.title[0].value == "Package of a visit"
    assert metrics(at)["Agreements recorded"] == "3 / 31"
    assert "3 of 31 recorded" in [c.value for c in at.caption]
    table = at.dataframe[0].value
    with Session(app_db) as session:
        codes = sorted(session.exec(select(Agreement.code).where(Agreement.package_id.is_not(None))).all())
    assert sorted(table["Code"]) == codes
    assert set(table.columns) >= {"Malaysian lead", "Counterpart", "Stage", "Commitment coverage", "Time to expiry"}
    assert set(table["Time to expiry"]) == {"Not stated"}  # the source gives no term
    funnel = json.loads(at.get("plotly_chart")[0].proto.spec)["data"][0]
    assert funnel["type"] == "funnel"
    assert funnel["y"][0] == "Signed" and funnel["x"][0] == len(codes)
    assert not at.expander  # a viewer cannot add agreements


def test_secretariat_adds_an_agreement_shown_not_yet_broken_down(app_db):
    at = run_page("views/package.py", user="demo.secretariat")
    at.text_input[0].input("MoU on Green Technology")
    at.button[0].click()
    at.run()
    assert not at.exception, at.exception
    assert metrics(at)["Agreements recorded"] == "4 / 31"
    row = at.dataframe[0].value.set_index("Agreement").loc["MoU on Green Technology"]
    assert row["Commitment coverage"] == "Not yet broken down"


def test_a_refused_addition_says_which_field(app_db):
    at = run_page("views/package.py", user="demo.secretariat")
    at.text_input[0].input("X")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert "Title (English)" in at.error[0].value.replace("\\", "")
    assert metrics(at)["Agreements recorded"] == "3 / 31"


def test_package_page_in_malay(app_db):
    at = run_page("views/package.py", query={"lang": "ms"})
    assert not at.exception
    assert at.title[0].value == "Pakej lawatan"
