"""Query counts of the scorecard pages, pinned: the first request of a key computes the figures
(a fixed number of grouped queries whatever the number of records), later ones read the cache; adding
records never adds queries (no N+1). A change here is a change in the cost of every page view."""

from datetime import date

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from congvu.metrics.cache import data_version_bump
from congvu.metrics.tests.conftest import _dossier, _task

pytestmark = pytest.mark.django_db

AS_OF = {"as_of": "05/05/2025"}

# Every page: session, user (and, for roles with a second factor, their verified device), the data
# version (with the audit head) and the read of the page's rendered body, the unread notifications of
# the navigation bar. A warm page asks nothing else: the body holds the figures' tables, the leaders
# and the appointments. A cold key adds the figures (data version, cache read, the claim that makes
# other requests wait instead of computing too, figure queries, cache write, the claim's release), the
# body's render (the navigation's context again) and the body's claim, cache write and release.
# The ranking's cold key adds the lineage links and the current units (2 queries), and, when a current
# unit absorbed a unit with records (T-SXD-CU's task B; it has no dossier), the late records' histogram
# per unit with ord(R) (2 more) for the merged rows' lateness figures. A ranking or a unit's scorecard
# over whole units (a province-wide user's, a unit user's scope, a unit page) also asks, once for the
# page's figures, whether the rollups are valid (1 query: none here, no import built them, so all is
# live). A unit's predecessors (a unit user's scope, a unit's figures) are one recursive query.
PAGES = {
    # name: (user, url name, args, params, cold, warm)
    "overview": ("lead", "metrics:overview", [], AS_OF, 41, 6),
    "overview_dossiers": ("lead", "metrics:overview", [], {**AS_OF, "register": "dossiers"}, 39, 6),
    "overview_unit_user": ("focal", "metrics:overview", [], AS_OF, 42, 7),
    "unit": ("lead", "metrics:unit", ["T-SXD"], AS_OF, 56, 8),
    "unit_unit_user": ("focal", "metrics:unit", ["T-SXD"], AS_OF, 57, 9),
    "official": ("lead", "metrics:official", ["T-GD"], AS_OF, 50, 8),
    "records": ("lead", "metrics:records", [], {**AS_OF, "unit": "T-SXD", "bucket": "late"}, 32, 9),
}


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _more_records(world) -> None:
    """Thirty more tasks and dossiers across both units, officials and fields, then a new version."""
    unit, other = world.personas.unit, world.personas.other_unit
    for i in range(30):
        where = unit if i % 2 else other
        person = world.head if i % 3 else world.deputy
        field = world.construction if i % 2 else world.planning
        day = date(2025, 1 + i % 4, 1 + i % 28)
        _task(where, f"MORE-{i}", day, date(2025, 4, 30), date(2025, 5, 2), responsible=person, field=field)
        _dossier(where, f"MORE-{i}", field, day, date(2025, 4, 30), handler=person)
    with transaction.atomic():
        data_version_bump(register="tasks")
        data_version_bump(register="dossiers")


@pytest.mark.parametrize("page", PAGES)
def test_scorecard_page_query_count_is_pinned(client, world, page):
    who, name, args, params, cold, warm = PAGES[page]
    client.force_login(getattr(world.personas, who))
    url = reverse(name, args=args)

    first, second = _queries(client, url, params), _queries(client, url, params)
    _more_records(world)
    after = _queries(client, url, params)

    assert (first, second, after) == (cold, warm, cold)


def test_outsider_gets_404_before_any_figure_is_computed(client, world):
    client.force_login(world.personas.outsider)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("metrics:unit", args=["T-SXD"]), AS_OF)
    assert response.status_code == 404
    assert not [q for q in ctx.captured_queries if "registers_" in q["sql"] or "congvu_cache" in q["sql"]]
