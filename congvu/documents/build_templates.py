"""Generates the default DOCX templates (one per kind) in Decree 30/2020 form, with the Jinja fields
docxtpl fills. Run it after changing the layout and commit the files it writes:

    .venv/bin/python -m congvu.documents.build_templates [OUT_DIR]

The layout (Decree 30/2020/NĐ-CP, Appendix I): A4 portrait; margins top/bottom 20 mm, left 30 mm, right
15 mm; Times New Roman; a two-column header table — left the superior body (13, upright caps) over the
issuing body (13, bold caps) with a short rule under it, then "Số: …"; right the national title (12,
bold caps) over the motto (13, bold) with a rule under it, then the place and date (14, italic); the
title (14, bold caps) and its summary line centred with a rule; body 14, justified; "Nơi nhận:" (12,
bold italic) with entries in 11 at the bottom left and the signer block at the bottom right; page
numbers centred in the header from page 2 (a different, empty first-page header).

Every text is one run, so each Jinja field stays inside one run (docxtpl needs that)."""

from __future__ import annotations

import sys
from datetime import datetime
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

FONT = "Times New Roman"
OUT_DIR = Path(__file__).resolve().parent / "templates_docx"
PAGE = {"width": 210, "height": 297, "top": 20, "bottom": 20, "left": 30, "right": 15}
TEXT_WIDTH = PAGE["width"] - PAGE["left"] - PAGE["right"]  # 165 mm
LEFT_COL, RIGHT_COL = 60, TEXT_WIDTH - 60
FIXED_TIME = datetime(2026, 1, 1)  # core properties fixed, so the XML parts are reproducible

NATIONAL_TITLE = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
CENTER, JUSTIFY, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.JUSTIFY, WD_ALIGN_PARAGRAPH.LEFT


def set_run_font(run, size: float, bold: bool = False, italic: bool = False) -> None:
    run.font.size = Pt(size)
    run.font.bold = bold
    run.font.italic = italic
    rpr = run._element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def para(
    container,
    text: str = "",
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align=JUSTIFY,
    first_line: float | None = None,
    after: float = 6,
    keep_with_next: bool = False,
):
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(after)
    fmt.line_spacing = 1.0
    if first_line is not None:
        fmt.first_line_indent = Mm(first_line)
    if keep_with_next:
        fmt.keep_with_next = True
    if text:
        set_run_font(p.add_run(text), size, bold, italic)
    return p


def body(container, text: str, **kw):
    """A body paragraph: 14 pt, justified, first line indented 10 mm."""
    kw.setdefault("first_line", 10)
    return para(container, text, **kw)


def tag(container, text: str):
    """A paragraph holding only a docxtpl block tag ({%p …%}); docxtpl removes the paragraph."""
    return para(container, text, size=14, after=0)


def rule(container, width_mm: float, column_mm: float):
    """A short horizontal rule of `width_mm`, centred in a column `column_mm` wide: the bottom border
    of an empty, tiny paragraph indented from both sides."""
    p = para(container, "", size=2, align=CENTER, after=4)
    side = max(0.0, (column_mm - width_mm) / 2)
    p.paragraph_format.left_indent = Mm(side)
    p.paragraph_format.right_indent = Mm(side)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    bottom.set(qn("w:val"), "single")
    bottom.set(qn("w:sz"), "6")
    bottom.set(qn("w:space"), "1")
    bottom.set(qn("w:color"), "000000")
    borders.append(bottom)
    ppr.insert(0, borders)  # pBdr comes before spacing, ind and jc in CT_PPr
    # A paragraph mark 2 pt high: the rule sits right under the line above.
    set_run_font(p.add_run(""), 2)
    return p


def plain_table(doc, rows: int, widths_mm: list[float], borders: bool = False):
    table = doc.add_table(rows=rows, cols=len(widths_mm))
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    tbl_pr = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tbl_pr.append(layout)
    if borders:
        table.style = doc.styles["Table Grid"]
    # LibreOffice lays a table out from its grid, Word from the cells: set both.
    for col, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        col.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
            # drop the empty paragraph python-docx puts in each new cell; callers add their own
            for p in list(cell.paragraphs):
                p._p.getparent().remove(p._p)
    return table


def cell_para(cell, text: str = "", **kw):
    kw.setdefault("align", CENTER)
    kw.setdefault("after", 0)
    return para(cell, text, **kw)


def close_cell(cell):
    """Word requires a paragraph in every cell."""
    if not cell.paragraphs:
        cell_para(cell, "", size=12)


def header_block(doc):
    table = plain_table(doc, rows=2, widths_mm=[LEFT_COL, RIGHT_COL])
    left, right = table.rows[0].cells
    cell_para(left, "{{ superior }}", size=13)
    cell_para(left, "{{ issuer_name }}", size=13, bold=True)
    rule(left, 25, LEFT_COL)
    cell_para(right, NATIONAL_TITLE, size=12, bold=True)
    cell_para(right, MOTTO, size=13, bold=True)
    rule(right, 62, RIGHT_COL)
    number, place_date = table.rows[1].cells
    cell_para(number, "{{ number_line }}", size=13)
    cell_para(place_date, "{{ place_date }}", size=14, italic=True)
    para(doc, "", size=12, after=6)


def title_block(doc, heading: str, addressed_to_chairman: bool = False):
    para(doc, heading, size=14, bold=True, align=CENTER, after=0, keep_with_next=True)
    para(doc, "{{ summary }}", size=14, bold=True, align=CENTER, after=0, keep_with_next=True)
    rule(doc, 40, TEXT_WIDTH)
    if addressed_to_chairman:
        para(doc, "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh.", size=14, align=CENTER, after=12)


def paragraphs(doc, var: str, **kw):
    """A block the team may edit: one paragraph per line of its text."""
    tag(doc, "{%p for line in " + var + " %}")
    body(doc, "{{ line }}", **kw)
    tag(doc, "{%p endfor %}")


def heading2(doc, text: str):
    para(doc, text, size=14, bold=True, align=JUSTIFY, first_line=10, keep_with_next=True)


def data_table(doc, loop: str, columns: list[tuple[str, float, str]]):
    """A bordered table: a bold header row, then one row per item of `loop` ("row in rows")."""
    table = plain_table(doc, rows=4, widths_mm=[w for _, w, _ in columns], borders=True)
    header, open_row, data, close_row = table.rows
    for cell, (title, _w, _f) in zip(header.cells, columns, strict=True):
        cell_para(cell, title, size=12, bold=True)
    cell_para(open_row.cells[0], "{%tr for " + loop + " %}", size=12)
    for cell, (_t, _w, field) in zip(data.cells, columns, strict=True):
        cell_para(cell, field, size=12, align=LEFT if len(field) > 20 else CENTER)
    cell_para(close_row.cells[0], "{%tr endfor %}", size=12)
    for row in table.rows:
        for cell in row.cells:
            close_cell(cell)
    para(doc, "", size=6, after=6)
    return table


def footer_block(doc):
    table = plain_table(doc, rows=1, widths_mm=[LEFT_COL + 15, RIGHT_COL - 15])
    left, right = table.rows[0].cells
    cell_para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=LEFT)
    cell_para(left, "{%p for r in recipients %}", size=11, align=LEFT)
    cell_para(left, "- {{ r }}", size=11, align=LEFT)
    cell_para(left, "{%p endfor %}", size=11, align=LEFT)
    cell_para(right, "{{ signer_authority }}", size=13, bold=True)
    cell_para(right, "{{ signer_title }}", size=13, bold=True)
    for _ in range(4):
        cell_para(right, "", size=14)
    cell_para(right, "{{ signer_name }}", size=14, bold=True)


def page_setup(doc):
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(PAGE["width"]), Mm(PAGE["height"])
    section.top_margin, section.bottom_margin = Mm(PAGE["top"]), Mm(PAGE["bottom"])
    section.left_margin, section.right_margin = Mm(PAGE["left"]), Mm(PAGE["right"])
    section.header_distance, section.footer_distance = Mm(10), Mm(10)
    # Page numbers from page 2: the first page has its own, empty header.
    section.different_first_page_header_footer = True
    first = section.first_page_header
    first.is_linked_to_previous = False
    first.paragraphs[0].text = ""
    header = section.header
    header.is_linked_to_previous = False
    p = header.paragraphs[0]
    p.paragraph_format.alignment = CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    field.append(run)
    p._p.append(field)
    from docx.text.run import Run

    page_run = Run(run, p)
    set_run_font(page_run, 13)
    page_run.text = "2"

    normal = doc.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    rfonts = normal.element.get_or_add_rPr().find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    props = doc.core_properties
    props.author = "Công vụ"
    props.last_modified_by = "Công vụ"
    props.created = props.modified = FIXED_TIME
    props.revision = 1
    props.title = ""


# --- the kinds ----------------------------------------------------------------------------


def build_plan(doc):
    title_block(doc, "KẾ HOẠCH")
    heading2(doc, "I. MỤC ĐÍCH, YÊU CẦU")
    paragraphs(doc, "purpose")
    heading2(doc, "II. NỘI DUNG, ĐỐI TƯỢNG VÀ THỜI GIAN KIỂM TRA")
    paragraphs(doc, "plan_content")
    body(doc, "Năm {{ year }} kiểm tra {{ items|length }} cơ quan, đơn vị theo danh sách sau:")
    data_table(
        doc,
        "row in items",
        [
            ("STT", 12, "{{ row.index }}"),
            ("Cơ quan, đơn vị được kiểm tra", 50, "{{ row.unit }}"),
            ("Thời gian kiểm tra", 22, "{{ row.month }}"),
            ("Thời kỳ kiểm tra", 36, "{{ row.period }}"),
            ("Nội dung kiểm tra", 45, "{{ row.content }}"),
        ],
    )
    heading2(doc, "III. TỔ CHỨC THỰC HIỆN")
    paragraphs(doc, "organisation")


def build_decision(doc):
    title_block(doc, "QUYẾT ĐỊNH")
    para(doc, "{{ deciding_authority }}", size=14, bold=True, align=CENTER, after=12)
    paragraphs(doc, "legal_basis", italic=True)
    para(doc, "QUYẾT ĐỊNH:", size=14, bold=True, align=CENTER, after=12)
    body(
        doc,
        "Điều 1. Thành lập Đoàn kiểm tra công vụ tại {{ unit_name }} (sau đây gọi là Đoàn kiểm tra), "
        "gồm các ông (bà) có tên sau:",
    )
    tag(doc, "{%p for m in members %}")
    body(doc, "{{ m.index }}. Ông (bà) {{ m.name }}{{ m.organisation }} — {{ m.role }};")
    tag(doc, "{%p endfor %}")
    body(
        doc,
        "Điều 2. Đoàn kiểm tra có nhiệm vụ kiểm tra tại {{ unit_name }} các nội dung: {{ content }}. "
        "Thời kỳ kiểm tra: từ ngày {{ period_from }} đến ngày {{ period_to }}.",
    )
    paragraphs(doc, "duties")
    body(
        doc,
        "Điều 3. Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng {{ unit_name }}, các ông (bà) có tên "
        "tại Điều 1 và các cơ quan, đơn vị có liên quan chịu trách nhiệm thi hành Quyết định này./.",
    )


def build_notice(doc):
    title_block(doc, "THÔNG BÁO")
    body(
        doc,
        "Thực hiện Quyết định số {{ decision_number }} ngày {{ decision_date }} về việc thành lập Đoàn kiểm "
        "tra công vụ, {{ issuer_title }} thông báo kiểm tra công vụ tại {{ unit_name }} như sau:",
    )
    body(
        doc,
        "1. Nội dung kiểm tra: {{ content }}. Thời kỳ kiểm tra: từ ngày {{ period_from }} đến ngày "
        "{{ period_to }}.",
    )
    body(doc, "2. Thời gian, địa điểm làm việc:")
    paragraphs(doc, "schedule")
    body(doc, "3. Hồ sơ, tài liệu đề nghị đơn vị chuẩn bị và gửi Đoàn kiểm tra:")
    tag(doc, "{%p for r in requests %}")
    body(doc, "- {{ r.title }}{{ r.due }};")
    tag(doc, "{%p endfor %}")
    body(doc, "4. Chọn mẫu hồ sơ ngẫu nhiên có thể kiểm chứng:")
    tag(doc, "{%p for s in samples %}")
    body(
        doc,
        "- {{ s.title }}: mã cam kết (SHA-256 của hạt giống) {{ s.commitment }}, công bố lúc "
        "{{ s.shown_at }}{{ s.reference }}.",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not samples %}")
    body(doc, "- Đoàn kiểm tra chưa lập mẫu chọn hồ sơ ngẫu nhiên cho cuộc kiểm tra này.")
    tag(doc, "{%p endif %}")
    paragraphs(doc, "requests_note")


def build_minutes(doc):
    title_block(doc, "BIÊN BẢN")
    paragraphs(doc, "place_time")
    heading2(doc, "I. THÀNH PHẦN")
    body(doc, "1. Đoàn kiểm tra (Quyết định số {{ decision_number }} ngày {{ decision_date }}):")
    tag(doc, "{%p for m in members %}")
    body(doc, "- Ông (bà) {{ m.name }}{{ m.organisation }} — {{ m.role }};")
    tag(doc, "{%p endfor %}")
    body(doc, "2. Đơn vị được kiểm tra: {{ unit_name }}; người đứng đầu và cấp phó trong thời kỳ kiểm tra:")
    tag(doc, "{%p for l in leaders %}")
    body(doc, "- Ông (bà) {{ l.name }} — {{ l.title }} ({{ l.period }});")
    tag(doc, "{%p endfor %}")
    heading2(doc, "II. KẾT QUẢ KIỂM TRA")
    tag(doc, "{%p for sheet in checklists %}")
    para(doc, "{{ sheet.title }}", size=14, bold=True, italic=True, first_line=10, keep_with_next=True)
    data_table(
        doc,
        "item in sheet.rows",
        [
            ("STT", 12, "{{ item.index }}"),
            ("Nội dung kiểm tra", 60, "{{ item.text }}"),
            ("Kết quả", 22, "{{ item.result }}"),
            ("Số liệu chốt, ghi chú", 71, "{{ item.notes }}"),
        ],
    )
    tag(doc, "{%p endfor %}")
    body(doc, "Kết quả kiểm tra ngẫu nhiên hồ sơ:")
    tag(doc, "{%p for line in sample_results %}")
    body(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}")
    body(doc, "Các lần rút mẫu của cuộc kiểm tra:")
    tag(doc, "{%p for d in sample_draws %}")
    body(
        doc,
        "- {{ d.title }}: rút lúc {{ d.at }}, người rút {{ d.by }}, "
        "tổng thể {{ d.population }} {{ d.word }}, mã cam kết {{ d.commitment }}{{ d.reason }}.",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not sample_draws %}")
    body(doc, "- Đoàn kiểm tra chưa rút mẫu nào.")
    tag(doc, "{%p endif %}")
    heading2(doc, "III. HẠN CHẾ, THIẾU SÓT, VI PHẠM")
    tag(doc, "{%p for f in findings %}")
    body(
        doc,
        "{{ f.index }}. [{{ f.category }}, mức độ {{ f.severity }}] {{ f.description }}{{ f.responsible }}",
    )
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not findings %}")
    body(doc, "Đoàn kiểm tra chưa ghi nhận hạn chế, thiếu sót, vi phạm.")
    tag(doc, "{%p endif %}")
    heading2(doc, "IV. Ý KIẾN CỦA ĐƠN VỊ ĐƯỢC KIỂM TRA")
    paragraphs(doc, "unit_opinion")
    body(doc, "Biên bản đã được đọc lại cho các bên cùng nghe, thống nhất và ký tên./.")


def build_conclusion(doc):
    title_block(doc, "THÔNG BÁO")
    body(
        doc,
        "Thực hiện Quyết định số {{ decision_number }} ngày {{ decision_date }}, Đoàn kiểm tra đã kiểm tra "
        "công vụ tại {{ unit_name }} (thời kỳ từ ngày {{ period_from }} đến ngày {{ period_to }}). Xét báo "
        "cáo kết quả kiểm tra của Đoàn, {{ issuer_title }} kết luận như sau:",
    )
    heading2(doc, "1. Nhận xét, đánh giá chung")
    paragraphs(doc, "assessment")
    heading2(doc, "2. Hạn chế, thiếu sót, vi phạm")
    tag(doc, "{%p for f in findings %}")
    body(doc, "{{ f.index }}. [{{ f.category }}] {{ f.description }}{{ f.responsible }}")
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p if not findings %}")
    body(doc, "Không có hạn chế, thiếu sót, vi phạm được xác nhận.")
    tag(doc, "{%p endif %}")
    heading2(doc, "3. Kiến nghị và thời hạn thực hiện")
    data_table(
        doc,
        "r in recommendations",
        [
            ("STT", 12, "{{ r.index }}"),
            ("Hình thức", 30, "{{ r.kind }}"),
            ("Đối tượng", 38, "{{ r.addressee }}"),
            ("Nội dung kiến nghị", 60, "{{ r.content }}"),
            ("Thời hạn", 25, "{{ r.deadline }}"),
        ],
    )
    heading2(doc, "4. Trách nhiệm của người đứng đầu, cấp phó")
    tag(doc, "{%p for o in responsible %}")
    body(doc, "- Ông (bà) {{ o.name }}{{ o.title }}: {{ o.what }}.")
    tag(doc, "{%p endfor %}")
    heading2(doc, "5. Tổ chức thực hiện")
    paragraphs(doc, "closing")


def build_report(doc):
    title_block(doc, "BÁO CÁO", addressed_to_chairman=True)
    heading2(doc, "I. KHÁI QUÁT CUỘC KIỂM TRA")
    body(
        doc,
        "Thực hiện Quyết định số {{ decision_number }} ngày {{ decision_date }}, Đoàn kiểm tra do ông (bà) "
        "{{ team_head }} làm Trưởng đoàn đã kiểm tra công vụ tại {{ unit_name }}; thời kỳ kiểm tra từ ngày "
        "{{ period_from }} đến ngày {{ period_to }}; nội dung: {{ content }}.",
    )
    heading2(doc, "II. KẾT QUẢ KIỂM TRA")
    body(doc, "1. Việc thực hiện nhiệm vụ được giao của người đứng đầu và từng cấp phó:")
    tag(doc, "{%p for l in leader_results %}")
    body(doc, "- {{ l.name }} ({{ l.title }}): {{ l.summary }}")
    tag(doc, "{%p endfor %}")
    body(doc, "2. Kiểm tra ngẫu nhiên hồ sơ:")
    tag(doc, "{%p for line in sample_results %}")
    body(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}")
    body(doc, "3. Hạn chế, thiếu sót, vi phạm:")
    tag(doc, "{%p for f in findings %}")
    body(doc, "{{ f.index }}. [{{ f.category }}] {{ f.description }}{{ f.responsible }}")
    tag(doc, "{%p endfor %}")
    heading2(doc, "III. ĐÁNH GIÁ CHUNG")
    paragraphs(doc, "assessment")
    heading2(doc, "IV. KIẾN NGHỊ, ĐỀ XUẤT")
    tag(doc, "{%p for r in recommendations %}")
    body(doc, "{{ r.index }}. {{ r.kind }} — {{ r.addressee }}: {{ r.sentence }}")
    tag(doc, "{%p endfor %}")
    paragraphs(doc, "proposals")


def build_year_report(doc):
    title_block(doc, "BÁO CÁO", addressed_to_chairman=True)
    heading2(doc, "I. KẾT QUẢ CÔNG TÁC KIỂM TRA CÔNG VỤ NĂM {{ year }}")
    body(
        doc,
        "Năm {{ year }}, {{ issuer_title }} đã tiến hành {{ totals.inspections }} cuộc kiểm tra công vụ "
        "({{ totals.scheduled }} theo kế hoạch, {{ totals.surprise }} đột xuất); ghi nhận "
        "{{ totals.findings }} hạn chế, thiếu sót, vi phạm; ban hành {{ totals.recommendations }} "
        "kiến nghị, trong đó "
        "{{ totals.recommendations_done }} đã hoàn thành, {{ totals.recommendations_open }} đang thực hiện "
        "({{ totals.recommendations_overdue }} quá hạn).",
    )
    data_table(
        doc,
        "row in inspections",
        [
            ("STT", 12, "{{ row.index }}"),
            ("Cơ quan, đơn vị", 45, "{{ row.unit }}"),
            ("Hình thức", 24, "{{ row.kind }}"),
            ("Quyết định", 30, "{{ row.decision }}"),
            ("Trạng thái", 26, "{{ row.status }}"),
            ("Phát hiện / kiến nghị", 28, "{{ row.findings }} / {{ row.recommendations }}"),
        ],
    )
    heading2(doc, "II. ĐÁNH GIÁ CHUNG")
    paragraphs(doc, "assessment")
    heading2(doc, "III. PHƯƠNG HƯỚNG, NHIỆM VỤ NĂM SAU")
    paragraphs(doc, "next_year")


def _proposal_table(doc, var: str, heading: str):
    heading2(doc, heading)
    tag(doc, "{%p if " + var + " %}")
    data_table(
        doc,
        "p in " + var,
        [
            ("STT", 12, "{{ p.index }}"),
            ("Cán bộ, đơn vị", 45, "{{ p.who }}"),
            ("Đề xuất", 35, "{{ p.value }}"),
            ("Lý do", 73, "{{ p.reasons }}"),
        ],
    )
    tag(doc, "{%p else %}")
    body(doc, "Không có.")
    tag(doc, "{%p endif %}")


def build_proposal(doc):
    title_block(doc, "TỜ TRÌNH", addressed_to_chairman=True)
    body(
        doc,
        "Căn cứ kết quả kiểm tra công vụ ({{ report_reference }}), {{ issuer_title }} kính trình Chủ tịch "
        "Ủy ban nhân dân tỉnh xem xét, quyết định như sau:",
    )
    paragraphs(doc, "basis")
    heading2(doc, "I. KẾT QUẢ KIỂM TRA")
    tag(doc, "{%p for line in result_lines %}")
    body(doc, "- {{ line }}")
    tag(doc, "{%p endfor %}")
    _proposal_table(doc, "handling", "II. ĐỀ XUẤT HÌNH THỨC XỬ LÝ")
    _proposal_table(doc, "discipline", "III. ĐỀ NGHỊ XEM XÉT KỶ LUẬT")
    _proposal_table(doc, "classification", "IV. ĐỀ XUẤT XẾP LOẠI CHẤT LƯỢNG CUỐI NĂM")
    paragraphs(doc, "closing")
    body(doc, "Kính trình Chủ tịch Ủy ban nhân dân tỉnh xem xét, quyết định./.")


BUILDERS = {
    "plan": build_plan,
    "decision": build_decision,
    "notice": build_notice,
    "minutes": build_minutes,
    "conclusion": build_conclusion,
    "report": build_report,
    "year-report": build_year_report,
    "proposal": build_proposal,
}


def build(kind: str):
    """The python-docx Document of one kind's default template."""
    doc = Document()
    page_setup(doc)
    header_block(doc)
    BUILDERS[kind](doc)
    footer_block(doc)
    return doc


def write_all(out_dir: Path = OUT_DIR) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in BUILDERS:
        path = out_dir / f"{kind}.docx"
        build(kind).save(path)
        written.append(path)
    return written


if __name__ == "__main__":
    for path in write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT_DIR):
        print(path)
