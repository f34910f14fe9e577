"""The per-unit planning sheet as Excel, laid out like the review sheets used in practice
(cadre-planning.md §6): "Phụ lục 1: Bảng rà soát, chuyển tiếp quy hoạch" grouped by term into I cấp
trưởng, II cấp phó, III đưa ra khỏi quy hoạch, and "Phụ lục 2: Bảng rà soát, bổ sung quy hoạch" for the
people added by decisions of the review year. Each row also carries the conditions that fail.

Professional level and political theory are columns of the form that Công vụ does not hold yet: they
are left empty for the unit to fill, never invented."""

from __future__ import annotations

import io

from django.http import HttpResponse

from congvu.core.tables import new_workbook
from congvu.planning.rules import ROLE_LABELS
from congvu.planning.selectors import SheetRow, UnitSheet

P1_HEADERS = [
    "Số TT",
    "Họ và tên",
    "Ngày sinh (Nam)",
    "Ngày sinh (Nữ)",
    "Chức vụ hiện tại",
    "Chức danh đã được quy hoạch",
    "Chức danh chuyển tiếp quy hoạch",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "QĐ quy hoạch",
    "Kết quả phân loại công chức 03 năm gần nhất",
    "Số tháng công tác còn lại (tính đến mốc)",
    "Điều kiện không đạt / chưa rõ",
    "Đề xuất của đơn vị",
]
P2_HEADERS = [
    "Số TT",
    "Họ và tên",
    "Ngày sinh (Nam)",
    "Ngày sinh (Nữ)",
    "Chức vụ hiện tại",
    "Chức danh đề xuất quy hoạch",
    "Trình độ chuyên môn",
    "Lý luận chính trị",
    "Kết quả phân loại công chức 03 năm gần nhất",
    "Số tháng công tác còn lại (tính đến mốc)",
    "Điều kiện không đạt / chưa rõ",
    "Đề xuất của đơn vị",
]


def _title(row: SheetRow, sheet: UnitSheet) -> str:
    return f"{ROLE_LABELS[row.entry.role]} {sheet.unit.name}" if row.entry else ""


def _issues(row: SheetRow) -> str:
    if row.check is None:
        return ""
    return "; ".join(f.text for f in row.check.flags if f.status != "dat")


def _proposal(row: SheetRow) -> str:
    entry, check = row.entry, row.check
    if entry is None:
        return ""
    if entry.status == "out":
        return f"Đã đưa ra khỏi quy hoạch ngày {entry.out_date:%d/%m/%Y}: {entry.out_reason}"
    if check and check.out_now:
        return "Đưa ra khỏi quy hoạch ngay (kỷ luật)"
    if check and check.out_at_review:
        return "Xem xét đưa ra khỏi quy hoạch khi rà soát"
    return "Tiếp tục quy hoạch"


def planning_workbook(sheet: UnitSheet) -> HttpResponse:
    buffer = io.BytesIO()
    book = new_workbook(buffer, in_memory=True)  # text as text: no formula, no live link
    title_fmt = book.add_format({"bold": True, "align": "center", "font_size": 13})
    head_fmt = book.add_format(
        {"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True, "valign": "vcenter"}
    )
    group_fmt = book.add_format({"bold": True, "border": 1})
    cell_fmt = book.add_format({"border": 1, "text_wrap": True, "valign": "top"})
    date_fmt = book.add_format({"border": 1, "num_format": "dd/mm/yyyy", "valign": "top"})

    def person_cells(ws, r, n, row):
        ws.write_number(r, 0, n, cell_fmt)
        ws.write_string(r, 1, row.official.full_name, cell_fmt)
        birth = row.official.birth_date
        male, female = (birth, None) if row.official.sex == "nam" else (None, birth)
        for col, value in ((2, male), (3, female)):
            if value:
                ws.write_string(r, col, value.strftime("%d/%m/%Y"), date_fmt)
            else:
                ws.write_blank(r, col, None, cell_fmt)
        ws.write_string(r, 4, row.post_text, cell_fmt)

    # Phụ lục 1 -------------------------------------------------------------------------------
    ws = book.add_worksheet("Phụ lục 1")
    ws.merge_range(
        0, 0, 0, len(P1_HEADERS) - 1,
        f"PHỤ LỤC 1: BẢNG RÀ SOÁT, CHUYỂN TIẾP QUY HOẠCH — {sheet.unit.name.upper()}",
        title_fmt,
    )  # fmt: skip
    ws.merge_range(
        1, 0, 1, len(P1_HEADERS) - 1,
        f"Rà soát ngày {sheet.on:%d/%m/%Y}; kết quả xếp loại các năm {', '.join(map(str, sheet.years))}",
        book.add_format({"italic": True, "align": "center"}),
    )  # fmt: skip
    for col, text in enumerate(P1_HEADERS):
        ws.write_string(3, col, text, head_fmt)
        ws.set_column(col, col, 6 if col == 0 else 22)
    r = 4
    ws.merge_range(r, 0, r, len(P1_HEADERS) - 1, f"NHIỆM KỲ {sheet.term}", group_fmt)
    r += 1
    groups = [
        ("I", "Chuyển tiếp quy hoạch cấp trưởng", sheet.planned_heads),
        ("II", "Chuyển tiếp quy hoạch cấp phó", sheet.planned_deputies),
        ("III", "Đưa ra khỏi quy hoạch", sheet.taken_out),
    ]
    for number, label, rows in groups:
        ws.merge_range(r, 0, r, len(P1_HEADERS) - 1, f"{number}. {label} ({len(rows)})", group_fmt)
        r += 1
        for n, row in enumerate(rows, start=1):
            person_cells(ws, r, n, row)
            ws.write_string(r, 5, _title(row, sheet), cell_fmt)
            ws.write_string(r, 6, _title(row, sheet) if row.entry.status == "in" else "", cell_fmt)
            ws.write_blank(r, 7, None, cell_fmt)
            ws.write_blank(r, 8, None, cell_fmt)
            ws.write_string(
                r, 9, f"{row.entry.decision_number} ngày {row.entry.decision_date:%d/%m/%Y}", cell_fmt
            )
            ws.write_string(r, 10, row.years_text, cell_fmt)
            if row.check and row.check.months_left is not None:
                ws.write_number(r, 11, row.check.months_left, cell_fmt)
            else:
                ws.write_blank(r, 11, None, cell_fmt)
            ws.write_string(r, 12, _issues(row), cell_fmt)
            ws.write_string(r, 13, _proposal(row), cell_fmt)
            r += 1
    ws.freeze_panes(4, 2)

    # Phụ lục 2 -------------------------------------------------------------------------------
    added = [
        row
        for row in sheet.planned_heads + sheet.planned_deputies
        if row.entry.decision_date.year == sheet.on.year
    ]
    ws = book.add_worksheet("Phụ lục 2")
    ws.merge_range(
        0, 0, 0, len(P2_HEADERS) - 1,
        f"PHỤ LỤC 2: BẢNG RÀ SOÁT, BỔ SUNG QUY HOẠCH — {sheet.unit.name.upper()} — NHIỆM KỲ {sheet.term}",
        title_fmt,
    )  # fmt: skip
    for col, text in enumerate(P2_HEADERS):
        ws.write_string(2, col, text, head_fmt)
        ws.set_column(col, col, 6 if col == 0 else 22)
    r = 3
    ws.merge_range(r, 0, r, len(P2_HEADERS) - 1, f"Số lượng đề nghị: {len(added)}", group_fmt)
    r += 1
    ws.merge_range(r, 0, r, len(P2_HEADERS) - 1, "Danh sách nhân sự giới thiệu", group_fmt)
    r += 1
    for n, row in enumerate(added, start=1):
        person_cells(ws, r, n, row)
        ws.write_string(r, 5, _title(row, sheet), cell_fmt)
        ws.write_blank(r, 6, None, cell_fmt)
        ws.write_blank(r, 7, None, cell_fmt)
        ws.write_string(r, 8, row.years_text, cell_fmt)
        if row.check and row.check.months_left is not None:
            ws.write_number(r, 9, row.check.months_left, cell_fmt)
        else:
            ws.write_blank(r, 9, None, cell_fmt)
        ws.write_string(r, 10, _issues(row), cell_fmt)
        ws.write_string(r, 11, _proposal(row), cell_fmt)
        r += 1

    # The unit's leaders in post ------------------------------------------------------------------
    ws = book.add_worksheet("Lãnh đạo hiện nay")
    headers = [
        "Số TT",
        "Họ và tên",
        "Ngày sinh (Nam)",
        "Ngày sinh (Nữ)",
        "Chức vụ hiện tại",
        "Kết quả phân loại 03 năm gần nhất",
    ]
    for col, text in enumerate(headers):
        ws.write_string(0, col, text, head_fmt)
        ws.set_column(col, col, 6 if col == 0 else 24)
    for n, row in enumerate(sheet.leaders, start=1):
        person_cells(ws, n, n, row)
        ws.write_string(n, 5, row.years_text, cell_fmt)
    book.close()
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    filename = f"quy-hoach-{sheet.unit.code}-{sheet.term}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
