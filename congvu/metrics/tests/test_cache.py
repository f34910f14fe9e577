"""Figures computed once (`congvu.metrics.cache`): the ranking and the scorecards are read from the
shared cache until the data they are made of changes — an import, a calendar or organisation edit —
and are never stale after it; the cache never crosses scopes."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from congvu.core.audit import audit_record
from congvu.metrics.cache import data_version, data_version_bump, figures_key
from congvu.metrics.engine import compute_metrics
from congvu.metrics.models import DataVersion
from congvu.metrics.selectors import metric_records
from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.tests.conftest import DOSSIER_HEADER, dossier, write_csv

pytestmark = pytest.mark.django_db

AS_OF = {"as_of": "05/05/2025"}
DOSSIERS = {**AS_OF, "register": "dossiers"}


def _register_queries(fn) -> list[str]:
    """The SQL statements `fn()` sends that read the task or dossier tables."""
    with CaptureQueriesContext(connection) as ctx:
        fn()
    tables = (Task._meta.db_table, Dossier._meta.db_table)
    return [q["sql"] for q in ctx.captured_queries if any(f'"{t}"' in q["sql"] for t in tables)]


def _rows(response) -> list[dict]:
    """The ranking's rows, ranked and listed apart."""
    return [line["row"] for line in response.context["ranked"] + response.context["apart"]]


def _ranking_html(response) -> str:
    html = response.content.decode()
    return html[html.index('data-testid="ranking-table"') :]


def _unit_row(response, code):
    return next(row for row in _rows(response) if row["code"] == code)


def test_ranking_is_computed_once_then_read_from_the_cache(client, world):
    client.force_login(world.personas.lead)
    url = reverse("metrics:overview")

    responses = []
    first = _register_queries(lambda: responses.append(client.get(url, AS_OF)))
    again = _register_queries(lambda: responses.append(client.get(url, AS_OF)))

    assert first, "the first request computes the ranking from the registers"
    assert again == []
    assert _unit_row(responses[0], "T-SXD")["judged"] == 8
    # The second page is the first one's body, read from the cache: the same table, not re-rendered.
    assert "ranked" not in responses[1].context
    assert _ranking_html(responses[1]) == _ranking_html(responses[0])


def test_unit_and_official_scorecards_are_read_from_the_cache(client, world):
    client.force_login(world.personas.lead)
    for url in (reverse("metrics:unit", args=["T-SXD"]), reverse("metrics:official", args=["T-GD"])):
        assert _register_queries(lambda url=url: client.get(url, AS_OF))
        assert _register_queries(lambda url=url: client.get(url, AS_OF)) == []


def test_another_report_date_or_register_is_another_entry(client, world):
    client.force_login(world.personas.lead)
    url = reverse("metrics:overview")
    client.get(url, AS_OF)

    assert _register_queries(lambda: client.get(url, {"as_of": "30/04/2025"}))
    assert _register_queries(lambda: client.get(url, DOSSIERS))
    assert _register_queries(lambda: client.get(url, {**AS_OF, "date_from": "01/01/2025"}))


def test_figures_are_fresh_after_an_import(client, world, tmp_path):
    client.force_login(world.personas.lead)
    url = reverse("metrics:overview")
    before = _unit_row(client.get(url, DOSSIERS), "T-SXD")
    token = data_version("dossiers")

    run = import_file(
        actor="test",
        register="dossiers",
        path=write_csv(
            tmp_path / "more.csv",
            DOSSIER_HEADER,
            # Received 06/01/2025, due 20/01: one on time, one done late (completed 25/04/2025).
            [dossier("CACHE-1"), dossier("CACHE-2", completed="25/04/2025", returned="28/04/2025")],
        ),
    )
    assert run.status == ImportRun.Status.STORED
    after = _unit_row(client.get(url, DOSSIERS), "T-SXD")

    assert data_version("dossiers") != token
    assert after["total"] == before["total"] + 2
    assert after["done_on_time"] == before["done_on_time"] + 1
    assert after["done_late"] == before["done_late"] + 1


def test_a_rejected_or_dry_run_import_keeps_the_data_version(world, tmp_path):
    token = DataVersion.objects.get(register="dossiers").token
    good = write_csv(tmp_path / "good.csv", DOSSIER_HEADER, [dossier("CACHE-3")])
    bad = write_csv(tmp_path / "bad.csv", DOSSIER_HEADER, [dossier("CACHE-4", received="31/02/2025")])

    assert import_file(actor="test", register="dossiers", path=good, dry_run=True).status == "dry_run"
    assert import_file(actor="test", register="dossiers", path=bad).status == "rejected"

    assert DataVersion.objects.get(register="dossiers").token == token
    assert import_file(actor="test", register="dossiers", path=good).status == "stored"
    assert DataVersion.objects.get(register="dossiers").token != token


def test_the_bump_is_part_of_the_writing_transaction(world):
    token = DataVersion.objects.get(register="tasks").token
    with pytest.raises(RuntimeError), transaction.atomic():
        data_version_bump(register="tasks")
        raise RuntimeError("the import failed after the merge")
    assert DataVersion.objects.get(register="tasks").token == token


def test_a_calendar_edit_changes_the_lateness_shown(client, world):
    from congvu.workdays.services import calendar_day_set

    client.force_login(world.personas.lead)
    url = reverse("metrics:unit", args=["T-SXD"])
    before = client.get(url, AS_OF).context["summary"]

    # Monday 03/02/2025 becomes a day off: task A (due 24/01, done 04/02) is a working day less late.
    calendar_day_set(actor="test", date=date(2025, 2, 3), kind="day_off", name="Nghỉ bù (thử)")
    after = client.get(url, AS_OF).context["summary"]

    live = compute_metrics(
        register="tasks",
        records=metric_records(fetched_by=world.personas.lead, register="tasks", unit=world.personas.unit),
        as_of=date(2025, 5, 5),
    )[0]
    assert after == live
    assert after["late_days_mean"] != before["late_days_mean"]


def test_any_audited_write_gives_a_new_version(world):
    before = data_version("tasks")
    with transaction.atomic():
        audit_record(actor="test", action="unit.rename", object_type="org.unit", object_id=1)
    assert data_version("tasks") != before
    assert data_version("tasks")[0] == before[0]  # the register itself did not change


def test_signing_in_keeps_the_figures_key_but_a_data_write_changes_it(world):
    """A morning of sign-ins (audited, in the chain) must not make every cached figure be computed
    again; any other audited write does."""
    before = data_version("tasks")
    with transaction.atomic():
        audit_record(actor="test", action="user.login", object_type="accounts.user", object_id=1)
        audit_record(actor="test", action="user.otp_verify", object_type="accounts.user", object_id=1)
    assert data_version("tasks") == before

    with transaction.atomic():
        audit_record(actor="test", action="appointment.create", object_type="org.appointment", object_id=1)
    assert data_version("tasks") != before


def test_a_unit_user_never_reads_the_province_ranking(client, world):
    client.force_login(world.personas.lead)
    url = reverse("metrics:overview")
    as_they_were = {**AS_OF, "pred": "0"}
    assert len(_rows(client.get(url, as_they_were))) == 3

    client.force_login(world.personas.focal)
    rows = _rows(client.get(url, as_they_were))

    assert {row["code"] for row in rows} == {"T-SXD", "T-SXD-CU"}


def test_outsider_gets_404_on_a_cached_scorecard(client, world):
    client.force_login(world.personas.lead)
    url = reverse("metrics:unit", args=["T-SXD"])
    assert client.get(url, AS_OF).status_code == 200

    client.force_login(world.personas.outsider)
    assert client.get(url, AS_OF).status_code == 404
    assert client.get(reverse("metrics:official", args=["T-GD"]), AS_OF).status_code == 404


def test_without_a_version_row_figures_are_computed_live(client, world):
    DataVersion.objects.all().delete()
    client.force_login(world.personas.lead)
    url = reverse("metrics:overview")
    assert _register_queries(lambda: client.get(url, AS_OF))
    assert _register_queries(lambda: client.get(url, AS_OF))


def test_the_key_names_the_language_and_the_scope(world):
    lead, focal = world.personas.lead, world.personas.focal
    version = data_version("tasks")
    common = {"register": "tasks", "name": "ranking", "params": {"as_of": "2025-05-05"}, "version": version}
    with translation.override("vi"):
        vi = figures_key(fetched_by=lead, **common)
        unit = figures_key(fetched_by=focal, **common)
    with translation.override("en"):
        en = figures_key(fetched_by=lead, **common)
    assert len({vi, unit, en}) == 3
    with translation.override("vi"):
        assert figures_key(fetched_by=world.personas.inspector, **common) == vi  # same scope: all


def test_an_unreachable_cache_means_figures_computed_live_not_an_error(client, world, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        }
    }
    client.force_login(world.personas.lead)
    response = client.get(reverse("metrics:overview"), AS_OF)
    assert response.status_code == 200
    assert _unit_row(response, "T-SXD")["judged"] == 8
    assert client.get(reverse("registers:dossiers")).status_code == 200


@pytest.mark.parametrize(
    "url, expected",
    [
        ("", "django.core.cache.backends.db.DatabaseCache"),
        ("redis://127.0.0.1:6379/1", "django.core.cache.backends.redis.RedisCache"),
        ("memcached://127.0.0.1", "CACHE_URL='memcached://127.0.0.1': expected redis://"),
    ],
)
def test_cache_url_chooses_redis_else_the_database(url, expected, tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "CACHE_URL": url, "CONGVU_VAR_DIR": str(tmp_path)}
    code = "import congvu.settings as s; print(s.CACHES['default']['BACKEND'])"
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert expected in (result.stdout + result.stderr)
    assert (result.returncode == 0) == (not url.startswith("memcached"))


def test_a_cached_page_body_is_never_shown_to_another_scope(client, world):
    """The body of the ranking a province-wide user cached first is not what a unit's focal point is
    served for the very same URL: the key holds the user's visible units."""
    url = reverse("metrics:overview")
    client.force_login(world.personas.lead)
    province = client.get(url, AS_OF).content.decode()
    assert "Sở Tư pháp" in province

    client.force_login(world.personas.focal)
    unit = client.get(url, AS_OF)

    assert "Sở Tư pháp" not in unit.content.decode()
    assert {row["code"] for row in _rows(unit)} == {"T-SXD"}
