"""Shared fixtures: personas for every role plus an outsider from another unit (STYLE §8)."""

import os
from dataclasses import dataclass

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PASSWORD = "congvu-test-pw-9"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """Test connections close at the end of each request, as before persistent connections became the
    default (CONN_MAX_AGE, settings): a live server's request threads keep no connection open after
    their request. (CI's PostgreSQL run still warns that one worker's test database is in use at
    teardown, with or without this: the cause is not found yet.)"""
    from django.db import connections

    for alias in connections:
        connections[alias].settings_dict["CONN_MAX_AGE"] = 0


@pytest.fixture(scope="session", autouse=True)
def _plain_http():
    """Tests talk plain HTTP to the test client and to the live server, whose middleware is built
    once per session: override before it starts. Passwords are hashed with a fast hasher for the
    whole suite: every persona fixture creates ten users, and PBKDF2 costs ~0.3 s each."""
    from django.test import override_settings

    with override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        SECURE_SSL_REDIRECT=False,
        SESSION_COOKIE_SECURE=False,
        CSRF_COOKIE_SECURE=False,
        SECURE_HSTS_SECONDS=0,
    ):
        yield


@pytest.fixture(autouse=True)
def _second_factor_passed_at_sign_in(request):
    """Privileged personas signed in by force_login or the login form count as verified by their
    second factor, except in tests marked `second_factor` (congvu/accounts/testing.py says how)."""
    if request.node.get_closest_marker("second_factor"):
        yield
        return
    from congvu.accounts.testing import sessions_pass_second_factor

    with sessions_pass_second_factor():
        yield


_serialized_contents: dict[str, str] = {}


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Keep serialized rollback working after a browser test. Django restores the seeded rows of a
    transactional test from `connection._test_serialized_contents`, set once on the connection
    wrapper that created the test database; Playwright's event loop leaves the main thread with a new
    wrapper without it, and Django then silently skips the restore. Remember the contents while they
    are there and put them back on a wrapper that lost them."""
    if item.get_closest_marker("transactional") is None:
        return
    from django.db import connections

    for alias in connections:
        connection = connections[alias]
        contents = getattr(connection, "_test_serialized_contents", None)
        if contents is not None:
            _serialized_contents[alias] = contents
        elif alias in _serialized_contents:
            connection._test_serialized_contents = _serialized_contents[alias]


# Per database alias: the seeded rows are in the database as serialized (the database was just
# created, or restored after the last transactional test, and only rolled-back tests ran since).
_seed_intact: dict[str, bool] = {}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """Before the flush that ends the test, as at setup: Django inhibits post_migrate there only
    when the wrapper carries the contents; otherwise content types and permissions are recreated and
    the next restore collides with them.

    After the flush, the seeded rows go back at once, so that the database is again as migrated for
    whatever test the process runs next: transactional tests share the parallel run with the others
    (`make test` is one `pytest -n 2`), and a rolled-back test after them must still find the
    calendar, the fields and the templates. `web/tests/test_zz_seed_survives.py` checks the result."""
    pytest_runtest_setup(item)
    try:
        return (yield)
    finally:
        # After the last test (nextitem None) the session's fixtures are gone, the database too.
        if item.get_closest_marker("transactional") is not None and nextitem is not None:
            _restore_seeded_rows(item.config)


def _forget_planner_statistics(connection):
    """SQLite's planner statistics (ANALYZE, which a large import runs) are no model either: a
    migrated database has none, and tests check that a small import leaves none."""
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT name FROM sqlite_master WHERE name IN ('sqlite_stat1', 'sqlite_stat4')")
        for (table,) in cursor.fetchall():
            cursor.execute(f"DELETE FROM {table}")  # noqa: S608 (one of two fixed names)


def _restore_seeded_rows(config):
    """The seeded rows back, and what the flush leaves of the test emptied: the database cache's
    table is no model (its entries are keyed on rows that are gone), nor are SQLite's statistics."""
    from django.core.cache import caches
    from django.db import connections
    from pytest_django.plugin import blocking_manager_key

    with config.stash[blocking_manager_key].unblock():
        for cache in caches.all():
            cache.clear()
        for alias in connections:
            connection = connections[alias]
            contents = getattr(connection, "_test_serialized_contents", None) or _serialized_contents.get(
                alias
            )
            if contents is None or connection.in_atomic_block:
                continue
            connection.creation.deserialize_db_from_string(contents)
            _forget_planner_statistics(connection)
            _seed_intact[alias] = True


_restore_plans: dict[str, tuple[str, dict | None]] = {}


def _restore_plan(creation, data: str) -> dict | None:
    """The serialized seed rows parsed once per database: model → instances, in the serialized order.
    None when a row needs more than a plain insert (many-to-many data, deferred fields, a model
    with parents), which the row-by-row restore handles."""
    from io import StringIO

    from django.core import serializers

    alias = creation.connection.alias
    cached = _restore_plans.get(alias)
    if cached is not None and (cached[0] is data or cached[0] == data):
        return cached[1]
    plan: dict | None = {}
    for obj in serializers.deserialize("json", StringIO(data), using=alias):
        model = obj.object.__class__
        if obj.m2m_data or obj.deferred_fields or model._meta.parents:
            plan = None
            break
        plan.setdefault(model, []).append(obj.object)
    _restore_plans[alias] = (data, plan)
    return plan


def _deserialize_in_batches(original):
    """Serialized rollback, faster: Django restores the seeded rows (7,670 working-day ordinals among
    them) before every transactional test by parsing the JSON again and saving the rows one by one,
    2.3 s of CPU each time. This parses once and inserts the same rows raw, in batches, in the same
    order, constraints checked the same way. An empty database is the only case it handles (every
    restore after the first flush); otherwise it leaves the work to Django, which updates rows that
    are there. `test_zz_seed_survives` checks the result equals the serialized contents."""

    def deserialize_db_from_string(self, data):
        from django.db.transaction import atomic

        alias = self.connection.alias
        if _seed_intact.pop(alias, False):
            # Restored after the last transactional test (or never flushed): nothing to do. The
            # flag is spent: the test about to start commits, and its flush empties the database.
            return None
        plan = _restore_plan(self, data)
        if not plan or any(model._base_manager.using(alias).exists() for model in plan):
            return original(self, data)
        with atomic(using=alias):
            with self.connection.constraint_checks_disabled():
                for model, objs in plan.items():
                    fields = [f for f in model._meta.local_concrete_fields if not f.generated]
                    size = max(self.connection.ops.bulk_batch_size(fields, objs), 1)
                    for start in range(0, len(objs), size):
                        model._base_manager.using(alias)._insert(
                            objs[start : start + size], fields=fields, raw=True, using=alias
                        )
            self.connection.check_constraints(table_names=[model._meta.db_table for model in plan])

    return deserialize_db_from_string


def _mark_seed_intact(original):
    """A test database just created and serialized holds exactly the serialized rows."""

    def create_test_db(self, *args, **kwargs):
        name = original(self, *args, **kwargs)
        if getattr(self.connection, "_test_serialized_contents", None) is not None:
            _seed_intact[self.connection.alias] = True
        return name

    return create_test_db


def pytest_configure(config):
    from django.db.backends.base.creation import BaseDatabaseCreation

    BaseDatabaseCreation.deserialize_db_from_string = _deserialize_in_batches(
        BaseDatabaseCreation.deserialize_db_from_string
    )
    BaseDatabaseCreation.create_test_db = _mark_seed_intact(BaseDatabaseCreation.create_test_db)


TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


def pytest_collection_modifyitems(items):
    """Transactional tests (browser tests, tests of real commits) flush the database when they end,
    which wipes the rows that data migrations seed (calendar decisions, fields, checklist templates)
    for every later test of the same process. So they carry the `transactional` marker and serialized
    rollback, which restores the seeded rows at the start of each of them; pytest_runtest_teardown
    restores them again after each, so they run beside the others in `make test`'s one parallel run
    (`pytest -m transactional` still selects them alone)."""
    for item in items:
        marker = item.get_closest_marker("django_db")
        fixtures = set(getattr(item, "fixturenames", ()))
        if (marker and marker.kwargs.get("transaction")) or fixtures & TRANSACTIONAL_FIXTURES:
            item.add_marker(pytest.mark.transactional)
            kwargs = {**(marker.kwargs if marker else {}), "transaction": True}
            kwargs.setdefault("serialized_rollback", True)
            item.add_marker(pytest.mark.django_db(**kwargs), append=False)
    # The order is the order in which `pytest -n 2 --dist loadfile --no-loadscope-reorder` hands files
    # to the two processes: the slow files first (browser, transactional, the demo), so that the many
    # small ones even out the end. Last, the tests marked `last`: the seed guard
    # (web/tests/test_zz_seed_survives.py) checks that a transactional test following all the others
    # of its process still starts on the seeded rows. Its file name alone does not place it:
    # collection goes app by app (workdays/ sorts after web/).
    items.sort(
        key=lambda item: (
            item.get_closest_marker("last") is not None,
            not any(item.get_closest_marker(name) for name in ("browser", "transactional", "demo")),
        )
    )


@dataclass
class Personas:
    unit: object  # the unit under inspection (a department)
    other_unit: object  # another unit: its people are the outsiders
    admin: object
    inspector: object
    lead: object
    leadership: object
    focal: object
    unit_head: object
    outsider: object  # focal point of other_unit
    outsider_head: object


def make_user(username, role, unit=None, **extra):
    from congvu.accounts.services import user_create

    return user_create(
        actor="test",
        username=username,
        password=PASSWORD,
        role=role,
        unit=unit,
        full_name=extra.get("full_name", username),
        is_superuser=(role == "admin"),
    )


@pytest.fixture
def personas(db):
    from congvu.org.services import unit_create

    province = unit_create(actor="test", code="T-UBND", name="UBND tỉnh Thử", kind="ppc")
    unit = unit_create(actor="test", code="T-SXD", name="Sở Xây dựng", kind="department", parent=province)
    other = unit_create(actor="test", code="T-STP", name="Sở Tư pháp", kind="department", parent=province)
    return Personas(
        unit=unit,
        other_unit=other,
        admin=make_user("p-admin", "admin"),
        inspector=make_user("p-inspector", "inspector"),
        lead=make_user("p-lead", "lead"),
        leadership=make_user("p-leadership", "leadership"),
        focal=make_user("p-focal", "focal", unit),
        unit_head=make_user("p-head", "unit_head", unit),
        outsider=make_user("p-outsider", "focal", other),
        outsider_head=make_user("p-outsider-head", "unit_head", other),
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }
