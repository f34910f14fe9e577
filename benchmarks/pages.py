"""`make bench` (second part): page response times under load.

Builds the demo province at the chosen scale in a fresh var dir (reused when it is already there),
serves it with the production settings (DEBUG off, demo accounts, plain HTTP) on loopback under each
server of `--servers` in turn — `congvu serve` (the production server) and the development server
(`runserver`) as its peer in the same run — signs in N concurrent clients (10, then 50) and has them
fetch the main pages in turn (as an inspector and as a unit's focal point); reports p50/p95/max and
errors per page and overall, with the load average beside them, and writes them into BENCHMARKS.md
(the "pages" row and the "Pages under load" section).

    python benchmarks/pages.py [--scale medium|large] [--clients 10,50] [--rounds 5]
                               [--servers serve,runserver] [--port 8799] [--no-write]

Servers: `serve` (gunicorn, gthread workers: the default of `congvu serve`), `serve-1proc` (one
gunicorn process, 8 threads), `serve-sync` (gunicorn, sync workers), `granian` (`congvu serve
--engine granian`), `runserver`. Every client count makes the
same number of requests (rounds scale down as clients go up). Only loopback is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
CONGVU = [sys.executable, "-m", "congvu.cli"]
BUDGET_MS = 200
# The province-wide client: an inspector of the inspection team (sees every unit's registers and
# figures). The inspection lead `truongdoan` would first need a second factor (TOTP) since 2FA for
# administrators, leads and leadership, which a benchmark client does not carry.
PROVINCE = "kiemtra"
START, END = "<!-- pages:start -->", "<!-- pages:end -->"


def _env(var_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "DEBUG"}}
    env.update({"CONGVU_VAR_DIR": str(var_dir), "CONGVU_DEMO": "1", "AXES_ENABLED": "0"})
    return env


def prepare(scale: str) -> Path:
    var_dir = DATA / f"pages-{scale}"
    ready = var_dir / "demo-ready"
    if not ready.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        env = _env(var_dir)
        subprocess.run([*CONGVU, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
        started = time.perf_counter()
        subprocess.run([*CONGVU, "demo", "--scale", scale], env=env, check=True, cwd=ROOT)
        ready.write_text(f"{time.perf_counter() - started:.1f}")
    return var_dir


def targets(var_dir: Path) -> list[tuple[str, str, str]]:
    """(label, user, path) for the pages under test, found in the demo database."""
    script = """
import json, django
django.setup()
from congvu.inspections.models import Inspection
from congvu.org.models import Official, Unit
from congvu.registers.models import Dossier
from congvu.sampling.models import Sample
unit = Unit.objects.get(users__username="daumoi.sxd")
inspection = Inspection.objects.filter(unit=unit).order_by("pk").first() or Inspection.objects.first()
official = Official.objects.filter(appointments__unit=unit, appointments__role="head").first()
sample = Sample.objects.exclude(drawn_at=None).order_by("pk").first()
print(json.dumps({"unit": unit.code, "inspection": inspection.pk, "official": official.code,
                  "dossier": Dossier.objects.filter(unit=unit).values_list("pk", flat=True).first(),
                  "sample": sample.pk if sample else None}))
"""
    env = {**_env(var_dir), "DJANGO_SETTINGS_MODULE": "congvu.settings"}
    out = subprocess.run(
        [sys.executable, "-c", script], env=env, check=True, capture_output=True, text=True, cwd=ROOT
    )
    ids = json.loads(out.stdout.strip().splitlines()[-1])
    unit = ids["unit"]
    pages = [
        ("Tổng quan", PROVINCE, "/"),
        ("Cây tổ chức", PROVINCE, "/org/"),
        ("Đơn vị", PROVINCE, f"/org/units/{unit}/"),
        ("Cán bộ (tìm kiếm)", PROVINCE, "/org/officials/?q=nguyen"),
        ("Hồ sơ TTHC (toàn tỉnh)", PROVINCE, "/registers/dossiers/"),
        ("Hồ sơ TTHC (đơn vị)", "daumoi.sxd", "/registers/dossiers/"),
        ("Chi tiết hồ sơ", "daumoi.sxd", f"/registers/dossiers/{ids['dossier']}/"),
        ("Nhiệm vụ", PROVINCE, "/registers/tasks/"),
        ("Xếp hạng đơn vị", PROVINCE, "/metrics/"),
        ("Bảng chỉ số đơn vị", "daumoi.sxd", f"/metrics/units/{unit}/"),
        ("Bảng chỉ số người đứng đầu", PROVINCE, f"/metrics/officials/{ids['official']}/"),
        (
            "Hồ sơ trễ hạn (drill-down)",
            PROVINCE,
            f"/metrics/records/?register=dossiers&unit={unit}&bucket=done_late",
        ),
        ("Danh sách kiểm tra", PROVINCE, "/inspections/"),
        ("Cuộc kiểm tra", PROVINCE, f"/inspections/{ids['inspection']}/"),
        ("Lịch làm việc", PROVINCE, "/calendar/"),
    ]
    if ids["sample"]:
        pages.append(("Mẫu hồ sơ", PROVINCE, f"/sampling/{ids['sample']}/"))
    return pages


class Client:
    """One signed-in browser, on its own keep-alive connection."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.reused = False  # the connection has carried a response already
        self.login(username)

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {"Cookie": self._cookie_header(), **(headers or {})}
        # As browsers do: a GET on a kept-alive connection that the server closed while it was idle
        # (each client keeps one per user, and the server's keep-alive timeout is 5 s) is sent again
        # once on a new connection. Any other failure counts as an error.
        retry = method == "GET" and self.reused
        while True:
            try:
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.reused = False
                if not retry:
                    raise
                retry = False
            except (OSError, http.client.HTTPException):
                self.conn.close()  # reconnect on the next request; this one counts as an error
                self.reused = False
                raise
        self.reused = not response.will_close
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        return response.status, data

    def login(self, username: str) -> None:
        self.request("GET", "/accounts/login/")
        body = urlencode(
            {
                "username": username,
                "password": "congvu-demo",
                "csrfmiddlewaretoken": self.cookies["csrftoken"],
            }
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://127.0.0.1:{self.port}/",
            },
        )
        if status != 302:
            raise RuntimeError(f"login of {username} failed: HTTP {status}")


@dataclass
class Run:
    """One server under one number of clients."""

    server: str
    clients: int
    rounds: int
    timings: dict[str, list[float]]
    errors: dict[str, int]
    seconds: float
    load_before: float
    load_after: float
    error_samples: list[str] = field(default_factory=list)

    @property
    def requests(self) -> int:
        return sum(len(v) for v in self.timings.values()) + sum(self.errors.values())


def load(port: int, pages, clients: int, rounds: int, server: str = "") -> Run:
    """`clients` threads, each signed in first (all of them before any page is timed), then
    `rounds` passes over the pages, each client starting at a different page."""
    timings: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    errors: dict[str, int] = {label: 0 for label, _, _ in pages}
    samples: list[str] = []
    lock = threading.Lock()
    ready = threading.Barrier(clients + 1)
    users = sorted({user for _, user, _ in pages})

    def worker(index: int) -> None:
        try:
            sessions = {user: Client(port, user) for user in users}
        finally:
            ready.wait()
        order = pages[index % len(pages) :] + pages[: index % len(pages)]  # clients do not move in step
        for _ in range(rounds):
            for label, user, path in order:
                started = time.perf_counter()
                try:
                    status, _ = sessions[user].request("GET", path)
                except (OSError, http.client.HTTPException) as exc:
                    status = f"{type(exc).__name__}"
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status != 200:
                        errors[label] += 1
                        if len(samples) < 10:
                            samples.append(f"{path}: {status}")
                    else:
                        timings[label].append(elapsed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return Run(
        server,
        clients,
        rounds,
        timings,
        errors,
        time.perf_counter() - started,
        load_before,
        os.getloadavg()[0],
        samples,
    )


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


SERVERS = {
    "serve": ("congvu serve (gunicorn, gthread)", ["serve"]),
    "serve-1proc": (
        "congvu serve --workers 1 --threads 8 (gunicorn, one process)",
        ["serve", "--workers", "1", "--threads", "8"],
    ),
    "serve-sync": ("congvu serve --worker-class sync (gunicorn)", ["serve", "--worker-class", "sync"]),
    "granian": ("congvu serve --engine granian", ["serve", "--engine", "granian"]),
    "runserver": ("congvu runserver (development server, threaded)", ["runserver"]),
}


def start_server(name: str, port: int, var_dir: Path, workers: int | None) -> subprocess.Popen:
    args = list(SERVERS[name][1])
    if args[0] == "runserver":
        args += [f"127.0.0.1:{port}", "--noreload"]
    else:
        args += ["--host", "127.0.0.1", "--port", str(port), "--access-log", "/dev/null"]
        if workers and "--workers" not in args:
            args += ["--workers", str(workers)]
    server = subprocess.Popen(
        [*CONGVU, *args], env=_env(var_dir), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    for _ in range(300):
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            pass
        if server.poll() is not None:
            raise RuntimeError(f"{name} stopped at start-up (exit {server.returncode})")
        time.sleep(0.2)
    server.terminate()
    raise RuntimeError(f"{name} did not answer /healthz within a minute")


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()  # SIGTERM: the graceful stop `congvu serve` promises
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


def _stats(values: list[float]) -> str:
    if not values:
        return "— | — | —"
    return f"{statistics.median(values):.0f} | {percentile(values, 0.95):.0f} | {max(values):.0f}"


def report(runs: list[Run], alone: dict[str, Run], scale: str, argv: str, demo_seconds: str) -> str:
    labels = list(runs[0].timings)
    lines = [
        START,
        "## Pages under load",
        "",
        f"- **Date:** {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; CPU cores: {os.cpu_count()}",
        f"- **Command:** `python benchmarks/pages.py {argv}`",
        f"- **Data:** the {scale} demo province (built in {demo_seconds} s), SQLite, DEBUG off, on loopback; "
        "the clients run on the same 2 cores as the server (and, today, beside other people's work: "
        "the load average before and after each run is in the table, figures are noisy when it is high)",
        f"- **Pages:** {len(labels)} main pages fetched in turn by each client as an inspector "
        "(province-wide) or a unit's focal point; every client signs in before the clock starts. "
        "Errors are responses other than 200 and broken connections; times are of the 200 responses.",
        "",
        "| server | clients | requests | req/s | errors | p50 ms | p95 ms | max ms "
        "| load avg before → after |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for run in runs:
        everything = [t for values in run.timings.values() for t in values]
        ok = len(everything)
        lines.append(
            f"| {SERVERS[run.server][0]} | {run.clients} | {run.requests} | {ok / run.seconds:.1f} "
            f"| {sum(run.errors.values())} | {_stats(everything)} "
            f"| {run.load_before:.2f} → {run.load_after:.2f} |"
        )
    for run in runs:
        single = alone.get(run.server)
        lines += [
            "",
            f"### {SERVERS[run.server][0]}, {run.clients} concurrent clients",
            "",
            "| page | one client, median ms | p50 ms | p95 ms | max ms | errors |",
            "|---|---|---|---|---|---|",
        ]
        for label in labels:
            own = single.timings[label] if single else []
            one = f"{statistics.median(own):.0f}" if own else "—"
            lines.append(f"| {label} | {one} | {_stats(run.timings[label])} | {run.errors[label]} |")
        if run.error_samples:
            lines.append("")
            lines.append("Errors (first ones): " + "; ".join(run.error_samples))
    lines += ["", END]
    return "\n".join(lines)


def write(section: str, subject: Run | None, scale: str) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if subject is not None:
        everything = [t for values in subject.timings.values() for t in values]
        p95 = percentile(everything, 0.95)
        errors = sum(subject.errors.values())
        verdict = "✓" if p95 <= BUDGET_MS and not errors else "✗ missed"
        row = (
            f"| pages, 95th percentile, {subject.clients} concurrent clients, 0 errors ({scale} demo, "
            f'{SERVERS[subject.server][0]}; see "Pages under load") '
            f"| ≤ {BUDGET_MS} ms | {p95:.0f} ms, {errors} errors | {verdict} |"
        )
        text = re.sub(r"^\| pages, 95th percentile.*$", row.replace("\\", "\\\\"), text, count=1, flags=re.M)
    if START in text:
        text = re.sub(
            re.escape(START) + ".*?" + re.escape(END), section.replace("\\", "\\\\"), text, flags=re.S
        )
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    path.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", choices=["small", "medium", "large"], default="medium")
    parser.add_argument("--clients", default="10,50", help="comma-separated client counts")
    parser.add_argument("--rounds", type=int, default=5, help="rounds of the pages with 10 clients")
    parser.add_argument("--servers", default="serve,runserver", help=f"comma-separated: {', '.join(SERVERS)}")
    parser.add_argument("--workers", type=int, default=None, help="worker processes of congvu serve")
    parser.add_argument("--port", type=int, default=8799)
    parser.add_argument("--no-write", action="store_true", help="print only; leave BENCHMARKS.md alone")
    args = parser.parse_args()
    servers = [s.strip() for s in args.servers.split(",") if s.strip()]
    unknown = [s for s in servers if s not in SERVERS]
    if unknown:
        parser.error(f"unknown server(s) {unknown}; choose from {list(SERVERS)}")
    counts = [int(c) for c in args.clients.split(",") if c.strip()]
    var_dir = prepare(args.scale)
    subprocess.run([*CONGVU, "migrate", "-v0"], env=_env(var_dir), check=True, cwd=ROOT)
    pages = targets(var_dir)
    runs: list[Run] = []
    alone: dict[str, Run] = {}
    for name in servers:
        server = start_server(name, args.port, var_dir, args.workers)
        try:
            # Warm-up as many clients as the first run has, so that every worker process — not only
            # the one a single client's connection lands on — has compiled its templates and filled
            # its caches, as a server that has been up for a while has.
            load(args.port, pages, counts[0], 1, name)
            alone[name] = load(args.port, pages, 1, 3, name)  # one client: the page's own cost
            for clients in counts:
                rounds = max(1, round(args.rounds * 10 / clients))  # same number of requests
                run = load(args.port, pages, clients, rounds, name)
                runs.append(run)
                print(
                    f"{name}, {clients} clients: {run.requests} requests in {run.seconds:.1f} s, "
                    f"{sum(run.errors.values())} errors",
                    flush=True,
                )
        finally:
            stop_server(server)
    argv = " ".join(sys.argv[1:]) or "(defaults)"
    section = report(runs, alone, args.scale, argv, (var_dir / "demo-ready").read_text())
    print(section)
    if not args.no_write:
        subject = next((r for r in runs if r.server == servers[0] and r.clients == 10), None)
        write(section, subject, args.scale)


if __name__ == "__main__":
    main()
