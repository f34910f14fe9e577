"""The rollups of settled records (`congvu.registers.rollups`) give exactly the live figures.

Random registers — open records, records completed after the report date, late ones, records without a
deadline, records completed before their receipt, dates outside the calendar — compared as of many
report dates (month starts and ends, before and after the data) with and without the rollups, per
unit and in one row, on SQLite and PostgreSQL alike (the same test runs on both)."""

import random
from datetime import date, timedelta

import pytest
from django.db.models import F

from congvu.metrics.cache import data_version_bump
from congvu.metrics.engine import compute_buckets
from congvu.metrics.tests.conftest import CALENDAR_LAST, _dossier, _task
from congvu.registers import rollups
from congvu.registers.models import Dossier, RegisterRollup, Task

pytestmark = pytest.mark.django_db

FIRST = date(2024, 10, 1)
REPORT_DATES = [
    date(2024, 9, 30),  # before every record
    date(2024, 11, 1),
    date(2024, 12, 31),
    date(2025, 1, 1),
    date(2025, 2, 14),
    date(2025, 4, 30),
    date(2025, 5, 5),
    date(2025, 6, 1),
    date(2025, 8, 31),
    date(2025, 12, 31),
    date(2026, 1, 31),  # the calendar's last day
    date(2026, 6, 30),  # after it: lateness unknown
]


def _random_dates(rng: random.Random) -> tuple[date, date | None, date | None]:
    received = FIRST + timedelta(days=rng.randrange(300))
    due = None if rng.random() < 0.1 else received + timedelta(days=rng.randint(-2, 40))
    roll = rng.random()
    if roll < 0.25:
        completed = None
    elif roll < 0.30:
        completed = received - timedelta(days=rng.randint(1, 20))  # before its receipt (invalid data)
    elif roll < 0.34:
        completed = CALENDAR_LAST + timedelta(days=rng.randint(1, 90))  # outside the calendar
    else:
        completed = received + timedelta(days=rng.randint(0, 70))
    return received, due, completed


@pytest.fixture
def registers(personas, calendar):
    from congvu.org.models import Field

    rng = random.Random(20251231)
    units = [personas.unit, personas.other_unit]
    fields = list(Field.objects.all()[:3])
    for i in range(260):
        received, due, completed = _random_dates(rng)
        _dossier(rng.choice(units), f"HS-{i}", rng.choice(fields), received, due, completed)
    for i in range(160):
        received, due, completed = _random_dates(rng)
        _task(rng.choice(units), f"NV-{i}", received, due, completed)
    for register in ("tasks", "dossiers"):
        data_version_bump(register=register)
        rollups.rollup_rebuild(register=register)
    return units


def _both(register: str, as_of: date, by: str | None) -> tuple[list, list]:
    model = Task if register == "tasks" else Dossier
    kwargs = {"register": register, "as_of": as_of, "by": by, "with_total": by is not None}
    rolled = compute_buckets(records=model.objects.all(), **kwargs)
    live = compute_buckets(records=model.objects.all(), rollups=False, **kwargs)
    return rolled, live


@pytest.mark.parametrize("register", ["tasks", "dossiers"])
def test_rollups_give_the_live_figures_on_random_registers(registers, register, monkeypatch):
    used = []
    read = rollups.rollup_rows
    monkeypatch.setattr(rollups, "rollup_rows", lambda *a: used.append(a) or read(*a))
    assert RegisterRollup.objects.filter(register=register).exists()
    for as_of in REPORT_DATES:
        for by in ("unit", None):
            rolled, live = _both(register, as_of, by)
            assert rolled == live, (as_of, by)
    # The rollups were read for every comparison, and stood for most records at the later dates.
    assert len(used) == 2 * len(REPORT_DATES)
    settled = rollups.rollup_rows(register, date(2025, 12, 1))
    total = sum(n for _unit, _outcome, _days, n in settled)
    model = Task if register == "tasks" else Dossier
    assert total == model.objects.filter(rollups.settled_before_q(date(2025, 12, 1))).count()
    assert total > model.objects.count() / 2
    # Every kind of settled record is there: on time, late, without a deadline; and, settled after the
    # calendar's last day, late by an unknown number of working days.
    outcomes = {(outcome, days is None) for _unit, outcome, days, _n in settled}
    assert {("t", True), ("l", False), ("n", True)} <= outcomes
    later = rollups.rollup_rows(register, date(2026, 6, 1))
    assert any(outcome == "l" and days is None for _unit, outcome, days, _n in later)


def test_late_figures_are_not_trivially_equal(registers):
    """The comparison above compares real figures: late records, open overdue ones, unknown lateness."""
    (row,) = compute_buckets(register="dossiers", records=Dossier.objects.all(), as_of=date(2025, 6, 30))
    assert row["done_late"] > 0 and row["open_overdue"] > 0 and row["done_on_time"] > 0
    assert row["late_days_median"] is not None
    (late,) = compute_buckets(register="dossiers", records=Dossier.objects.all(), as_of=date(2026, 1, 31))
    assert late["late_days_unknown"] == 0  # completed after the calendar: still open on its last day


def test_filtered_figures_never_read_the_rollups(registers, monkeypatch):
    """Rollups hold whole units: a list with another condition is computed live (the unit scorecards'
    own comparison is in test_engine_scorecard_rollups)."""
    monkeypatch.setattr(rollups, "rollup_rows", lambda *a: pytest.fail("rollups read"))
    monkeypatch.setattr(rollups, "scorecard_rows", lambda *a: pytest.fail("rollups read"))
    unit = registers[0]
    as_of = date(2025, 6, 30)
    records = Dossier.objects.filter(unit=unit, received_on__gte=date(2025, 1, 1))
    compute_buckets(register="dossiers", records=records, as_of=as_of, by="unit")
    compute_buckets(register="dossiers", records=Dossier.objects.exclude(unit=unit), as_of=as_of, by="field")


def test_stale_rollups_are_not_read(registers):
    as_of = date(2025, 12, 31)
    assert rollups.rollup_valid("dossiers")
    # Records written without the importer's rebuild, under a new data version: the rollups are stale.
    Dossier.objects.filter(completed_on__isnull=False).update(due_on=None)
    data_version_bump(register="dossiers")
    assert not rollups.rollup_valid("dossiers")
    rolled, live = _both("dossiers", as_of, "unit")
    assert rolled == live
    assert all(row["no_deadline"] >= row["done_on_time"] == 0 for row in rolled[:-1])


def test_a_changed_calendar_makes_the_rollups_stale(registers):
    from congvu.workdays.models import WorkdayOrdinal

    assert rollups.rollup_valid("tasks")
    day = WorkdayOrdinal.objects.filter(date__gte=date(2025, 3, 3), is_working=True).order_by("date").first()
    WorkdayOrdinal.objects.filter(date__gte=day.date).update(ordinal=F("ordinal") - 1)  # one day off more
    assert not rollups.rollup_valid("tasks")
    rolled, live = _both("tasks", date(2025, 12, 31), "unit")
    assert rolled == live
