"""An import that writes many rows leaves query-planner statistics (SQLite keeps none unless asked;
PostgreSQL's autovacuum may be late), so a list page reads its rows by their keys, not through every
record of the user's units."""

import pytest
from django.db import connection

from congvu.registers.imports import import_file
from congvu.registers.models import Dossier
from congvu.registers.staging import ANALYZE_ROWS
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv

pytestmark = pytest.mark.django_db


def _statistics() -> list:
    """SQLite's statistics of the dossier register (PostgreSQL's are checked through the plan)."""
    if connection.vendor != "sqlite":
        return ["postgresql"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name = 'sqlite_stat1'")
        if not cursor.fetchall():
            return []
        cursor.execute("SELECT idx FROM sqlite_stat1 WHERE tbl = 'registers_dossier'")
        return [row[0] for row in cursor.fetchall()]


def test_a_large_import_leaves_statistics_and_the_planner_reads_rows_by_key(org, tmp_path):
    small = [dossier(f"SMALL-{i}", unit="T-SXD") for i in range(5)]
    import_file(actor="test", register="dossiers", path=write_csv(tmp_path / "s.csv", DOSSIER_HEADER, small))
    if connection.vendor == "sqlite":
        assert _statistics() == []  # a small import does not pay for them

    rows = [dossier(f"ST-{i}", unit=("T-SXD", "T-STP")[i % 2]) for i in range(ANALYZE_ROWS)]
    run = import_file(
        actor="test", register="dossiers", path=write_csv(tmp_path / "l.csv", DOSSIER_HEADER, rows)
    )
    assert run.status == "stored", run.errors

    assert _statistics()
    with connection.cursor() as cursor:
        explain = "EXPLAIN QUERY PLAN" if connection.vendor == "sqlite" else "EXPLAIN"
        units = tuple(Dossier.objects.order_by("unit_id").values_list("unit_id", flat=True).distinct())
        keys = tuple(Dossier.objects.order_by("-pk").values_list("pk", flat=True)[:2])
        cursor.execute(
            f"{explain} SELECT id FROM registers_dossier WHERE unit_id IN (%s, %s) AND id IN (%s, %s)",
            [*units, *keys],
        )
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "PRIMARY KEY" in plan or "registers_dossier_pkey" in plan, plan
