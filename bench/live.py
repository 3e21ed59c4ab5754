"""Real dashboard processes for the browser tests and the load check: a free loopback port,
the wait for a process's health, and a deployment as deploy/ runs one (app processes on one
PostgreSQL database with the sample data, nginx in front with deploy/mou-tracker.nginx.conf's
proxy settings, on loopback without TLS). Also Debian's Chromium and the flags it runs with
here, how a page tells that Streamlit's script run is over, and that the page is drawn."""
from __future__ import annotations

import getpass
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator, Optional

from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url

from core.db import make_engine, new_session
from services.seeding.facts import ensure_system_user
from services.seeding.sample import issue_demo_passwords
from services.seeding.startup import prepare_database

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
SITE = ROOT / "deploy" / "mou-tracker.nginx.conf"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
# The page's main title and whether a script run is under way, read in one go (the page may
# redraw between two reads). The app root states its run (data-test-script-state, set by
# Streamlit's frontend for its own tests); the running indicator only shows after a delay, so
# it misses short runs.
PAGE_STATE_JS = """() => { const h = document.querySelector('[data-testid=stMain] h1');
  const app = document.querySelector('[data-testid=stApp]');
  return [h ? h.innerText : null, !app || app.getAttribute('data-test-script-state') !== 'notRunning']; }"""
# The same, and whether the page is drawn: a run often ends before its page is. Streamlit's
# frontend loads the code of an element (metric, table, chart, ...) the first time one arrives
# and shows a skeleton (stSkeleton) in its place meanwhile; plotly then draws each chart into a
# .main-svg, hidden (visibility) until it knows the chart's width. Returns [title, running,
# skeletons shown, charts shown, charts drawn]; whatever sits in a hidden container (a tab not
# chosen) has no box and is not counted.
PAGE_DRAWN_JS = """() => { const h = document.querySelector('[data-testid=stMain] h1');
  const app = document.querySelector('[data-testid=stApp]');
  const loading = Array.from(document.querySelectorAll('[data-testid=stSkeleton]'))
    .filter(s => s.getClientRects().length > 0).length;
  const charts = Array.from(document.querySelectorAll('[data-testid=stPlotlyChart]'))
    .filter(c => c.getClientRects().length > 0);
  const drawn = charts.filter(c => { const svg = c.querySelector('.js-plotly-plot .main-svg');
    if (!svg) return false;
    const box = svg.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && getComputedStyle(svg).visibility === 'visible'; });
  return [h ? h.innerText : null, !app || app.getAttribute('data-test-script-state') !== 'notRunning',
          loading, charts.length, drawn.length]; }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the dashboard exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError("the dashboard did not become healthy in time")


def start_dashboard(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    """One dashboard process on 127.0.0.1:`port`, its output in `log`."""
    return subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
        cwd=ROOT, env=env, stdout=open(log, "w"), stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def nginx_conf(folder: Path, port: int, backends: list[int], *, outer_balancer: bool = False) -> Path:
    """The deployment's site, on a loopback port without TLS, with its own temp and log files
    (workers run as the caller's user, so they can write the request-body files of uploads).
    The upstream's balancing (sticky by client address) and the proxy settings (websocket
    upgrade, headers) are the deployment's own. With `outer_balancer`, nginx takes the client's
    address from the X-Forwarded-For that a client on this machine sends, as it would from a
    balancer in front of it: browsers given addresses of their own are spread over the
    processes as a ministry's users are (from 127.0.0.1 they would all share one).
    upstream.log names the process that answered each request."""
    site = SITE.read_text(encoding="utf-8")
    proxy = re.search(r"location / \{.*?\n    \}", site, re.S).group(0)
    headers = "\n".join(re.findall(r"    add_header .*;", site))
    block = re.search(r"upstream mou_tracker \{(.*?)\n\}", site, re.S).group(1)
    balancing = "\n".join(ln for ln in block.splitlines() if ln.strip() and not ln.strip().startswith(("#", "server ")))
    upstream = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=5s;" for p in backends)
    outer = "    set_real_ip_from 127.0.0.1;\n    real_ip_header X-Forwarded-For;" if outer_balancer else ""
    conf = folder / "nginx.conf"
    conf.write_text(f"""
user {getpass.getuser()};
pid {folder}/nginx.pid;
error_log {folder}/error.log;
worker_processes 1;
events {{ worker_connections 1024; }}
http {{
  access_log {folder}/access.log;
  log_format up '$remote_addr $request_uri $status $upstream_addr';
  client_body_temp_path {folder}/body; proxy_temp_path {folder}/proxy;
  fastcgi_temp_path {folder}/fcgi; uwsgi_temp_path {folder}/uwsgi; scgi_temp_path {folder}/scgi;
  upstream mou_tracker {{
{balancing}
{upstream}
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  server {{
    listen 127.0.0.1:{port};
    access_log {folder}/upstream.log up;
{outer}
{headers}
    client_max_body_size 25m;
    location = /_stcore/metrics {{ deny all; }}
{proxy}
  }}
}}
""")
    return conf


@dataclass
class Deployment:
    proxy: str  # the address browsers open (nginx)
    ports: list[int]  # one per dashboard process
    procs: dict[int, subprocess.Popen]
    engine: Engine  # the processes' database
    passwords: dict[str, str]  # demo account -> password issued at start
    folder: Path  # nginx.conf, upstream.log, the processes' logs

    def upstream_lines(self) -> list[str]:
        """One line a request: '<client> <uri> <status> <backend address(es)>', logged when
        it ends (a websocket: when it closes)."""
        log = self.folder / "upstream.log"
        return [ln for ln in log.read_text().splitlines() if "127.0.0.1:" in ln] if log.exists() else []

    def serving_port(self) -> int:
        """The backend that answered the newest logged request (a retried request logs both
        backends; the last is the one that answered)."""
        return int(self.upstream_lines()[-1].rsplit(":", 1)[1])

    def sessions_by_port(self) -> dict[int, int]:
        """Streamlit sessions (websockets of /_stcore/stream) each process served, once closed."""
        counts = {p: 0 for p in self.ports}
        for line in self.upstream_lines():
            if line.split(" ")[1] == "/_stcore/stream":
                counts[int(line.rsplit(":", 1)[1])] += 1
        return counts


@contextmanager
def deployment(folder: Path, server_url: str, *, processes: int = 2,
               outer_balancer: bool = False) -> Iterator[Deployment]:
    """`processes` dashboard processes on a new database (facts and sample data, fresh demo
    passwords) of the PostgreSQL server at `server_url`, behind nginx on a loopback port;
    everything is stopped and the database dropped afterwards."""
    name = f"live_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    db_url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    engine = make_engine(db_url)
    procs: dict[int, subprocess.Popen] = {}
    nginx: Optional[subprocess.Popen] = None
    try:
        prepare_database(engine, sample=True)
        with new_session(engine) as s:
            passwords = issue_demo_passwords(session=s, actor=ensure_system_user(session=s),
                                             now=datetime.now(timezone.utc))
        # As deploy/env.example: migrated above, and the proxy writes X-Forwarded-For itself.
        env = {**os.environ, "DATABASE_URL": db_url, "AUTO_MIGRATE": "false", "AUTO_SEED": "false",
               "TRUST_X_FORWARDED_FOR": "true"}
        ports = [free_port() for _ in range(processes)]
        procs = {p: start_dashboard(p, env, folder / f"app{p}.log") for p in ports}
        proxy_port = free_port()
        conf = nginx_conf(folder, proxy_port, ports, outer_balancer=outer_balancer)
        nginx = subprocess.Popen([NGINX, "-c", str(conf), "-g", "daemon off;"],
                                 stdout=open(folder / "nginx.out", "w"), stderr=subprocess.STDOUT)
        for p, proc in procs.items():
            wait_healthy(f"http://127.0.0.1:{p}", proc)
        yield Deployment(f"http://127.0.0.1:{proxy_port}", ports, procs, engine, passwords, folder)
    finally:
        if nginx is not None:
            nginx.send_signal(signal.SIGTERM)  # fast shutdown: open websockets are closed at once
            nginx.wait(timeout=20)
        for proc in procs.values():
            stop(proc)
        engine.dispose()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
