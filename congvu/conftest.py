"""Shared fixtures: personas for every role plus an outsider from another unit (STYLE §8), and
`shared_fixture`, which builds a fixture's rows once for consecutive tests that ask for it."""

import copy
import inspect
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; Django must allow ORM calls there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Compiled bytecode is kept (in the __pycache__ folders git ignores) even where the environment says
# not to (PYTHONDONTWRITEBYTECODE, set in some containers): without it every process of the run (the
# xdist workers, which start after this file is read, and the `congvu` processes tests start)
# compiles the project again and pytest rewrites the asserts of ~450 test modules again, ~8 s of CPU
# per worker, a third of collecting the suite.
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False

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
    _next_item[0] = nextitem
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
    BaseDatabaseCreation.create_test_db = _mark_seed_intact(
        _migrated_copy_reused(BaseDatabaseCreation.create_test_db)
    )


# --- The migrated SQLite test database, kept between runs ---------------------------------------
#
# Applying the 97 migrations to each worker's in-memory database costs ~10 s of CPU (most of it
# Django rendering the migration states, not SQL). The database as migrated is a function of the
# migration files, of the project modules they import (data migrations seed the calendar, the
# fields, the templates), of the models (content types and permissions) and of the versions of
# Django and SQLite: a copy is kept in var/test-db/, named after a hash of all of these, and copied
# into the in-memory database instead of migrating when the hash is the same. Any change to one of
# these files gives another name and a real migration (which keeps the new copy). Only the SQLite
# in-memory database; PostgreSQL always migrates.

TEST_DB_CACHE = Path(__file__).resolve().parent.parent / "var" / "test-db"


def _project_imports(path: str) -> set[str]:
    """Files of the congvu modules that the file at `path` imports (absolute imports only)."""
    import ast
    import importlib.util

    found = set()
    for node in ast.walk(ast.parse(Path(path).read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        else:
            continue
        for name in names:
            if name.partition(".")[0] != "congvu":
                continue
            try:
                spec = importlib.util.find_spec(name)
            except (ImportError, ValueError):
                continue
            if spec and spec.origin and spec.origin.endswith(".py"):
                found.add(spec.origin)
    return found


def _migrated_database_key(connection) -> str:
    """The hash that names the copy: every migration file of every installed app, the congvu modules
    they import (transitively), every congvu models module, the apps and the versions."""
    import hashlib
    import sqlite3

    import django
    from django.apps import apps
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    files = {sys.modules[migration.__module__].__file__ for migration in loader.disk_migrations.values()}
    for app in apps.get_app_configs():
        if app.models_module is not None:
            files.add(app.models_module.__file__)
    todo = [f for f in files if "congvu" in Path(f).parts]
    while todo:
        for imported in _project_imports(todo.pop()) - files:
            files.add(imported)
            todo.append(imported)
    digest = hashlib.sha256()
    for value in (django.__version__, sqlite3.sqlite_version, sys.version, connection.vendor):
        digest.update(f"{value}\n".encode())
    digest.update(repr([app.name for app in apps.get_app_configs()]).encode())
    for path in sorted(files):
        digest.update(f"{path}\n".encode())
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()[:32]


def _migrated_copy_reused(original):
    def create_test_db(self, *args, **kwargs):
        from django.core import management

        connection = self.connection
        if connection.vendor != "sqlite" or not self.is_in_memory_db(self._get_test_db_name()):
            return original(self, *args, **kwargs)
        migrate = management.call_command
        copy_path = TEST_DB_CACHE / f"{_migrated_database_key(connection)}.sqlite3"

        def call_command(name, *a, **kw):
            if name != "migrate" or kw.get("database", "default") != connection.alias:
                return migrate(name, *a, **kw)
            connection.ensure_connection()
            if copy_path.exists():
                import sqlite3

                with connection.wrap_database_errors:
                    source = sqlite3.connect(copy_path)
                    try:
                        source.backup(connection.connection)
                    finally:
                        source.close()
                return None
            result = migrate(name, *a, **kw)
            _keep_copy(connection, copy_path)
            return result

        management.call_command = call_command
        try:
            return original(self, *args, **kwargs)
        finally:
            management.call_command = migrate

    return create_test_db


def _keep_copy(connection, copy_path: Path) -> None:
    """The migrated database written beside the others' (replacing older copies), atomically: two
    workers may write the same copy at once."""
    import sqlite3

    TEST_DB_CACHE.mkdir(parents=True, exist_ok=True)
    partial = copy_path.with_suffix(f".{os.getpid()}.partial")
    target = sqlite3.connect(partial)
    try:
        connection.connection.backup(target)
    finally:
        target.close()
    os.replace(partial, copy_path)
    for old in TEST_DB_CACHE.glob("*.sqlite3"):
        if old != copy_path and old.stat().st_mtime < copy_path.stat().st_mtime - 3600:
            old.unlink(missing_ok=True)


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


# --- Rows shared by consecutive tests: `shared_fixture` ----------------------------------------
#
# Most tests start on the same few rows (the personas, an inspection walked through its workflow, the
# API's small world), and building them again for each test was a large part of the suite's time.
# A fixture declared with `shared_fixture` is built once for a run of consecutive tests of one module
# that ask for it, in a savepoint opened before the test's own transaction; each test gets deep copies
# of the objects (as Django's setUpTestData does) and its own writes are rolled back as before. The
# savepoints form a stack in the order pytest would build the fixtures: before each test the stack is
# cut back to the fixtures the test asks for (so no test sees rows of a fixture it did not ask for)
# and the missing ones are built on top. Transactional tests, tests without the database and the
# first test of another module find the stack empty. When a fixture cannot be shared for a test (it
# asks for a fixture that is not shared, like `settings`), it is built inside the test as before.


@dataclass
class _Level:
    fixture: object  # the shared fixture function built at this level
    atomic: object  # its savepoint, entered after the levels below
    values: dict  # fixture function → value, for this level and those below, copied after the build


@dataclass
class _SharedRows:
    levels: list = field(default_factory=list)
    item: object = None  # the test the stack was last fitted to
    memo: dict = field(default_factory=dict)  # that test's deep-copy memo: one copy of each object


_BUILDERS: dict = {}  # fixture function → the decorated function that builds the rows
_shared = _SharedRows()


def shared_fixture(build):
    """A function-scoped fixture whose rows are built once for consecutive tests (see above). `build`
    may ask only for `db` and other shared fixtures, must return objects that `copy.deepcopy` copies,
    and must write no files (a build that writes into MEDIA_ROOT fails)."""
    names = list(inspect.signature(build).parameters)

    def fixture(request, **deps):
        level = _shared.levels[-1] if _shared.levels and _shared.item is request.node else None
        if level is None or fixture not in level.values:
            return build(**deps)
        return copy.deepcopy(level.values[fixture], _shared.memo)

    fixture.__name__ = fixture.__qualname__ = build.__name__
    fixture.__doc__ = build.__doc__
    fixture.__module__ = build.__module__
    param = inspect.Parameter.POSITIONAL_OR_KEYWORD
    fixture.__signature__ = inspect.Signature(
        [inspect.Parameter(name, param) for name in ("request", *[n for n in names if n != "request"])]
    )
    _BUILDERS[fixture] = build
    return pytest.fixture(fixture)


def _wanted(item) -> list:
    """The shared fixtures `item` asks for, in the order pytest builds them, without those that ask
    for a fixture that is not shared (they are built inside the test). pytest's fixture closure of
    the item (`_fixtureinfo`) says which definition each name resolves to; without it nothing is
    shared and every fixture is built inside its test, as before."""
    if item.get_closest_marker("transactional") is not None:
        return []
    defs = getattr(getattr(item, "_fixtureinfo", None), "name2fixturedefs", None) or {}
    order: list = []
    refused: set = set()

    def visit(name) -> object | None:
        fixturedef = (defs.get(name) or [None])[-1]
        func = getattr(fixturedef, "func", None)
        if func not in _BUILDERS or func in refused:
            return None
        if func not in order:
            deps = [n for n in fixturedef.argnames if n not in ("request", "db")]
            if name in deps or any(visit(dep) is None for dep in deps):
                refused.add(func)
                return None
            order.append(func)
        return func

    for name in item.fixturenames:
        visit(name)
    return order


def _resolve(item, name):
    return item._fixtureinfo.name2fixturedefs[name][-1].func


def _cut(wanted: list) -> None:
    """Roll back the levels above the longest common prefix of the stack and `wanted`."""
    from django.db import connection, transaction

    keep = 0
    while keep < min(len(wanted), len(_shared.levels)) and _shared.levels[keep].fixture is wanted[keep]:
        keep += 1
    while len(_shared.levels) > keep:
        level = _shared.levels.pop()
        if not connection.atomic_blocks or connection.atomic_blocks[-1] is not level.atomic:
            raise RuntimeError("a shared fixture's savepoint is not the innermost transaction")
        transaction.set_rollback(True)
        level.atomic.__exit__(None, None, None)


def _fit(item) -> None:
    """Before the test's transaction opens: the stack holds exactly the shared fixtures it asks for."""
    from django.db import connection, transaction

    wanted = _wanted(item)
    _cut(wanted)
    if connection.in_atomic_block and not _shared.levels:
        wanted = []  # someone else's transaction (a module's demo build): build inside the test
    values = copy.deepcopy(_shared.levels[-1].values) if _shared.levels else {}
    for func in wanted[len(_shared.levels) :]:
        build = _BUILDERS[func]
        kwargs = {
            name: None if name == "db" else values[_resolve(item, name)]
            for name in inspect.signature(build).parameters
        }
        atomic = transaction.atomic()
        atomic._from_testcase = True  # a durable block in a test still nests (Django's TestCase)
        atomic.__enter__()
        _shared.levels.append(_Level(func, atomic, {}))
        try:
            values[func] = _build_without_files(build, kwargs)
        except BaseException:
            _cut(wanted[: len(_shared.levels) - 1])
            raise
        _shared.levels[-1].values = copy.deepcopy(values)
    _shared.item = item
    _shared.memo = {}


def _build_without_files(build, kwargs):
    """The build, with MEDIA_ROOT in an empty folder that must stay empty: a test's MEDIA_ROOT is its
    own temporary folder, where files written by a shared build would be missing."""
    from django.test import override_settings

    with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
        value = build(**kwargs)
        if any(Path(media).iterdir()):
            raise RuntimeError(f"{build.__name__} writes files: it cannot be a shared_fixture")
    return value


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """The stack is fitted just before pytest-django opens the test's transaction (its
    `_django_db_helper` fixture; `django_db_setup`, which it asks for, is there by then)."""
    if fixturedef.argname == "_django_db_helper" and hasattr(request.node, "fixturenames"):
        from pytest_django.plugin import blocking_manager_key

        with request.config.stash[blocking_manager_key].unblock():
            _fit(request.node)
    return (yield)


_next_item: list = [None]


def pytest_fixture_post_finalizer(fixturedef, request):
    """After the test's transaction is rolled back: levels the next test does not ask for go, all of
    them before another module, before a test without the database and at the end of the run."""
    if fixturedef.argname != "_django_db_helper" or not _shared.levels:
        return
    nextitem = _next_item[0]
    same_module = nextitem is not None and nextitem.path == request.node.path
    from pytest_django.plugin import blocking_manager_key

    with request.config.stash[blocking_manager_key].unblock():
        _cut(_wanted(nextitem) if same_module else [])
    _shared.item = None


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


@shared_fixture
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


def browser_login(page, live_server, username):
    """Signs `username` in through the login form, as a person would, and waits for the signed-in page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=user-menu]", state="attached")  # folded away on a phone


@pytest.fixture
def browser_as(new_context, live_server):
    """`browser_as(username)`: that persona's own browser window (a context of its own, so its own
    session cookie), signed in through the login form at first use and kept for the rest of the test,
    as each person works at their own desk. A walkthrough through several roles signs each in once
    instead of logging out and in again at every turn of the workflow (four page loads a turn).
    Confirmation dialogs (`data-confirm`) are accepted."""
    pages = {}

    def page_of(username):
        if username not in pages:
            page = new_context().new_page()
            page.on("dialog", lambda dialog: dialog.accept())
            browser_login(page, live_server, username)
            pages[username] = page
        return pages[username]

    return page_of


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
    }
