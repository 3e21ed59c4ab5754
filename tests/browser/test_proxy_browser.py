"""Two dashboard processes on one PostgreSQL database behind nginx on loopback, as
deploy/mou-tracker.nginx.conf runs them (without TLS): sign in through the proxy, save an
update on one process and see it on the other, upload a workbook through the proxy, and keep
working after the process serving the browser is killed (signed in again by the cookie)."""
from __future__ import annotations

import io
from datetime import datetime, timezone

import pytest
from sqlmodel import Session, select

from bench.live import deployment as live_deployment
from core.db import new_session
from models import ActionItem, Organisation, ProgressUpdate
from services.excel.report.workbook import write_report
from tests.browser.conftest import require_deployment, screenshot, sign_in
from tests.conftest import TODAY

pytestmark = pytest.mark.browser
NOTE = "Updated through the proxy"


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    """Two dashboard processes on one PostgreSQL database behind the deployment's nginx site,
    sticky by address as deployed (bench/live.py)."""
    url = require_deployment()
    with live_deployment(tmp_path_factory.mktemp("proxy"), url) as d:
        yield d


def test_two_processes_behind_the_proxy(deployment, browser):
    d = deployment
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, d.proxy, "demo.focal", d.passwords["demo.focal"])
    with Session(d.engine) as s:
        mdec = s.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
        item = s.exec(select(ActionItem).where(ActionItem.lead_org_id == mdec, ActionItem.status == "in_progress")
                      .order_by(ActionItem.id)).first()
    new = min(item.progress + 5, 95)
    page.goto(f"{d.proxy}/item?id={item.id}")
    page.get_by_text("Update progress").first.wait_for(timeout=30000)
    field = page.get_by_label("Progress (%)")
    field.fill(str(new))
    field.press("Tab")
    page.get_by_label("Note (required when On hold, Cancelled or Red)").fill(NOTE)
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Update saved.").wait_for(timeout=30000)
    served = d.serving_port()
    other = next(p for p in d.ports if p != served)

    # The other process, opened directly with the same cookie, shows the update.
    page.goto(f"http://127.0.0.1:{other}/item?id={item.id}")
    page.get_by_text("Signed in as").first.wait_for(timeout=30000)
    page.wait_for_function(
        "t => [...document.querySelectorAll('[role=gridcell]')].some(c => c.innerText.includes(t))",
        arg=NOTE, timeout=30000)

    # A workbook uploaded through the proxy reaches the process that holds the session.
    buf = io.BytesIO()
    with new_session(d.engine) as s:
        write_report(session=s, actor=None, today=TODAY, now=datetime.now(timezone.utc), out=buf)
    secretariat = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(secretariat, d.proxy, "demo.secretariat", d.passwords["demo.secretariat"])
    secretariat.goto(f"{d.proxy}/reports")
    chooser = secretariat.locator("input[type=file]").first
    chooser.wait_for(state="attached", timeout=30000)
    with secretariat.expect_response(lambda r: "/_stcore/upload_file" in r.url and r.request.method == "PUT") as up:
        chooser.set_input_files(files=[{"name": "report.xlsx", "buffer": buf.getvalue(),
                                        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    assert up.value.status in (200, 204), up.value.status
    screenshot(secretariat, "proxy_upload")

    # Kill the process serving the first browser: a reload through the proxy goes on, signed in.
    page.goto(f"{d.proxy}/overview")
    page.get_by_text("Signed in as").first.wait_for(timeout=30000)
    victim = d.serving_port()
    d.procs[victim].kill()
    d.procs[victim].wait(timeout=10)
    page.reload()
    page.get_by_text("Signed in as").first.wait_for(timeout=60000)
    assert d.serving_port() != victim
    screenshot(page, "proxy_after_kill")
    with Session(d.engine) as s:
        last = s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item.id)
                      .order_by(ProgressUpdate.id.desc())).first()
    assert (last.progress_after, last.note) == (new, NOTE)
    context.close()
