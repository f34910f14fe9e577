"""Seeded rows (data migrations) survive the transactional browser tests that run before this module."""

import pytest

from congvu.org.models import Field
from congvu.workdays.models import CalendarDay, WorkdayOrdinal


@pytest.mark.django_db
def test_seeded_rows_are_present():
    assert WorkdayOrdinal.objects.exists()
    assert CalendarDay.objects.exists()
    assert Field.objects.exists()
