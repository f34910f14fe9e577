"""The province ranking is long (every unit of the province): searchable by unit name or code, with or
without diacritics, and paginated; a unit keeps its province rank when the list is narrowed."""

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows

pytestmark = pytest.mark.django_db

# Every unit as it was (the former T-SXD-CU on its own row), every unit ranked.
AS_OF = {"as_of": "05/05/2025", "pred": "0", "min_records": "1"}


def ranked(response):
    return [(line["row"].get("rank"), line["row"]["code"]) for line in response.context["ranked"]]


def test_search_by_name_without_diacritics_keeps_the_province_rank(client, world):
    client.force_login(world.personas.lead)
    response = client.get(reverse("metrics:overview"), {**AS_OF, "q": "xay dung"})
    assert response.status_code == 200
    assert ranked(response) == [(1, "T-SXD"), (3, "T-SXD-CU")]
    assert response.context["page"].paginator.count == 2


def test_search_by_code_and_export_of_the_narrowed_list(client, world):
    client.force_login(world.personas.lead)
    url = reverse("metrics:overview")
    assert ranked(client.get(url, {**AS_OF, "q": "t-stp"})) == [(2, "T-STP")]

    rows = xlsx_rows(client.get(url, {**AS_OF, "q": "t-stp", "format": "xlsx"}))
    assert [row[:3] for row in rows[1:]] == [[2, "Sở Tư pháp", "T-STP"]]


def test_the_ranking_is_paginated(client, world, monkeypatch):
    monkeypatch.setattr("congvu.metrics.views.paginate", lambda request, rows: _two_per_page(request, rows))
    client.force_login(world.personas.lead)
    first = client.get(reverse("metrics:overview"), AS_OF)
    second = client.get(reverse("metrics:overview"), {**AS_OF, "page": 2})
    assert ranked(first) == [(1, "T-SXD"), (2, "T-STP")]
    assert ranked(second) == [(3, "T-SXD-CU")]


def _two_per_page(request, rows):
    from congvu.core.tables import paginate

    return paginate(request, rows, per_page=2)


def test_outsider_searching_for_another_unit_finds_nothing(client, world):
    client.force_login(world.personas.outsider)
    response = client.get(reverse("metrics:overview"), {**AS_OF, "q": "xay dung"})
    assert response.status_code == 200
    assert ranked(response) == []
