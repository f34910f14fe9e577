"""`congvu serve` end to end: on a fresh SQLite file (migrated from scratch, as a clean checkout would
be: a copy of the test database, which the same migrations built), the production server answers,
a user signs in and reads a page, static files come through whitenoise, the access log records the
requests, and SIGTERM stops the server and its background worker."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest

from congvu.core.testing import copy_test_database_to_sqlite

ROOT = Path(__file__).resolve().parents[3]
CONGVU = [sys.executable, "-m", "congvu.cli"]
PASSWORD = "serve-test-pw-2026"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL", "DEBUG"}}
    env.update(
        {
            "CONGVU_VAR_DIR": str(var_dir),
            "CONGVU_HTTPS": "0",  # plain HTTP on loopback, as in demo mode
            "SECRET_KEY": "serve-test-secret-key-" + "x" * 20,
            "DJANGO_SETTINGS_MODULE": "congvu.settings",
        }
    )
    return env


class Browser:
    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        cookie = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        conn.request(method, path, body=body, headers={"Cookie": cookie, **(headers or {})})
        response = conn.getresponse()
        data = response.read()
        for name, value in response.getheaders():
            if name.lower() == "set-cookie":
                key, _, rest = value.partition("=")
                self.cookies[key] = rest.split(";", 1)[0]
        conn.close()
        return response.status, dict(response.getheaders()), data


def _wait_for(port: int, server: subprocess.Popen, seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise AssertionError(f"congvu serve exited at start-up with {server.returncode}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("congvu serve did not answer /healthz")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie (exited, not yet reaped by its parent) has stopped too.
    stat = Path(f"/proc/{pid}/stat")
    return not (stat.exists() and stat.read_text().split(")")[-1].split()[0] == "Z")


@pytest.mark.django_db(transaction=True)  # the test database, copied outside a transaction
def test_serve_signs_in_serves_a_page_and_stops_on_sigterm(tmp_path):
    env = _env(tmp_path)
    copy_test_database_to_sqlite(tmp_path / "congvu.sqlite3", env=env)
    # An inspector: sees the province's figures and signs in with a password alone (no second factor).
    script = (
        "import django; django.setup()\n"
        "from congvu.accounts.services import user_create\n"
        f"user_create(actor='test', username='kiemtra', password={PASSWORD!r}, role='inspector')\n"
    )
    subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT, check=True, timeout=120)

    port = _free_port()
    log = tmp_path / "serve.log"
    with open(log, "wb") as out:
        server = subprocess.Popen(
            [*CONGVU, "serve", "--port", str(port), "--workers", "2", "--with-worker"],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        _wait_for(port, server)
        browser = Browser(port)
        status, _, _ = browser.request("GET", "/accounts/login/")
        assert status == 200
        body = urlencode(
            {"username": "kiemtra", "password": PASSWORD, "csrfmiddlewaretoken": browser.cookies["csrftoken"]}
        )
        status, headers, _ = browser.request(
            "POST",
            "/accounts/login/",
            body,
            {"Content-Type": "application/x-www-form-urlencoded", "Referer": f"http://127.0.0.1:{port}/"},
        )
        assert status == 302, "signed in"
        status, _, page = browser.request("GET", "/metrics/")
        assert status == 200
        assert "Xếp hạng đơn vị theo tỷ lệ đúng hạn".encode() in page
        status, headers, _ = browser.request("GET", "/static/congvu/app.js")
        assert status == 200
        assert headers.get("Content-Type", "").startswith(("application/javascript", "text/javascript"))
        worker_pid = int(re.search(rb"pid (\d+)", log.read_bytes()).group(1))
        assert _alive(worker_pid)
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            code = server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            pytest.fail("congvu serve did not stop within 60 s of SIGTERM")
    assert code == 0
    output = log.read_text(errors="replace")
    assert re.search(r'"GET /metrics/ HTTP/1.1" 200', output), "the access log records the page"
    assert not _alive(worker_pid), "the background worker stopped with the server"
