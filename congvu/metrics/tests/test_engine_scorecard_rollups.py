"""The unit scorecards' rollups (`ScorecardRollup`) and the ranking's, read for some units, give
exactly the live figures: a unit's summary row (stage durations, apology slips, quality, initiative)
and its official, field, month and unit tables, and the buckets of a unit or of a unit user's scope.

Random registers — open records, records completed after the report date or before their receipt,
results returned (or a task handled or advised) months after the completion, dates outside the
calendar — compared as of many report dates with and without the rollups, on SQLite and on PostgreSQL
(the same tests run on both); then again after a register edit (the rollups stale: everything live)
and after imports (the rollups updated by difference)."""

import random
from datetime import date, timedelta

import pytest

from congvu.metrics.engine import GROUPINGS, compute_buckets, compute_metrics
from congvu.metrics.tests.conftest import CALENDAR_LAST, _dossier, _task
from congvu.metrics.tests.test_engine_rollups import REPORT_DATES, _random_dates
from congvu.registers import rollups
from congvu.registers.models import Dossier, ScorecardRollup, Task

pytestmark = pytest.mark.django_db


def _later(rng: random.Random, start: date | None) -> date | None:
    """A later stage's date: none, soon after `start`, months after it, or outside the calendar."""
    if start is None or rng.random() < 0.2:
        return None
    roll = rng.random()
    if roll < 0.15:
        return start + timedelta(days=rng.randint(30, 120))  # in a later month than the completion
    if roll < 0.2:
        return CALENDAR_LAST + timedelta(days=rng.randint(1, 60))
    return start + timedelta(days=rng.randint(0, 6))


@pytest.fixture
def scored(personas, calendar):
    from congvu.metrics.cache import data_version_bump
    from congvu.org.models import Field, Official

    rng = random.Random(20261202)
    units = [personas.unit, personas.other_unit]
    fields = [*Field.objects.all()[:3], None]
    officials = [Official.objects.create(code=f"CB-{i}", full_name=f"Cán bộ {i}") for i in range(3)]
    officials.append(None)
    for i in range(300):
        received, due, completed = _random_dates(rng)
        _dossier(
            rng.choice(units),
            f"HS-{i}",
            rng.choice(fields[:3]),  # a dossier always has a field
            received,
            due,
            completed,
            handler=rng.choice(officials),
            returned_on=_later(rng, completed),
            apology_slip=rng.random() < 0.4,
        )
    for i in range(200):
        received, due, completed = _random_dates(rng)
        handled = _later(rng, received)
        _task(
            rng.choice(units),
            f"NV-{i}",
            received,
            due,
            completed,
            field=rng.choice(fields),
            responsible=rng.choice(officials),
            handled_on=handled,
            advised_on=_later(rng, handled),
            quality=rng.choice(["", "passed", "failed", "returned"]),
            returned_count=rng.randint(0, 3),
            proactive=rng.random() < 0.3,
        )
    for register in ("tasks", "dossiers"):
        data_version_bump(register=register)
        rollups.rollup_rebuild(register=register)
    return units


def _model(register: str):
    return Task if register == "tasks" else Dossier


def _scopes(units):
    """Querysets the rollups may stand for: one unit, a unit and its predecessors (as the unit
    filter writes it), every unit."""
    return [
        lambda model: model.objects.filter(unit=units[0]),
        lambda model: model.objects.filter(unit_id__in={units[0].pk, units[1].pk}),
        lambda model: model.objects.all(),
    ]


def _spy(monkeypatch) -> list:
    """Record every read of the rollups (ranking's and scorecards') and what it returned."""
    seen = []
    for name in ("rollup_rows", "scorecard_rows"):
        read = getattr(rollups, name)

        def spy(*args, _read=read, _name=name):
            rows = _read(*args)
            seen.append((_name, args, rows))
            return rows

        monkeypatch.setattr(rollups, name, spy)
    return seen


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_unit_scorecards_from_the_rollups_are_the_live_figures(scored, register, monkeypatch):
    seen = _spy(monkeypatch)
    model = _model(register)
    for as_of in REPORT_DATES:
        for scope in _scopes(scored):
            for by in (None, *GROUPINGS):
                kwargs = {"register": register, "as_of": as_of, "by": by}
                rolled = compute_metrics(records=scope(model), **kwargs)
                assert rolled == compute_metrics(records=scope(model), rollups=False, **kwargs), (as_of, by)
                rolled = compute_buckets(records=scope(model), **kwargs)
                assert rolled == compute_buckets(records=scope(model), rollups=False, **kwargs), (as_of, by)
    # Every comparison read the rollups, and at the later dates they stood for most of the records.
    assert len(seen) == len(REPORT_DATES) * 3 * (1 + len(GROUPINGS)) * 2
    detail = [rows for name, args, rows in seen if name == "scorecard_rows" and args[1] == date(2025, 12, 1)]
    assert detail and all(rows for rows in detail)
    whole = [
        rows
        for name, args, rows in seen
        if name == "scorecard_rows" and args[1:] == (date(2026, 6, 1), None, None)
    ]
    assert len(whole) == 1 and sum(row[3] for row in whole[0]) > model.objects.count() / 2


def test_the_scorecard_figures_compared_are_not_trivial(scored):
    """The figures compared above are real: stage means, apology slips, quality, initiative, late
    records of every kind, the stages that end months after the completion."""
    (row,) = compute_metrics(register="dossiers", records=Dossier.objects.all(), as_of=date(2025, 12, 31))
    assert row["receipt_to_completion_mean"] is not None and row["completion_to_return_mean"] is not None
    assert row["late_with_apology"] > 0 and row["done_late"] > 0 and row["open_overdue"] > 0
    (task,) = compute_metrics(register="tasks", records=Task.objects.all(), as_of=date(2025, 12, 31))
    assert task["quality_passed"] and task["proactive_count"] and task["returned_total"]
    assert task["handling_to_advice_mean"] is not None
    # Records whose result came back in a later month than their completion: settled for the
    # scorecard only in that later month.
    month = date(2025, 6, 1)
    late_return = Dossier.objects.filter(
        completed_on__lt=month, received_on__lt=month, returned_on__gte=month
    )
    assert late_return.exists()
    assert Dossier.objects.filter(rollups.scorecard_live_q("dossiers", month)).count() > (
        Dossier.objects.exclude(rollups.settled_before_q(month)).count()
    )


def test_a_wrong_rollup_row_changes_the_figures(scored):
    """The comparison can fail: one stage sum off by one day in the rollups shows in the figures."""
    as_of = date(2025, 12, 31)
    records = Dossier.objects.filter(unit=scored[0])
    before = compute_metrics(register="dossiers", records=records, as_of=as_of)
    row = ScorecardRollup.objects.filter(register="dossiers", dim="s", unit_id=scored[0].pk).first()
    row.receipt_to_completion_sum += 100
    row.save()
    assert compute_metrics(register="dossiers", records=records, as_of=as_of) != before
    assert compute_metrics(register="dossiers", records=records, as_of=as_of, rollups=False) == before


def test_other_conditions_never_read_the_rollups(scored, monkeypatch):
    for name in ("rollup_rows", "scorecard_rows"):
        monkeypatch.setattr(rollups, name, lambda *a: pytest.fail("rollups read"))
    as_of = date(2025, 6, 30)
    field = Dossier.objects.exclude(field=None).values_list("field_id", flat=True).first()
    for records in (
        Dossier.objects.filter(field_id=field),
        Dossier.objects.filter(unit=scored[0], received_on__gte=date(2025, 1, 1)),
        Dossier.objects.exclude(unit=scored[0]),
        Dossier.objects.filter(unit=scored[0]).exclude(handler=None),
    ):
        compute_metrics(register="dossiers", records=records, as_of=as_of, by="month")
        compute_buckets(register="dossiers", records=records, as_of=as_of, by="unit")


def test_after_a_register_edit_the_figures_stay_the_live_ones(scored):
    """A register edit bumps the data version without touching the rollups: they are stale, not read,
    and the figures are still exactly the live ones."""
    from congvu.metrics.cache import data_version_bump

    as_of = date(2025, 12, 31)
    records = Dossier.objects.filter(unit=scored[0])
    Dossier.objects.filter(unit=scored[0], completed_on__lt=date(2025, 3, 1)).update(returned_on=None)
    data_version_bump(register="dossiers")
    assert not rollups.rollup_valid("dossiers")
    for by in (None, "official", "month"):
        rolled = compute_metrics(register="dossiers", records=records, as_of=as_of, by=by)
        assert rolled == compute_metrics(
            register="dossiers", records=records, as_of=as_of, by=by, rollups=False
        )


@pytest.mark.parametrize("detail", [True, False])
def test_a_units_live_part_is_read_through_its_settle_index(scored, detail):
    """The live part of a unit's figures filters on the same expression `dossier_unit_settle_idx`
    indexes (`settle_on`): change one without the other and the database no longer reads the unit's
    live records as one range of that index, but scans all of them. Asked of each database's planner,
    the unit's other indexes dropped for the question (and put back: DDL is transactional in both),
    as the test table is too small for an index to win on its merits."""
    from django.db import connection, transaction

    records = Dossier.objects.filter(unit=scored[0])
    live = rollups.unit_live_part(records, "dossiers", date(2025, 12, 1), detail=detail)
    sql, params = live.order_by().values("received_on", "due_on", "completed_on").query.sql_with_params()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP INDEX dossier_metrics_idx")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(f"EXPLAIN {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = "\n".join(str(row[-1]) for row in cursor.fetchall())
        transaction.set_rollback(True)
    if connection.vendor == "postgresql":
        # The range is on the expression (an Index Cond, not a filter over the unit's entries), and
        # every column the engine reads is in the index.
        assert "Index Only Scan using dossier_unit_settle_idx" in plan, plan
        assert "Index Cond: ((unit_id = " in plan and "END) >= " in plan.split("Index Cond:")[1], plan
    else:
        assert "USING INDEX dossier_unit_settle_idx (unit_id=? AND <expr>>?)" in plan, plan
