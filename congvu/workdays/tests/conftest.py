import pytest


@pytest.fixture(autouse=True)
def _calendar(request):
    """Migration 0003 loads the official decisions and builds the table; a transactional test run
    earlier in the same process may have flushed them, so put them back when they are missing."""
    if not (request.node.get_closest_marker("django_db") or "db" in request.fixturenames):
        return
    request.getfixturevalue("db")
    from congvu.workdays.models import WorkdayOrdinal
    from congvu.workdays.services import calendar_official_load, calendar_rebuild

    if not WorkdayOrdinal.objects.exists():
        calendar_official_load(actor="test")
        calendar_rebuild(actor="test")


@pytest.fixture
def admin(db):
    """One admin account (the full `personas` set costs seconds of password hashing)."""
    from congvu.conftest import make_user

    return make_user("w-admin", "admin")
