"""`make bench`: measures Công vụ against the DESIGN budgets and against peers, in one run.

1. generates 1M dossiers and 100k tasks (deterministic) as CSV in the importer's template format,
   into benchmarks/data/ (git-ignored);
2. imports them through `congvu.registers.imports.import_file` into a fresh, migrated SQLite file
   database and into a fresh PostgreSQL database (127.0.0.1:5432, user postgres, `congvu_bench`);
3. times the four buckets + working-day lateness for all units as of a date on both (the engine);
4. imports 200,000 dossiers in the official register form (Sổ theo dõi hồ sơ, TT 03/2025/TT-VPCP
   Mẫu 07: title lines, two-row grouped header, column numbers, footer; the field read from the
   procedure catalogue) and the same rows in the project's template, each into a fresh SQLite
   database, and compares the rates (official form ≥ 0.8 × template); skipped only by --no-official;
5. measures the peers in the same run: stdlib `sqlite3.executemany` of the same rows into the same
   schema, PostgreSQL `COPY` into the same table, django-import-export on a 20k-row slice, and polars
   computing the same buckets and lateness from the CSV (cross-checked against the engine);
6. writes the figures into BENCHMARKS.md.

Every step runs in its own process; its peak memory is read with
`resource.getrusage(RUSAGE_CHILDREN).ru_maxrss` by a small parent that runs only that step.

    python benchmarks/run.py [--dossiers N] [--tasks N] [--slice N] [--official-rows N | --no-official]
                             [--no-postgres] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import resource
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import generate  # noqa: E402
from benchmarks.steps import DATA, PG_SERVER, STEPS  # noqa: E402

BUDGETS = {
    "sqlite_import_rows_per_s": 60_000,
    "sqlite_import_peak_mb": 300,
    "pg_import_rows_per_s": 70_000,
    "vs_import_export": 35,
    "sqlite_metrics_s": 1.0,
    "pg_metrics_s": 0.3,
    "pages_p95_ms": 200,
    "sqlite_evaluation_year_s": 10,
    # Issue #13 item 7: the official form imports "at the speed of the project's own template"; the
    # form costs a little more (more columns to read and skip, the field looked up from the procedure
    # catalogue), so "at the speed" is read as no more than a fifth slower.
    "official_vs_template": 0.8,
}


# --- Process plumbing ------------------------------------------------------------------------


def _result_line(text: str) -> dict:
    for line in reversed(text.splitlines()):
        if line.startswith("RESULT "):
            return json.loads(line[7:])
    raise RuntimeError("the step printed no result")


def run_step(step: str, params: dict) -> None:
    """--step: run one step here and print its result."""
    result = STEPS[step](**params)
    print("RESULT " + json.dumps(result, ensure_ascii=False, default=str), flush=True)


def measure_step(step: str, params: dict) -> None:
    """--measure: run the step as this process's only child, then report its peak memory."""
    child = subprocess.run(
        [sys.executable, __file__, "--step", step, json.dumps(params)], capture_output=True, text=True
    )
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss  # Linux: kilobytes
    if child.returncode != 0:
        sys.stderr.write(child.stdout[-3000:] + child.stderr[-6000:])
        print(
            "RESULT " + json.dumps({"failed": True, "error": child.stderr[-2000:], "peak_mb": peak_kb / 1024})
        )
        return
    result = _result_line(child.stdout)
    result["peak_mb"] = peak_kb / 1024
    print("RESULT " + json.dumps(result, ensure_ascii=False))


def measured(step: str, label: str, **params) -> dict:
    """Run `step` two processes down (this → measurer → step) and return its figures."""
    print(f"… {label}", file=sys.stderr, flush=True)
    began = time.perf_counter()
    out = subprocess.run(
        [sys.executable, __file__, "--measure", step, json.dumps(params)], capture_output=True, text=True
    )
    if out.returncode != 0:
        sys.stderr.write(out.stderr[-4000:])
        return {"failed": True, "error": out.stderr[-2000:]}
    result = _result_line(out.stdout)
    seconds = result.get("seconds")
    shown = f"{seconds:.2f} s" if isinstance(seconds, float) else f"{time.perf_counter() - began:.1f} s wall"
    status = "FAILED" if result.get("failed") else shown
    print(f"  {label}: {status}, peak {result.get('peak_mb', 0):.0f} MB", file=sys.stderr, flush=True)
    return result


# --- The run ---------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--tasks", type=int, default=100_000)
    parser.add_argument("--slice", type=int, default=20_000, help="rows for django-import-export")
    parser.add_argument("--as-of", default=generate.AS_OF.isoformat())
    parser.add_argument("--repeat", type=int, default=5, help="warm runs of the metrics")
    parser.add_argument(
        "--official-rows",
        type=int,
        default=200_000,
        help="dossiers in the official-form file and in its template twin",
    )
    parser.add_argument("--no-official", action="store_true", help="skip the official-form import step")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    parser.add_argument("--step", nargs=2, metavar=("STEP", "JSON"), help=argparse.SUPPRESS)
    parser.add_argument("--measure", nargs=2, metavar=("STEP", "JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        return run_step(args.step[0], json.loads(args.step[1]))
    if args.measure:
        return measure_step(args.measure[0], json.loads(args.measure[1]))
    if args.official_rows < 1:
        parser.error("--official-rows must be at least 1; to skip the official-form step say --no-official")

    DATA.mkdir(parents=True, exist_ok=True)
    started = datetime.now().astimezone()
    r: dict[str, dict] = {}
    official = 0 if args.no_official else args.official_rows
    r["generate"] = measured(
        "generate", "generate CSV", dossiers=args.dossiers, tasks=args.tasks, official=official
    )
    files = r["generate"]["files"]
    dossier_csv, task_csv = files["dossiers"]["path"], files["tasks"]["path"]
    dbs = ["sqlite:bench-sqlite"] + ([] if args.no_postgres else ["postgres:congvu_bench"])
    for db in dbs:
        kind = db.split(":")[0]
        r[f"{kind}_setup"] = measured("setup", f"{kind}: fresh database, migrate, reference data", db=db)
        for register, path in (("dossiers", dossier_csv), ("tasks", task_csv)):
            r[f"{kind}_import_{register}"] = measured(
                "import", f"{kind}: import {register}", db=db, register=register, path=path
            )
        r[f"{kind}_metrics"] = measured(
            "metrics", f"{kind}: metrics", db=db, as_of=args.as_of, repeat=args.repeat
        )
        if kind == "sqlite":
            r["sqlite_evaluation"] = measured(
                "evaluation", "sqlite: year-end evaluation", db=db, year=int(args.as_of[:4]), as_of=args.as_of
            )
    if official:
        # The same dossiers in the template, then in the official form, each into a fresh SQLite
        # database with the same reference data and procedure catalogue.
        for name in ("official_template", "official_form"):
            db = f"sqlite:bench-{name.replace('_', '-')}"
            r[f"{name}_setup"] = measured(
                "setup", f"sqlite: fresh database for the {name} file", db=db, catalogue=True
            )
            r[f"{name}_import"] = measured(
                "import", f"sqlite: import {name}", db=db, register="dossiers", path=files[name]["path"]
            )
    r["raw_sqlite"] = measured("raw_sqlite", "peer: sqlite3.executemany", path=dossier_csv)
    if not args.no_postgres:
        r["pg_copy"] = measured("pg_copy", "peer: PostgreSQL COPY", path=dossier_csv)
    for bulk in (False, True):
        r[f"import_export_{'bulk' if bulk else 'plain'}"] = measured(
            "import_export",
            f"peer: django-import-export (use_bulk={bulk})",
            path=dossier_csv,
            rows=args.slice,
            bulk=bulk,
        )
    r["polars"] = measured(
        "polars",
        "peer: polars",
        dossiers=dossier_csv,
        tasks=task_csv,
        as_of=args.as_of,
        calendar_db=str(DATA / "bench-sqlite" / "congvu.sqlite3"),
    )
    agreement = cross_check()
    (DATA / "results.json").write_text(json.dumps(r, indent=1, ensure_ascii=False, default=str))
    out = Path(args.out)
    text, kept = report(r, args, started, agreement), ""
    # The page timings of benchmarks/pages.py (run after this script) survive this rewrite: their
    # section and their row of the budget table.
    previous = out.read_text(encoding="utf-8") if out.exists() else ""
    if PAGES_START in previous:
        kept = "\n" + previous[previous.index(PAGES_START) :]
    if row := re.search(PAGES_ROW, previous, flags=re.M):
        text = re.sub(PAGES_ROW, lambda _match: row.group(0), text, count=1, flags=re.M)
    out.write_text(text + kept)
    print(f"Figures written to {args.out}", file=sys.stderr)


def cross_check() -> dict:
    """Does polars agree with the engine, unit by unit? (counts exactly; lateness to 2 decimals)"""
    keys = (
        "total",
        "done_on_time",
        "done_late",
        "open_in_time",
        "open_overdue",
        "no_deadline",
        "late_days_max",
    )
    out = {}
    polars_file = DATA / "metrics-polars.json"
    if not polars_file.exists():
        return out
    theirs = json.loads(polars_file.read_text())
    for engine_file in sorted(DATA.glob("metrics-*-*.json")):
        ours = json.loads(engine_file.read_text())
        mismatches = 0
        compared = 0
        for register in ("dossiers", "tasks"):
            p = {row["unit"]: row for row in theirs[register]}
            for row in ours[register]:
                other = p.get(row["code"])
                compared += 1
                same = other is not None and all(row[k] == other[k] for k in keys)
                for k in ("late_days_mean", "late_days_median"):
                    same = same and other is not None and round(row[k] or 0, 2) == round(other[k] or 0, 2)
                mismatches += not same
        out[engine_file.stem.removeprefix("metrics-")] = {"compared": compared, "mismatches": mismatches}
    return out


# --- BENCHMARKS.md ---------------------------------------------------------------------------


def _machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(
            next(
                line for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal")
            ).split()[1]
        )
        memory = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, StopIteration):
        pass
    import sqlite3

    versions = f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}"
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres") as conn:
            versions += ", PostgreSQL " + conn.execute("SHOW server_version").fetchone()[0]
    except Exception:  # the report says what it could find; PostgreSQL may be absent
        pass
    load = os.getloadavg()
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; {versions}; "
        f"load average at the end {load[0]:.2f} / {load[1]:.2f} / {load[2]:.2f} (the machine is shared)"
    )


def _f(value, digits=0, suffix="") -> str:
    if value is None:
        return "—"
    return f"{value:,.{digits}f}{suffix}"


def _peer(name: str, what: str, result: dict) -> str:
    figure = f"{_f(result.get('rows_per_s'))} rows/s ({_f(result.get('seconds'), 1)} s)"
    peak = f"{_f(result['peak_mb'])} MB" if result.get("peak_mb") else "(same process)"
    return f"| {name} | {what} | {figure} | {peak} |"


# DESIGN's anchors for the peers, "measured on this kind of machine": how much slower this run's
# machine was tells how to read the budgets, which were set against those anchors.
ANCHORS = {
    "raw_sqlite": ("stdlib executemany, indexes live", 66_000, "rows_per_s"),
    "pg_copy": ("PostgreSQL COPY into the indexed table", 81_000, "copy_only_rows_per_s"),
    "polars": ("polars, buckets + lateness incl. CSV read", 0.18, "seconds"),
}


def _slowdown(r: dict) -> list[str]:
    lines = []
    for name, (what, anchor, key) in ANCHORS.items():
        value = r.get(name, {}).get(key)
        if not value:
            continue
        if key == "seconds":
            factor, shown = value / anchor, (f"{anchor} s", f"{value:.2f} s")
        else:
            factor, shown = anchor / value, (f"{anchor:,} rows/s", f"{value:,.0f} rows/s")
        lines.append(f"| {what} | {shown[0]} | {shown[1]} | {factor:.1f}× slower |")
    return lines


def _ok(good: bool | None) -> str:
    return "—" if good is None else ("✓" if good else "✗ missed")


def report(r: dict, args, started: datetime, agreement: dict) -> str:
    si, pi = r.get("sqlite_import_dossiers", {}), r.get("postgres_import_dossiers", {})
    sm, pm = r.get("sqlite_metrics", {}), r.get("postgres_metrics", {})
    ev = r.get("sqlite_evaluation", {})
    iex, iexb = r.get("import_export_plain", {}), r.get("import_export_bulk", {})
    raw, copy, pol = r.get("raw_sqlite", {}), r.get("pg_copy", {}), r.get("polars", {})
    ratio = (
        si.get("rows_per_s") / iex["rows_per_s"] if si.get("rows_per_s") and iex.get("rows_per_s") else None
    )
    ratio_bulk = (
        si.get("rows_per_s") / iexb["rows_per_s"] if si.get("rows_per_s") and iexb.get("rows_per_s") else None
    )

    def within(value, budget, higher_is_better=True):
        if value is None:
            return None
        return value >= budget if higher_is_better else value <= budget

    rows = [
        (
            f"CSV import into SQLite, {args.dossiers:,} dossiers, end to end (validated, stored)",
            f"≥ {BUDGETS['sqlite_import_rows_per_s']:,} rows/s",
            f"{_f(si.get('rows_per_s'))} rows/s ({_f(si.get('seconds'), 1)} s)",
            _ok(within(si.get("rows_per_s"), BUDGETS["sqlite_import_rows_per_s"])),
        ),
        (
            "… peak memory of that import",
            f"≤ {BUDGETS['sqlite_import_peak_mb']} MB",
            f"{_f(si.get('peak_mb'))} MB",
            _ok(within(si.get("peak_mb"), BUDGETS["sqlite_import_peak_mb"], higher_is_better=False)),
        ),
        (
            f"CSV import into PostgreSQL, {args.dossiers:,} dossiers",
            f"≥ {BUDGETS['pg_import_rows_per_s']:,} rows/s",
            f"{_f(pi.get('rows_per_s'))} rows/s ({_f(pi.get('seconds'), 1)} s), "
            f"peak {_f(pi.get('peak_mb'))} MB",
            _ok(within(pi.get("rows_per_s"), BUDGETS["pg_import_rows_per_s"])),
        ),
        (
            "SQLite import against django-import-export (same file, 20k-row slice)",
            f"≥ {BUDGETS['vs_import_export']}×",
            f"{_f(ratio, 1)}× (use_bulk: {_f(ratio_bulk, 1)}×)",
            _ok(within(ratio, BUDGETS["vs_import_export"])),
        ),
        (
            "four buckets + working-day lateness, all units, 1M dossiers + 100k tasks, SQLite",
            f"≤ {BUDGETS['sqlite_metrics_s']} s",
            f"{_f(sm.get('median_seconds'), 3)} s median of {args.repeat} warm runs "
            f"(dossiers {_f(sm.get('dossiers_seconds'), 3)} + tasks {_f(sm.get('tasks_seconds'), 3)}; "
            f"cold {_f(sm.get('cold_seconds'), 3)} s)",
            _ok(within(sm.get("median_seconds"), BUDGETS["sqlite_metrics_s"], higher_is_better=False)),
        ),
        (
            "the same on PostgreSQL",
            f"≤ {BUDGETS['pg_metrics_s']} s",
            f"{_f(pm.get('median_seconds'), 3)} s median of {args.repeat} warm runs "
            f"(dossiers {_f(pm.get('dossiers_seconds'), 3)} + tasks {_f(pm.get('tasks_seconds'), 3)}, "
            f"after VACUUM ANALYZE; cold, straight after the import: {_f(pm.get('cold_seconds'), 3)} s)",
            _ok(within(pm.get("median_seconds"), BUDGETS["pg_metrics_s"], higher_is_better=False)),
        ),
        (
            "year-end evaluation of every official in post from the task register, SQLite",
            f"≤ {BUDGETS['sqlite_evaluation_year_s']} s",
            f"{_f(ev.get('seconds'), 2)} s ({_f(ev.get('cpu_seconds'), 2)} s CPU): {_f(ev.get('sheets'))} "
            f"quarterly sheets, {_f(ev.get('products'))} products, {_f(ev.get('officials'))} officials",
            _ok(within(ev.get("seconds"), BUDGETS["sqlite_evaluation_year_s"], higher_is_better=False)),
        ),
        _official_row(r, args),
        ("pages, 95th percentile, large demo, 10 concurrent clients", "≤ 200 ms", "not measured yet", "—"),
    ]
    lines = [
        "# Benchmarks",
        "",
        "Measured by `make bench` (`python benchmarks/run.py`), which generates the data (deterministic, so",
        "files of an earlier run are reused), runs every step in its own process and rewrites this file.",
        'Budgets are those of DESIGN.md "Performance budgets".',
        "",
        f"- **Date:** {started:%Y-%m-%d %H:%M %Z}",
        f"- **Machine:** {_machine()}",
        f"- **Command:** `python benchmarks/run.py --dossiers {args.dossiers} --tasks {args.tasks} "
        f"--slice {args.slice} --as-of {args.as_of} "
        f"{'--no-official' if args.no_official else f'--official-rows {args.official_rows}'}`",
        f"- **Data:** {args.dossiers:,} dossiers and {args.tasks:,} tasks, 150 units, 40 fields, received "
        f"{generate.FIRST_DAY:%d/%m/%Y}–{generate.LAST_DAY:%d/%m/%Y}, "
        f"report date {date.fromisoformat(args.as_of):%d/%m/%Y} (`benchmarks/generate.py`, seed 2025)",
        *_official_data(args),
        "",
        "## Against the budgets",
        "",
        "| work | budget | measured | |",
        "|---|---|---|---|",
        *(f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows),
        "",
        "## Peers, measured in the same run",
        "",
        "| peer | what | figure | peak memory |",
        "|---|---|---|---|",
        _peer(
            "stdlib `sqlite3.executemany`",
            f"the same {args.dossiers:,} rows (CSV parsed, codes mapped to ids) into the same migrated "
            "table, indexes live",
            raw,
        ),
        _peer("PostgreSQL `COPY`", "the same rows streamed from the CSV through the same conversion", copy),
        _peer(
            "PostgreSQL `COPY` alone",
            "the rows already converted, into the indexed table",
            {"rows_per_s": copy.get("copy_only_rows_per_s"), "seconds": copy.get("copy_only_seconds")},
        ),
        _peer(
            "django-import-export 4.4",
            f"{args.slice:,}-row slice of the dossier file into SQLite, `ModelResource`, keys by code",
            iex,
        ),
        _peer("django-import-export, `use_bulk=True`", "the same", iexb),
        f"| polars 2.1 | buckets + lateness per unit for both CSVs, CSV read included | "
        f"{_f(pol.get('seconds'), 3)} s | {_f(pol.get('peak_mb'))} MB |",
        "",
        "## Every step",
        "",
        "| step | seconds | rows/s | peak memory | notes |",
        "|---|---|---|---|---|",
    ]
    for name, result in r.items():
        notes = []
        if result.get("failed"):
            notes.append("FAILED: " + " ".join(str(result.get("error", "")).split())[-300:])
        if result.get("status"):
            notes.append(f"status {result['status']}, {result.get('errors', 0)} errors")
        if "full_seconds" in result:
            notes.append(
                "full scorecard (with stage durations, quality) for all units: "
                f"{result['full_seconds']:.2f} s (dossiers {result['full_dossiers_seconds']:.2f}, "
                f"tasks {result['full_tasks_seconds']:.2f})"
            )
        if name == "generate" and result.get("reused"):
            notes.append("the files of an earlier run were reused: the generator is deterministic")
        if result.get("vacuum_analyze_seconds") is not None:
            notes.append(
                f"cold run right after the import {result['cold_seconds']:.3f} s (no statistics: autovacuum "
                f"is off on this server); then VACUUM ANALYZE ({result['vacuum_analyze_seconds']:.1f} s) "
                "before the warm runs"
            )
        seconds = result.get("seconds", result.get("median_seconds"))
        lines.append(
            f"| {name} | {_f(seconds, 3)} | {_f(result.get('rows_per_s'))} | {_f(result.get('peak_mb'))} MB "
            f"| {'; '.join(notes)} |"
        )
    slowdown = _slowdown(r)
    if slowdown:
        lines += [
            "",
            "## Reading these figures",
            "",
            "The budgets were set against the peers' figures in DESIGN.md, measured on an idle machine",
            "of this kind. The same peers, in this run:",
            "",
            "| peer | DESIGN anchor | this run | |",
            "|---|---|---|---|",
            *slowdown,
            "",
            "This machine is shared by several engineers building and testing at the same time (see the load",
            "average above), so every step ran several times slower than on the anchors' machine; compare a",
            "Công vụ figure with the peers of the same run as much as with the absolute budget.",
        ]
    lines += ["", "## Cross-check", ""]
    for db, figures in agreement.items():
        lines.append(
            f"- engine on {db} against polars: {figures['compared']} unit rows compared (both registers), "
            f"{figures['mismatches']} differ (counts and maximum exactly, lateness mean and median to "
            "2 decimals)."
        )
    lines += ["", *_misses(r), NOTES]
    return "\n".join(lines) + "\n"


def _official_ratio(r: dict) -> float | None:
    template, form = r.get("official_template_import", {}), r.get("official_form_import", {})
    if form.get("rows_per_s") and template.get("rows_per_s"):
        return form["rows_per_s"] / template["rows_per_s"]
    return None


def _official_row(r: dict, args) -> tuple[str, str, str, str]:
    """Issue #13 item 7: the official form against the template, the same rows, side by side."""
    work = (
        f"official form (Sổ theo dõi hồ sơ, Mẫu 07) into SQLite, {args.official_rows:,} dossiers, "
        "against the project's template with the same rows"
    )
    budget = f"≥ {BUDGETS['official_vs_template']}× the template's rate"
    if args.no_official:
        return work, budget, "skipped (--no-official)", "—"
    template, form = r.get("official_template_import", {}), r.get("official_form_import", {})
    ratio = _official_ratio(r)
    stored = (form.get("created"), form.get("events"))
    same = stored == (template.get("created"), template.get("events")) and stored[0] == args.official_rows
    figure = (
        f"official form {_f(form.get('rows_per_s'))} rows/s ({_f(form.get('seconds'), 1)} s, peak "
        f"{_f(form.get('peak_mb'))} MB); template {_f(template.get('rows_per_s'))} rows/s "
        f"({_f(template.get('seconds'), 1)} s, peak {_f(template.get('peak_mb'))} MB): {_f(ratio, 2)}×"
    )
    if not same:
        figure += (
            f"; NOT the same dossiers: stored {_f(form.get('created'))} and {_f(template.get('created'))}, "
            f"events {_f(form.get('events'))} and {_f(template.get('events'))}"
        )
        return work, budget, figure, "✗ missed"
    figure += f"; both stored {args.official_rows:,} dossiers and {_f(form.get('events'))} events"
    good = None if ratio is None else ratio >= BUDGETS["official_vs_template"]
    return work, budget, figure, _ok(good)


def _official_data(args) -> list[str]:
    if args.no_official:
        return []
    return [
        f"- **Official form:** {args.official_rows:,} dossiers (`generate.official_rows`, "
        f"{len(generate.official_procedures())} procedures of the catalogue over 40 fields, ~4% with "
        "events in the notes: supplement requests, a few twice, withdrawals) written twice: in the "
        "official form (`generate.write_official_csv`: title lines, two-row grouped header, column "
        "numbers, the unit by name, the applicant's name and address, footer) and in the template's "
        "columns (the unit by code, the field named); each imported into a fresh SQLite database "
        "seeded with the same units, officials and catalogue"
    ]


def _misses(r: dict) -> list[str]:
    """Where a budget is missed: by how much, and what the same run's peers say about why."""
    si, pi = r.get("sqlite_import_dossiers", {}), r.get("postgres_import_dossiers", {})
    sm, pm = r.get("sqlite_metrics", {}), r.get("postgres_metrics", {})
    raw, copy, pol = r.get("raw_sqlite", {}), r.get("pg_copy", {}), r.get("polars", {})
    out = ["## Where a budget is missed, and why", ""]
    rate, peer = si.get("rows_per_s"), raw.get("rows_per_s")
    if rate and peer and rate < BUDGETS["sqlite_import_rows_per_s"]:
        out.append(
            f"- SQLite import: {rate:,.0f} rows/s is {rate / 60_000:.0%} of the budget, but "
            f"{rate / peer:.1f}× the raw `executemany` peer of the same run ({peer:,.0f} rows/s, DESIGN's "
            "anchor 66,000), so the load on this machine accounts for most of the gap (the importer is "
            "`congvu/registers/imports.py`, another area)."
        )
    rate, peer, ready = pi.get("rows_per_s"), copy.get("rows_per_s"), copy.get("copy_only_rows_per_s") or 0
    if rate and peer and rate < BUDGETS["pg_import_rows_per_s"]:
        out.append(
            f"- PostgreSQL import: {rate:,.0f} rows/s is {rate / 70_000:.0%} of the budget and "
            f"{rate / peer:.2f}× the streamed `COPY` peer of the same run ({peer:,.0f} rows/s; `COPY` of "
            f"ready rows {ready:,.0f} rows/s against DESIGN's 81,000)."
        )
    for name, figures, budget in (("SQLite", sm, 1.0), ("PostgreSQL", pm, 0.3)):
        seconds = figures.get("median_seconds")
        if not seconds or seconds <= budget:
            continue
        polars_note = ""
        if pol.get("seconds"):
            polars_note = (
                f"; polars, the same computation in memory, took {pol['seconds']:.2f} s in this run "
                "against 0.18 s in DESIGN"
            )
        out.append(
            f"- Metrics on {name}: {seconds:.3f} s, {seconds / budget:.1f}× the {budget} s budget"
            f"{polars_note}. The records settled before the report's month come from the rollups "
            "(`congvu/registers/rollups.py`), the rest from index-only scans of `*_settle_idx`; what "
            "remains is a dozen round trips and the Python merge of the histograms, so the figure "
            "follows the shared CPU (see `docs/SCALING.md` for server time against CPU time)."
        )
    ratio = _official_ratio(r)
    if ratio is not None and ratio < BUDGETS["official_vs_template"]:
        form = r.get("official_form_import", {})
        out.append(
            f"- Official form: {ratio:.2f}× the template's rate ({form.get('rows_per_s', 0):,.0f} rows/s). "
            "The form's extra work is reading the title lines and 14 columns (the applicant's name and "
            "address are read and skipped), the field looked up from the procedure through the catalogue "
            "and the unit by name; the importer is `congvu/registers/imports.py` and `official.py`."
        )
    if len(out) == 2:
        return []
    return [*out, ""]


NOTES = """## How the engine gets these numbers

- Two grouped queries per register (`congvu/metrics/engine.py`): the counts, and a histogram of
  lateness over the late records only, `GROUP BY unit, done/open, lateness`, where lateness comes from
  LEFT JOINs of the date columns on `WorkdayOrdinal` (hash joins on PostgreSQL). Mean, median and
  maximum are read off the histogram, so the median needs no window function and no per-record values.
- For all units, the records already settled (received and completed before the report date's month)
  come from rollups the importer rebuilds in its write transaction (`congvu/registers/rollups.py`); only
  the open and recent records go through the two queries, read index-only from
  `(completed_on, unit, received_on, due_on)`. The cross-check below compares that path with polars.
- The full scorecard (stage durations receipt → completion → return, apology slips) joins the ordinal
  table on every completed record: cheap on PostgreSQL, several seconds on SQLite for 1M dossiers. The
  pages compute it per unit or per official, where it is a few thousand records.
- PostgreSQL right after a bulk import has no statistics and no visibility map until the tables are
  vacuumed and analysed; autovacuum does that within a minute where it runs, but it is off on this
  server, so the metrics step runs `VACUUM ANALYZE` itself and reports the cold figure before it too.
  An importer that loads hundreds of thousands of rows could run `ANALYZE` on the register table itself.
- Page load (p95 ≤ 200 ms with the large demo, 10 concurrent clients) is measured by
  `benchmarks/pages.py`, which `make bench` runs after this script: "Pages under load" below.
"""
PAGES_START = "<!-- pages:start -->"
PAGES_ROW = r"^\| pages, 95th percentile.*$"


if __name__ == "__main__":
    main()
