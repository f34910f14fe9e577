"""The importer rebuilds the rollups of settled records in its write transaction
(`congvu.registers.rollups`), stamped with the data version it wrote."""

from datetime import date

import pytest

from congvu.metrics.engine import compute_buckets
from congvu.registers import rollups
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, RegisterRollup, RollupState
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv

pytestmark = pytest.mark.django_db


def test_an_import_rebuilds_the_rollups_in_its_transaction(personas, calendar, tmp_path):
    rows = [
        dossier("HS-1", received="06/01/2025", due="20/01/2025", completed="17/01/2025"),
        dossier("HS-2", received="06/01/2025", due="10/01/2025", completed="17/01/2025"),
        dossier("HS-3", received="06/01/2025", due="10/01/2025", completed="", returned="", status=""),
    ]
    run = import_file(
        actor="test", register="dossiers", path=write_csv(tmp_path / "a.csv", DOSSIER_HEADER, rows)
    )
    assert run.status == "stored", run.errors
    from congvu.metrics.models import DataVersion

    state = RollupState.objects.get(register="dossiers")
    assert state.data_token == DataVersion.objects.get(register="dossiers").token
    rows_by_outcome = {
        (r.outcome, r.late_days, r.settled_month): r.n
        for r in RegisterRollup.objects.filter(register="dossiers")
    }
    # HS-1 on time, HS-2 late: due Fri 10/01, completed Fri 17/01 → 13 14 15 16 17 ✓ = 5 working days;
    # HS-3 open, counted in the unit's row without a month.
    assert rows_by_outcome == {
        ("t", None, date(2025, 1, 1)): 1,
        ("l", 5, date(2025, 1, 1)): 1,
        ("o", None, None): 1,
    }
    (row,) = compute_buckets(register="dossiers", records=Dossier.objects.all(), as_of=date(2025, 3, 31))
    # HS-3 open, due 10/01: overdue by 13–24/01 (10) + Tết 27–31/01 ✗ + February (20) + March (21) = 51.
    assert (row["done_on_time"], row["done_late"], row["open_overdue"], row["late_days_max"]) == (1, 1, 1, 51)
    assert row["late_days_median"] == 28  # (5 + 51) / 2
    # Importing the same file again changes nothing: the rollups stay valid.
    again = import_file(
        actor="test", register="dossiers", path=write_csv(tmp_path / "b.csv", DOSSIER_HEADER, rows)
    )
    assert again.status == "stored"
    assert rollups.rollup_valid("dossiers")
