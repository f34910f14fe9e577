from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text

pytestmark = pytest.mark.django_db


def url(unit):
    return reverse("org:unit", args=[unit.code])


def test_outsider_gets_404_on_another_units_page_and_its_predecessor(client, org):
    client.force_login(org.personas.outsider)
    assert client.get(url(org.unit)).status_code == 404
    assert client.get(url(org.old)).status_code == 404
    assert client.get(url(org.unit), {"format": "xlsx"}).status_code == 404


def test_unit_page_shows_lineage_leaders_and_history(client, org):
    client.force_login(org.personas.focal)
    body = client.get(url(org.unit), {"date": "15/06/2025"}).content.decode()
    assert "Sở Giao thông vận tải" in body and "01/03/2025" in body and "QĐ 1" in body  # absorbed unit
    assert "Nguyễn Văn An" in body and "Đặng Văn Cường" in body  # head and deputy on that day
    assert "Xây dựng" in body  # the deputy's portfolio
    old = client.get(url(org.old)).content.decode()
    assert "Đã trở thành" in old and "Sở Xây dựng" in old and "Trần Thị Bình" in old


def test_leaders_follow_the_date(client, org):
    client.force_login(org.personas.inspector)
    body = client.get(url(org.unit), {"date": "01/01/2026"}).content.decode()
    leaders = body.split('data-testid="leaders"')[1].split("</table>")[0]
    assert "Nguyễn Văn An" in leaders and "Đặng Văn Cường" not in leaders


def test_history_exports_to_excel(client, org):
    client.force_login(org.personas.unit_head)
    response = client.get(url(org.unit), {"format": "xlsx"})
    assert "bo-nhiem-T-SXD.xlsx" in response["Content-Disposition"]
    header, *rows = xlsx_rows(response)
    assert header[:6] == ["Mã cán bộ", "Họ và tên", "Vị trí", "Chức danh", "Từ ngày", "Đến ngày"]
    assert [row[:2] + row[4:7] for row in rows] == [
        ["T-001", "Nguyễn Văn An", date(2025, 3, 1), "", ""],
        ["T-003", "Đặng Văn Cường", date(2024, 1, 1), date(2025, 12, 31), "Xây dựng"],
    ]
    # The other unit's head is not in this unit's history.
    assert "T-004" not in xlsx_text(rows) and "Lê Văn Dũng" not in xlsx_text(rows)
