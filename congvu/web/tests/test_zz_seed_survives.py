"""Seeded rows (data migrations) survive the transactional and browser tests that run before this one.

Those tests flush the database when they end; congvu/conftest.py puts the seeded rows back right
after the flush (and serialized rollback at the start of the next transactional test, if that did not
happen), so that any test the process runs next finds them — unless something broke it (a browser
test once left the main thread with a connection that no longer carried the serialized rows). So
this check is itself a transactional test (the collection hook gives it serialized rollback), and
the `last` marker makes the collection hook put it after every other test: in `make test`'s
`pytest -n 2 --dist loadfile --no-loadscope-reorder` its file is the last one handed out, so it runs
after every test of its process, browser and transactional tests included."""

import pytest

from congvu.org.models import Field
from congvu.workdays.models import CalendarDay, WorkdayOrdinal

pytestmark = [pytest.mark.last, pytest.mark.django_db(transaction=True)]


def test_seeded_rows_are_present_after_the_transactional_and_browser_tests():
    assert WorkdayOrdinal.objects.exists()
    assert CalendarDay.objects.filter(document_number="8726/VPCP-KGVX").exists()  # decisions for 2025
    assert Field.objects.filter(code="xay-dung").exists()


def test_the_restored_rows_are_exactly_the_serialized_ones():
    """The batched restore of congvu/conftest.py puts back every serialized row with every value
    (no auto_now stamping, nothing missing, nothing extra): serializing again gives the same text."""
    from django.db import connection

    contents = connection._test_serialized_contents
    assert '"model": "workdays.workdayordinal"' in contents
    assert connection.creation.serialize_db_to_string() == contents
