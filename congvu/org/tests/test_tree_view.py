from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_text

pytestmark = pytest.mark.django_db
URL = reverse("org:tree")


def test_tree_as_of_a_date_typed_dd_mm_yyyy(client, org):
    client.force_login(org.personas.inspector)
    before = client.get(URL, {"date": "28/02/2025"}).content.decode()
    after = client.get(URL, {"date": "01/03/2025"}).content.decode()
    assert "Sở Giao thông vận tải" in before and "Cơ cấu tổ chức ngày 28/02/2025" in before
    assert "Sở Giao thông vận tải" not in after


def test_bad_date_says_so_and_falls_back_to_today(client, org):
    client.force_login(org.personas.inspector)
    response = client.get(URL, {"date": "31/02/2025"})
    assert response.status_code == 200
    assert "Nhập một ngày hợp lệ" in response.content.decode() or "valid date" in response.content.decode()


def test_outsider_sees_only_their_own_unit_in_the_tree(client, org):
    client.force_login(org.personas.outsider)
    body = client.get(URL, {"date": "28/02/2025"}).content.decode()
    assert "Sở Tư pháp" in body
    assert "Sở Xây dựng" not in body and "Sở Giao thông vận tải" not in body


def test_unit_user_sees_the_units_their_unit_absorbed(client, org):
    client.force_login(org.personas.focal)
    body = client.get(URL, {"date": "28/02/2025"}).content.decode()
    assert "Sở Giao thông vận tải" in body and "Sở Tư pháp" not in body


def test_search_and_excel_export(client, org):
    client.force_login(org.personas.lead)
    assert "T-SGTVT" in client.get(URL, {"date": "01/01/2025", "q": "giao thong"}).content.decode()
    response = client.get(URL, {"date": "01/01/2025", "format": "xlsx"})
    assert response["Content-Disposition"].endswith('co-cau-to-chuc-2025-01-01.xlsx"')
    header, *rows = xlsx_rows(response)
    assert header == ["Đơn vị", "Mã", "Loại", "Cấp trên", "Hiệu lực từ", "Hiệu lực đến"]
    # The tree, children indented under the province; the merged department still in force then.
    assert [row[:2] for row in rows] == [
        ["UBND tỉnh Thử", "T-UBND"],
        ["    Sở Giao thông vận tải", "T-SGTVT"],
        ["    Sở Tư pháp", "T-STP"],
        ["    Sở Xây dựng", "T-SXD"],
    ]
    assert rows[1][3:] == ["UBND tỉnh Thử", "", date(2025, 2, 28)]
    found = xlsx_rows(client.get(URL, {"date": "01/01/2025", "q": "giao thong", "format": "xlsx"}))
    assert [row[1] for row in found[1:]] == ["T-SGTVT"]


def test_unit_users_export_only_their_unit_and_what_it_absorbed(client, org):
    client.force_login(org.personas.focal)
    rows = xlsx_rows(client.get(URL, {"date": "01/01/2025", "format": "xlsx"}))
    assert [row[:2] for row in rows[1:]] == [["Sở Giao thông vận tải", "T-SGTVT"], ["Sở Xây dựng", "T-SXD"]]
    assert "T-STP" not in xlsx_text(rows) and "Sở Tư pháp" not in xlsx_text(rows)
    client.force_login(org.personas.outsider)
    rows = xlsx_rows(client.get(URL, {"date": "01/01/2025", "format": "xlsx"}))
    assert [row[:2] for row in rows[1:]] == [["Sở Tư pháp", "T-STP"]]
    assert "T-SXD" not in xlsx_text(rows) and "T-SGTVT" not in xlsx_text(rows)


def test_lineage_button_only_for_admin(client, org):
    client.force_login(org.personas.admin)
    assert reverse("org:lineage_record") in client.get(URL).content.decode()
    client.force_login(org.personas.inspector)
    assert reverse("org:lineage_record") not in client.get(URL).content.decode()
