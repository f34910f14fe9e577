"""Excel exports of list pages."""

import io

from python_calamine import CalamineWorkbook

from congvu.core.tables import xlsx_response


def test_exported_text_never_becomes_a_formula():
    response = xlsx_response("x.xlsx", ["Nội dung"], [['=HYPERLINK("http://x","y")']])
    sheet = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    assert sheet[1][0] == '=HYPERLINK("http://x","y")'
