"""The unit scorecard page (metrics:unit)."""

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text

pytestmark = pytest.mark.django_db

AS_OF = {"as_of": "05/05/2025"}


def url(unit):
    return reverse("metrics:unit", args=[unit.code])


def test_unit_user_sees_own_scorecard_with_figures_and_chart(client, world):
    client.force_login(world.personas.focal)
    response = client.get(url(world.personas.unit), AS_OF)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Bảng chỉ số" in body and "Sở Xây dựng" in body
    summary = response.context["summary"]
    assert (summary["total"], summary["done_late"], summary["on_time_rate"]) == (10, 4, 0.25)
    assert 'id="trend-data"' in body and "chart.umd.min.js" in body
    # Breakdowns by official, field, month, and by unit since the unit absorbed another.
    assert [t["by"] for t in response.context["tables"]] == ["official", "field", "month", "unit"]
    # The head and the deputy link to their scorecards.
    assert reverse("metrics:official", args=["T-PGD"]) in body


def test_every_figure_links_to_its_records(client, world):
    client.force_login(world.personas.focal)
    response = client.get(url(world.personas.unit), AS_OF)
    (line,) = response.context["summary_table"]["rows"]
    assert all(cell["url"].startswith(reverse("metrics:records") + "?") for cell in line["cells"])
    late = next(c for c in line["cells"] if "bucket=done_late" in c["url"])
    assert late["text"] == "4" and "unit=T-SXD" in late["url"] and "as_of=05%2F05%2F2025" in late["url"]
    official_table = response.context["tables"][0]
    deputy = next(r for r in official_table["rows"] if r["row"]["code"] == "T-PGD")
    assert "official=T-PGD" in deputy["cells"][0]["url"]


def test_without_predecessors_and_register_switch(client, world):
    client.force_login(world.personas.unit_head)
    response = client.get(url(world.personas.unit), {**AS_OF, "pred": "0"})
    assert response.context["summary"]["total"] == 9
    assert [t["by"] for t in response.context["tables"]] == ["official", "field", "month"]
    response = client.get(url(world.personas.unit), {**AS_OF, "register": "dossiers"})
    assert response.context["summary"]["total"] == 3
    assert "Trễ có phiếu xin lỗi" in response.content.decode()


def test_bad_dates_are_reported_not_fatal(client, world):
    client.force_login(world.personas.focal)
    response = client.get(url(world.personas.unit), {"as_of": "31/02/2025", "date_from": "x"})
    assert response.status_code == 200
    assert "Giá trị không hợp lệ đã được bỏ qua" in response.content.decode()


def test_outsider_gets_404_on_another_units_scorecard(client, world):
    client.force_login(world.personas.outsider)
    assert client.get(url(world.personas.unit), AS_OF).status_code == 404
    assert (
        client.get(url(world.personas.unit), {**AS_OF, "format": "xlsx", "table": "official"}).status_code
        == 404
    )


def test_province_wide_roles_see_any_unit(client, world):
    for user in (world.personas.inspector, world.personas.leadership):
        client.force_login(user)
        assert client.get(url(world.personas.other_unit), AS_OF).status_code == 200


def test_breakdown_exports_to_xlsx_with_this_units_officials_only(client, world):
    client.force_login(world.personas.focal)
    response = client.get(url(world.personas.unit), {**AS_OF, "format": "xlsx", "table": "official"})
    header, *lines = rows = xlsx_rows(response)
    assert header[:3] == ["Nhóm", "Mã", "Tổng số"]
    assert [line[:3] for line in lines] == [["Nguyễn Văn Giám", "T-GD", 7], ["Trần Thị Phó", "T-PGD", 3]]
    rate = header.index("Tỷ lệ đúng hạn (%)")
    assert [line[rate] for line in lines] == [40, 0]
    # The other unit's head and his task X are not in this unit's workbook.
    assert "T-STP-GD" not in xlsx_text(rows) and "Lê Văn Ngoài" not in xlsx_text(rows)


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(url(world.personas.unit))
    assert response.status_code == 302
