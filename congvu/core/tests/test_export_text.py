"""Every workbook the application writes takes text as text (issue #14, item 3)."""

import io
import re
from datetime import date
from pathlib import Path

import pytest
import xlsxwriter

import congvu
from congvu.core.tables import TEXT_AS_TEXT, new_workbook, xlsx_response
from congvu.core.testing import LINK_LIKE_TEXTS, xlsx_links, xlsx_rows


def test_the_shared_export_writes_links_and_formulas_as_text():
    rows = [(text, date(2025, 1, 31), 3) for text in LINK_LIKE_TEXTS]
    response = xlsx_response("x.xlsx", ["Nội dung", "Ngày", "Số"], rows)
    assert xlsx_links(response) == []
    assert [row[0] for row in xlsx_rows(response)[1:]] == list(LINK_LIKE_TEXTS)


def test_a_workbook_without_the_options_would_make_links_so_the_check_can_fail():
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    book.add_worksheet().write(0, 0, LINK_LIKE_TEXTS[0])
    book.close()
    assert xlsx_links(buffer.getvalue()) != []


@pytest.mark.parametrize("asked", [{"strings_to_urls": True}, {"strings_to_formulas": True}])
def test_new_workbook_cannot_be_asked_to_convert_text(asked):
    buffer = io.BytesIO()
    book = new_workbook(buffer, in_memory=True, **asked)
    ws = book.add_worksheet()
    for r, text in enumerate(LINK_LIKE_TEXTS):
        ws.write(r, 0, text)
    book.close()
    assert xlsx_links(buffer.getvalue()) == []
    assert TEXT_AS_TEXT == {"strings_to_formulas": False, "strings_to_urls": False}


def test_every_workbook_of_the_application_is_made_by_new_workbook():
    """A workbook made directly with xlsxwriter would convert text again; tests may (they check)."""
    package = Path(congvu.__file__).parent
    direct = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "tests" not in path.parts
        and path != package / "core" / "tables.py"
        and re.search(r"xlsxwriter\.Workbook\(|from xlsxwriter import", path.read_text(encoding="utf-8"))
    ]
    assert direct == [], f"use congvu.core.tables.new_workbook in {direct}"
