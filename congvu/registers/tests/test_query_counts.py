"""Query counts of the register pages, pinned, and independent of the number of rows (no N+1): the
lists read the page's keys, then those rows with their unit, field and official in one join; the row
count comes from the cache until the register changes. A list's rendered body is then read from the
cache (`metrics.bodies`): a warm list asks for the session, the user (the unit user's visible units),
the data version and the body, and the unread notices; the first request after an import renders it
(the figures' and the body's cache writes and the claim that keeps other requests from rendering it too)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congvu.registers.imports import import_file
from congvu.registers.models import Dossier, Task
from congvu.registers.tests.conftest import DOSSIER_HEADER, TASK_HEADER, dossier, task, write_csv

pytestmark = pytest.mark.django_db


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _load(tmp_path, first: int, n: int) -> None:
    """n dossiers and n tasks over both units (and the absorbed one), both fields, several officials."""
    units = ["T-SXD", "T-STP", "T-SGTVT"]
    fields = ["xay-dung", "dat-dai"]
    dossiers = [
        dossier(f"QC-{i}", unit=units[i % 3], field=fields[i % 2], received=f"{1 + i % 9:02d}/01/2025")
        for i in range(first, first + n)
    ]
    tasks = [
        task(f"QC-{i}", unit=units[i % 3], field=fields[i % 2], received=f"{1 + i % 9:02d}/01/2025")
        for i in range(first, first + n)
    ]
    for register, header, rows in (("dossiers", DOSSIER_HEADER, dossiers), ("tasks", TASK_HEADER, tasks)):
        run = import_file(
            actor="test",
            register=register,
            path=write_csv(tmp_path / f"{register}-{first}.csv", header, rows),
        )
        assert run.status == "stored", run.errors


PAGES = {
    # name: (user, url name, params, cold, warm); cold = first request after an import (row count).
    # A unit user's scope (the unit and its predecessors) is one recursive query; the unit and field
    # selects read their choices once each (`{% options %}`; a template loop counted them first).
    "dossiers": ("lead", "registers:dossiers", {}, 32, 6),
    "dossiers_search": ("lead", "registers:dossiers", {"q": "giay phep", "sort": "unit"}, 32, 6),
    "dossiers_unit_user": ("focal", "registers:dossiers", {}, 33, 7),
    "tasks": ("lead", "registers:tasks", {}, 32, 6),
    "tasks_unit_user": ("focal", "registers:tasks", {"sort": "-due"}, 33, 7),
}


@pytest.mark.parametrize("page", PAGES)
def test_register_list_query_count_is_pinned_and_does_not_grow_with_rows(client, org, tmp_path, page):
    who, name, params, cold, warm = PAGES[page]
    _load(tmp_path, 0, 3)
    client.force_login(getattr(org.personas, who))
    url = reverse(name)

    first, second = _queries(client, url, params), _queries(client, url, params)
    _load(tmp_path, 3, 60)
    after = _queries(client, url, params)

    assert (first, second, after) == (cold, warm, cold)


# A dossier's page also reads its events (the timeline) and its control slip's hand-overs.
@pytest.mark.parametrize(
    "model, name, count", [(Dossier, "registers:dossier", 9), (Task, "registers:task", 7)]
)
def test_record_detail_query_count_is_pinned(client, org, tmp_path, model, name, count):
    _load(tmp_path, 0, 3)
    client.force_login(org.personas.focal)
    record = model.objects.get(external_code="QC-0")  # T-SXD's

    assert _queries(client, reverse(name, args=[record.pk])) == count


def test_outsider_gets_404_on_a_record_of_another_unit(client, org, tmp_path):
    _load(tmp_path, 0, 3)
    client.force_login(org.personas.outsider)
    record = Dossier.objects.get(external_code="QC-0")  # T-SXD's
    assert client.get(reverse("registers:dossier", args=[record.pk])).status_code == 404
