"""A small organisation for the register tests, on top of the shared personas.

Sở Giao thông vận tải (T-SGTVT) merges into Sở Xây dựng (personas.unit, T-SXD) on 01/03/2025.
At T-SXD: Nguyễn Văn An is head until 30/06/2025 and Phạm Văn Hùng from 01/07/2025; Đặng Văn Cường
is the deputy for construction (xay-dung) in 2024–2025. Lê Văn Dũng heads T-STP (personas.other_unit).
Two officials are both called Trần Văn Nam, one at each unit."""

import csv
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter

from congvu.conftest import shared_fixture

MERGER = date(2025, 3, 1)

DOSSIER_HEADER = [
    "Mã hồ sơ",
    "Lĩnh vực",
    "Thủ tục",
    "Đơn vị",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Ngày hoàn thành",
    "Ngày trả kết quả",
    "Trạng thái",
    "Người xử lý",
    "Phiếu xin lỗi",
]
TASK_HEADER = [
    "Mã nhiệm vụ",
    "Nội dung",
    "Cơ quan giao",
    "Số văn bản giao",
    "Ngày văn bản giao",
    "Đơn vị chủ trì",
    "Lĩnh vực",
    "Loại sản phẩm",
    "Ngày nhận",
    "Hạn hoàn thành",
    "Ngày tham mưu",
    "Ngày hoàn thành",
    "Chất lượng",
    "Chủ động tham mưu",
    "Người phụ trách",
    "Ngày xử lý",
]


@dataclass
class Org:
    personas: object
    unit: object
    other: object
    old: object
    construction: object
    land: object
    an: object
    hung: object
    cuong: object
    dung: object
    nam_here: object
    nam_there: object


@shared_fixture
def org(personas):
    from congvu.org.models import Field
    from congvu.org.services import appointment_create, official_create, unit_create, unit_lineage_record

    unit, other = personas.unit, personas.other_unit
    old = unit_create(
        actor="test", code="T-SGTVT", name="Sở Giao thông vận tải", kind="department", parent=unit.parent
    )
    construction = Field.objects.get(code="xay-dung")
    land = Field.objects.get(code="dat-dai")
    an = official_create(actor="test", code="CB-001", full_name="Nguyễn Văn An")
    hung = official_create(actor="test", code="CB-002", full_name="Phạm Văn Hùng")
    cuong = official_create(actor="test", code="CB-003", full_name="Đặng Văn Cường")
    dung = official_create(actor="test", code="CB-004", full_name="Lê Văn Dũng")
    nam_here = official_create(actor="test", code="CB-005", full_name="Trần Văn Nam")
    nam_there = official_create(actor="test", code="CB-006", full_name="Trần Văn Nam")
    head = {"role": "head", "title": "Giám đốc Sở"}
    appointment_create(
        actor="test", official=an, unit=unit, start=date(2024, 1, 1), end=date(2025, 6, 30), **head
    )
    appointment_create(actor="test", official=hung, unit=unit, start=date(2025, 7, 1), **head)
    appointment_create(
        actor="test",
        official=cuong,
        unit=unit,
        role="deputy",
        title="Phó Giám đốc Sở",
        start=date(2024, 1, 1),
        end=date(2025, 12, 31),
        fields=[construction],
    )
    appointment_create(actor="test", official=dung, unit=other, start=date(2020, 1, 1), **head)
    for official, where in ((nam_here, unit), (nam_there, other)):
        appointment_create(
            actor="test",
            official=official,
            unit=where,
            role="other",
            title="Chuyên viên",
            start=date(2023, 1, 1),
        )
    unit_lineage_record(actor="test", event="merge", predecessors=[old], successors=[unit], date=MERGER)
    old.refresh_from_db()
    return Org(personas, unit, other, old, construction, land, an, hung, cuong, dung, nam_here, nam_there)


def write_csv(path, header, rows, *, encoding="utf-8", delimiter=",", above=(), below=()):
    """A CSV as spreadsheets save it: optional title lines above the header, lines below the data."""
    with open(path, "w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        for line in above:
            writer.writerow(line)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
        for line in below:
            writer.writerow(line)
    return path


def write_xlsx(path, header, rows, *, above=(), below=(), first_column=0):
    """An XLSX with real date cells for datetime values; optionally starting at a later column."""
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Dữ liệu")
    date_format = book.add_format({"num_format": "dd/mm/yyyy"})
    for r, line in enumerate([*above, header, *rows, *below]):
        for c, value in enumerate(line):
            if isinstance(value, datetime):
                sheet.write_datetime(r, c + first_column, value, date_format)
            elif value is not None and value != "":
                sheet.write(r, c + first_column, value)
    book.close()
    return path


def dossier(code="HS-001", **kw):
    """One dossier row in DOSSIER_HEADER order; keyword arguments override columns by key."""
    values = {
        "code": code,
        "field": "xay-dung",
        "procedure": "Cấp giấy phép xây dựng",
        "unit": "T-SXD",
        "received": "06/01/2025",
        "due": "20/01/2025",
        "completed": "17/01/2025",
        "returned": "20/01/2025",
        "status": "Đã trả kết quả",
        "handler": "",
        "apology": "",
    }
    values.update(kw)
    return [values[k] for k in values]


def task(code="NV-001", **kw):
    values = {
        "code": code,
        "content": "Tham mưu kế hoạch cải cách hành chính năm 2025",
        "authority": "UBND tỉnh",
        "number": "125/UBND-NC",
        "doc_date": "06/01/2025",
        "unit": "T-SXD",
        "field": "xay-dung",
        "product": "Văn bản hành chính",
        "received": "08/01/2025",
        "due": "28/02/2025",
        "advised": "20/02/2025",
        "completed": "25/02/2025",
        "quality": "Đạt",
        "proactive": "",
        "responsible": "",
        "handled": "10/01/2025",
    }
    values.update(kw)
    return [values[k] for k in values]
