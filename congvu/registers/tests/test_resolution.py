"""The importer's in-memory resolution of who was in charge agrees with the org selector's rule."""

from datetime import date, timedelta

import pytest

from congvu.org.selectors import official_in_charge
from congvu.registers.validation import Lookups

pytestmark = pytest.mark.django_db


def test_in_memory_resolution_matches_official_in_charge(org):
    lookups = Lookups()
    units = [org.unit, org.other, org.old]
    fields = [None, org.construction, org.land]
    day = date(2023, 12, 25)
    checked = 0
    while day <= date(2026, 1, 10):
        for unit in units:
            for field in fields:
                official, how = official_in_charge(unit.pk, field.pk if field else None, day)
                assert lookups.in_charge(unit.pk, field.pk if field else None, day.isoformat()) == (
                    official.pk if official else None,
                    how,
                ), (unit, field, day)
                checked += 1
        day += timedelta(days=9)
    assert checked > 700
