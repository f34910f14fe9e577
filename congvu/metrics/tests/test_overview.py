"""The province overview ranking units by on-time rate (metrics:overview)."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congvu.core.testing import xlsx_rows, xlsx_text

pytestmark = pytest.mark.django_db

AS_OF = {"as_of": "05/05/2025", "min_records": "1"}


def ranked(response):
    return [(line["row"].get("rank"), line["row"]["code"]) for line in response.context["ranked"]]


def test_province_wide_roles_see_every_current_unit_ranked(client, world):
    client.force_login(world.personas.inspector)
    response = client.get(reverse("metrics:overview"), AS_OF)
    assert response.status_code == 200
    # T-SXD: 2 on time of 7 judged (A C J late, E G overdue) and B of the unit it absorbed (T-SXD-CU,
    # merged away before the report date, no row of its own) → 2/8, Wilson 0.0715–0.5907;
    # T-STP: X done late → 0/1, Wilson 0–0.7935.
    assert ranked(response) == [(1, "T-SXD"), (2, "T-STP")]
    first = response.context["ranked"][0]
    assert first["row"]["on_time_rate"] == 0.25
    assert first["link"].startswith(reverse("metrics:unit", args=["T-SXD"]))
    assert "Sở Tư pháp" in response.content.decode()


def test_unit_user_sees_only_their_own_unit(client, world):
    client.force_login(world.personas.focal)
    response = client.get(reverse("metrics:overview"), AS_OF)
    assert {code for _rank, code in ranked(response)} == {"T-SXD"}  # with the unit it absorbed
    as_they_were = client.get(reverse("metrics:overview"), {**AS_OF, "pred": "0"})
    assert {code for _rank, code in ranked(as_they_were)} == {"T-SXD", "T-SXD-CU"}
    body = response.content.decode() + as_they_were.content.decode()
    assert "Sở Tư pháp" not in body


def test_outsider_sees_only_their_unit(client, world):
    client.force_login(world.personas.outsider)
    response = client.get(reverse("metrics:overview"), AS_OF)
    assert {code for _rank, code in ranked(response)} == {"T-STP"}
    assert "Sở Xây dựng" not in response.content.decode()


def test_dossier_ranking_and_xlsx(client, world):
    client.force_login(world.personas.lead)
    response = client.get(reverse("metrics:overview"), {**AS_OF, "register": "dossiers", "format": "xlsx"})
    assert response.status_code == 200
    header, *lines = (
        CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    )
    assert header[:3] == ["Hạng", "Đơn vị", "Mã"]
    assert {line[2] for line in lines} == {"T-SXD", "T-STP"}


def test_outsiders_xlsx_ranks_only_their_unit(client, world):
    client.force_login(world.personas.outsider)
    header, *lines = rows = xlsx_rows(client.get(reverse("metrics:overview"), {**AS_OF, "format": "xlsx"}))
    assert header[:4] == ["Hạng", "Đơn vị", "Mã", "Số được đánh giá (n)"]
    assert [line[:4] for line in lines] == [[1, "Sở Tư pháp", "T-STP", 1]]  # task X
    assert "T-SXD" not in xlsx_text(rows) and "Sở Xây dựng" not in xlsx_text(rows)
