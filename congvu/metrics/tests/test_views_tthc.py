"""The TTHC report page (Biểu 06a/06b, 766 score) and its Excel file laid out like the form."""

import io

import pytest
from python_calamine import CalamineWorkbook

from congvu.metrics.tests.test_tthc import world  # noqa: F401 - the hand-counted dossiers

pytestmark = pytest.mark.django_db

Q1 = "date_from=01/01/2025&date_to=31/03/2025"


def test_unit_report_shows_the_form_the_766_score_and_the_own_rate(client, world):  # noqa: F811
    client.force_login(world.focal)

    page = client.get(f"/metrics/tthc/?{Q1}")

    assert page.status_code == 200
    html = page.content.decode()
    assert "Biểu 06a" in html and "Sở Xây dựng" in html
    total = page.context["result"]["total"]
    assert total["cells"] == [11, 1, 9, 1, 6, 2, 3, 1, 5, 3, 2]
    assert "12.73" in html or "12,73" in html
    assert "= 20 × 7 / 11" in html
    assert "QĐ 766/QĐ-TTg" in html
    # The project's own rate knows no withdrawal, rejection or stop: over the dossiers received in Q1,
    # as of 31/03, C is on time, D late, and F G H I J M are open past their due date.
    own = page.context["own"]
    assert (own["done_on_time"], own["done_late"], own["open_overdue"]) == (1, 1, 6)


def test_province_report_is_06b_with_a_row_per_unit(client, world):  # noqa: F811
    client.force_login(world.inspector)

    page = client.get(f"/metrics/tthc/?{Q1}&suspended=apart")

    assert "Biểu 06b" in page.content.decode()
    rows = page.context["result"]["rows"]
    assert [(r["label"], r["in_progress"]) for r in rows] == [("Sở Xây dựng", 3)]
    assert "Đếm riêng" in page.content.decode()


def test_excel_is_laid_out_like_the_form(client, world):  # noqa: F811
    client.force_login(world.focal)

    response = client.get(f"/metrics/tthc/?{Q1}&format=xlsx")

    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0)
    rows = sheet.to_python()
    assert rows[0][0] == "Biểu số 06a/VPCP/KSTT"
    # ((first row, first col), (last row, last col)), 0-based: STT over three rows, the three groups,
    # "Trong đó" over two columns, "Tổng số" over two rows.
    merged = set(sheet.merged_cell_ranges)
    assert {((5, 0), (7, 0)), ((5, 2), (5, 5)), ((5, 6), (5, 9)), ((5, 10), (5, 12))} <= merged
    assert {((6, 3), (6, 4)), ((6, 2), (7, 2))} <= merged
    assert rows[8][:13] == [f"({i})" for i in range(1, 14)]
    assert [rows[r][1] for r in (9, 10, 11)] == ["Đất đai", "Xây dựng", "Tổng cộng"]
    assert [int(v) for v in rows[11][2:13]] == [11, 1, 9, 1, 6, 2, 3, 1, 5, 3, 2]


def test_a_bad_date_keeps_the_default_period_and_says_so(client, world):  # noqa: F811
    client.force_login(world.focal)

    page = client.get("/metrics/tthc/?date_from=31/02/2025")

    assert page.status_code == 200
    assert "form-errors" in page.content.decode()


def test_outsider_gets_404_for_another_units_report(client, world):  # noqa: F811
    client.force_login(world.outsider)

    assert client.get(f"/metrics/tthc/?unit=T-SXD&{Q1}").status_code == 404
    own = client.get(f"/metrics/tthc/?{Q1}")
    assert own.context["result"]["total"]["received"] == 0
