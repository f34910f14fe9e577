"""Demo step: the registers of assigned tasks and of administrative-procedure dossiers, 2024-01-01 …
2026-11-27, loaded through the real importer (`congvu.registers.imports.import_file`), so every load
is validated, recorded as an import run and audited.

What the numbers look like, deterministically from `ctx.rng`:

* dossiers go to the units that existed on their receipt day — the former districts, communes and
  departments until their merger, the new ones after — weighted by kind; tasks mostly to departments;
* most work is done on time; each unit has its own lateness (a few units are much worse than the
  rest), work received in the three weeks before Tết and the week after runs late more often;
  some work is still open at the end of the period, some of it overdue, and a few old dossiers never
  closed;
* dossier deadlines are procedures' working-day limits on the official calendar; tasks move receipt →
  handling → advice → completion with working-day gaps, come from every assigning authority (Trung
  ương, Tỉnh ủy, Ban Thường vụ/Thường trực Tỉnh ủy, HĐND, UBND, Chủ tịch UBND), include legal
  normative documents and HĐND submissions, and some were proposed on the agency's own initiative;
* who was responsible is left to the importer (the field's deputy, else the head, on the day), except
  for a share of tasks whose file names the leader;
* the demo focal points of Sở Xây dựng and of the demo commune import their own unit's rows (one of
  them also leaves a rejected file with errors in the history and a dry run); Sở Xây dựng's one-stop
  desk keeps its dossier register in the official form (Sổ theo dõi hồ sơ, TT 03/2025/TT-VPCP Mẫu 07:
  title lines, grouped header, column numbers, footer) and imports it as it is, its fields found in the
  procedure catalogue (the demo's procedures are added to it). The official form has no column for
  the handler or the apology slip: for that desk the importer resolves the handler, and no apology is
  recorded.
"""

from __future__ import annotations

import csv
import tempfile
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

from congvu.accounts.models import User
from congvu.core.text import fold
from congvu.org.models import Appointment, AppointmentRole, Field, Unit, UnitKind
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.columns import DOSSIERS, TASKS
from congvu.registers.imports import import_file

FIRST_DAY = date(2024, 1, 1)
LAST_DAY = date(2026, 11, 27)
VOLUMES = {"small": (2_000, 300), "medium": (60_000, 4_000), "large": (1_000_000, 100_000)}
TET = (date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17))
SOURCE = "demo"

# Working-day limits of procedures and their weights (most are short).
DOSSIER_LIMITS = ((1, 10), (2, 8), (3, 16), (5, 20), (7, 10), (10, 14), (15, 10), (20, 7), (30, 5))
TASK_LIMITS = ((10, 20), (15, 20), (20, 20), (30, 20), (45, 10), (60, 10))
AUTHORITIES = (
    ("central", 10),
    ("party_committee", 8),
    ("party_standing", 10),
    ("peoples_council", 10),
    ("ppc", 42),
    ("ppc_chairman", 20),
)
DOCUMENT_SUFFIX = {
    "central": ("TTg-KTTH", "VPCP-KSTT", "BNV-CCVC"),
    "party_committee": ("TU", "KL-TU", "CT-TU"),
    "party_standing": ("TB-TU", "BTV-TU", "TT-TU"),
    "peoples_council": ("HĐND-VP", "NQ-HĐND", "TTHĐND"),
    "ppc": ("UBND-NC", "UBND-TH", "KH-UBND", "QĐ-UBND"),
    "ppc_chairman": ("UBND-KT", "TB-UBND", "CĐ-UBND"),
}
PROCEDURES = {
    "dat-dai": (
        "Đăng ký biến động quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
        "Cấp Giấy chứng nhận quyền sử dụng đất lần đầu",
        "Tách thửa hoặc hợp thửa đất",
        "Chuyển mục đích sử dụng đất",
        "Cấp đổi Giấy chứng nhận quyền sử dụng đất",
    ),
    "xay-dung": (
        "Cấp giấy phép xây dựng nhà ở riêng lẻ",
        "Cấp giấy phép xây dựng công trình",
        "Thẩm định báo cáo nghiên cứu khả thi đầu tư xây dựng",
        "Điều chỉnh giấy phép xây dựng",
    ),
    "ho-tich": (
        "Đăng ký khai sinh",
        "Đăng ký kết hôn",
        "Đăng ký khai tử",
        "Cấp giấy xác nhận tình trạng hôn nhân",
        "Trích lục hộ tịch",
    ),
    "chung-thuc": (
        "Chứng thực bản sao từ bản chính",
        "Chứng thực chữ ký trong giấy tờ, văn bản",
        "Chứng thực hợp đồng, giao dịch",
    ),
    "ly-lich-tu-phap": ("Cấp Phiếu lý lịch tư pháp cho công dân Việt Nam",),
    "dang-ky-doanh-nghiep": (
        "Đăng ký thành lập doanh nghiệp",
        "Đăng ký thay đổi nội dung đăng ký doanh nghiệp",
        "Thông báo tạm ngừng kinh doanh",
    ),
    "ho-kinh-doanh": ("Đăng ký thành lập hộ kinh doanh", "Đăng ký thay đổi nội dung đăng ký hộ kinh doanh"),
    "bao-tro-xa-hoi": ("Trợ cấp xã hội hằng tháng", "Hỗ trợ chi phí mai táng"),
    "nguoi-co-cong": ("Giải quyết chế độ trợ cấp ưu đãi người có công",),
    "duong-bo": ("Cấp giấy phép lái xe", "Cấp phép thi công công trình trên đường bộ đang khai thác"),
    "kham-chua-benh": ("Cấp giấy phép hành nghề khám bệnh, chữa bệnh",),
    "an-toan-thuc-pham": ("Cấp giấy chứng nhận cơ sở đủ điều kiện an toàn thực phẩm",),
    "giao-duc-dao-tao": ("Cho phép thành lập trường mầm non tư thục", "Công nhận trường đạt chuẩn quốc gia"),
    "moi-truong": ("Cấp giấy phép môi trường", "Đăng ký môi trường"),
    "thi-dua-khen-thuong": (
        "Tặng Giấy khen của Chủ tịch UBND cấp xã",
        "Tặng Bằng khen của Chủ tịch UBND tỉnh",
    ),
    "quy-hoach-kien-truc": (
        "Thẩm định nhiệm vụ, đồ án quy hoạch chi tiết",
        "Cấp chứng chỉ hành nghề kiến trúc",
    ),
    "nha-o-bat-dong-san": ("Cấp chứng chỉ hành nghề môi giới bất động sản", "Thẩm định giá bán nhà ở xã hội"),
    "ha-tang-do-thi": ("Cấp giấy phép chặt hạ, dịch chuyển cây xanh", "Thỏa thuận đấu nối hạ tầng kỹ thuật"),
    "giao-thong": ("Cấp giấy phép lưu hành xe quá tải trọng", "Cấp phù hiệu xe kinh doanh vận tải"),
    "duong-thuy": ("Đăng ký phương tiện thủy nội địa lần đầu", "Cấp giấy phép hoạt động bến thủy nội địa"),
    "dau-tu": ("Quyết định chủ trương đầu tư dự án", "Điều chỉnh giấy chứng nhận đăng ký đầu tư"),
    "tai-chinh-ngan-sach": (
        "Thẩm tra quyết toán dự án hoàn thành",
        "Cấp mã số đơn vị có quan hệ với ngân sách",
    ),
    "thuy-san": ("Cấp giấy phép khai thác thủy sản", "Đăng ký tàu cá"),
    "trong-trot": ("Cấp giấy chứng nhận đủ điều kiện buôn bán phân bón",),
    "chan-nuoi-thu-y": ("Cấp giấy chứng nhận kiểm dịch động vật vận chuyển ra khỏi tỉnh",),
    "lao-dong-tien-luong": ("Đăng ký nội quy lao động", "Gia hạn giấy phép lao động cho người nước ngoài"),
    "van-hoa": ("Cấp giấy phép tổ chức lễ hội", "Cấp giấy phép kinh doanh karaoke"),
    "du-lich": ("Cấp giấy phép kinh doanh dịch vụ lữ hành nội địa", "Công nhận hạng cơ sở lưu trú du lịch"),
    "cong-chuc-vien-chuc": ("Thi tuyển công chức", "Tiếp nhận vào làm công chức"),
}
COMMUNE_FIELDS = ("ho-tich", "chung-thuc", "dat-dai", "xay-dung", "bao-tro-xa-hoi", "ho-kinh-doanh")
TOPICS = (
    "cải cách hành chính",
    "chuyển đổi số",
    "thu hút đầu tư",
    "phát triển kinh tế tập thể",
    "phòng, chống thiên tai",
    "xây dựng nông thôn mới",
    "quản lý trật tự xây dựng",
    "bảo vệ môi trường",
    "phát triển du lịch",
    "an toàn thực phẩm",
    "sắp xếp đơn vị hành chính",
    "thực hành tiết kiệm, chống lãng phí",
    "giải ngân vốn đầu tư công",
    "tinh giản biên chế",
    "nâng cao chỉ số PAR INDEX, SIPAS",
)
CONTENT = {
    "admin_document": (
        "Tham mưu UBND tỉnh ban hành kế hoạch {topic} năm {year}",
        "Tham mưu văn bản chỉ đạo triển khai {topic}",
        "Xây dựng đề án {topic} giai đoạn {year}–{next}",
    ),
    "legal_normative": (
        "Tham mưu UBND tỉnh ban hành Quyết định quy định {topic} (văn bản QPPL)",
        "Dự thảo Quyết định sửa đổi quy định về {topic}",
    ),
    "council_submission": (
        "Dự thảo Nghị quyết trình HĐND tỉnh về {topic}",
        "Tờ trình HĐND tỉnh thông qua cơ chế, chính sách {topic}",
    ),
    "report": (
        "Báo cáo kết quả thực hiện {topic} năm {year}",
        "Báo cáo sơ kết {topic} 6 tháng đầu năm {year}",
        "Báo cáo giải trình ý kiến cử tri về {topic}",
    ),
    "other": ("Tổ chức hội nghị về {topic}", "Kiểm tra, khảo sát việc thực hiện {topic}"),
}
# The task file's columns, in the order `_task_rows` writes them (the template's, reordered).
TASK_COLUMNS = [
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
    "Số lần trả lại",
]
assert sorted(TASK_COLUMNS) == sorted(c.header for c in TASKS.columns)
PRODUCT_WEIGHTS = (
    ("admin_document", 42),
    ("report", 25),
    ("legal_normative", 11),
    ("council_submission", 9),
    ("other", 13),
)


def _pick(rng, weighted):
    items, weights = zip(*weighted, strict=True)
    return rng.choices(items, weights)[0]


def _vn(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else ""


class _Workdays:
    """Working-day arithmetic (DESIGN `add(d, n)`) on the official calendar's ordinal table, read once
    into memory; the first answers are checked against `congvu.workdays.selectors.working_days_add`.
    Without a table (a bare database), Monday–Friday."""

    def __init__(self) -> None:
        self.ordinal: dict[date, int] = {}
        self.by_ordinal: dict[int, date] = {}
        try:
            from congvu.workdays.models import WorkdayOrdinal
            from congvu.workdays.selectors import working_days_add
        except ImportError:  # pragma: no cover - the calendar area is installed in this project
            return
        for day, ordinal, working in WorkdayOrdinal.objects.values_list("date", "ordinal", "is_working"):
            self.ordinal[day] = ordinal
            if working:
                self.by_ordinal[ordinal] = day
        if self.ordinal:
            for day, n in ((FIRST_DAY, 5), (TET[1] - timedelta(days=3), 7), (date(2025, 8, 29), 3)):
                if day in self.ordinal and self.add(day, n) != working_days_add(day, n):
                    raise RuntimeError("demo working days disagree with the calendar selectors")

    def add(self, day: date, n: int) -> date:
        if n <= 0:
            return day
        ordinal = self.ordinal.get(day)
        found = self.by_ordinal.get(ordinal + n) if ordinal is not None else None
        if found is not None:
            return found
        while n:  # outside the table: weekdays
            day += timedelta(days=1)
            n -= day.weekday() < 5
        return day

    def receipt_days(self) -> list[date]:
        """The working days of the period: offices receive work on those."""
        days, day = [], FIRST_DAY
        while day <= LAST_DAY:
            if day in self.ordinal:
                if self.by_ordinal.get(self.ordinal[day]) == day:
                    days.append(day)
            elif day.weekday() < 5:
                days.append(day)
            day += timedelta(days=1)
        return days


def _near_tet(day: date) -> bool:
    return any(-21 <= (day - tet).days <= 10 for tet in TET)


class _Province:
    """The units, their periods and portfolios, and each unit's own lateness."""

    DOSSIER_WEIGHT = {
        UnitKind.DEPARTMENT: 10,
        UnitKind.BOARD: 4,
        UnitKind.PPC_OFFICE: 3,
        UnitKind.DISTRICT: 6,
        UnitKind.COMMUNE: 1,
        UnitKind.WARD: 1,
        UnitKind.SPECIAL_ZONE: 1,
    }
    TASK_WEIGHT = {
        UnitKind.DEPARTMENT: 10,
        UnitKind.BOARD: 6,
        UnitKind.PPC_OFFICE: 8,
        UnitKind.DISTRICT: 2,
        UnitKind.COMMUNE: 0.3,
        UnitKind.WARD: 0.3,
    }

    def __init__(self, rng) -> None:
        self.units = list(Unit.objects.exclude(kind__in=[UnitKind.PPC, UnitKind.PROVINCE]).order_by("code"))
        fields = {f.code: f for f in Field.objects.all()}
        portfolio: dict[int, set[str]] = defaultdict(set)
        through = Appointment.fields.through.objects.filter(appointment__role=AppointmentRole.DEPUTY)
        for unit_id, code in through.values_list("appointment__unit_id", "field__code"):
            portfolio[unit_id].add(code)
        self.fields: dict[int, list[str]] = {}
        for unit in self.units:
            codes = sorted(portfolio.get(unit.pk, ()))
            if unit.kind in (UnitKind.COMMUNE, UnitKind.WARD, UnitKind.DISTRICT, UnitKind.SPECIAL_ZONE):
                codes = sorted(set(codes) | {c for c in COMMUNE_FIELDS if c in fields})
            self.fields[unit.pk] = codes or sorted(fields)[:5]
        # Each unit's lateness: most units are good, some average, a few much worse.
        self.lateness = {
            unit.pk: rng.choice((0.01, 0.02, 0.02, 0.03, 0.03, 0.04, 0.05, 0.07, 0.18, 0.3))
            for unit in self.units
        }
        self.field_names = {code: f.name for code, f in fields.items()}
        self._on: dict[tuple[date, str], tuple[list[Unit], list[float]]] = {}

    def units_on(self, day: date, register: str) -> tuple[list[Unit], list[float]]:
        """The units that existed on `day`, with cumulative weights for `rng.choices`."""
        cached = self._on.get((day, register))
        if cached is None:
            weights_of = self.DOSSIER_WEIGHT if register == "dossiers" else self.TASK_WEIGHT
            units = [u for u in self.units if u.is_valid_on(day) and weights_of.get(u.kind)]
            total, cumulative = 0.0, []
            for unit in units:
                # The new communes are bigger than each of the old ones they merged.
                total += weights_of[unit.kind] * (
                    3 if unit.valid_from and unit.kind == UnitKind.COMMUNE else 1
                )
                cumulative.append(total)
            cached = self._on[(day, register)] = (units, cumulative)
        return cached


def _dossier_rows(rng, count: int, province: _Province, days: _Workdays, leaders):
    receipt_days = days.receipt_days()
    limits = DOSSIER_LIMITS
    for i in range(count):
        received = receipt_days[rng.randrange(len(receipt_days))]
        units, weights = province.units_on(received, "dossiers")
        unit = rng.choices(units, cum_weights=weights)[0]
        field = rng.choice(province.fields[unit.pk])
        procedures = PROCEDURES.get(field) or (f"Thủ tục lĩnh vực {province.field_names[field].lower()}",)
        limit = _pick(rng, limits)
        due = days.add(received, limit)
        late_p = province.lateness[unit.pk] * (3 if _near_tet(received) else 1)
        late = rng.random() < late_p
        took = limit + rng.randint(1, max(3, limit)) if late else rng.randint(0, limit)
        completed = days.add(received, took)
        stuck = rng.random() < 0.007  # never closed: overdue at the end of the period
        if stuck or completed > LAST_DAY:
            completed = returned = None
        else:
            returned = days.add(completed, rng.choice((0, 0, 0, 1, 1, 2)))
            if returned > LAST_DAY:
                returned = None
        if completed is None:
            status = "Quá hạn" if due < LAST_DAY else "Đang xử lý"
        else:
            status = "Đã trả kết quả" if returned else "Đã giải quyết, chờ trả kết quả"
        apology = "x" if late and completed and rng.random() < 0.7 else ""
        handler = leaders(unit.pk, received) if rng.random() < 0.05 else ""
        yield (
            unit.pk,
            (
                f"{unit.code}-{received:%y%m%d}-{i:07d}",
                field,
                rng.choice(procedures),
                unit.code,
                _vn(received),
                _vn(due),
                _vn(completed),
                _vn(returned),
                status,
                handler,
                apology,
                # A third online (Cổng dịch vụ công), from the row number: the random sequence, and
                # so the rest of the demo, stays as it was.
                "Trực tuyến" if i % 3 == 0 else "Trực tiếp",
            ),
        )


def _task_rows(rng, count: int, province: _Province, days: _Workdays, leaders):
    receipt_days = days.receipt_days()
    for i in range(count):
        received = receipt_days[rng.randrange(len(receipt_days))]
        units, weights = province.units_on(received, "tasks")
        unit = rng.choices(units, cum_weights=weights)[0]
        authority = _pick(rng, AUTHORITIES)
        product = _pick(rng, PRODUCT_WEIGHTS)
        if authority == "peoples_council" and rng.random() < 0.6:
            product = "council_submission"
        document_date = received - timedelta(days=rng.randint(1, 6))
        limit = _pick(rng, TASK_LIMITS)
        due = None if rng.random() < 0.07 else days.add(received, limit)
        allowed = limit if due else 40
        late_p = province.lateness[unit.pk] * (2.5 if _near_tet(received) else 1) + 0.03
        late = due is not None and rng.random() < late_p
        took = allowed + rng.randint(1, 25) if late else rng.randint(max(2, allowed // 4), allowed)
        handling = rng.randint(0, min(3, took))
        advice = rng.randint(1, max(1, took - handling - 1))
        handled = days.add(received, handling)
        advised = days.add(handled, advice)
        completed = days.add(received, max(took, handling + advice))
        quality, returned_count = "", ""
        if completed > LAST_DAY:
            completed = None
            advised = advised if advised <= LAST_DAY else None
            handled = handled if handled <= LAST_DAY else None
        elif rng.random() < 0.012:
            completed = None  # stalled
        if completed:
            quality = _pick(rng, (("Đạt", 84), ("Trả lại", 9), ("Không đạt", 3), ("", 4)))
            returned_count = str(rng.randint(1, 2)) if quality == "Trả lại" else "0"
        proactive = rng.random() < (0.35 if product == "legal_normative" else 0.1)
        topic = rng.choice(TOPICS)
        content = rng.choice(CONTENT[product]).format(topic=topic, year=received.year, next=received.year + 4)
        fields = province.fields[unit.pk]
        field = "" if rng.random() < 0.12 else rng.choice(fields)
        responsible = ""
        if rng.random() < 0.15:
            responsible = leaders(unit.pk, document_date)
        number = f"{rng.randint(10, 4999)}/{rng.choice(DOCUMENT_SUFFIX[authority])}"
        yield (
            unit.pk,
            (
                f"NV-{unit.code}-{i:06d}",
                content,
                authority,
                number,
                _vn(document_date),
                unit.code,
                field,
                product,
                _vn(received),
                _vn(due),
                _vn(advised),
                _vn(completed),
                quality,
                "x" if proactive else "",
                responsible,
                _vn(handled),
                returned_count,
            ),
        )


def _leaders():
    """(unit, day) -> the head on that day as a file would name them: the full name, or the official's
    code when someone else appointed at the unit bears the same name."""
    heads = defaultdict(list)
    names_at = defaultdict(lambda: defaultdict(set))
    rows = Appointment.objects.values_list(
        "unit_id", "role", "start", "end", "official_id", "official__code", "official__full_name"
    )
    for unit_id, role, start, end, official_id, code, name in rows:
        names_at[unit_id][fold(name)].add(official_id)
        if role == AppointmentRole.HEAD:
            heads[unit_id].append((start, end, official_id, code, name))

    def head(unit_id: int, day: date) -> str:
        for start, end, official_id, code, name in heads.get(unit_id, ()):
            if start <= day and (end is None or day <= end):
                return name if names_at[unit_id][fold(name)] == {official_id} else code
        return ""

    return head


class _Files:
    """One CSV per importer: the province's administrator, and each demo unit's focal point. The
    files named in `official` are written in the official register form (`_OfficialForm`)."""

    def __init__(
        self, folder: Path, register: str, header: list[str], owners: dict[int, str], official=frozenset()
    ):
        self.owners = owners  # unit id -> username of the focal point who imports its rows
        self.paths = {name: folder / f"{register}-{name}.csv" for name in {"demo", *owners.values()}}
        self.handles = {
            name: path.open("w", newline="", encoding="utf-8") for name, path in self.paths.items()
        }
        self.writers = {name: csv.writer(fh) for name, fh in self.handles.items()}
        self.forms = {name: _OfficialForm(self.writers[name]) for name in official if name in self.paths}
        self.counts = dict.fromkeys(self.paths, 0)
        for name, writer in self.writers.items():
            if name not in self.forms:
                writer.writerow(header)

    def write(self, unit_id: int, row) -> None:
        name = self.owners.get(unit_id, "demo")
        if name in self.forms:
            self.forms[name].write(row)
        else:
            self.writers[name].writerow(row)
        self.counts[name] += 1

    def close(self) -> None:
        for form in self.forms.values():
            form.close()
        for fh in self.handles.values():
            fh.close()


class _OfficialForm:
    """A one-stop desk's Sổ theo dõi hồ sơ (TT 03/2025/TT-VPCP Mẫu 07) as its software exports it,
    from rows in the template's order (code, field, procedure, unit, received, due, completed,
    returned, status, handler, apology)."""

    TOP = ["TT", "Mã hồ sơ", "Tên TTHC", "Số lượng hồ sơ (bộ)", "Tên cá nhân, tổ chức"]
    TOP += ["Địa chỉ, số điện thoại", "Cơ quan chủ trì giải quyết", "Ngày, tháng, năm", "", "", ""]
    TOP += ["Trả kết quả", "", "Ghi chú"]
    SUB = ["", "", "", "", "", "", "", "Nhận hồ sơ", "Hẹn trả kết quả", "Chuyển hồ sơ đến cơ quan giải quyết"]
    SUB += ["Nhận kết quả từ cơ quan giải quyết", "Ngày, tháng, năm", "Ký nhận", ""]

    def __init__(self, writer):
        self.writer = writer
        self.n = 0
        self.unit_names = dict(Unit.objects.values_list("code", "name"))
        self.procedures: set[tuple[str, str]] = set()  # (field code, procedure) written
        writer.writerow(["UBND TỈNH", "", "", "", "", "", "", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
        writer.writerow(["BỘ PHẬN MỘT CỬA", "", "", "", "", "", "", "Độc lập - Tự do - Hạnh phúc"])
        writer.writerow([])
        writer.writerow(["SỔ THEO DÕI HỒ SƠ"])
        writer.writerow(["Quyển số: 01"])
        writer.writerow(self.TOP)
        writer.writerow(self.SUB)
        writer.writerow([f"({i})" for i in range(1, len(self.TOP) + 1)])

    def write(self, row) -> None:
        code, field, procedure, unit, received, due, completed, returned = row[:8]
        self.n += 1
        self.procedures.add((field, procedure))
        name = self.unit_names.get(unit, unit)
        self.writer.writerow(
            [self.n, code, procedure, 1, "", "", name, received, due, "", completed, returned, "", ""]
        )

    def close(self) -> None:
        self.writer.writerow([f"Tổng số: {self.n} hồ sơ"])
        self.writer.writerow(["", "", "", "", "", "", "", "", "", "", "", "NGƯỜI LẬP SỔ"])
        self.writer.writerow(["", "", "", "", "", "", "", "", "", "", "", "(Ký, ghi rõ họ tên)"])


def _catalogue(ctx, files: _Files) -> None:
    """The procedures an official-form desk writes, in the catalogue (the field comes from it)."""
    from congvu.registers.models import Procedure
    from congvu.registers.services import procedure_save

    known = set(Procedure.objects.values_list("name_folded", flat=True))
    fields = {f.code: f for f in Field.objects.all()}
    for form in files.forms.values():
        for field, procedure in sorted(form.procedures):
            if fold(procedure) not in known:
                procedure_save(actor=ctx.actor, name=procedure, field=fields[field])
                known.add(fold(procedure))


def _owners(ctx) -> dict[int, str]:
    """Rows of the demo units (and the units they absorbed) are imported by their focal points."""
    owners = {}
    for username in ("daumoi.sxd", "daumoi.xa"):
        user = User.objects.filter(username=username, unit__isnull=False).first()
        if user:
            for unit_id in unit_with_predecessor_ids(user.unit_id):
                owners[unit_id] = username
    return owners


def _load(ctx, register: str, files: _Files) -> list:
    runs = []
    for name, path in sorted(files.paths.items()):
        if not files.counts[name]:
            continue
        actor = ctx.actor if name == "demo" else User.objects.get(username=name)
        run = import_file(
            actor=actor,
            register=register,
            path=path,
            file_name=f"{'nhiem-vu' if register == 'tasks' else 'ho-so'}-2024-2026-{name}.csv",
            source=SOURCE,
        )
        if run.status != "stored":
            raise RuntimeError(f"demo {register} import by {name} rejected: {run.errors[:5]}")
        runs.append(run)
    return runs


def _history_examples(ctx, folder: Path) -> None:
    """A rejected file and a dry run in the focal point's history, as users leave them."""
    user = User.objects.filter(username="daumoi.sxd", unit__isnull=False).first()
    if user is None:
        return
    code = user.unit.code
    rows = [
        [
            "SXD-2026-0001",
            "xay-dung",
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            code,
            "03/11/2026",
            "17/11/2026",
        ],
        [
            "SXD-2026-0002",
            "xây dựng",
            "Cấp giấy phép xây dựng nhà ở riêng lẻ",
            code,
            "31/11/2026",
            "20/11/2026",
        ],
        [
            "SXD-2026-0003",
            "Quy hoạch đô thị",
            "Thẩm định quy hoạch chi tiết",
            code,
            "05/11/2026",
            "30/10/2026",
        ],
        ["SXD-2026-0001", "xay-dung", "Cấp giấy phép xây dựng công trình", code, "06/11/2026", ""],
    ]
    header = ["Mã hồ sơ", "Lĩnh vực", "Thủ tục", "Đơn vị", "Ngày tiếp nhận", "Hạn xử lý"]
    for name, lines, dry_run in (
        ("ho-so-thang-11-loi.csv", rows, False),
        ("ho-so-thang-11.csv", rows[:1], True),
    ):
        path = folder / name
        with path.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.writer(fh)
            writer.writerow(["BÁO CÁO HỒ SƠ TIẾP NHẬN THÁNG 11/2026"])
            writer.writerow(header)
            writer.writerows(lines)
        import_file(
            actor=user, register="dossiers", path=path, file_name=name, source=SOURCE, dry_run=dry_run
        )


def build(ctx) -> None:
    dossier_count, task_count = VOLUMES[ctx.scale]
    province = _Province(ctx.rng)
    if not province.units or not Field.objects.exists():
        ctx.log("Sổ nhiệm vụ, hồ sơ: chưa có đơn vị hoặc lĩnh vực, bỏ qua.")
        return
    days = _Workdays()
    owners = _owners(ctx)
    with tempfile.TemporaryDirectory(prefix="congvu-demo-") as tmp:
        folder = Path(tmp)
        dossier_files = _Files(
            folder, "dossiers", [c.header for c in DOSSIERS.columns], owners, official={"daumoi.sxd"}
        )
        leaders = _leaders()
        for unit_id, row in _dossier_rows(ctx.rng, dossier_count, province, days, leaders):
            dossier_files.write(unit_id, row)
        dossier_files.close()
        _catalogue(ctx, dossier_files)
        task_files = _Files(folder, "tasks", TASK_COLUMNS, owners)
        for unit_id, row in _task_rows(ctx.rng, task_count, province, days, leaders):
            task_files.write(unit_id, row)
        task_files.close()
        runs = _load(ctx, "dossiers", dossier_files) + _load(ctx, "tasks", task_files)
        _history_examples(ctx, folder)
    created = {r.register: 0 for r in runs}
    for run in runs:
        created[run.register] += run.created_count
    ctx.log(
        f"Sổ nhiệm vụ, hồ sơ: {created.get('tasks', 0)} nhiệm vụ, {created.get('dossiers', 0)} hồ sơ "
        f"({FIRST_DAY:%d/%m/%Y}–{LAST_DAY:%d/%m/%Y}), {len(runs)} lần nhập qua bộ nhập dữ liệu."
    )
