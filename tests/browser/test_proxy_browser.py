"""Two dashboard processes on one PostgreSQL database behind nginx on loopback, as
deploy/mou-tracker.nginx.conf runs them (without TLS): sign in through the proxy, save an
update on one process and see it on the other, upload a workbook through the proxy, and keep
working after the process serving the browser is killed (signed in again by the cookie)."""
from __future__ import annotations

import getpass
import io
import os
import re
import shutil
import signal
import subprocess
import sys
import uuid
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlmodel import Session, select

from core.db import make_engine, new_session
from models import ActionItem, Organisation, ProgressUpdate
from services.excel.report.workbook import write_report
from services.seeding.facts import ensure_system_user
from services.seeding.sample import issue_demo_passwords
from services.seeding.startup import prepare_database
from tests.browser.conftest import ROOT, _free_port, screenshot, sign_in, wait_healthy
from tests.conftest import TODAY, require_or_skip

pytestmark = pytest.mark.browser
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NOTE = "Updated through the proxy"
SITE = (ROOT / "deploy" / "mou-tracker.nginx.conf").read_text(encoding="utf-8")


def _nginx_conf(folder: Path, port: int, backends: list[int]) -> Path:
    """The deployment's site, on a loopback port without TLS, with its own temp and log files
    (workers run as the test's user, so they can write the request-body files of uploads).
    The proxy settings (sticky upstream, websocket upgrade, headers) are the deployment's own."""
    proxy = re.search(r"location / \{.*?\n    \}", SITE, re.S).group(0)
    headers = "\n".join(re.findall(r"    add_header .*;", SITE))
    upstream = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in backends)
    conf = folder / "nginx.conf"
    conf.write_text(f"""
user {getpass.getuser()};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
worker_processes 1;
events {{ worker_connections 256; }}
http {{
  access_log {folder}/access.log;
  log_format up '$request_uri $status $upstream_addr';
  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
  upstream mou_tracker {{
    ip_hash;
{upstream}
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port};
    access_log {folder}/upstream.log up;
{headers}
    client_max_body_size 25m;
    location = /_stcore/metrics {{ deny all; }}
{proxy}
  }}
}}
""")
    return conf


@pytest.fixture(scope="module")
def deployment(tmp_path_factory):
    if not Path(NGINX).exists():
        require_or_skip("nginx not found: install Debian's nginx to run the proxy test")
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        require_or_skip("TEST_DATABASE_URL is not set: the two-process test needs PostgreSQL")
    folder = tmp_path_factory.mktemp("proxy")
    name = f"proxy_{uuid.uuid4().hex[:10]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = make_url(url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(db_url)
    prepare_database(engine, sample=True)
    with new_session(engine) as s:
        passwords = issue_demo_passwords(session=s, actor=ensure_system_user(session=s), now=datetime.now(timezone.utc))
    env = {**os.environ, "DATABASE_URL": db_url, "AUTO_MIGRATE": "false", "AUTO_SEED": "false"}
    ports = [_free_port(), _free_port()]
    procs = {p: subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(p), "--server.address", "127.0.0.1",
         "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=open(folder / f"app{p}.log", "w"), stderr=subprocess.STDOUT) for p in ports}
    proxy_port = _free_port()
    nginx = subprocess.Popen([NGINX, "-c", str(_nginx_conf(folder, proxy_port, ports)), "-g", "daemon off;"],
                             stdout=open(folder / "nginx.out", "w"), stderr=subprocess.STDOUT)
    try:
        for p, proc in procs.items():
            wait_healthy(f"http://127.0.0.1:{p}", proc)
        yield {"proxy": f"http://127.0.0.1:{proxy_port}", "ports": ports, "procs": procs, "engine": engine,
               "passwords": passwords, "folder": folder}
    finally:
        nginx.send_signal(signal.SIGTERM)  # fast shutdown: open websockets are closed at once
        nginx.wait(timeout=20)
        for proc in procs.values():
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=10)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _serving_port(d: dict) -> int:
    """The backend port that served the proxy's newest logged request (every request from one
    address goes to one process: the upstream is sticky by address). A retried request logs
    both backends; the last is the one that answered."""
    lines = [ln for ln in (d["folder"] / "upstream.log").read_text().splitlines() if "127.0.0.1:" in ln]
    return int(lines[-1].rsplit(":", 1)[1])


def test_two_processes_behind_the_proxy(deployment, browser):
    d = deployment
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    sign_in(page, d["proxy"], "demo.focal", d["passwords"]["demo.focal"])
    with Session(d["engine"]) as s:
        mdec = s.exec(select(Organisation.id).where(Organisation.acronym == "MDEC")).one()
        item = s.exec(select(ActionItem).where(ActionItem.lead_org_id == mdec, ActionItem.status == "in_progress")
                      .order_by(ActionItem.id)).first()
    new = min(item.progress + 5, 95)
    page.goto(f"{d['proxy']}/item?id={item.id}")
    page.get_by_text("Update progress").first.wait_for(timeout=30000)
    field = page.get_by_label("Progress (%)")
    field.fill(str(new))
    field.press("Tab")
    page.get_by_label("Note (required when On hold, Cancelled or Red)").fill(NOTE)
    page.wait_for_timeout(300)
    page.get_by_role("button", name="Save update").click()
    page.get_by_text("Update saved.").wait_for(timeout=30000)
    served = _serving_port(d)
    other = next(p for p in d["ports"] if p != served)

    # The other process, opened directly with the same cookie, shows the update.
    page.goto(f"http://127.0.0.1:{other}/item?id={item.id}")
    page.get_by_text("Signed in as").first.wait_for(timeout=30000)
    page.wait_for_function(
        "t => [...document.querySelectorAll('[role=gridcell]')].some(c => c.innerText.includes(t))",
        arg=NOTE, timeout=30000)

    # A workbook uploaded through the proxy reaches the process that holds the session.
    buf = io.BytesIO()
    with new_session(d["engine"]) as s:
        write_report(session=s, actor=None, today=TODAY, now=datetime.now(timezone.utc), out=buf)
    secretariat = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    sign_in(secretariat, d["proxy"], "demo.secretariat", d["passwords"]["demo.secretariat"])
    secretariat.goto(f"{d['proxy']}/reports")
    chooser = secretariat.locator("input[type=file]").first
    chooser.wait_for(state="attached", timeout=30000)
    with secretariat.expect_response(lambda r: "/_stcore/upload_file" in r.url and r.request.method == "PUT") as up:
        chooser.set_input_files(files=[{"name": "report.xlsx", "buffer": buf.getvalue(),
                                        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}])
    assert up.value.status in (200, 204), up.value.status
    screenshot(secretariat, "proxy_upload")

    # Kill the process serving the first browser: a reload through the proxy goes on, signed in.
    page.goto(f"{d['proxy']}/overview")
    page.get_by_text("Signed in as").first.wait_for(timeout=30000)
    victim = _serving_port(d)
    d["procs"][victim].kill()
    d["procs"][victim].wait(timeout=10)
    page.reload()
    page.get_by_text("Signed in as").first.wait_for(timeout=60000)
    assert _serving_port(d) != victim
    screenshot(page, "proxy_after_kill")
    with Session(d["engine"]) as s:
        last = s.exec(select(ProgressUpdate).where(ProgressUpdate.item_id == item.id)
                      .order_by(ProgressUpdate.id.desc())).first()
    assert (last.progress_after, last.note) == (new, NOTE)
    context.close()
