"""The province overview ranking units by on-time rate (metrics:overview)."""

import io

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congvu.core.testing import xlsx_rows, xlsx_text

pytestmark = pytest.mark.django_db

AS_OF = {"as_of": "05/05/2025"}


def ranked(response):
    return [(line["row"].get("rank"), line["row"]["code"]) for line in response.context["table"]["rows"]]


def test_province_wide_roles_see_every_unit_ranked_by_on_time_rate(client, world):
    client.force_login(world.personas.inspector)
    response = client.get(reverse("metrics:overview"), AS_OF)
    assert response.status_code == 200
    # T-SXD: 2 on time of 7 judged (A C J late, E G overdue; B is the legacy unit's) → 2/7;
    # T-SXD-CU: B late → 0/1; T-STP: X done late → 0/1.
    # Ties (0 of 1 each) are ordered by size, then by name: Sở Tư pháp before Sở Xây dựng (cũ).
    assert ranked(response) == [(1, "T-SXD"), (2, "T-STP"), (3, "T-SXD-CU")]
    first = response.context["table"]["rows"][0]
    assert first["row"]["on_time_rate"] == 0.2857
    assert first["link"].startswith(reverse("metrics:unit", args=["T-SXD"]))
    assert "Sở Tư pháp" in response.content.decode()


def test_unit_user_sees_only_their_own_unit(client, world):
    client.force_login(world.personas.focal)
    response = client.get(reverse("metrics:overview"), AS_OF)
    codes = {code for _rank, code in ranked(response)}
    assert codes == {"T-SXD", "T-SXD-CU"}  # their unit and the unit it absorbed
    body = response.content.decode()
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
    assert header[0] == "Đơn vị"
    assert {line[1] for line in lines} == {"T-SXD", "T-STP"}


def test_outsiders_xlsx_ranks_only_their_unit(client, world):
    client.force_login(world.personas.outsider)
    header, *lines = rows = xlsx_rows(client.get(reverse("metrics:overview"), {**AS_OF, "format": "xlsx"}))
    assert header[:3] == ["Đơn vị", "Mã", "Tổng số"]
    assert [line[:3] for line in lines] == [["Sở Tư pháp", "T-STP", 1]]  # task X
    assert "T-SXD" not in xlsx_text(rows) and "Sở Xây dựng" not in xlsx_text(rows)
