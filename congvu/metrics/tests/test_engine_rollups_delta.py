"""An import brings the rollups up to date by the difference it makes (`RollupDelta`), not by a
rebuild over the whole register — and the result is exactly a full `rollup_rebuild`'s: records moved
to another unit or month by a re-import, new ones, unchanged ones; a register written without the
importer (its data version bumped) or a changed calendar still get a full rebuild. Runs on SQLite and
on PostgreSQL (DATABASE_URL)."""

import random
from datetime import date, timedelta
from unittest import mock

import pytest

from congvu.metrics.cache import data_version_bump
from congvu.registers import imports, rollups
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, RegisterRollup, ScorecardRollup
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv

pytestmark = pytest.mark.django_db

UNITS = ("T-SXD", "T-STP")


def _d(code, unit="T-SXD", received="06/01/2025", due="20/01/2025", completed="17/01/2025", **extra):
    status = "Đã trả kết quả" if completed else ""
    extra.setdefault("returned", completed)
    return dossier(code, unit=unit, received=received, due=due, completed=completed, status=status, **extra)


def _rows():
    return sorted(
        RegisterRollup.objects.filter(register="dossiers").values_list(
            "unit_id", "settled_month", "outcome", "late_days", "n"
        ),
        key=repr,
    )


def _detail():
    """The unit scorecards' rollup rows, every column but the id."""
    columns = [f.attname for f in ScorecardRollup._meta.fields if f.attname != "id"]
    return sorted(ScorecardRollup.objects.filter(register="dossiers").values_list(*columns), key=repr)


def _full(read=_rows):
    """The rollups as a full rebuild makes them (the rebuild is undone: a savepoint)."""
    from django.db import transaction

    sid = transaction.savepoint()
    try:
        rollups.rollup_rebuild(register="dossiers")
        return read()
    finally:
        transaction.savepoint_rollback(sid)


def _import(tmp_path, name, rows):
    rebuild = mock.Mock(wraps=rollups.rollup_rebuild)
    with (
        mock.patch.object(imports, "rollup_rebuild", rebuild),
        mock.patch.object(rollups, "rollup_rebuild", rebuild),
    ):
        run = import_file(
            actor="test", register="dossiers", path=write_csv(tmp_path / name, DOSSIER_HEADER, rows)
        )
    assert run.status == "stored", run.errors
    return run, rebuild.call_count


def test_a_record_moved_to_another_unit_and_month_by_a_reimport(personas, calendar, tmp_path):
    first = [
        _d("HS-1", unit="T-SXD", received="06/01/2025", due="10/01/2025", completed="17/01/2025"),
        _d("HS-2", unit="T-SXD", received="06/01/2025", due="20/01/2025", completed="17/01/2025"),
        _d("HS-3", unit="T-STP", received="03/02/2025", due="", completed="10/02/2025"),
        _d("HS-4", unit="T-SXD", received="06/01/2025", completed=""),
    ]
    _run, rebuilt = _import(tmp_path, "a.csv", first)
    assert rebuilt == 1  # no rollups yet: built in full
    before = _rows()
    assert before == _full() and len(before) == 4  # HS-4 open: the unit's row without a month
    second = [
        # HS-1 moves to the other unit, and now completes in March, on time
        _d("HS-1", unit="T-STP", received="06/01/2025", due="10/03/2025", completed="04/03/2025"),
        first[1],  # unchanged
        _d("HS-3", unit="T-STP", received="03/02/2025", due="", completed=""),  # reopened
        _d("HS-4", unit="T-SXD", received="06/01/2025", due="20/01/2025", completed="24/01/2025"),
        _d("HS-5", unit="T-STP", received="02/06/2025", due="20/06/2025", completed="30/06/2025"),
    ]
    run, rebuilt = _import(tmp_path, "b.csv", second)
    assert (run.created_count, run.updated_count, run.unchanged_count) == (1, 3, 1)
    assert rebuilt == 0  # the difference only
    after = _rows()
    assert after == _full()
    assert after != before
    sxd, stp = personas.unit.pk, personas.other_unit.pk
    by_unit = {(unit, month, outcome) for unit, month, outcome, _days, _n in after}
    assert (stp, date(2025, 3, 1), "t") in by_unit  # HS-1 in its new unit and month
    assert not any(unit == stp and outcome == "n" for unit, _m, outcome, _d, _n in after)  # HS-3 open
    assert (stp, None, "o", None, 1) in after and not any(u == sxd and o == "o" for u, _m, o, _d, _n in after)
    assert (sxd, date(2025, 1, 1), "l") in by_unit  # HS-4, late by 4 days; HS-1's old row is gone
    assert sum(n for *_rest, n in after if _rest[0] == sxd) == 2  # HS-2 and HS-4, both done
    assert rollups.rollup_valid("dossiers")


def test_a_register_written_without_the_importer_gets_a_full_rebuild(personas, calendar, tmp_path):
    _import(tmp_path, "a.csv", [_d("HS-1"), _d("HS-2", unit="T-STP")])
    _run, rebuilt = _import(tmp_path, "b.csv", [_d("HS-3")])
    assert rebuilt == 0
    data_version_bump(register="dossiers")  # what a register edit does: the rollups are stale
    _run, rebuilt = _import(tmp_path, "c.csv", [_d("HS-4", completed="24/01/2025")])
    assert rebuilt == 1
    assert _rows() == _full()
    with mock.patch.object(rollups, "calendar_fingerprint", return_value="another calendar"):
        _run, rebuilt = _import(tmp_path, "d.csv", [_d("HS-5")])
    assert rebuilt == 1


def test_rollups_that_do_not_match_the_records_are_rebuilt_not_made_negative(personas, calendar, tmp_path):
    _import(tmp_path, "a.csv", [_d("HS-1"), _d("HS-2")])
    RegisterRollup.objects.filter(register="dossiers").delete()  # without a new data version
    _run, rebuilt = _import(tmp_path, "b.csv", [_d("HS-1", unit="T-STP")])
    assert rebuilt == 1
    assert _rows() == _full() and _rows()


def _random_row(rng: random.Random, code: str) -> list[str]:
    received = date(2024, 11, 1) + timedelta(days=rng.randrange(300))
    due = "" if rng.random() < 0.1 else f"{received + timedelta(days=rng.randint(0, 40)):%d/%m/%Y}"
    completed = None if rng.random() < 0.2 else received + timedelta(days=rng.randint(0, 70))
    done = f"{completed:%d/%m/%Y}" if completed else ""
    # The result returned soon, or a month or more after the completion (settled later for the
    # unit scorecard), or not yet.
    returned = completed and completed + timedelta(days=rng.choice([0, 1, 3, 35, 80]))
    return _d(
        code,
        unit=rng.choice(UNITS),
        received=f"{received:%d/%m/%Y}",
        due=due,
        completed=done,
        returned=f"{returned:%d/%m/%Y}" if returned and rng.random() < 0.9 else "",
        apology="x" if rng.random() < 0.3 else "",
    )


def _figures_are_live(as_of: date) -> None:
    """The engine's figures from the rollups equal the live ones: a unit's scorecard in every
    grouping, and the ranking's buckets."""
    from congvu.metrics.engine import GROUPINGS, compute_buckets, compute_metrics
    from congvu.org.models import Unit

    unit = Unit.objects.get(code=UNITS[0])
    for records in (Dossier.objects.filter(unit=unit), Dossier.objects.all()):
        for by in (None, *GROUPINGS):
            kwargs = {"register": "dossiers", "records": records, "as_of": as_of, "by": by}
            assert compute_metrics(**kwargs) == compute_metrics(rollups=False, **kwargs), (as_of, by)
        kwargs = {"register": "dossiers", "records": records, "as_of": as_of, "by": "unit"}
        assert compute_buckets(**kwargs) == compute_buckets(rollups=False, **kwargs), as_of


def test_random_imports_keep_the_rollups_equal_to_a_full_rebuild(personas, calendar, tmp_path):
    rng = random.Random(20261201)
    codes = [f"HS-{i}" for i in range(150)]
    _import(tmp_path, "0.csv", [_random_row(rng, code) for code in codes[:80]])
    for round_ in range(1, 5):
        chosen = rng.sample(codes, 60)  # some known (changed or not), some new
        rows = [_random_row(rng, code) if rng.random() < 0.7 else None for code in chosen]
        run, rebuilt = _import(
            tmp_path, f"{round_}.csv", [row for row in rows if row] or [_random_row(rng, "X")]
        )
        assert rebuilt == 0
        assert _rows() == _full(), f"round {round_}"
        assert _detail() == _full(_detail), f"round {round_}"
        assert rollups.rollup_valid("dossiers")
        for as_of in (date(2025, 3, 31), date(2025, 8, 15), date(2026, 1, 31)):
            _figures_are_live(as_of)
        assert run.created_count + run.updated_count


def test_the_calendar_fingerprint_is_every_date_with_its_ordinal_in_order(calendar):
    """The same digest on both databases: MD5 of "date=ordinal" in date order, comma-separated. A
    single ordinal moved gives another one."""
    import hashlib

    from congvu.workdays.models import WorkdayOrdinal

    rows = WorkdayOrdinal.objects.order_by("date").values_list("date", "ordinal")
    text = ",".join(f"{day.isoformat()}={ordinal}" for day, ordinal in rows)
    assert len(rows) > 300
    assert rollups.calendar_fingerprint() == hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
    last = WorkdayOrdinal.objects.order_by("date").last()
    WorkdayOrdinal.objects.filter(date=last.date).update(ordinal=last.ordinal + 1)
    assert rollups.calendar_fingerprint() != hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()
