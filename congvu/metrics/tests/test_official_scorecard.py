"""The scorecard of a head or deputy (metrics:official)."""

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text

pytestmark = pytest.mark.django_db

AS_OF = {"as_of": "05/05/2025"}


def url(official):
    return reverse("metrics:official", args=[official.code])


def test_deputy_is_scored_on_the_tasks_of_their_fields(client, world):
    client.force_login(world.personas.unit_head)
    response = client.get(url(world.deputy), AS_OF)
    assert response.status_code == 200
    summary = response.context["summary"]
    # A B C (B in the legacy unit): all done late, by 2 4 2 working days.
    assert (summary["total"], summary["done_late"], summary["on_time_rate"]) == (3, 3, 0.0)
    assert summary["late_days_max"] == 4
    body = response.content.decode()
    assert "Trần Thị Phó" in body and "Phó Giám đốc" in body
    assert [t["by"] for t in response.context["tables"]] == ["unit", "field", "month"]


def test_dossiers_are_scored_to_their_handler(client, world):
    client.force_login(world.personas.focal)
    response = client.get(url(world.head), {**AS_OF, "register": "dossiers"})
    assert response.context["summary"]["total"] == 1  # S
    assert response.context["summary"]["open_overdue"] == 1


def test_figures_link_to_the_officials_records(client, world):
    client.force_login(world.personas.focal)
    response = client.get(url(world.head), AS_OF)
    (line,) = response.context["summary_table"]["rows"]
    assert all("official=T-GD" in cell["url"] for cell in line["cells"])


def test_outsider_gets_404_on_another_units_official(client, world):
    client.force_login(world.personas.outsider)
    assert client.get(url(world.head), AS_OF).status_code == 404
    assert client.get(url(world.deputy), {**AS_OF, "format": "xlsx", "table": "unit"}).status_code == 404
    # Their own unit's head is theirs to see.
    assert client.get(url(world.outsider_official), AS_OF).status_code == 200


def test_unknown_official_is_404(client, world):
    client.force_login(world.personas.inspector)
    assert client.get(reverse("metrics:official", args=["NO-SUCH"])).status_code == 404


def test_official_scorecard_exports_to_xlsx(client, world):
    client.force_login(world.personas.lead)
    response = client.get(url(world.deputy), {**AS_OF, "format": "xlsx", "table": "summary"})
    assert response["Content-Disposition"] == 'attachment; filename="chi-so-T-PGD-summary.xlsx"'
    header, *lines = xlsx_rows(response)
    assert header[:5] == ["Nhóm", "Mã", "Tổng số", "Hoàn thành đúng hạn", "Hoàn thành quá hạn"]
    # A B C, all done late; the head's tasks and the other unit's task X are not counted.
    assert [line[:5] for line in lines] == [["Tất cả", "", 3, 0, 3]]


def test_official_scorecard_unit_table_has_only_the_officials_units(client, world):
    client.force_login(world.personas.unit_head)
    response = client.get(url(world.deputy), {**AS_OF, "format": "xlsx", "table": "unit"})
    header, *lines = rows = xlsx_rows(response)
    assert header[:3] == ["Nhóm", "Mã", "Tổng số"]
    assert [line[:3] for line in lines] == [["Sở Xây dựng", "T-SXD", 2], ["Sở Xây dựng (cũ)", "T-SXD-CU", 1]]
    assert "T-STP" not in xlsx_text(rows) and "Sở Tư pháp" not in xlsx_text(rows)
