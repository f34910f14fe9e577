"""`make bench` (second part): page response times under load.

Builds the demo province at the chosen scale in a fresh var dir (reused when it is already there),
serves it with the production settings (DEBUG off, demo accounts, plain HTTP) on loopback, signs in
10 concurrent clients and has them fetch the main pages in turn; reports p50/p95/max per page and
overall, and writes them into BENCHMARKS.md (the "pages" row and the "Pages under load" section).

    python benchmarks/pages.py [--scale medium|large] [--clients 10] [--rounds 5] [--port 8799]

Only loopback is contacted; the loop is bounded by --rounds.
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
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "benchmarks" / "data"
CONGVU = [sys.executable, "-m", "congvu.cli"]
BUDGET_MS = 200
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
        ("Tổng quan", "truongdoan", "/"),
        ("Cây tổ chức", "truongdoan", "/org/"),
        ("Đơn vị", "truongdoan", f"/org/units/{unit}/"),
        ("Cán bộ (tìm kiếm)", "truongdoan", "/org/officials/?q=nguyen"),
        ("Hồ sơ TTHC (toàn tỉnh)", "truongdoan", "/registers/dossiers/"),
        ("Hồ sơ TTHC (đơn vị)", "daumoi.sxd", "/registers/dossiers/"),
        ("Chi tiết hồ sơ", "daumoi.sxd", f"/registers/dossiers/{ids['dossier']}/"),
        ("Nhiệm vụ", "truongdoan", "/registers/tasks/"),
        ("Xếp hạng đơn vị", "truongdoan", "/metrics/"),
        ("Bảng chỉ số đơn vị", "daumoi.sxd", f"/metrics/units/{unit}/"),
        ("Bảng chỉ số người đứng đầu", "truongdoan", f"/metrics/officials/{ids['official']}/"),
        (
            "Hồ sơ trễ hạn (drill-down)",
            "truongdoan",
            f"/metrics/records/?register=dossiers&unit={unit}&bucket=done_late",
        ),
        ("Danh sách kiểm tra", "truongdoan", "/inspections/"),
        ("Cuộc kiểm tra", "truongdoan", f"/inspections/{ids['inspection']}/"),
        ("Lịch làm việc", "truongdoan", "/calendar/"),
    ]
    if ids["sample"]:
        pages.append(("Mẫu hồ sơ", "truongdoan", f"/sampling/{ids['sample']}/"))
    return pages


class Client:
    """One signed-in browser, on its own keep-alive connection."""

    def __init__(self, port: int, username: str):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.login(username)

    def _cookie_header(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = {"Cookie": self._cookie_header(), **(headers or {})}
        self.conn.request(method, path, body=body, headers=headers)
        response = self.conn.getresponse()
        data = response.read()
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


def load(port: int, pages, clients: int, rounds: int) -> dict[str, list[float]]:
    timings: dict[str, list[float]] = {label: [] for label, _, _ in pages}
    errors: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        sessions = {user: Client(port, user) for user in {user for _, user, _ in pages}}
        order = pages[index % len(pages) :] + pages[: index % len(pages)]  # clients do not move in step
        for _ in range(rounds):
            for label, user, path in order:
                started = time.perf_counter()
                status, _ = sessions[user].request("GET", path)
                elapsed = (time.perf_counter() - started) * 1000
                with lock:
                    if status != 200:
                        errors.append(f"{path}: HTTP {status}")
                    timings[label].append(elapsed)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise RuntimeError("pages failed under load: " + "; ".join(sorted(set(errors))[:10]))
    return timings


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def report(timings, alone, scale: str, clients: int, rounds: int, demo_seconds: str) -> tuple[str, float]:
    everything = [t for values in timings.values() for t in values]
    p95 = percentile(everything, 0.95)
    lines = [
        START,
        "## Pages under load",
        "",
        f"- **Date:** {datetime.now().astimezone():%Y-%m-%d %H:%M %Z}; load average {os.getloadavg()[0]:.2f}",
        f"- **Command:** `python benchmarks/pages.py --scale {scale} --clients {clients} --rounds {rounds}`",
        f"- **Data:** the {scale} demo province (built in {demo_seconds} s), SQLite; served by "
        "`congvu runserver` (threaded, DEBUG off) on loopback; clients and server share the 2 cores",
        f"- **Requests:** {len(everything)} ({clients} concurrent clients × {rounds} rounds "
        f"× {len(timings)} pages)",
        "",
        "| page | one client, median ms | p50 ms | p95 ms | max ms |",
        "|---|---|---|---|---|",
    ]
    for label, values in timings.items():
        p50, p95_page = statistics.median(values), percentile(values, 0.95)
        single = statistics.median(alone[label])
        lines.append(f"| {label} | {single:.0f} | {p50:.0f} | {p95_page:.0f} | {max(values):.0f} |")
    p50 = statistics.median(everything)
    single_all = statistics.median([t for values in alone.values() for t in values])
    worst = max(everything)
    lines.append(
        f"| **all pages** | **{single_all:.0f}** | **{p50:.0f}** | **{p95:.0f}** | **{worst:.0f}** |"
    )
    lines += ["", END]
    return "\n".join(lines), p95


def write(section: str, p95: float, scale: str, clients: int) -> None:
    path = ROOT / "BENCHMARKS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    verdict = "✓" if p95 <= BUDGET_MS else "✗ missed"
    row = (
        f'| pages, 95th percentile, {clients} concurrent clients ({scale} demo; see "Pages under load") '
        f"| ≤ {BUDGET_MS} ms | {p95:.0f} ms | {verdict} |"
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
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    var_dir = prepare(args.scale)
    pages = targets(var_dir)
    server = subprocess.Popen(
        [*CONGVU, "runserver", f"127.0.0.1:{args.port}", "--noreload"],
        env=_env(var_dir),
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                http.client.HTTPConnection("127.0.0.1", args.port, timeout=1).request("GET", "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        load(args.port, pages, 1, 1)  # warm-up: templates, caches, SQLite pages
        alone = load(args.port, pages, 1, 3)  # one client: the page's own cost, without queueing
        timings = load(args.port, pages, args.clients, args.rounds)
    finally:
        server.terminate()
        server.wait(timeout=10)
    section, p95 = report(
        timings, alone, args.scale, args.clients, args.rounds, (var_dir / "demo-ready").read_text()
    )
    print(section)
    write(section, p95, args.scale, args.clients)


if __name__ == "__main__":
    main()
