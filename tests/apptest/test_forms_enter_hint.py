"""Streamlit's "Press Enter to submit form" hint is English only: no form shows it. Every form
but sign-in sets enter_to_submit=False; sign-in keeps Enter (a password box) and hides the hint."""
from ui.nav import PAGES
from ui.signin import NO_ENTER_HINT
from tests.apptest.conftest import run_page


def test_no_form_on_any_page_offers_the_english_enter_hint(app_db, demo_passwords):  # passwords: My account has its form
    seen = set()
    for spec in PAGES:  # the administrator sees every page
        at = run_page(None if spec.default else spec.path, user="demo.admin")
        assert not at.exception, (spec.path, at.exception)
        for form in at.form:
            assert not form.proto.form.enter_to_submit, (spec.path, form.proto.form.form_id)
            seen.add(form.proto.form.form_id)
    assert {"change_password", "create_user", "agr_form_0__0", "org_form"} <= seen, seen


def test_sign_in_keeps_enter_but_hides_the_english_hint(app_db):
    at = run_page(user=None, query={"lang": "ms"})
    assert [f.proto.form.form_id for f in at.form] == ["signin"]
    assert at.form[0].proto.form.enter_to_submit  # Enter still signs in
    assert NO_ENTER_HINT in [h.proto.body for h in at.get("html")]
    for key in ("signin_username", "signin_password"):  # the inputs' keys name their containers
        assert at.text_input(key=key)
        assert f'.st-key-{key} [data-testid="InputInstructions"]' in NO_ENTER_HINT
