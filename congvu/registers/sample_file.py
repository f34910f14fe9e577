"""The downloadable import template of each register (tệp mẫu): a sheet with the header row and one
example row, and a sheet describing every column and the values it accepts.

The example row is marked so that it cannot be imported by accident: its code is `EXAMPLE_CODE`
("VI-DU-XOA-DONG-NAY"), its cells are yellow and italic, and the code cell carries a comment; the
importer refuses a file that still holds that row and names it."""

from __future__ import annotations

import io
from datetime import datetime

from congvu.core.tables import new_workbook
from congvu.registers.columns import EXAMPLE_CODE, REGISTERS
from congvu.registers.validation import parse_date


def build_template(register: str) -> bytes:
    spec = REGISTERS[register]
    buffer = io.BytesIO()
    book = new_workbook(buffer, in_memory=True)
    bold = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    required = book.add_format({"bold": True, "bg_color": "#FCE4D6", "border": 1, "text_wrap": True})
    # The example row: yellow and italic, so that nobody takes it for data.
    example = book.add_format({"italic": True, "bg_color": "#FFF2CC", "font_color": "#7F6000"})
    date_format = book.add_format(
        {"num_format": "dd/mm/yyyy", "italic": True, "bg_color": "#FFF2CC", "font_color": "#7F6000"}
    )
    wrap = book.add_format({"text_wrap": True, "valign": "top"})

    sheet = book.add_worksheet("Mẫu nhập")
    for col, column in enumerate(spec.columns):
        sheet.write_string(0, col, column.header, required if column.required else bold)
        value = EXAMPLE_CODE if column.key == "code" else column.example
        sheet.set_column(col, col, max(14, min(40, len(value) + 4)))
        iso = parse_date(value) if column.kind == "date" and value else None
        if isinstance(iso, str):
            sheet.write_datetime(1, col, datetime.fromisoformat(iso), date_format)
        else:
            sheet.write_string(1, col, value, example)
        if column.key == "code":
            sheet.write_comment(
                1,
                col,
                f"Dòng ví dụ: xóa dòng này trước khi nhập. Tệp còn dòng có mã {EXAMPLE_CODE} sẽ bị từ chối.",
                {"visible": False, "x_scale": 2},
            )
    sheet.freeze_panes(1, 0)

    guide = book.add_worksheet("Hướng dẫn")
    guide.set_column(0, 0, 24)
    guide.set_column(1, 1, 12)
    guide.set_column(2, 2, 80)
    guide.set_column(3, 3, 40)
    guide.write_string(
        0, 0, f"Mẫu nhập {str(spec.label).lower()}", book.add_format({"bold": True, "font_size": 13})
    )
    notes = [
        f"Dòng 2 (mã {EXAMPLE_CODE}, tô vàng) là dòng ví dụ: xóa dòng này rồi điền dữ liệu từ dòng 2. "
        "Tệp còn dòng ví dụ sẽ bị từ chối.",
        "Giữ nguyên dòng tiêu đề; có thể thêm dòng tiêu đề báo cáo phía trên và dòng “Tổng cộng” phía dưới.",
        "Cột tô cam là bắt buộc. Tên cột không phân biệt hoa thường, có dấu hay không; chấp nhận cả các "
        "tên khác ở cột D. Thiếu một cột không bắt buộc thì giá trị đã lưu của cột đó được giữ nguyên.",
        "Tệp CSV (UTF-8, dấu phẩy hoặc chấm phẩy) hoặc Excel (.xlsx). Chữ gõ bằng phông TCVN3 (ABC) hay VNI "
        "được tự động chuyển sang Unicode.",
        "Nhập lại cùng tệp không thay đổi gì; tệp đã sửa chỉ cập nhật các dòng thay đổi. Có lỗi ở bất kỳ "
        "dòng nào thì không dòng nào được lưu, và mọi lỗi được báo kèm số dòng, tên cột và lý do.",
    ]
    for r, note in enumerate(notes, start=1):
        guide.write_string(r, 0, "• " + note)
    top = len(notes) + 2
    for col, title in enumerate(
        ("Cột", "Bắt buộc", "Nội dung và giá trị chấp nhận", "Tên cột khác được chấp nhận")
    ):
        guide.write_string(top, col, title, bold)
    for r, column in enumerate(spec.columns, start=top + 1):
        guide.write_string(r, 0, column.header, wrap)
        guide.write_string(r, 1, "Có" if column.required else "Không", wrap)
        guide.write_string(r, 2, column.description, wrap)
        guide.write_string(r, 3, ", ".join(column.aliases), wrap)
    book.close()
    return buffer.getvalue()
