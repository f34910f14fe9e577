"""The test helper that opens exported workbooks (congvu/core/testing.py)."""

import io
from datetime import date

import pytest
import xlsxwriter
from django.http import HttpResponse, HttpResponseNotFound, StreamingHttpResponse

from congvu.core.tables import xlsx_response
from congvu.core.testing import XLSX_CONTENT_TYPE, xlsx_column, xlsx_rows, xlsx_sheet_names, xlsx_text


def _two_sheets() -> bytes:
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet("Đầu").write_row(0, 0, ["Mã", "Tên"])
    second = book.add_worksheet("Sau")
    second.write_row(0, 0, ["Khác"])
    second.write_row(1, 0, ["Giá trị"])
    book.close()
    return buffer.getvalue()


def test_reads_header_and_rows_of_an_export_response():
    response = xlsx_response(
        "x.xlsx",
        ["Mã", "Số", "Ngày", "Trống"],
        [["HS-1", 3, date(2025, 1, 31), None], ["HS-2", 2.5, None, "x"]],
    )
    assert xlsx_rows(response) == [
        ["Mã", "Số", "Ngày", "Trống"],
        ["HS-1", 3, date(2025, 1, 31), ""],
        ["HS-2", 2.5, "", "x"],
    ]


def test_an_empty_export_has_only_its_header():
    assert xlsx_rows(xlsx_response("x.xlsx", ["Mã", "Tên"], [])) == [["Mã", "Tên"]]


def test_reads_raw_bytes_and_a_sheet_by_index_or_name():
    content = _two_sheets()
    assert xlsx_sheet_names(content) == ["Đầu", "Sau"]
    assert xlsx_rows(content) == [["Mã", "Tên"]]
    assert xlsx_rows(content, sheet=1) == [["Khác"], ["Giá trị"]]
    assert xlsx_rows(content, sheet="Sau") == [["Khác"], ["Giá trị"]]


def test_reads_a_streaming_response():
    response = StreamingHttpResponse(iter([_two_sheets()]), content_type=XLSX_CONTENT_TYPE)
    assert xlsx_rows(response, sheet="Sau")[1] == ["Giá trị"]


def test_a_page_that_is_not_an_xlsx_fails_with_its_cause():
    with pytest.raises(AssertionError, match="HTTP 404"):
        xlsx_rows(HttpResponseNotFound("không có"))
    with pytest.raises(AssertionError, match="text/html"):
        xlsx_rows(HttpResponse("<html></html>"))


def test_column_and_text_helpers():
    rows = [["Mã", "Tên"], ["A", "Sở Xây dựng"], ["B", 2.0]]
    assert xlsx_column(rows, "Tên") == ["Sở Xây dựng", 2.0]
    with pytest.raises(ValueError):
        xlsx_column(rows, "Không có")
    text = xlsx_text(rows)
    assert "Sở Xây dựng" in text and "Sở Tư pháp" not in text
