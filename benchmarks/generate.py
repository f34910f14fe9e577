"""Deterministic synthetic registers for the benchmark: 150 units, 40 fields, a head and two deputies per
unit, 1M dossiers and 100k tasks received over 2024–2025, dated on the official working-day calendar.

Rows are produced as tuples of plain strings (never a list of a million dicts: DESIGN "Measured
pitfalls") and written as CSV in the importer's template format (`DOSSIER_HEADER`, `TASK_HEADER`)."""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from benchmarks.workcal import working_days

SEED = 2025
UNITS = 150
FIELDS = 40
FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2025, 12, 31)
AS_OF = date(2025, 12, 31)
CALENDAR_START = date(2023, 1, 1)
CALENDAR_END = date(2027, 12, 31)
SOURCE = "bench"

# The importer's template headers (`congvu.registers.columns`), in file order.
DOSSIER_HEADER = [
    "Mã hồ sơ",
    "Đơn vị",
    "Lĩnh vực",
    "Thủ tục",
    "Người xử lý",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Ngày hoàn thành",
    "Ngày trả kết quả",
    "Trạng thái",
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
    "Người phụ trách",
    "Ngày nhận",
    "Ngày xử lý",
    "Ngày tham mưu",
    "Hạn hoàn thành",
    "Ngày hoàn thành",
    "Chất lượng",
    "Số lần trả lại",
    "Chủ động tham mưu",
]

PROCEDURES = [
    "Cấp giấy chứng nhận quyền sử dụng đất",
    "Cấp giấy phép xây dựng",
    "Đăng ký khai sinh",
    "Đăng ký kết hôn",
    "Cấp giấy phép kinh doanh",
    "Chứng thực bản sao",
    "Cấp phiếu lý lịch tư pháp",
    "Đăng ký biến động đất đai",
]
AUTHORITIES = [
    "Trung ương",
    "Tỉnh ủy",
    "Ban Thường vụ Tỉnh ủy",
    "HĐND tỉnh",
    "UBND tỉnh",
    "Chủ tịch UBND tỉnh",
]
PRODUCTS = ["Văn bản hành chính", "Văn bản QPPL", "Nội dung trình HĐND", "Báo cáo", "Khác"]
QUALITIES = ("Đạt", "Không đạt", "Trả lại", "")
DEADLINES = [1, 2, 3, 5, 5, 7, 10, 10, 15, 20, 30]


def unit_codes() -> list[str]:
    return [f"BM-U{i:03d}" for i in range(1, UNITS + 1)]


def field_codes() -> list[str]:
    return [f"BM-F{i:02d}" for i in range(1, FIELDS + 1)]


def official_codes(unit_code: str) -> list[tuple[str, str]]:
    """(official code, role) for the head and the two deputies of a unit."""
    return [(f"{unit_code}-H", "head"), (f"{unit_code}-D1", "deputy"), (f"{unit_code}-D2", "deputy")]


class _Days:
    """Working-day arithmetic over the generation calendar, on plain lists (fast, no database)."""

    def __init__(self) -> None:
        table = working_days(CALENDAR_START, CALENDAR_END)
        self.ordinal = {d: o for d, o, _ in table}
        self.working = [d for d, _, w in table if w]
        first, last = self.ordinal[FIRST_DAY], self.ordinal[LAST_DAY]
        self.receipt_days = self.working[first : last - 1]

    def add(self, day: date, n: int) -> date:
        """The n-th working day after `day` (`day` itself not counted): DESIGN `add(d, n)`."""
        return self.working[self.ordinal[day] - 1 + n]


def _vn(day: date | None) -> str:
    """Dates as Vietnamese users type them: 31/01/2025."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}" if day else ""


def dossier_rows(count: int, seed: int = SEED) -> Iterator[tuple[str, ...]]:
    """`count` dossiers: ~3% without a deadline, ~88% of the rest on time, the others late by 1–15
    working days; those whose completion would fall after the last day are still open."""
    rng = random.Random(seed)
    days = _Days()
    units, fields = unit_codes(), field_codes()
    receipt_days = days.receipt_days
    for i in range(count):
        unit = units[rng.randrange(UNITS)]
        received = receipt_days[rng.randrange(len(receipt_days))]
        allowed = DEADLINES[rng.randrange(len(DEADLINES))]
        due = None if rng.random() < 0.03 else days.add(received, allowed)
        late = rng.random() < 0.12
        took = allowed + rng.randint(1, 15) if late else rng.randint(0, allowed)
        completed = days.add(received, took)
        returned = days.add(completed, rng.randint(0, 2))
        if completed > LAST_DAY or rng.random() < 0.02:
            completed = returned = None
        handler = "" if rng.random() < 0.2 else official_codes(unit)[rng.randrange(3)][0]
        yield (
            f"HS-{i + 1:07d}",
            unit,
            fields[rng.randrange(FIELDS)],
            PROCEDURES[rng.randrange(len(PROCEDURES))],
            handler,
            _vn(received),
            _vn(due),
            _vn(completed),
            _vn(returned),
            "Đã trả kết quả" if completed else "Đang xử lý",
            "x" if (late and completed and due and rng.random() < 0.7) else "",
        )


def task_rows(count: int, seed: int = SEED + 1) -> Iterator[tuple[str, ...]]:
    """`count` tasks with receipt → handling → advice → completion stages, quality and initiative."""
    rng = random.Random(seed)
    days = _Days()
    units, fields = unit_codes(), field_codes()
    receipt_days = days.receipt_days
    for i in range(count):
        unit = units[rng.randrange(UNITS)]
        received = receipt_days[rng.randrange(len(receipt_days))]
        allowed = rng.choice((5, 10, 15, 20, 30, 45, 60))
        due = None if rng.random() < 0.05 else days.add(received, allowed)
        late = rng.random() < 0.15
        took = allowed + rng.randint(1, 20) if late else rng.randint(2, allowed)
        handled = days.add(received, rng.randint(0, max(1, took // 3)))
        advised = days.add(handled, rng.randint(0, max(1, took // 3)))
        completed = days.add(received, took)
        if completed < advised:
            completed = advised
        if completed > LAST_DAY or rng.random() < 0.03:
            completed = None
            if advised > LAST_DAY:
                advised = None
            if handled > LAST_DAY:
                handled = None
        quality = ""
        if completed:
            quality = rng.choices(QUALITIES, (80, 6, 9, 5))[0]
        field = "" if rng.random() < 0.1 else fields[rng.randrange(FIELDS)]
        document_date = days.add(received, -rng.randint(1, 5))
        yield (
            f"NV-{i + 1:06d}",
            f"Nhiệm vụ tổng hợp số {i + 1}: triển khai, báo cáo kết quả thực hiện",
            AUTHORITIES[rng.randrange(len(AUTHORITIES))],
            f"{rng.randint(1, 9999)}/UBND-TH",
            _vn(document_date),
            unit,
            field,
            PRODUCTS[rng.randrange(len(PRODUCTS))],
            official_codes(unit)[rng.randrange(3)][0],
            _vn(received),
            _vn(handled),
            _vn(advised),
            _vn(due),
            _vn(completed),
            quality,
            str(rng.choices((0, 1, 2, 3), (85, 10, 4, 1))[0]),
            "x" if rng.random() < 0.2 else "",
        )


def write_csv(path: Path, header: list[str], rows: Iterator[tuple[str, ...]]) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            n += 1
    return n


# --- The official form (Sổ theo dõi hồ sơ, TT 03/2025/TT-VPCP Mẫu 07) --------------------------

# Bump when `official_rows` or the form's writer change: the files of an earlier run are reused by name.
OFFICIAL_VERSION = 1
# The columns both official-form benchmark files carry, in the template's words: what the official
# form holds (no handler, status, apology or channel column), plus the field for the template.
OFFICIAL_HEADER = [
    "Mã hồ sơ",
    "Đơn vị",
    "Lĩnh vực",
    "Thủ tục",
    "Ngày tiếp nhận",
    "Hạn xử lý",
    "Ngày hoàn thành",
    "Ngày trả kết quả",
    "Ghi chú",
]
# The form's two header rows as the demo's one-stop desk writes them
# (`congvu.demo.registers._OfficialForm`; a test checks they agree).
OFFICIAL_TOP = ["TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức"]
OFFICIAL_TOP += ["Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm", "", "", ""]
OFFICIAL_TOP += ["Trả kết quả", "", "Ghi chú"]
OFFICIAL_SUB = ["", "", "", "", "", "", "", "Nhận hồ sơ", "Hẹn trả kết quả"]
OFFICIAL_SUB += ["Chuyển hồ sơ đến cơ quan giải quyết", "Nhận kết quả từ cơ quan giải quyết"]
OFFICIAL_SUB += ["Ngày, tháng, năm", "Ký nhận", ""]
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Vũ", "Đặng", "Bùi")
_GIVEN = ("Văn An", "Thị Bình", "Văn Cường", "Thị Dung", "Minh Đức", "Thu Hà", "Quốc Huy", "Ngọc Lan")


def unit_name(code: str) -> str:
    """The name the benchmark gives a unit (`steps.reference_data`); the official form writes it."""
    return f"Đơn vị thử {code[-3:]}"


def official_procedures() -> list[tuple[str, str]]:
    """(field code, procedure name): three procedures per field, each name in one field only, since
    the official form has no field column and the importer reads it from the procedure catalogue."""
    return [
        (field, f"{PROCEDURES[(i * 3 + j) % len(PROCEDURES)]} (nhóm {i + 1:02d}.{j + 1})")
        for i, field in enumerate(field_codes())
        for j in range(3)
    ]


def official_rows(count: int, seed: int = SEED + 2) -> Iterator[tuple[str, ...]]:
    """`count` dossiers in `OFFICIAL_HEADER` order, dated like `dossier_rows`, each with a procedure of
    the catalogue and that procedure's field. The notes carry the events a desk writes there: ~6% a
    supplement request (supplied a few days later when the dossier is done, still waiting when it is
    open), ~1% a second request after the papers came, ~1% of the open ones a withdrawal."""
    rng = random.Random(seed)
    days = _Days()
    units, procedures = unit_codes(), official_procedures()
    receipt_days = days.receipt_days
    for i in range(count):
        unit = units[rng.randrange(UNITS)]
        field, procedure = procedures[rng.randrange(len(procedures))]
        received = receipt_days[rng.randrange(len(receipt_days))]
        allowed = DEADLINES[rng.randrange(len(DEADLINES))]
        due = None if rng.random() < 0.03 else days.add(received, allowed)
        took = allowed + rng.randint(1, 15) if rng.random() < 0.12 else rng.randint(0, allowed)
        completed = days.add(received, took)
        returned = days.add(completed, rng.randint(0, 2))
        if completed > LAST_DAY or rng.random() < 0.02:
            completed = returned = None
        end = completed or LAST_DAY
        notes = []
        draw = rng.random()
        asked = days.add(received, 1)
        supplied = days.add(asked, rng.randint(1, 3))
        if draw < 0.06 and supplied <= end:
            notes.append(f"Yêu cầu bổ sung hồ sơ ngày {_vn(asked)}")
            if completed or rng.random() < 0.5:
                notes.append(f"Đã bổ sung ngày {_vn(supplied)}")
                again = days.add(supplied, 1)
                if draw < 0.01 and again < end:
                    notes.append(f"Yêu cầu bổ sung lần 2 ngày {_vn(again)}")
                    if completed:
                        notes.append(f"Công dân bổ sung ngày {_vn(end)}")
        elif draw < 0.07 and completed is None and days.add(received, 2) <= LAST_DAY:
            notes.append(f"Công dân rút hồ sơ ngày {_vn(days.add(received, 2))}")
        yield (
            f"MC-{i + 1:07d}",
            unit,
            field,
            procedure,
            _vn(received),
            _vn(due),
            _vn(completed),
            _vn(returned),
            "; ".join(notes),
        )


def write_official_csv(path: Path, rows: Iterator[tuple[str, ...]]) -> int:
    """The rows of `official_rows` as a one-stop desk exports its register in the official form: title
    lines, the two header rows with merged cells (blanks in CSV), the column numbers, the rows (the
    unit by name, the applicant's name and address that the importer skips, the return date after
    the completion date), the footer."""
    path.parent.mkdir(parents=True, exist_ok=True)
    n = 0
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["UBND TỈNH THỬ", "", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        writer.writerow(
            ["TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG", "", "", "", "", "", "", "Độc lập - Tự do - Hạnh phúc"]
        )
        writer.writerow([])
        writer.writerow(["SỔ THEO DÕI HỒ SƠ"])
        writer.writerow(["Quyển số: 01"])
        writer.writerow(OFFICIAL_TOP)
        writer.writerow(OFFICIAL_SUB)
        writer.writerow([f"({i})" for i in range(1, len(OFFICIAL_TOP) + 1)])
        for code, unit, _field, procedure, received, due, completed, returned, notes in rows:
            n += 1
            applicant = f"{_FAMILY[n % 8]} {_GIVEN[n // 8 % 8]}"
            address = f"Số {n % 500 + 1}, đường Thử Nghiệm, 09{n % 100_000_000:08d}"
            writer.writerow(
                [n, code, procedure, 1, applicant, address, unit_name(unit), received, due, "", completed,
                 returned, "", notes]
            )  # fmt: skip
        writer.writerow([f"Tổng số: {n} hồ sơ"])
        signature = [""] * 11  # under "Trả kết quả", as the demo's desk signs
        for line in (f"Ngày {LAST_DAY:%d} tháng {LAST_DAY:%m} năm {LAST_DAY:%Y}", "NGƯỜI LẬP SỔ"):
            writer.writerow([*signature, line])
        for line in ("(Ký, ghi rõ họ tên)", "Nguyễn Thị Lập"):
            writer.writerow([*signature, line])
    return n
