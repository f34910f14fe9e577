"""The benchmark's steps. Each runs in its own process (`run.py` measures its peak memory) and prints
one JSON line with its figures. A step that needs Django configures it from the `db` it is given:
`sqlite:<folder>` (a file database in that folder) or `postgres:<database name>`."""

from __future__ import annotations

import csv
import os
import shutil
import statistics
import sys
import time
from datetime import date
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Generated files and scratch databases (git-ignored); BENCH_DATA moves them, e.g. for a trial run
# that must not touch the figures of the last full one.
DATA = Path(os.environ.get("BENCH_DATA") or ROOT / "benchmarks" / "data")
PG_SERVER = os.environ.get("BENCH_PG", "postgres://postgres@127.0.0.1:5432")

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


# --- Django set-up for a given database ------------------------------------------------------


def django_for(db: str, fresh: bool = False) -> None:
    """Point the settings at `db` and start Django; `fresh` drops and recreates it, then migrates."""
    kind, _, name = db.partition(":")
    os.environ["DJANGO_SETTINGS_MODULE"] = "congvu.settings"
    os.environ.setdefault("SECRET_KEY", "benchmark-only-secret-key-0123456789-abcdefghij")
    if kind == "sqlite":
        folder = DATA / name
        if fresh and folder.exists():
            shutil.rmtree(folder)
        folder.mkdir(parents=True, exist_ok=True)
        os.environ["CONGVU_VAR_DIR"] = str(folder)
        os.environ.pop("DATABASE_URL", None)
    elif kind == "postgres":
        if fresh:
            import psycopg

            with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
                conn.execute(f'CREATE DATABASE "{name}"')
        os.environ["DATABASE_URL"] = f"{PG_SERVER}/{name}"
        os.environ["CONGVU_VAR_DIR"] = str(DATA / f"var-{name}")
    else:
        raise SystemExit(f"unknown database {db!r}")
    import django

    django.setup()
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)


def reference_data() -> None:
    """Units, fields, officials and their appointments (deputies hold half the fields each), through
    the organisation's services, so imports resolve every code and the blank handlers."""
    from benchmarks import generate as g
    from congvu.org.models import Appointment, Field, Official, Unit
    from congvu.org.services import appointment_bulk_create, official_bulk_create, unit_bulk_create

    units = unit_bulk_create(
        actor="benchmark",
        units=[Unit(code=c, name=g.unit_name(c), kind="department") for c in g.unit_codes()],
        label="benchmark units",
    )
    Field.objects.bulk_create(
        [
            Field(code=c, name=f"Lĩnh vực thử {c[-2:]}", name_folded=f"linh vuc thu {c[-2:]}")
            for c in g.field_codes()
        ]
    )
    fields = list(Field.objects.filter(code__in=g.field_codes()).order_by("code"))
    half = len(fields) // 2
    officials = official_bulk_create(
        actor="benchmark",
        officials=[
            Official(code=code, full_name=f"Cán bộ {code}")
            for u in units
            for code, _role in g.official_codes(u.code)
        ],
        label="benchmark officials",
    )
    by_code = {o.code: o for o in officials}
    appointments = []
    for unit in units:
        for code, role in g.official_codes(unit.code):
            portfolio = [] if role == "head" else (fields[:half] if code.endswith("D1") else fields[half:])
            title = "Giám đốc" if role == "head" else "Phó Giám đốc"
            appointment = Appointment(
                official=by_code[code], unit=unit, role=role, title=title, start=date(2023, 1, 1)
            )
            appointments.append((appointment, portfolio))
    appointment_bulk_create(actor="benchmark", appointments=appointments, label="benchmark appointments")


def procedure_catalogue() -> int:
    """The procedures of the official-form file in the catalogue, through the catalogue's service as
    the demo does (`congvu.demo.registers._catalogue`): the form has no field column."""
    from benchmarks import generate as g
    from congvu.org.models import Field
    from congvu.registers.services import procedure_save

    fields = {f.code: f for f in Field.objects.filter(code__in=g.field_codes())}
    procedures = g.official_procedures()
    for field, name in procedures:
        procedure_save(actor="benchmark", name=name, field=fields[field])
    return len(procedures)


def _calendar() -> None:
    """The working-day table from the application's own calendar service (2015–2035 by default)."""
    from congvu.workdays.models import WorkdayOrdinal

    if not WorkdayOrdinal.objects.filter(date=date(2025, 12, 31)).exists():
        from congvu.workdays.services import calendar_rebuild

        calendar_rebuild(actor="benchmark")


# --- Steps -----------------------------------------------------------------------------------


def step_generate(dossiers: int, tasks: int, official: int = 0) -> dict:
    """The CSV files; with `official` rows, also the same dossiers twice: in the official form (Sổ
    theo dõi hồ sơ, Mẫu 07) and in the project's template."""
    from benchmarks import generate as g

    began = time.perf_counter()
    written = {}
    reused = True
    files = [
        ("dossiers", f"dossiers-{dossiers}.csv", partial(g.write_csv, header=g.DOSSIER_HEADER),
         g.dossier_rows, dossiers),
        ("tasks", f"tasks-{tasks}.csv", partial(g.write_csv, header=g.TASK_HEADER), g.task_rows, tasks),
    ]  # fmt: skip
    if official:
        v = g.OFFICIAL_VERSION
        files += [
            ("official_template", f"official-template-v{v}-{official}.csv",
             partial(g.write_csv, header=g.OFFICIAL_HEADER), g.official_rows, official),
            ("official_form", f"official-form-v{v}-{official}.csv", g.write_official_csv, g.official_rows,
             official),
        ]  # fmt: skip
    for name, file_name, write, rows, n in files:
        path = DATA / file_name
        if not path.exists():
            reused = False
            tmp = path.with_suffix(".tmp")
            write(path=tmp, rows=rows(n))
            tmp.rename(path)
        written[name] = {"path": str(path), "rows": n, "bytes": path.stat().st_size}
    return {"seconds": time.perf_counter() - began, "files": written, "reused": reused}


def step_setup(db: str, catalogue: bool = False) -> dict:
    began = time.perf_counter()
    django_for(db, fresh=True)
    reference_data()
    _calendar()
    procedures = procedure_catalogue() if catalogue else 0
    return {"seconds": time.perf_counter() - began, "procedures": procedures}


def step_import(db: str, register: str, path: str) -> dict:
    django_for(db)
    from congvu.registers.imports import import_file

    began = time.perf_counter()
    run = import_file(actor="benchmark", register=register, path=Path(path), source="bench")
    seconds = time.perf_counter() - began
    rows = run.rows_total
    from congvu.registers.models import DossierEvent

    return {
        "events": DossierEvent.objects.count() if register == "dossiers" else None,
        "seconds": seconds,
        "rows": rows,
        "rows_per_s": rows / seconds if seconds else None,
        "status": run.status,
        "created": run.created_count,
        "errors": run.error_count,
        "first_errors": (run.errors or [])[:3],
    }


def step_metrics(db: str, as_of: str, repeat: int) -> dict:
    """Four buckets + working-day lateness for all units (the budgeted work), cold then warm; then the
    full scorecard figures once. Saves the per-unit rows for the cross-check with polars."""
    django_for(db)
    import json

    from congvu.metrics.engine import compute_buckets, compute_metrics
    from congvu.registers.models import Dossier, Task

    day = date.fromisoformat(as_of)

    def both(fn):
        began = time.perf_counter()
        d = fn(register="dossiers", records=Dossier.objects.all(), as_of=day, by="unit")
        middle = time.perf_counter()
        t = fn(register="tasks", records=Task.objects.all(), as_of=day, by="unit")
        end = time.perf_counter()
        return d, t, middle - began, end - middle

    dossiers, tasks, cold_d, cold_t = both(compute_buckets)
    maintenance = None
    from django.db import connection

    if connection.vendor == "postgresql":
        # Right after a bulk load nothing has vacuumed or analysed the tables (autovacuum would, within
        # a minute, where it is on): no statistics, no visibility map, so no index-only scans. The cold
        # figure above is that state; the warm ones follow what autovacuum does.
        began = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE registers_dossier, registers_task, workdays_workdayordinal")
        maintenance = time.perf_counter() - began
    warm = [both(compute_buckets)[2:] for _ in range(repeat)]
    totals = [d + t for d, t in warm]
    _full_d, _full_t, full_d, full_t = both(compute_metrics)
    name = db.replace(":", "-")
    (DATA / f"metrics-{name}.json").write_text(
        json.dumps({"dossiers": dossiers, "tasks": tasks}, ensure_ascii=False)
    )
    return {
        "cold_seconds": cold_d + cold_t,
        "vacuum_analyze_seconds": maintenance,
        "warm_seconds": totals,
        "median_seconds": statistics.median(totals),
        "dossiers_seconds": statistics.median(d for d, _ in warm),
        "tasks_seconds": statistics.median(t for _, t in warm),
        "full_seconds": full_d + full_t,
        "full_dossiers_seconds": full_d,
        "full_tasks_seconds": full_t,
        "units": len(dossiers),
        "dossiers": sum(r["total"] for r in dossiers),
        "tasks": sum(r["total"] for r in tasks),
    }


def step_evaluation(db: str, year: int, as_of: str) -> dict:
    """The year-end evaluation of every official in post, from the task register (issue #9 item 9):
    every unit's quarterly sheets generated and scored (four province-wide passes), then each
    official's year (mean of the quarters, override, quota). Everyone is rated by points for the
    measurement (a stored rule-set assignment: the default for years before 2026 is Decree 90/48,
    which classifies by conditions). CPU time beside wall time: the machine is shared."""
    django_for(db)
    from congvu.accounts.models import User
    from congvu.evaluation.models import PeriodSheet, RuleSetAssignment, SheetProduct
    from congvu.evaluation.selectors import year_report
    from congvu.evaluation.services import sheets_generate_province

    actor, _ = User.objects.get_or_create(username="benchmark-lead", defaults={"role": "lead"})
    for staff_type in ("civil_servant", "public_employee", "cadre"):
        RuleSetAssignment.objects.update_or_create(
            year=year, staff_type=staff_type, unit=None, defaults={"rule_set": "nd335_2025"}
        )
    day = date.fromisoformat(as_of)
    began, cpu = time.perf_counter(), time.process_time()
    for quarter in (1, 2, 3, 4):
        sheets_generate_province(actor=actor, year=year, period_number=quarter, as_of=day)
    middle = time.perf_counter()
    rows = year_report(year=year, provisional=True)
    end = time.perf_counter()
    return {
        "seconds": end - began,
        "cpu_seconds": time.process_time() - cpu,
        "sheets_seconds": middle - began,
        "year_seconds": end - middle,
        "sheets": PeriodSheet.objects.filter(year=year).count(),
        "products": SheetProduct.objects.filter(sheet__year=year).count(),
        "officials": len(rows),
    }


def _dossier_columns():
    """The dossier table's columns, and a function making the same row tuple the importer stores."""
    from django.db.models import NOT_PROVIDED
    from django.utils import timezone

    from congvu.org.models import Field, Official, Unit
    from congvu.registers.models import Dossier

    units = dict(Unit.objects.values_list("code", "id"))
    fields = dict(Field.objects.values_list("code", "id"))
    officials = dict(Official.objects.values_list("code", "id"))
    now = timezone.now()

    def iso(text: str) -> str | None:
        return f"{text[6:10]}-{text[3:5]}-{text[0:2]}" if text else None

    known = {
        "external_code": lambda c: c[0],
        "source": lambda c: "peer",
        "unit_id": lambda c: units[c[1]],
        "field_id": lambda c: fields[c[2]],
        "procedure": lambda c: c[3],
        "handler_id": lambda c: officials.get(c[4]),
        "received_on": lambda c: iso(c[5]),
        "due_on": lambda c: iso(c[6]),
        "completed_on": lambda c: iso(c[7]),
        "returned_on": lambda c: iso(c[8]),
        "status": lambda c: c[9],
        "apology_slip": lambda c: c[10] == "x",
    }
    columns, makers = [], []
    for f in Dossier._meta.concrete_fields:
        if f.primary_key:
            continue
        columns.append(f.column)
        if f.attname in known:
            makers.append(known[f.attname])
        elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            makers.append(lambda c, v=now: v)
        elif f.db_default is not NOT_PROVIDED:
            # A database default (`db_default=""`): get_default() returns a marker the drivers cannot
            # bind; the importer's merge lets the database fill it, the peers write its value.
            value = getattr(f.db_default, "value", f.db_default)
            makers.append(lambda c, v=value: v)
        else:
            default = f.get_default()
            makers.append(lambda c, v=default: v)

    def make(cells):
        return tuple(m(cells) for m in makers)

    return Dossier._meta.db_table, columns, make


def _csv_rows(path: str, limit: int | None = None):
    with open(path, newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        next(reader)
        for i, row in enumerate(reader):
            if limit is not None and i >= limit:
                break
            yield row


def step_raw_sqlite(path: str) -> dict:
    """Peer: stdlib sqlite3.executemany of the same rows into the same (migrated, indexed) table."""
    django_for("sqlite:peer-sqlite", fresh=True)
    reference_data()
    import sqlite3

    from django.conf import settings

    table, columns, make = _dossier_columns()
    connection = sqlite3.connect(settings.DATABASES["default"]["NAME"])
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    began = time.perf_counter()
    with connection:
        connection.executemany(sql, (make(c) for c in _csv_rows(path)))
    seconds = time.perf_counter() - began
    rows = connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    connection.close()
    return {"seconds": seconds, "rows": rows, "rows_per_s": rows / seconds}


def step_pg_copy(path: str) -> dict:
    """Peer: PostgreSQL COPY into the same (migrated, indexed) table — once streaming the CSV through
    the same code-to-id conversion, once with the rows already converted (the database's own speed)."""
    django_for("postgres:congvu_bench_copy", fresh=True)
    reference_data()
    from django.db import connection

    table, columns, make = _dossier_columns()
    copy_sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
    connection.ensure_connection()
    raw = connection.connection
    raw.autocommit = False
    began = time.perf_counter()
    with raw.cursor() as cursor, cursor.copy(copy_sql) as copy:
        for cells in _csv_rows(path):
            copy.write_row(make(cells))
    raw.commit()
    streamed = time.perf_counter() - began
    with raw.cursor() as cursor:
        rows = cursor.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        # The same rows as PostgreSQL text, prepared outside the timing, then COPY alone.
        prepared = DATA / "dossiers-copy.tsv"
        with (
            prepared.open("wb") as out,
            cursor.copy(f"COPY {table} ({', '.join(columns)}) TO STDOUT") as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        cursor.execute(f"TRUNCATE {table} CASCADE")  # a fresh database: nothing else to lose
    raw.commit()
    began = time.perf_counter()
    with raw.cursor() as cursor, cursor.copy(copy_sql) as copy, prepared.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            copy.write(chunk)
    raw.commit()
    pure = time.perf_counter() - began
    prepared.unlink()
    return {
        "seconds": streamed,
        "rows": rows,
        "rows_per_s": rows / streamed,
        "copy_only_seconds": pure,
        "copy_only_rows_per_s": rows / pure,
    }


def step_import_export(path: str, rows: int, bulk: bool) -> dict:
    """Peer: django-import-export importing a slice of the same dossier file into SQLite."""
    django_for(f"sqlite:peer-iex-{'bulk' if bulk else 'plain'}", fresh=True)
    reference_data()
    _calendar()
    import tablib
    from import_export import fields, resources, widgets

    from benchmarks import generate as g
    from congvu.org.models import Field, Official, Unit
    from congvu.registers.models import Dossier

    class CrossWidget(widgets.BooleanWidget):
        def clean(self, value, row=None, **kwargs):
            return value == "x"

    def date_field(attribute, header):
        return fields.Field(attribute=attribute, column_name=header, widget=widgets.DateWidget("%d/%m/%Y"))

    class DossierResource(resources.ModelResource):
        source = fields.Field(attribute="source", column_name="source")
        external_code = fields.Field(attribute="external_code", column_name="Mã hồ sơ")
        unit = fields.Field(
            attribute="unit", column_name="Đơn vị", widget=widgets.ForeignKeyWidget(Unit, "code")
        )
        field = fields.Field(
            attribute="field", column_name="Lĩnh vực", widget=widgets.ForeignKeyWidget(Field, "code")
        )
        procedure = fields.Field(attribute="procedure", column_name="Thủ tục")
        handler = fields.Field(
            attribute="handler", column_name="Người xử lý", widget=widgets.ForeignKeyWidget(Official, "code")
        )
        received_on = date_field("received_on", "Ngày tiếp nhận")
        due_on = date_field("due_on", "Hạn xử lý")
        completed_on = date_field("completed_on", "Ngày hoàn thành")
        returned_on = date_field("returned_on", "Ngày trả kết quả")
        status = fields.Field(attribute="status", column_name="Trạng thái")
        apology_slip = fields.Field(
            attribute="apology_slip", column_name="Phiếu xin lỗi", widget=CrossWidget()
        )

        class Meta:
            model = Dossier
            import_id_fields = ("source", "external_code")
            fields = (
                "source", "external_code", "unit", "field", "procedure", "handler", "received_on",
                "due_on", "completed_on", "returned_on", "status", "apology_slip",
            )  # fmt: skip
            use_bulk = bulk
            batch_size = 1000

    dataset = tablib.Dataset(headers=["source", *g.DOSSIER_HEADER])
    for cells in _csv_rows(path, limit=rows):
        dataset.append(["iex", *cells])
    began = time.perf_counter()
    result = DossierResource().import_data(dataset, dry_run=False, raise_errors=True)
    seconds = time.perf_counter() - began
    stored = Dossier.objects.count()
    return {
        "seconds": seconds,
        "rows": stored,
        "rows_per_s": stored / seconds,
        "errors": result.has_errors() or result.has_validation_errors(),
    }


def step_polars(dossiers: str, tasks: str, as_of: str, calendar_db: str) -> dict:
    """Peer: polars computing the same buckets and lateness per unit from the CSVs (read included),
    with the same ordinal table (read from the benchmark database before the clock starts)."""
    import json
    import sqlite3

    import polars as pl

    with sqlite3.connect(calendar_db) as conn:
        table = conn.execute("SELECT date, ordinal FROM workdays_workdayordinal").fetchall()
    calendar = pl.DataFrame(
        {"day": [date.fromisoformat(d) for d, _ in table], "ordinal": [o for _, o in table]},
        schema={"day": pl.Date, "ordinal": pl.Int32},
    )
    day = date.fromisoformat(as_of)
    day_ordinal = dict(table)[as_of]

    def buckets(path: str, unit: str, received: str, due: str, completed: str) -> pl.DataFrame:
        frame = pl.read_csv(path, columns=[unit, received, due, completed], infer_schema=False).select(
            pl.col(unit).alias("unit"),
            *(pl.col(c).str.to_date("%d/%m/%Y", strict=False).alias(n) for c, n in (
                (received, "received"), (due, "due"), (completed, "completed"))),
        )  # fmt: skip
        frame = frame.filter(pl.col("received") <= day)
        frame = frame.join(calendar.rename({"day": "due", "ordinal": "ord_due"}), on="due", how="left").join(
            calendar.rename({"day": "completed", "ordinal": "ord_completed"}), on="completed", how="left"
        )
        done = pl.col("completed").is_not_null() & (pl.col("completed") <= day)
        has_due = pl.col("due").is_not_null()
        on_time = done & has_due & (pl.col("completed") <= pl.col("due"))
        done_late = done & has_due & (pl.col("completed") > pl.col("due"))
        overdue = ~done & has_due & (pl.col("due") < day)
        lateness = (
            pl.when(done_late)
            .then(pl.col("ord_completed") - pl.col("ord_due"))
            .when(overdue)
            .then(day_ordinal - pl.col("ord_due"))
        )
        return (
            frame.with_columns(lateness.alias("late"))
            .group_by("unit")
            .agg(
                pl.len().alias("total"),
                on_time.sum().alias("done_on_time"),
                done_late.sum().alias("done_late"),
                (~done & has_due & (pl.col("due") >= day)).sum().alias("open_in_time"),
                overdue.sum().alias("open_overdue"),
                (~has_due).sum().alias("no_deadline"),
                pl.col("late").mean().alias("late_days_mean"),
                pl.col("late").median().alias("late_days_median"),
                pl.col("late").max().alias("late_days_max"),
            )
            .sort("unit")
        )

    began = time.perf_counter()
    d = buckets(dossiers, "Đơn vị", "Ngày tiếp nhận", "Hạn xử lý", "Ngày hoàn thành")
    t = buckets(tasks, "Đơn vị chủ trì", "Ngày nhận", "Hạn hoàn thành", "Ngày hoàn thành")
    seconds = time.perf_counter() - began
    (DATA / "metrics-polars.json").write_text(
        json.dumps({"dossiers": d.to_dicts(), "tasks": t.to_dicts()}, ensure_ascii=False, default=str)
    )
    return {
        "seconds": seconds,
        "units": d.height,
        "dossiers": int(d["total"].sum()),
        "tasks": int(t["total"].sum()),
    }


STEPS = {
    "generate": step_generate,
    "setup": step_setup,
    "import": step_import,
    "metrics": step_metrics,
    "evaluation": step_evaluation,
    "raw_sqlite": step_raw_sqlite,
    "pg_copy": step_pg_copy,
    "import_export": step_import_export,
    "polars": step_polars,
}
