"""Cadre-planning conditions (quy hoạch cán bộ) as pure functions: no database access.

Rules and their sources: `domain/cadre-planning.md` (Quy định 377-QĐ/TW, Hướng dẫn 45-HD/BTCTW of 2025,
NĐ 135/2020 on the retirement age, NĐ 172/2025 on discipline). Every condition tagged inferred there is
a field of `PlanningSettings`, with the default that document suggests; Django settings may override
them (`PLANNING_RULES`, a mapping of field name → value).

Each condition is a `Flag` that holds ("dat"), fails ("khong_dat") or cannot be decided for lack of data
("chua_ro"); a failing flag says what it does to the person's place in planning: "now" (out at once:
discipline, HD45 II.8) or "review" (out at the next annual review).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

HELD, FAILED, UNKNOWN = "dat", "khong_dat", "chua_ro"
OUT_NOW, OUT_AT_REVIEW = "now", "review"

BAND_RANK = {"khong_hoan_thanh": 0, "hoan_thanh": 1, "tot": 2, "xuat_sac": 3}
BAND_SHORT = {"xuat_sac": "HTXSNV", "tot": "HTTNV", "hoan_thanh": "HTNV", "khong_hoan_thanh": "KHTNV"}
ROLE_RANK = {"other": 0, "deputy": 1, "head": 2}
ROLE_LABELS = {"head": "Người đứng đầu", "deputy": "Cấp phó", "other": "Công chức, viên chức"}
#: Decree 172/2025 disciplinary forms; nhắc nhở / phê bình are not discipline and never take anyone out.
DISCIPLINARY_FORMS = ("khien_trach", "canh_cao", "cach_chuc", "buoc_thoi_viec")
DISCIPLINE_LABELS = {
    "khien_trach": "Khiển trách",
    "canh_cao": "Cảnh cáo",
    "cach_chuc": "Cách chức",
    "buoc_thoi_viec": "Buộc thôi việc",
}


class PlanningRuleError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


@dataclass(frozen=True)
class PlanningSettings:
    """Every inferred condition of the planning sheet, with its default (cadre-planning.md §2–§5)."""

    # HD45 II.5.3: at least one term (60 months) to retirement for đối tượng 1, two (120) for đối tượng 2.
    months_object_1: int = 60
    months_object_2: int = 120
    # State bodies' term 2031–2036 → reference month 3/2031 (HD45 II.5.3); month of the term's first year.
    reference_month: int = 3
    # Art. 34: the 3 most recent years, each at least "hoàn thành tốt nhiệm vụ" [I for planning].
    classification_years: int = 3
    classification_threshold: str = "tot"
    # NĐ 172 Art. 2(9): a decision is in force 12 months from its effective date; cách chức is not among
    # the cases that may be planned again — 60 months, as for appointment [U for planning].
    discipline_months: Mapping[str, int | None] = field(
        default_factory=lambda: {"khien_trach": 12, "canh_cao": 12, "cach_chuc": 60, "buoc_thoi_viec": None}
    )
    # HD45: at most 3 people per title (per post: 3 deputy posts → 9), at most 3 titles per person.
    max_people_per_post: int = 3
    max_titles_per_person: int = 3
    # "Chỉ quy hoạch chức danh cao hơn": the same role at a unit of the same kind counts as equivalent [I].
    same_kind_is_equivalent: bool = True

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> PlanningSettings:
        """Defaults overridden by a mapping (Django's PLANNING_RULES); a bad key or value fails loudly."""
        base = cls()
        if not mapping:
            return base
        names = {f.name: f for f in dataclasses.fields(cls)}
        values = {}
        for key, value in mapping.items():
            if key not in names:
                raise PlanningRuleError(key, "không phải tham số quy hoạch")
            if key == "classification_threshold":
                if value not in BAND_RANK:
                    raise PlanningRuleError(key, f"phải là một trong: {', '.join(BAND_RANK)}")
            elif key == "discipline_months":
                if not isinstance(value, Mapping) or any(
                    k not in DISCIPLINARY_FORMS or (v is not None and (not isinstance(v, int) or v < 0))
                    for k, v in value.items()
                ):
                    raise PlanningRuleError(
                        key, "phải là hình thức kỷ luật → số tháng (hoặc null: không hết hạn)"
                    )
                value = {**base.discipline_months, **value}
            elif key == "same_kind_is_equivalent":
                if not isinstance(value, bool):
                    raise PlanningRuleError(key, "phải là true hoặc false")
            elif isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise PlanningRuleError(key, "phải là số nguyên không âm")
            elif key == "reference_month" and not 1 <= value <= 12:
                raise PlanningRuleError(key, "phải từ 1 đến 12")
            values[key] = value
        return dataclasses.replace(base, **values)


# ---------------------------------------------------------------------------------------------------
# Age and retirement (NĐ 135/2020)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, clipped to the month's last day (31/01 + 1 month = 28 or 29/02)."""
    total = day.year * 12 + (day.month - 1) + months
    year, month = divmod(total, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")  # pragma: no cover


def _age_in_year(sex: str, year: int) -> int:
    """NĐ 135/2020 Art. 4: the retirement age (months) of a person reaching it in `year`.
    Men 60 years 3 months in 2021, +3 months a year to 62 (2028); women 55 years 4 months in 2021,
    +4 months a year to 60 (2035)."""
    steps = max(0, year - 2020)
    if sex == "nam":
        return 60 * 12 + min(3 * steps, 24)
    return 55 * 12 + min(4 * steps, 60)


def retirement_age_months(*, birth_date: date, sex: str, woman_retires_at_60: bool = False) -> int:
    """The person's retirement age in months: the age of the year in which they reach it (the NĐ 135
    Appendix I table is this fixed point). A woman entitled to retire at 60 (NĐ 83/2022, 99/2024): 720."""
    if sex not in ("nam", "nu"):
        raise PlanningRuleError("sex", "phải là nam hoặc nu")
    if sex == "nu" and woman_retires_at_60:
        return 720
    for year in range(birth_date.year + 55, birth_date.year + 64):
        months = _age_in_year(sex, year)
        if add_months(birth_date, months).year <= year:
            return months
    return _age_in_year(sex, 2100)  # pragma: no cover - the ages stop rising in 2035


def retirement_date(*, birth_date: date, sex: str, woman_retires_at_60: bool = False) -> date:
    """The day the person reaches retirement age (they retire at the end of that month, NĐ 135 Art. 4)."""
    months = retirement_age_months(birth_date=birth_date, sex=sex, woman_retires_at_60=woman_retires_at_60)
    return add_months(birth_date, months)


def age_in_months(*, birth_date: date, on: date) -> int:
    """Age in whole calendar months at the reference month: HD45 Phụ lục 1 works by month of birth, so
    a man born in 03/1974 is 57 years 0 months in 03/2031 whatever the day."""
    return (on.year - birth_date.year) * 12 + (on.month - birth_date.month)


def months_left(*, birth_date: date, sex: str, on: date, woman_retires_at_60: bool = False) -> int:
    """Retirement age minus age at the reference date, in months (negative once past it)."""
    retire = retirement_age_months(birth_date=birth_date, sex=sex, woman_retires_at_60=woman_retires_at_60)
    return retire - age_in_months(birth_date=birth_date, on=on)


def term_reference_date(*, term_start: int, on: date, settings: PlanningSettings) -> date:
    """Age is checked at the term's reference month for a next term (3/2031 for 2031–2036), at the
    review date for the current term (HD45 II.5.3)."""
    reference = date(term_start, settings.reference_month, 1)
    return reference if reference > on else on


def parse_term(term: str) -> tuple[int, int]:
    """ "2026-2031" → (2026, 2031); also "2026–2031"."""
    text = term.replace("–", "-").replace(" ", "")
    parts = text.split("-")
    if len(parts) != 2 or not all(p.isdigit() and len(p) == 4 for p in parts):
        raise PlanningRuleError("term", "phải có dạng 2026-2031")
    start, end = int(parts[0]), int(parts[1])
    if end <= start:
        raise PlanningRuleError("term", "năm kết thúc phải sau năm bắt đầu")
    return start, end


# ---------------------------------------------------------------------------------------------------
# The per-person, per-title check


@dataclass(frozen=True)
class Post:
    """A post the person holds on the review date."""

    unit_id: int
    unit_kind: str
    role: str  # head | deputy | other


@dataclass(frozen=True)
class DisciplineFact:
    form: str
    effective_date: date
    decision_number: str = ""


@dataclass(frozen=True)
class Candidate:
    official_id: int
    birth_date: date | None
    sex: str  # "nam" | "nu" | "" (unknown)
    woman_retires_at_60: bool
    posts: tuple[Post, ...]
    classifications: Mapping[int, str]  # year → band
    discipline: tuple[DisciplineFact, ...]
    titles_in_planning: int  # titles the person is planned for in the same term (this one included)


@dataclass(frozen=True)
class Title:
    """A planned title: a role at a unit, for a term; `planned_count` people are planned for it
    (this person included) and it has `posts` posts (1 head; the deputies' number of posts)."""

    unit_id: int
    unit_kind: str
    role: str  # head | deputy
    term: str
    planned_count: int
    posts: int = 1


@dataclass(frozen=True)
class Flag:
    code: str
    status: str  # dat | khong_dat | chua_ro
    text: str
    takes_out: str | None = None  # now | review, when failed


@dataclass(frozen=True)
class PlanningCheck:
    object_level: int | None  # 1 or 2 (đối tượng), None when the title is not higher
    reference_date: date
    retirement: date | None
    months_left: int | None
    flags: tuple[Flag, ...]

    @property
    def out_now(self) -> bool:
        return any(f.status == FAILED and f.takes_out == OUT_NOW for f in self.flags)

    @property
    def out_at_review(self) -> bool:
        return any(f.status == FAILED and f.takes_out == OUT_AT_REVIEW for f in self.flags)

    @property
    def status(self) -> str:
        if any(f.status == FAILED for f in self.flags):
            return FAILED
        if any(f.status == UNKNOWN for f in self.flags):
            return UNKNOWN
        return HELD

    @property
    def takes_out(self) -> tuple[str, ...]:
        """What takes (or would take) the person out: the failing flags' texts."""
        return tuple(f.text for f in self.flags if f.status == FAILED)


def object_level(posts: Sequence[Post], title: Title) -> int | None:
    """Đối tượng 1 = one step below the title (deputy → head, other → deputy), 2 = two steps (other →
    head) [I: HD45's examples]. None when the person already holds the title's rank or higher."""
    current = max((ROLE_RANK[p.role] for p in posts), default=0)
    steps = ROLE_RANK[title.role] - current
    if steps <= 0:
        return None
    return min(steps, 2)


def last_years(on: date, n: int) -> list[int]:
    """The N most recent evaluation years before the review year (a review in 2027 reads 2024–2026)."""
    return [on.year - i for i in range(n, 0, -1)]


def check_planning(
    candidate: Candidate, title: Title, *, on: date, settings: PlanningSettings
) -> PlanningCheck:
    """Every planning condition for one person and one planned title on the review date `on`."""
    flags: list[Flag] = []
    term_start, _ = parse_term(title.term)
    reference = term_reference_date(term_start=term_start, on=on, settings=settings)

    # 1. Only a higher title (HD45 II.1.2).
    level = object_level(candidate.posts, title)
    same = [p for p in candidate.posts if ROLE_RANK[p.role] >= ROLE_RANK[title.role]]
    holds_here = [p for p in same if p.unit_id == title.unit_id]
    equivalent = [p for p in same if settings.same_kind_is_equivalent and p.unit_kind == title.unit_kind]
    if holds_here:
        flags.append(
            Flag("higher_title", FAILED, "Đang đảm nhiệm chức danh quy hoạch (hoặc cao hơn)", OUT_AT_REVIEW)
        )
    elif equivalent:
        flags.append(
            Flag(
                "higher_title",
                FAILED,
                "Đang đảm nhiệm chức danh tương đương ở đơn vị cùng cấp",
                OUT_AT_REVIEW,
            )
        )
    else:
        flags.append(Flag("higher_title", HELD, f"Chức danh cao hơn chức danh hiện tại (đối tượng {level})"))

    # 2. Age: months to retirement at the reference date (60 / 120 months by đối tượng).
    retire = left = None
    if candidate.birth_date is None or candidate.sex not in ("nam", "nu"):
        flags.append(
            Flag("age", UNKNOWN, "Chưa có ngày sinh hoặc giới tính: không xác định được tuổi quy hoạch")
        )
    else:
        retire = retirement_date(
            birth_date=candidate.birth_date,
            sex=candidate.sex,
            woman_retires_at_60=candidate.woman_retires_at_60,
        )
        left = months_left(
            birth_date=candidate.birth_date,
            sex=candidate.sex,
            on=reference,
            woman_retires_at_60=candidate.woman_retires_at_60,
        )
        need = settings.months_object_2 if level == 2 else settings.months_object_1
        ref_text = reference.strftime("%m/%Y")
        if left >= need:
            flags.append(
                Flag("age", HELD, f"Còn {left} tháng công tác tính đến {ref_text} (cần ít nhất {need} tháng)")
            )
        elif left < 0:
            flags.append(
                Flag(
                    "age",
                    FAILED,
                    f"Đến {ref_text} đã quá tuổi nghỉ hưu (nghỉ hưu {retire:%m/%Y}): quá tuổi quy hoạch",
                    OUT_AT_REVIEW,
                )
            )
        else:
            flags.append(
                Flag(
                    "age",
                    FAILED,
                    f"Chỉ còn {left} tháng công tác tính đến {ref_text} (cần ít nhất {need} tháng): "
                    "quá tuổi quy hoạch",
                    OUT_AT_REVIEW,
                )
            )

    # 3. The N most recent years' classifications, each at least the threshold.
    years = last_years(on, settings.classification_years)
    threshold = BAND_RANK[settings.classification_threshold]
    missing = [y for y in years if y not in candidate.classifications]
    below = [
        y
        for y in years
        if y in candidate.classifications and BAND_RANK[candidate.classifications[y]] < threshold
    ]
    history = ", ".join(f"{y}: {BAND_SHORT.get(candidate.classifications.get(y, ''), '—')}" for y in years)
    if below:
        flags.append(
            Flag(
                "classification",
                FAILED,
                f"Kết quả xếp loại {settings.classification_years} năm gần nhất ({history}) có năm dưới mức "
                f"{BAND_SHORT[settings.classification_threshold]}",
                OUT_AT_REVIEW,
            )
        )
    elif missing:
        flags.append(
            Flag(
                "classification",
                UNKNOWN,
                f"Chưa có kết quả xếp loại năm {', '.join(map(str, missing))} ({history})",
            )
        )
    else:
        flags.append(
            Flag(
                "classification",
                HELD,
                f"Kết quả xếp loại {settings.classification_years} năm gần nhất: {history}",
            )
        )

    # 4. Discipline: in force or within its window → out at once (HD45 II.8, QĐ 377 Art. 29).
    active = []
    for fact in candidate.discipline:
        if fact.form not in DISCIPLINARY_FORMS or fact.effective_date > on:
            continue
        months = settings.discipline_months.get(fact.form, 12)
        if months is None or add_months(fact.effective_date, months) > on:
            active.append(fact)
    if active:
        names = ", ".join(
            f"{DISCIPLINE_LABELS[f.form]} ({f.decision_number + ', ' if f.decision_number else ''}hiệu lực "
            f"{f.effective_date.strftime('%d/%m/%Y')})"
            for f in active
        )
        flags.append(Flag("discipline", FAILED, f"Bị kỷ luật còn trong thời hạn: {names}", OUT_NOW))
    else:
        flags.append(Flag("discipline", HELD, "Không có quyết định kỷ luật còn trong thời hạn"))

    # 5. Numbers: at most 3 people per post of the title, at most 3 titles per person.
    limit = settings.max_people_per_post * max(title.posts, 1)
    if title.planned_count > limit:
        flags.append(
            Flag(
                "title_count",
                FAILED,
                f"Chức danh có {title.planned_count} người quy hoạch, vượt tối đa {limit}",
                OUT_AT_REVIEW,
            )
        )
    else:
        flags.append(Flag("title_count", HELD, f"Chức danh có {title.planned_count}/{limit} người quy hoạch"))
    if candidate.titles_in_planning > settings.max_titles_per_person:
        flags.append(
            Flag(
                "person_titles",
                FAILED,
                f"Được quy hoạch {candidate.titles_in_planning} chức danh, "
                f"vượt tối đa {settings.max_titles_per_person}",
                OUT_AT_REVIEW,
            )
        )
    else:
        flags.append(
            Flag(
                "person_titles",
                HELD,
                f"Được quy hoạch {candidate.titles_in_planning}/{settings.max_titles_per_person} chức danh",
            )
        )
    return PlanningCheck(
        object_level=level, reference_date=reference, retirement=retire, months_left=left, flags=tuple(flags)
    )
