"""Demo step: the real Vĩnh Long province after 1 Jul 2025, with the units it came from.

What is real, and where it comes from:

* the 124 communes and wards of Vĩnh Long after 1 Jul 2025 (105 xã, 19 phường), names and GSO codes,
  from the `vietnam-provinces` package;
* the 26 former districts and 354 former communes of Trà Vinh, Bến Tre and Vĩnh Long, and which new
  commune(s) each became, from `congvu/org/data/vinh_long_2025.json` (the MIT dataset of
  `vietnamadminunits`, see `make_vinh_long_2025.py` there): `vietnam-provinces` itself has no legacy
  units and no old → new mapping. 349 old communes went whole into one new commune (a merge), 5 were
  split between two;
* the provincial departments before 1 Mar 2025 and the department mergers of that day (Decree
  45/2025/NĐ-CP: Labour, Invalids and Social Affairs split between Home Affairs and Health; Planning and
  Investment into Finance; Transport into Construction; Information and Communications into Science and
  Technology; Agriculture and Natural Resources merged into Agriculture and Environment; the Ethnic
  Minorities Board renamed Ethnic Minorities and Religions), then the province merger of 1 Jul 2025 into
  the 13 departments of Vĩnh Long under Decree 150/2025/NĐ-CP.

What is invented, deterministically from `ctx.rng`: the people (names, appointment dates, portfolio
fields, who changed post when). Former districts are closed on 30/06/2025 without a successor: the
district tier was abolished, not merged into a commune. The scale does not change this step.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import vietnam_provinces
from vietnam_provinces import ProvinceCode, VietNamDivisionType, Ward

from congvu.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from congvu.accounts.services import user_create
from congvu.org.models import (
    Appointment,
    AppointmentRole,
    Field,
    LineageEvent,
    Official,
    StaffType,
    Unit,
    UnitKind,
    UnitLineage,
)
from congvu.org.services import (
    appointment_bulk_create,
    official_bulk_create,
    unit_bulk_create,
    unit_lineage_bulk_create,
)

LEGACY_DATA = Path(__file__).resolve().parents[1] / "org" / "data" / "vinh_long_2025.json"

DEPARTMENT_MERGER = date(2025, 3, 1)
PROVINCE_MERGER = date(2025, 7, 1)
DAY = timedelta(days=1)
# Appointment changes after the merger fall in this window; fixed dates keep the demo the same
# whatever day it is built.
LATER_CHANGES = (date(2025, 9, 1), date(2026, 9, 30))

PROVINCE_DOC = "Nghị quyết số 202/2025/QH15 ngày 12/6/2025 của Quốc hội"
COMMUNE_DOC = "Nghị quyết số 1687/NQ-UBTVQH15 ngày 16/6/2025 của Ủy ban Thường vụ Quốc hội"
DEPARTMENT_DOC = "Nghị định số 45/2025/NĐ-CP; Quyết định của UBND tỉnh ngày 28/02/2025"
NEW_DEPARTMENT_DOC = "Nghị định số 150/2025/NĐ-CP; Quyết định của UBND tỉnh Vĩnh Long ngày 01/7/2025"

OLD_PROVINCE_SHORT = {"BT": "Bến Tre", "TV": "Trà Vinh", "VLC": "Vĩnh Long"}

# abbreviation -> name, kind, head title, deputy title, deputies' portfolios (field codes)
DEPARTMENTS: dict[str, tuple[str, str, str, str, list[list[str]]]] = {
    "SNV": (
        "Sở Nội vụ",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["to-chuc-bo-may", "cong-chuc-vien-chuc", "chinh-quyen-dia-phuong", "dia-gioi-hanh-chinh"],
            ["cai-cach-hanh-chinh", "van-thu-luu-tru", "thi-dua-khen-thuong", "thanh-nien"],
            ["lao-dong-tien-luong", "viec-lam", "an-toan-lao-dong", "nguoi-co-cong", "bao-hiem-xa-hoi"],
        ],
    ),
    "STP": (
        "Sở Tư pháp",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["ho-tich", "chung-thuc", "quoc-tich", "nuoi-con-nuoi", "ly-lich-tu-phap"],
            ["cong-chung", "luat-su", "tro-giup-phap-ly", "dang-ky-bien-phap-bao-dam"],
            ["pho-bien-phap-luat", "hoa-giai-co-so", "boi-thuong-nha-nuoc"],
        ],
    ),
    "STC": (
        "Sở Tài chính",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["tai-chinh-ngan-sach", "quan-ly-cong-san"],
            ["quan-ly-gia", "thue-phi-le-phi", "thong-ke"],
            ["dau-tu", "dau-tu-cong"],
            ["dang-ky-doanh-nghiep", "ho-kinh-doanh", "hop-tac-xa"],
        ],
    ),
    "SKHDT": (
        "Sở Kế hoạch và Đầu tư",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [["dau-tu", "dau-tu-cong"], ["dang-ky-doanh-nghiep", "ho-kinh-doanh", "hop-tac-xa", "thong-ke"]],
    ),
    "SCT": (
        "Sở Công Thương",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["dien-nang-luong", "cong-nghiep-dia-phuong"],
            ["thuong-mai", "xuc-tien-thuong-mai", "an-toan-thuc-pham"],
        ],
    ),
    "SNNPTNT": (
        "Sở Nông nghiệp và Phát triển nông thôn",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["trong-trot", "chan-nuoi-thu-y", "nong-nghiep"],
            ["thuy-san", "thuy-loi", "phong-chong-thien-tai"],
            ["lam-nghiep", "phat-trien-nong-thon"],
        ],
    ),
    "STNMT": (
        "Sở Tài nguyên và Môi trường",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["dat-dai", "do-dac-ban-do"],
            ["moi-truong", "tai-nguyen-nuoc", "khoang-san", "bien-hai-dao", "khi-tuong-thuy-van"],
        ],
    ),
    "SNNMT": (
        "Sở Nông nghiệp và Môi trường",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["dat-dai", "do-dac-ban-do"],
            ["moi-truong", "tai-nguyen-nuoc", "khoang-san", "bien-hai-dao", "khi-tuong-thuy-van"],
            ["trong-trot", "chan-nuoi-thu-y", "nong-nghiep", "lam-nghiep"],
            ["thuy-san", "thuy-loi", "phong-chong-thien-tai", "phat-trien-nong-thon"],
        ],
    ),
    "SXD": (
        "Sở Xây dựng",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["xay-dung", "quy-hoach-kien-truc"],
            ["nha-o-bat-dong-san", "ha-tang-do-thi"],
            ["giao-thong", "duong-bo", "duong-thuy"],
        ],
    ),
    "SGTVT": (
        "Sở Giao thông vận tải",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [["giao-thong", "duong-bo"], ["duong-thuy"]],
    ),
    "SKHCN": (
        "Sở Khoa học và Công nghệ",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["khoa-hoc-cong-nghe", "so-huu-tri-tue"],
            ["tieu-chuan-do-luong"],
            ["chuyen-doi-so", "buu-chinh", "vien-thong", "an-toan-thong-tin"],
        ],
    ),
    "STTTT": (
        "Sở Thông tin và Truyền thông",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["bao-chi", "xuat-ban", "phat-thanh-truyen-hinh", "thong-tin-co-so"],
            ["chuyen-doi-so", "buu-chinh", "vien-thong", "an-toan-thong-tin"],
        ],
    ),
    "SVHTTDL": (
        "Sở Văn hóa, Thể thao và Du lịch",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["van-hoa", "di-san-van-hoa", "gia-dinh"],
            ["the-duc-the-thao", "du-lich"],
            ["bao-chi", "xuat-ban", "phat-thanh-truyen-hinh", "thong-tin-co-so"],
        ],
    ),
    "SGDDT": (
        "Sở Giáo dục và Đào tạo",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [["giao-duc-dao-tao"], ["giao-duc-nghe-nghiep"]],
    ),
    "SYT": (
        "Sở Y tế",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["kham-chua-benh", "y-te-du-phong"],
            ["duoc-my-pham", "an-toan-thuc-pham", "dan-so"],
            ["bao-tro-xa-hoi", "tre-em"],
        ],
    ),
    "SLDTBXH": (
        "Sở Lao động - Thương binh và Xã hội",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [
            ["lao-dong-tien-luong", "viec-lam", "an-toan-lao-dong", "bao-hiem-xa-hoi"],
            ["nguoi-co-cong", "bao-tro-xa-hoi", "tre-em", "giao-duc-nghe-nghiep"],
        ],
    ),
    "TTT": (
        "Thanh tra tỉnh",
        UnitKind.DEPARTMENT,
        "Chánh Thanh tra tỉnh",
        "Phó Chánh Thanh tra tỉnh",
        [
            ["thanh-tra", "phong-chong-tham-nhung"],
            ["giai-quyet-khieu-nai", "giai-quyet-to-cao", "tiep-cong-dan"],
        ],
    ),
    "VP": (
        "Văn phòng UBND tỉnh",
        UnitKind.PPC_OFFICE,
        "Chánh Văn phòng",
        "Phó Chánh Văn phòng",
        [["kiem-soat-tthc", "mot-cua"], ["ngoai-vu", "van-thu-luu-tru"]],
    ),
    "BDT": ("Ban Dân tộc", UnitKind.BOARD, "Trưởng ban", "Phó Trưởng ban", [["dan-toc"]]),
    "SDTTG": (
        "Sở Dân tộc và Tôn giáo",
        UnitKind.DEPARTMENT,
        "Giám đốc Sở",
        "Phó Giám đốc Sở",
        [["dan-toc"], ["ton-giao", "tin-nguong"]],
    ),
}
# Before 1 Mar 2025, in each former province (Bến Tre had no Ethnic Minorities Board).
BEFORE_MARCH = [
    "SNV",
    "STP",
    "STC",
    "SKHDT",
    "SCT",
    "SNNPTNT",
    "STNMT",
    "SXD",
    "SGTVT",
    "SKHCN",
    "STTTT",
    "SVHTTDL",
    "SGDDT",
    "SYT",
    "SLDTBXH",
    "TTT",
    "VP",
    "BDT",
]
# 1 Mar 2025: absorbed -> (event, successors); the successors that existed before go on.
MARCH_EVENTS = {
    "SKHDT": (LineageEvent.MERGE, ["STC"]),
    "SGTVT": (LineageEvent.MERGE, ["SXD"]),
    "STTTT": (LineageEvent.MERGE, ["SKHCN"]),
    "SNNPTNT": (LineageEvent.MERGE, ["SNNMT"]),
    "STNMT": (LineageEvent.MERGE, ["SNNMT"]),
    "SLDTBXH": (LineageEvent.SPLIT, ["SNV", "SYT"]),
    "BDT": (LineageEvent.RENAME, ["SDTTG"]),
}
CREATED_IN_MARCH = ["SNNMT", "SDTTG"]
# From 1 Jul 2025: the departments of Vĩnh Long (Decree 150/2025: 12 mandatory + Ethnic Minorities and
# Religions).
AFTER_JULY = [
    "SNV",
    "STP",
    "STC",
    "SCT",
    "SNNMT",
    "SXD",
    "SKHCN",
    "SVHTTDL",
    "SGDDT",
    "SYT",
    "TTT",
    "VP",
    "SDTTG",
]

PPC_DEPUTIES = [
    ["dat-dai", "xay-dung", "quy-hoach-kien-truc", "giao-thong", "tai-nguyen-nuoc", "moi-truong"],
    ["dau-tu", "dau-tu-cong", "tai-chinh-ngan-sach", "cong-thuong", "dang-ky-doanh-nghiep"],
    ["giao-duc-dao-tao", "y-te", "van-hoa", "du-lich", "lao-dong-tien-luong", "bao-tro-xa-hoi"],
    ["nong-nghiep", "thuy-san", "thuy-loi", "phong-chong-thien-tai", "phat-trien-nong-thon"],
    ["noi-vu", "dan-toc", "ton-giao", "khoa-hoc-cong-nghe", "chuyen-doi-so"],
]
LOCAL_DEPUTIES = [
    ["dat-dai", "xay-dung", "giao-thong", "nong-nghiep", "moi-truong", "tai-nguyen-nuoc", "ho-kinh-doanh"],
    [
        "ho-tich",
        "chung-thuc",
        "tu-phap",
        "giao-duc-dao-tao",
        "y-te",
        "bao-tro-xa-hoi",
        "nguoi-co-cong",
        "van-hoa",
    ],
]

SURNAMES = (
    ["Nguyễn"] * 30
    + ["Trần"] * 12
    + ["Lê"] * 10
    + ["Phạm"] * 6
    + ["Huỳnh"] * 6
    + ["Võ"] * 6
    + ["Phan"] * 4
    + ["Trương"] * 3
    + ["Đặng", "Bùi", "Đỗ", "Ngô", "Hồ", "Dương", "Lâm", "Lý", "Châu", "Tăng", "Mai", "Cao", "Đoàn", "Tô"]
)
KHMER_SURNAMES = ["Thạch"] * 5 + ["Kim"] * 3 + ["Sơn"] * 3 + ["Lâm", "Danh", "Trà"]
MALE_MIDDLE = ["Văn", "Văn", "Văn", "Minh", "Hoàng", "Quốc", "Thanh", "Hữu", "Công", "Đức", "Tấn", "Ngọc"]
FEMALE_MIDDLE = ["Thị", "Thị", "Thị", "Ngọc", "Thanh", "Kim", "Mỹ", "Thu", "Hồng", "Bích"]
MALE_GIVEN = (  # noqa: SIM905 - names read better as text
    "An Bình Cường Dũng Đạt Hải Hiếu Hùng Khải Khánh Lộc Long Luân Minh Nam Nghĩa Nhân Phong Phúc Phước "
    "Quang Sang Sơn Tài Tâm Thắng Thành Thiện Toàn Trí Trung Tuấn Việt Vinh Vũ Hậu Hưng Tùng Kiệt Triều"
).split()
FEMALE_GIVEN = (  # noqa: SIM905 - names read better as text
    "Anh Châu Diễm Dung Hà Hạnh Hằng Hương Lan Linh Loan Mai Ngân "
    "Nhung Phương Thảo Thủy Trang Tuyết Vân Yến Xuân Trinh Nga Hoa Hiền Liên"
).split()


class _Staffing:
    """Collects officials and appointments in memory, for two bulk inserts at the end."""

    def __init__(self, ctx, fields: dict[str, Field]):
        self.rng = ctx.rng
        self.fields = fields
        self.officials: list[Official] = []
        self.appointments: list[tuple[Appointment, list[Field]]] = []
        self.final: dict[str, tuple[Official, list[Official]]] = {}  # unit code -> (head, deputies)
        self.moved: set[int] = set()  # ids (in memory) of people already given a post after a merger

    def person(self, staff_type: str, khmer: bool = False) -> Official:
        rng = self.rng
        surnames = SURNAMES + KHMER_SURNAMES * 3 if khmer else SURNAMES
        if rng.random() < 0.62:
            name = f"{rng.choice(surnames)} {rng.choice(MALE_MIDDLE)} {rng.choice(MALE_GIVEN)}"
        else:
            name = f"{rng.choice(surnames)} {rng.choice(FEMALE_MIDDLE)} {rng.choice(FEMALE_GIVEN)}"
        official = Official(code=f"CB{len(self.officials) + 1:05d}", full_name=name, staff_type=staff_type)
        self.officials.append(official)
        return official

    def appoint(self, official, unit, role, title, start, end, codes=()) -> Appointment:
        decision = f"{self.rng.randint(120, 3200)}/QĐ-UBND ngày {start:%d/%m/%Y}"
        appointment = Appointment(
            official=official, unit=unit, role=role, title=title, start=start, end=end, decision=decision
        )
        self.appointments.append((appointment, [self.fields[c] for c in codes]))
        return appointment

    def _change_day(self, start: date, end: date | None, window, chance: float) -> date | None:
        lo = max(start + timedelta(days=180), window[0])
        hi = min((end or window[1]) - timedelta(days=90), window[1])
        if lo >= hi or self.rng.random() >= chance:
            return None
        return lo + timedelta(days=self.rng.randrange((hi - lo).days))

    def staff(
        self,
        unit: Unit,
        *,
        start: date,
        end: date | None,
        head_title: str,
        deputy_title: str,
        groups: list[list[str]],
        staff_type: str,
        head: Official | None = None,
        deputies: list[Official] = (),
        window=None,
        chance: float = 0.25,
        khmer: bool = False,
    ) -> None:
        """A head and one deputy per portfolio from `start` to `end`, some replaced on the way."""
        window = window or (start, end)
        final_deputies = []
        people = [head] + list(deputies)[: len(groups)]
        people += [None] * (len(groups) + 1 - len(people))
        for i, person in enumerate(people):
            role = AppointmentRole.HEAD if i == 0 else AppointmentRole.DEPUTY
            title = head_title if i == 0 else deputy_title
            codes = () if i == 0 else groups[i - 1]
            person = person or self.person(staff_type, khmer)
            first_start = start
            change = self._change_day(first_start, end, window, chance)
            if change:
                self.appoint(person, unit, role, title, first_start, change - DAY, codes)
                person, first_start = self.person(staff_type, khmer), change
            self.appoint(person, unit, role, title, first_start, end, codes)
            if i == 0:
                final_head = person
            else:
                final_deputies.append(person)
        self.final[unit.code] = (final_head, final_deputies)

    def unmoved(self, people) -> list[Official]:
        """Those not yet given a post after a merger, marked as given one now."""
        result = []
        for person in people:
            if person is not None and id(person) not in self.moved:
                self.moved.add(id(person))
                result.append(person)
        return result


def _legacy_start(rng, lo: date, hi: date) -> date:
    return lo + timedelta(days=rng.randrange((hi - lo).days))


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def _local_titles(name: str) -> tuple[str, str]:
    """'Chủ tịch UBND xã', … from a unit name such as 'Thị trấn Càng Long' or 'Huyện Cầu Kè'."""
    for prefix in ("Thị trấn", "Thị xã", "Thành phố", "Phường", "Xã", "Huyện"):
        if name.startswith(prefix):
            level = prefix.lower()
            return f"Chủ tịch UBND {level}", f"Phó Chủ tịch UBND {level}"
    return "Chủ tịch UBND", "Phó Chủ tịch UBND"


def build(ctx) -> None:
    rng = ctx.rng
    actor = ctx.actor
    legacy = json.loads(LEGACY_DATA.read_text(encoding="utf-8"))
    fields = {f.code: f for f in Field.objects.all()}
    staffing = _Staffing(ctx, fields)

    # --- Units --------------------------------------------------------------------------
    prefixes = {p["code"]: p["prefix"] for p in legacy["provinces"]}
    ppcs = unit_bulk_create(
        actor=actor,
        label="Tỉnh trình diễn: UBND tỉnh Vĩnh Long và UBND ba tỉnh trước sáp nhập",
        units=[
            Unit(
                code="VL-UBND",
                name="UBND tỉnh Vĩnh Long",
                kind=UnitKind.PPC,
                abbreviation="UBND",
                valid_from=PROVINCE_MERGER,
            ),
            *[
                Unit(
                    code=f"{p['prefix']}-UBND",
                    name=f"UBND tỉnh {OLD_PROVINCE_SHORT[p['prefix']]}"
                    + (" (cũ)" if p["prefix"] == "VLC" else ""),
                    kind=UnitKind.PPC,
                    abbreviation="UBND",
                    valid_to=PROVINCE_MERGER - DAY,
                )
                for p in legacy["provinces"]
            ],
        ],
    )
    province, old_ppcs = ppcs[0], {u.code.split("-")[0]: u for u in ppcs[1:]}

    def dept_name(abbr: str, prefix: str | None) -> str:
        name = DEPARTMENTS[abbr][0]
        if prefix is None:
            return name
        if abbr == "VP":
            name = "Văn phòng UBND"
        suffix = " (cũ)" if prefix == "VLC" else ""
        if abbr == "TTT":
            return f"Thanh tra tỉnh {OLD_PROVINCE_SHORT[prefix]}{suffix}"
        return f"{name} tỉnh {OLD_PROVINCE_SHORT[prefix]}{suffix}"

    dept_rows = []
    for prefix in ("TV", "BT", "VLC"):
        for abbr in BEFORE_MARCH:
            if abbr == "BDT" and prefix == "BT":
                continue
            closes_in_march = abbr in MARCH_EVENTS
            dept_rows.append(
                Unit(
                    code=f"{prefix}-{abbr}",
                    name=dept_name(abbr, prefix),
                    kind=DEPARTMENTS[abbr][1],
                    parent=old_ppcs[prefix],
                    abbreviation=abbr,
                    valid_to=(DEPARTMENT_MERGER if closes_in_march else PROVINCE_MERGER) - DAY,
                )
            )
        for abbr in CREATED_IN_MARCH:
            if abbr == "SDTTG" and prefix == "BT":
                continue
            dept_rows.append(
                Unit(
                    code=f"{prefix}-{abbr}",
                    name=dept_name(abbr, prefix),
                    kind=DEPARTMENTS[abbr][1],
                    parent=old_ppcs[prefix],
                    abbreviation=abbr,
                    valid_from=DEPARTMENT_MERGER,
                    valid_to=PROVINCE_MERGER - DAY,
                )
            )
    for abbr in AFTER_JULY:
        dept_rows.append(
            Unit(
                code=f"VL-{abbr}",
                name=dept_name(abbr, None),
                kind=DEPARTMENTS[abbr][1],
                parent=province,
                abbreviation=abbr,
                valid_from=PROVINCE_MERGER,
            )
        )
    depts = {
        u.code: u
        for u in unit_bulk_create(actor=actor, units=dept_rows, label="Tỉnh trình diễn: các sở, ban, ngành")
    }

    districts = {
        d["code"]: u
        for d, u in zip(
            legacy["districts"],
            unit_bulk_create(
                actor=actor,
                label="Tỉnh trình diễn: huyện, thị xã, thành phố trước 01/7/2025",
                units=[
                    Unit(
                        code=f"{prefixes[d['province']]}-H{d['code']}",
                        name=f"{d['name']}, tỉnh {OLD_PROVINCE_SHORT[prefixes[d['province']]]}",
                        kind=UnitKind.DISTRICT,
                        parent=old_ppcs[prefixes[d["province"]]],
                        abbreviation="UBND",
                        valid_to=PROVINCE_MERGER - DAY,
                    )
                    for d in legacy["districts"]
                ],
            ),
            strict=True,
        )
    }
    district_info = {d["code"]: d for d in legacy["districts"]}
    old_communes = {
        c["code"]: u
        for c, u in zip(
            legacy["communes"],
            unit_bulk_create(
                actor=actor,
                label="Tỉnh trình diễn: xã, phường, thị trấn trước 01/7/2025",
                units=[
                    Unit(
                        code=f"{prefixes[district_info[c['district']]['province']]}-X{c['code']}",
                        name=(
                            f"{c['name']} ({_lower_first(district_info[c['district']]['name'])}, "
                            f"{OLD_PROVINCE_SHORT[prefixes[district_info[c['district']]['province']]]})"
                        ),
                        kind=UnitKind.WARD if c["kind"] == "ward" else UnitKind.COMMUNE,
                        parent=districts[c["district"]],
                        abbreviation="UBND",
                        valid_to=PROVINCE_MERGER - DAY,
                    )
                    for c in legacy["communes"]
                ],
            ),
            strict=True,
        )
    }
    wards = sorted(Ward.iter_by_province(ProvinceCode.P_86), key=lambda w: int(w.code))
    kinds = {VietNamDivisionType.PHUONG: UnitKind.WARD, VietNamDivisionType.DAC_KHU: UnitKind.SPECIAL_ZONE}
    communes = unit_bulk_create(
        actor=actor,
        label=f"Tỉnh trình diễn: {len(wards)} xã, phường của tỉnh Vĩnh Long từ 01/7/2025 "
        f"(vietnam-provinces {vietnam_provinces.__version__})",
        units=[
            Unit(
                code=f"VL-X{int(w.code)}",
                name=w.name,
                kind=kinds.get(w.division_type, UnitKind.COMMUNE),
                parent=province,
                abbreviation="UBND",
                valid_from=PROVINCE_MERGER,
            )
            for w in wards
        ],
    )
    new_communes = {u.code[4:]: u for u in communes}

    # --- Lineage ------------------------------------------------------------------------
    links = [
        UnitLineage(
            predecessor=ppc,
            successor=province,
            event=LineageEvent.MERGE,
            date=PROVINCE_MERGER,
            document=PROVINCE_DOC,
        )
        for ppc in old_ppcs.values()
    ]
    for prefix in ("TV", "BT", "VLC"):
        for abbr, (event, targets) in MARCH_EVENTS.items():
            if f"{prefix}-{abbr}" not in depts:
                continue
            links += [
                UnitLineage(
                    predecessor=depts[f"{prefix}-{abbr}"],
                    successor=depts[f"{prefix}-{target}"],
                    event=event,
                    date=DEPARTMENT_MERGER,
                    document=DEPARTMENT_DOC,
                )
                for target in targets
            ]
        for abbr in AFTER_JULY:
            if f"{prefix}-{abbr}" in depts:
                links.append(
                    UnitLineage(
                        predecessor=depts[f"{prefix}-{abbr}"],
                        successor=depts[f"VL-{abbr}"],
                        event=LineageEvent.MERGE,
                        date=PROVINCE_MERGER,
                        document=NEW_DEPARTMENT_DOC,
                    )
                )
    predecessors_of: dict[str, list[str]] = {}
    for old_code, new_codes in legacy["successors"].items():
        event = LineageEvent.SPLIT if len(new_codes) > 1 else LineageEvent.MERGE
        for new_code in new_codes:
            predecessors_of.setdefault(new_code, []).append(old_code)
            links.append(
                UnitLineage(
                    predecessor=old_communes[old_code],
                    successor=new_communes[new_code],
                    event=event,
                    date=PROVINCE_MERGER,
                    document=COMMUNE_DOC,
                )
            )
    unit_lineage_bulk_create(actor=actor, links=links, label="Tỉnh trình diễn: quan hệ kế thừa")

    # --- People -------------------------------------------------------------------------
    civil, cadre = StaffType.CIVIL_SERVANT, StaffType.CADRE
    old_window = (date(2022, 1, 1), date(2025, 2, 15))
    for prefix in ("TV", "BT", "VLC"):
        khmer = prefix == "TV"
        staffing.staff(
            old_ppcs[prefix],
            start=_legacy_start(rng, date(2021, 6, 25), date(2021, 7, 20)),
            end=PROVINCE_MERGER - DAY,
            head_title="Chủ tịch UBND tỉnh",
            deputy_title="Phó Chủ tịch UBND tỉnh",
            groups=PPC_DEPUTIES[:3] if prefix == "BT" else PPC_DEPUTIES[:4],
            staff_type=cadre,
            window=old_window,
            chance=0.2,
            khmer=khmer,
        )
        for abbr in BEFORE_MARCH:
            unit = depts.get(f"{prefix}-{abbr}")
            if unit is None:
                continue
            name, _kind, head_title, deputy_title, groups = DEPARTMENTS[abbr]
            if abbr in ("SNV", "SXD", "SKHCN", "SYT", "SVHTTDL"):
                groups = groups[:-1]  # that portfolio arrives with the absorbed department in March
            staffing.staff(
                unit,
                start=_legacy_start(rng, date(2019, 1, 1), date(2023, 6, 30)),
                end=unit.valid_to,
                head_title=head_title,
                deputy_title=deputy_title,
                groups=groups,
                staff_type=civil,
                window=old_window,
                khmer=khmer,
            )
        # 1 Mar 2025: the new departments take over the heads of those they replace; the head of an
        # absorbed department becomes a deputy of the one that absorbs it, with the absorbed portfolio.
        snnptnt, stnmt = staffing.final[f"{prefix}-SNNPTNT"], staffing.final[f"{prefix}-STNMT"]
        spec = DEPARTMENTS["SNNMT"]
        staffing.staff(
            depts[f"{prefix}-SNNMT"],
            start=DEPARTMENT_MERGER,
            end=PROVINCE_MERGER - DAY,
            head_title=spec[2],
            deputy_title=spec[3],
            groups=spec[4],
            staff_type=civil,
            head=snnptnt[0],
            deputies=[stnmt[0], stnmt[1][1], snnptnt[1][0], snnptnt[1][1]],
            chance=0,
        )
        if f"{prefix}-BDT" in depts:
            bdt = staffing.final[f"{prefix}-BDT"]
            spec = DEPARTMENTS["SDTTG"]
            staffing.staff(
                depts[f"{prefix}-SDTTG"],
                start=DEPARTMENT_MERGER,
                end=PROVINCE_MERGER - DAY,
                head_title=spec[2],
                deputy_title=spec[3],
                groups=spec[4],
                staff_type=civil,
                head=bdt[0],
                deputies=bdt[1],
                chance=0,
                khmer=khmer,
            )
        for absorbed, target, group in [
            ("SKHDT", "STC", DEPARTMENTS["STC"][4][2] + DEPARTMENTS["STC"][4][3]),
            ("SGTVT", "SXD", DEPARTMENTS["SXD"][4][2]),
            ("STTTT", "SKHCN", DEPARTMENTS["SKHCN"][4][2]),
            ("SLDTBXH", "SNV", DEPARTMENTS["SNV"][4][2]),
        ]:
            head = staffing.final[f"{prefix}-{absorbed}"][0]
            staffing.appoint(
                head,
                depts[f"{prefix}-{target}"],
                AppointmentRole.DEPUTY,
                "Phó Giám đốc Sở",
                DEPARTMENT_MERGER,
                PROVINCE_MERGER - DAY,
                group,
            )
            staffing.final[f"{prefix}-{target}"][1].append(head)
        # Labour's social-protection deputy goes to Health; Information's press deputy to Culture.
        for absorbed, target, group in [
            ("SLDTBXH", "SYT", DEPARTMENTS["SYT"][4][2]),
            ("STTTT", "SVHTTDL", DEPARTMENTS["SVHTTDL"][4][2]),
        ]:
            deputy = staffing.final[f"{prefix}-{absorbed}"][1][-1]
            staffing.appoint(
                deputy,
                depts[f"{prefix}-{target}"],
                AppointmentRole.DEPUTY,
                "Phó Giám đốc Sở",
                DEPARTMENT_MERGER,
                PROVINCE_MERGER - DAY,
                group,
            )
            staffing.final[f"{prefix}-{target}"][1].append(deputy)

    # 1 Jul 2025: Vĩnh Long's leaders come from the three former provinces (the seat stays in the
    # former Vĩnh Long); the other heads become deputies.
    def carried(code_suffix: str, n: int) -> tuple[Official | None, list[Official]]:
        finals = [staffing.final.get(f"{p}-{code_suffix}") for p in ("VLC", "TV", "BT")]
        finals = [f for f in finals if f]
        heads = staffing.unmoved([f[0] for f in finals])
        deputies = heads[1:] + staffing.unmoved(d for f in finals for d in f[1][:1])
        return (heads[0] if heads else None), deputies[:n]

    head, deputies = carried("UBND", 5)
    staffing.staff(
        province,
        start=PROVINCE_MERGER,
        end=None,
        head_title="Chủ tịch UBND tỉnh",
        deputy_title="Phó Chủ tịch UBND tỉnh",
        groups=PPC_DEPUTIES,
        staff_type=cadre,
        head=head,
        deputies=deputies,
        window=LATER_CHANGES,
        chance=0.15,
    )
    for abbr in AFTER_JULY:
        _name, _kind, head_title, deputy_title, groups = DEPARTMENTS[abbr]
        head, deputies = carried(abbr, len(groups))
        staffing.staff(
            depts[f"VL-{abbr}"],
            start=PROVINCE_MERGER,
            end=None,
            head_title=head_title,
            deputy_title=deputy_title,
            groups=groups,
            staff_type=civil,
            head=head,
            deputies=deputies,
            window=LATER_CHANGES,
        )

    for code, unit in districts.items():
        head_title, deputy_title = _local_titles(district_info[code]["name"])
        staffing.staff(
            unit,
            start=_legacy_start(rng, date(2021, 6, 25), date(2021, 7, 20)),
            end=unit.valid_to,
            head_title=head_title,
            deputy_title=deputy_title,
            groups=LOCAL_DEPUTIES,
            staff_type=cadre,
            window=old_window,
            chance=0.2,
            khmer=unit.code.startswith("TV"),
        )
    commune_names = {c["code"]: c["name"] for c in legacy["communes"]}
    for code, unit in old_communes.items():
        head_title, deputy_title = _local_titles(commune_names[code])
        staffing.staff(
            unit,
            start=_legacy_start(rng, date(2021, 6, 25), date(2021, 7, 20)),
            end=unit.valid_to,
            head_title=head_title,
            deputy_title=deputy_title,
            groups=LOCAL_DEPUTIES[: 1 + (rng.random() < 0.6)],
            staff_type=cadre,
            window=old_window,
            chance=0.15,
            khmer=unit.code.startswith("TV"),
        )
    for code, unit in new_communes.items():
        olds = sorted(predecessors_of[code], key=lambda c: (c != code, c))  # the seat commune first
        finals = [staffing.final[old_communes[c].code] for c in olds]
        heads = staffing.unmoved([f[0] for f in finals])
        deputies = heads[1:] + staffing.unmoved(d for f in finals[:1] for d in f[1])
        head_title, deputy_title = _local_titles(unit.name)
        staffing.staff(
            unit,
            start=PROVINCE_MERGER,
            end=None,
            head_title=head_title,
            deputy_title=deputy_title,
            groups=LOCAL_DEPUTIES,
            staff_type=cadre,
            head=heads[0] if heads else None,
            deputies=deputies,
            window=LATER_CHANGES,
            chance=0.15,
            khmer=any(old_communes[c].code.startswith("TV") for c in olds),
        )

    # --- The demo accounts, with the officials they stand for ----------------------------
    sxd, xa = depts["VL-SXD"], new_communes["29266"]  # Xã Càng Long, formed from three Trà Vinh communes
    account_units = {"VL-SXD": sxd, "VL-X29266": xa}
    names = {username: full_name for username, _role, _unit, full_name in DEMO_ACCOUNTS}
    # The current heads carry the names of the accounts that stand for them.
    for username, unit_code in [
        ("chutich", "VL-UBND"),
        ("truongdoan", "VL-SNV"),
        ("giamdoc.sxd", "VL-SXD"),
        ("chutich.xa", "VL-X29266"),
    ]:
        staffing.final[unit_code][0].full_name = names[username]
    for username, unit, title in [
        ("kiemtra", depts["VL-SNV"], "Chuyên viên Thanh tra, kiểm tra công vụ"),
        ("daumoi.sxd", sxd, "Chuyên viên Văn phòng Sở, đầu mối kiểm tra công vụ"),
        ("daumoi.xa", xa, "Công chức Văn phòng - Thống kê, đầu mối kiểm tra công vụ"),
    ]:
        person = staffing.person(civil)
        person.full_name = names[username]
        staffing.appoint(person, unit, AppointmentRole.OTHER, title, PROVINCE_MERGER, None)

    official_bulk_create(actor=actor, officials=staffing.officials, label="Tỉnh trình diễn: cán bộ")
    appointment_bulk_create(
        actor=actor, appointments=staffing.appointments, label="Tỉnh trình diễn: bổ nhiệm, phân công"
    )

    users = {}
    for username, role, unit_code, full_name in DEMO_ACCOUNTS:
        users[username] = user_create(
            actor=actor,
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=account_units[unit_code] if unit_code else None,
            full_name=full_name,
            is_superuser=(role == "admin"),
        )

    ctx.data.update(
        province=province,
        departments={abbr: depts[f"VL-{abbr}"] for abbr in AFTER_JULY},
        communes=communes,
        legacy_provinces=old_ppcs,
        legacy_departments={
            (code.split("-")[0], unit.abbreviation): unit
            for code, unit in depts.items()
            if not code.startswith("VL-")
        },
        legacy_districts=list(districts.values()),
        legacy_communes=list(old_communes.values()),
        fields=fields,
        demo_units={"department": sxd, "commune": xa},
        users=users,
        department_merger=DEPARTMENT_MERGER,
        province_merger=PROVINCE_MERGER,
    )
    n_units = 1 + len(old_ppcs) + len(depts) + len(districts) + len(old_communes) + len(communes)
    ctx.log(
        f"Tổ chức: {n_units} đơn vị ({len(communes)} xã, phường hiện nay; {len(old_communes)} xã, phường, "
        f"thị trấn và {len(districts)} huyện trước 01/7/2025), {len(links)} quan hệ kế thừa, "
        f"{len(staffing.officials)} cán bộ, {len(staffing.appointments)} bổ nhiệm."
    )
