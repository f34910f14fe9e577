"""The scoring engine: pure functions over plain values, no database access.

- `score_sheet` scores one monthly or quarterly sheet under Decree 335/2025 (`domain/decree-335.md`
  §1–§5): general points (≤ 30) + task points (≤ 70) from quantity a, quality b, progress c over
  converted products, and for leaders d (unit results), đ (organising), e (unity);
- `score_year` turns the period totals actually worked into the year (mean, band, overrides);
- `apply_quota` applies the Art. 20(5) quota: excellent ≤ 20 % (25 %) of those finally rated good;
- `score_nd90` classifies by conditions under Decree 90/2020 as amended by Decree 48/2023 (§10).

Every number is a `Fraction`; every point is explained by a machine-readable `Explanation` line with
a Vietnamese sentence, down to each product and each deduction.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from congvu.evaluation.rules import BAND_CODES, RuleSet

BAND_LABELS: dict[str, str] = {
    "xuat_sac": "Hoàn thành xuất sắc nhiệm vụ",
    "tot": "Hoàn thành tốt nhiệm vụ",
    "hoan_thanh": "Hoàn thành nhiệm vụ",
    "khong_hoan_thanh": "Không hoàn thành nhiệm vụ",
}
_BAND_RANK = {code: rank for rank, code in enumerate(reversed(BAND_CODES))}  # higher = better

ROLES = ("staff", "deputy", "head")
HUNDRED = Fraction(100)
ONE = Fraction(1)
ZERO = Fraction(0)

OVERRIDE_LABELS: dict[str, str] = {
    "degradation_concluded": "bị cấp có thẩm quyền kết luận có biểu hiện suy thoái (Điều 20 khoản 4 điểm b)",
    "reprimand_or_higher_in_year": (
        "bị kỷ luật từ khiển trách trở lên trong năm đánh giá do vi phạm liên quan đến hoạt động công vụ "
        "(Điều 20 khoản 4 điểm c)"
    ),
    "unit_corruption_handled": (
        "cơ quan, đơn vị thuộc quyền quản lý trực tiếp liên quan đến tham ô, tham nhũng, lãng phí "
        "và bị xử lý (Điều 20 khoản 4 điểm d)"
    ),
}
_OVERRIDE_ORDER = ("degradation_concluded", "reprimand_or_higher_in_year", "unit_corruption_handled")


class ScoringError(ValueError):
    """Bad input to the engine; `field` names it (e.g. "products[2].weight"), `message` is Vietnamese."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


# ---------------------------------------------------------------------------------------------------
# Inputs


@dataclass(frozen=True)
class Product:
    """One product/job (sản phẩm/công việc) of a sheet, in converted units (`weight` = hệ số quy đổi).

    `delays` counts missed deadlines (a re-set deadline missed again is 2); `quality_failures` counts
    assessments returned for major content errors. `excused` cancels both deductions; built from
    records it must carry the confirming document in `excuse_document`."""

    id: str
    assigned: bool
    completed: bool
    on_time: bool
    quality_ok: bool
    delays: int
    quality_failures: int
    excused: bool
    weight: Fraction
    field: str | None = None
    excuse_document: str = ""


@dataclass(frozen=True)
class Subordinate:
    id: str
    field: str | None
    score: Fraction


@dataclass(frozen=True)
class LeaderInput:
    """A head's or deputy's extra inputs. `portfolio_fields` None = the head (all fields)."""

    portfolio_fields: frozenset[str] | None
    subordinates: tuple[Subordinate, ...]
    unit_all_planned_tasks_on_time_and_quality: bool
    unity_ok: bool


@dataclass(frozen=True)
class Discipline:
    reprimand_or_higher_in_year: bool = False
    degradation_concluded: bool = False
    unit_corruption_handled: bool = False


@dataclass(frozen=True)
class SheetInput:
    role: str
    general_points: Mapping[str, Fraction]
    products: tuple[Product, ...]
    leader: LeaderInput | None = None
    discipline: Discipline = field(default_factory=Discipline)


# ---------------------------------------------------------------------------------------------------
# Outputs


@dataclass(frozen=True)
class Explanation:
    """One line of the explanation. `points` is the line's effect on the total (points out of 100;
    negative for a deduction), or the value the line states (a criterion's percent, a total)."""

    kind: str
    product_id: str | None
    points: Fraction
    text: str

    def as_dict(self) -> dict:
        return {"kind": self.kind, "product_id": self.product_id, "points": self.points, "text": self.text}


@dataclass(frozen=True)
class ProductScore:
    """A product's contribution, in converted units: what it earned in a, b and c and what was deducted."""

    id: str
    weight: Fraction
    assigned: bool
    counted: bool
    reason: str  # why not counted ("" when counted)
    a_points: Fraction
    b_points: Fraction
    c_points: Fraction
    quality_deduction: Fraction
    progress_deduction: Fraction
    delays: int
    quality_failures: int
    excused: bool


@dataclass(frozen=True)
class SheetScore:
    role: str
    rule_set: str
    a: Fraction
    b: Fraction
    c: Fraction
    d: Fraction | None
    dd: Fraction | None
    e: Fraction | None
    task_points: Fraction
    general_points: Fraction
    total: Fraction
    band_by_score: str
    band: str
    override: str | None
    products: tuple[ProductScore, ...]
    explanation: tuple[Explanation, ...]


@dataclass(frozen=True)
class YearScore:
    total: Fraction
    periods: int
    band_by_score: str
    band: str
    override: str | None
    explanation: tuple[Explanation, ...]


@dataclass(frozen=True)
class QuotaResult:
    """The quota's outcome. `max_excellent` is the number of excellent places the group has (the
    largest E with E ≤ ratio × the final good count); `good_count` is that final count (people moved
    down included); `ties` are the ids sharing the total at the cut, for the evaluator to settle."""

    max_excellent: int
    bands: dict[str, str]
    over_quota: tuple[str, ...]
    ties: tuple[str, ...]
    ratio: Fraction
    good_count: int
    small_group: bool
    explanation: tuple[Explanation, ...]


# ---------------------------------------------------------------------------------------------------
# Small helpers


def band_for(total: Fraction, rules: RuleSet) -> str:
    """The band of an exact total: ≥ 90 xuat_sac, ≥ 70 tot, ≥ 50 hoan_thanh, else khong_hoan_thanh."""
    if total >= rules.excellent_min:
        return "xuat_sac"
    if total >= rules.good_min:
        return "tot"
    if total >= rules.completed_min:
        return "hoan_thanh"
    return "khong_hoan_thanh"


def fmt(value: Fraction, places: int = 2) -> str:
    """Vietnamese decimal text (comma), rounded half up, trailing zeros dropped: 89,99 / 90 / 0,58."""
    num, den = value.numerator, value.denominator  # integer arithmetic: this runs for every line
    scale = 10**places
    whole = (2 * abs(num) * scale + den) // (2 * den)  # floor(|value| × scale + 1/2)
    sign = "-" if num < 0 and whole else ""
    integer, decimals = divmod(whole, scale)
    text = f"{integer:,}".replace(",", ".")
    if places:
        dec = str(decimals).rjust(places, "0").rstrip("0")
        if dec:
            text += "," + dec
    return sign + text


def _fsum(values: Sequence[Fraction]) -> Fraction:
    """An exact sum over a common denominator: one reduction instead of one per addition (a sheet
    has dozens of products; Fraction additions dominated the time)."""
    den = 1
    for v in values:
        if v.denominator != 1 and den % v.denominator:
            den = math.lcm(den, v.denominator)
    return Fraction(sum(v.numerator * (den // v.denominator) for v in values), den)


def _percent_text(ratio: Fraction) -> str:
    return f"{fmt(ratio * 100)}%"


# ---------------------------------------------------------------------------------------------------
# One sheet


def _validate_sheet(sheet: SheetInput, rules: RuleSet) -> Fraction:
    if rules.regime != "points":
        raise ScoringError(
            "rule_set", f"bộ quy tắc {rules.code} xếp loại theo điều kiện, không theo điểm (dùng score_nd90)"
        )
    if sheet.role not in ROLES:
        raise ScoringError("role", "phải là staff, deputy hoặc head")
    if sheet.role != "staff" and sheet.leader is None:
        raise ScoringError("leader", "bắt buộc với người đứng đầu (head) và cấp phó (deputy)")
    if sheet.role == "deputy" and sheet.leader.portfolio_fields is None:
        raise ScoringError("leader.portfolio_fields", "bắt buộc với cấp phó (các lĩnh vực được phân công)")
    split = dict(rules.general_split)
    general = Fraction(0)
    for name, points in sheet.general_points.items():
        where = f"general_points.{name}"
        if not isinstance(points, Fraction) or points < 0:
            raise ScoringError(where, "phải là số không âm")
        if split:
            if name not in split:
                raise ScoringError(where, f"không phải tiêu chí chung của quy chế ({', '.join(split)})")
            if points > split[name]:
                raise ScoringError(where, f"vượt điểm tối đa của tiêu chí ({fmt(split[name])})")
        general += points
    if general > rules.general_max:
        raise ScoringError(
            "general_points", f"tổng {fmt(general)} điểm vượt quá tối đa {fmt(rules.general_max)} điểm"
        )
    seen: set[str] = set()
    for i, p in enumerate(sheet.products):
        where = f"products[{i}]"
        if not p.id:
            raise ScoringError(f"{where}.id", "bắt buộc")
        if p.id in seen:
            raise ScoringError(f"{where}.id", f"“{p.id}” bị trùng")
        seen.add(p.id)
        if not isinstance(p.weight, Fraction) or p.weight < 0:
            raise ScoringError(f"{where}.weight", "phải là số không âm")
        for name in ("delays", "quality_failures"):
            value = getattr(p, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ScoringError(f"{where}.{name}", "phải là số nguyên không âm")
    if sheet.leader is not None:
        for i, s in enumerate(sheet.leader.subordinates):
            if not isinstance(s.score, Fraction) or not 0 <= s.score <= rules.max_total:
                raise ScoringError(
                    f"leader.subordinates[{i}].score", f"phải là số từ 0 đến {fmt(rules.max_total)}"
                )
    return general


def _counts_for(role: str, portfolio: frozenset[str] | None, item_field: str | None, unfielded: bool) -> bool:
    if role != "deputy" or portfolio is None:
        return True
    if item_field is None:
        return unfielded
    return item_field in portfolio


def score_sheet(sheet: SheetInput, rules: RuleSet) -> SheetScore:
    """Score one monthly or quarterly sheet (Decree 335/2025 Arts. 12–15, 20)."""
    general = _validate_sheet(sheet, rules)
    leader = sheet.role != "staff"
    portfolio = sheet.leader.portfolio_fields if leader else None
    criteria = 6 if leader else 3
    # One percentage point of a criterion is worth this many points of the total.
    point_value = rules.task_max / 100 / criteria
    lines: list[Explanation] = []
    scores: list[ProductScore] = []

    counted = []
    for p in sheet.products:
        if _counts_for(sheet.role, portfolio, p.field, rules.unfielded_products_count_for_deputy):
            counted.append(p)
        else:
            reason = (
                f"lĩnh vực “{p.field}” ngoài lĩnh vực được phân công"
                if p.field is not None
                else "không gắn lĩnh vực: chỉ tính cho người đứng đầu"
            )
            scores.append(_product_not_counted(p, reason))
            lines.append(
                Explanation(
                    "not_counted", p.id, Fraction(0), f"Sản phẩm {p.id} không tính cho cấp phó: {reason}"
                )
            )

    assigned_weight = _fsum([p.weight for p in counted if p.assigned])
    if assigned_weight == 0:
        raise ScoringError(
            "products",
            "không có sản phẩm/công việc được giao (đã quy đổi) nào để tính điểm"
            + (" trong lĩnh vực được phân công" if sheet.role == "deputy" else ""),
        )
    unit = HUNDRED / assigned_weight * point_value  # points of the total per converted unit, per criterion

    counted_scores = []
    for p in counted:
        ps, product_lines = _score_product(p, rules, unit)
        counted_scores.append(ps)
        lines.extend(product_lines)
    scores.extend(counted_scores)
    sum_a = _fsum([ps.a_points for ps in counted_scores])
    sum_b = _fsum([ps.b_points for ps in counted_scores])
    sum_c = _fsum([ps.c_points for ps in counted_scores])
    order = {p.id: i for i, p in enumerate(sheet.products)}
    scores.sort(key=lambda s: order[s.id])

    a = sum_a / assigned_weight * 100
    b = sum_b / assigned_weight * 100
    c = sum_c / assigned_weight * 100
    if rules.cap_quantity and a > HUNDRED:
        lines.append(
            Explanation("cap", None, HUNDRED, f"Số lượng {fmt(a)}% vượt khối lượng được giao: tính 100%")
        )
        a = HUNDRED
    if rules.cap_quality_progress:
        if b > HUNDRED:
            lines.append(Explanation("cap", None, HUNDRED, f"Chất lượng {fmt(b)}%: tính tối đa 100%"))
            b = HUNDRED
        if c > HUNDRED:
            lines.append(Explanation("cap", None, HUNDRED, f"Tiến độ {fmt(c)}%: tính tối đa 100%"))
            c = HUNDRED
    lines.append(
        Explanation(
            "criterion_a",
            None,
            a,
            f"a) Số lượng: {fmt(sum_a)}/{fmt(assigned_weight)} sản phẩm quy đổi hoàn thành = {fmt(a)}%",
        )
    )
    lines.append(
        Explanation(
            "criterion_b",
            None,
            b,
            f"b) Chất lượng: {fmt(sum_b)}/{fmt(assigned_weight)} sản phẩm quy đổi = {fmt(b)}%",
        )
    )
    lines.append(
        Explanation(
            "criterion_c",
            None,
            c,
            f"c) Tiến độ: {fmt(sum_c)}/{fmt(assigned_weight)} sản phẩm quy đổi = {fmt(c)}%",
        )
    )

    d = dd = e = None
    if leader:
        d, dd, e = _leader_criteria(sheet, rules, lines)
        task_points = (a + b + c + d + dd + e) / 6 * rules.task_max / 100
        formula = (
            f"({fmt(a)} + {fmt(b)} + {fmt(c)} + {fmt(d)} + {fmt(dd)} + {fmt(e)}) / 6 × {fmt(rules.task_max)}%"
        )
    else:
        task_points = (a + b + c) / 3 * rules.task_max / 100
        formula = f"({fmt(a)} + {fmt(b)} + {fmt(c)}) / 3 × {fmt(rules.task_max)}%"
    lines.append(
        Explanation(
            "task_points",
            None,
            task_points,
            f"Điểm kết quả thực hiện nhiệm vụ: {formula} = {fmt(task_points)}",
        )
    )
    parts = ", ".join(f"{name} {fmt(points)}" for name, points in sheet.general_points.items())
    lines.append(
        Explanation(
            "general_points",
            None,
            general,
            f"Điểm tiêu chí chung: {fmt(general)}/{fmt(rules.general_max)}"
            + (f" ({parts})" if parts else ""),
        )
    )
    total = general + task_points
    band_by_score, band, override = _classify(total, sheet.discipline, sheet.role, rules, lines)
    return SheetScore(
        role=sheet.role,
        rule_set=rules.code,
        a=a,
        b=b,
        c=c,
        d=d,
        dd=dd,
        e=e,
        task_points=task_points,
        general_points=general,
        total=total,
        band_by_score=band_by_score,
        band=band,
        override=override,
        products=tuple(scores),
        explanation=tuple(lines),
    )


def _product_not_counted(p: Product, reason: str) -> ProductScore:
    zero = Fraction(0)
    return ProductScore(
        id=p.id,
        weight=p.weight,
        assigned=p.assigned,
        counted=False,
        reason=reason,
        a_points=zero,
        b_points=zero,
        c_points=zero,
        quality_deduction=zero,
        progress_deduction=zero,
        delays=p.delays,
        quality_failures=p.quality_failures,
        excused=p.excused,
    )


def _score_product(p: Product, rules: RuleSet, unit: Fraction) -> tuple[ProductScore, list[Explanation]]:
    """A counted product's a, b, c points in converted units, with its explanation lines.

    `unit` converts one converted unit of one criterion into points of the total."""
    lines: list[Explanation] = []
    zero = ZERO
    # A product marked late (or failing quality) without a count is one delay (one failure).
    delays = p.delays if p.delays else (0 if p.on_time else 1)
    failures = p.quality_failures if p.quality_failures else (0 if p.quality_ok else 1)
    if not p.completed:
        if p.assigned:
            lines.append(
                Explanation(
                    "not_completed",
                    p.id,
                    -p.weight * unit * 3,
                    f"Nhiệm vụ {p.id} chưa hoàn thành: không được điểm số lượng, chất lượng, tiến độ "
                    f"(vẫn tính {fmt(p.weight)} sản phẩm quy đổi vào khối lượng được giao)",
                )
            )
        return (
            ProductScore(
                p.id,
                p.weight,
                p.assigned,
                True,
                "",
                zero,
                zero,
                zero,
                zero,
                zero,
                delays,
                failures,
                p.excused,
            ),
            lines,
        )
    excuse = f" — có xác nhận nguyên nhân khách quan: {p.excuse_document}" if p.excuse_document else ""
    # The share of the product's points deducted: 25 % per failure / delay up to all of it (R1), or
    # all of it for any (R2: only flawless, on-time products enter the numerator).
    strict = rules.deduction_reading != "R1"
    q_share = zero if not failures else ONE if strict else min(ONE, failures * rules.quality_deduction)
    c_share = zero if not delays else ONE if strict else min(ONE, delays * rules.progress_deduction)
    q_cut = q_share * p.weight if q_share else zero
    c_cut = c_share * p.weight if c_share else zero
    if p.excused and (q_cut or c_cut):
        lines.append(
            Explanation(
                "excused",
                p.id,
                zero,
                f"Nhiệm vụ {p.id}: trễ hạn {delays} lần, chất lượng chưa đạt {failures} lần — không trừ điểm "
                f"vì nguyên nhân khách quan được cấp có thẩm quyền xác nhận{excuse or ''}",
            )
        )
        q_cut = c_cut = zero
    else:
        if q_cut:
            lines.append(
                Explanation(
                    "quality_deduction",
                    p.id,
                    -q_cut * unit,
                    f"Nhiệm vụ {p.id} chất lượng chưa đạt {failures} lần: trừ {_percent_text(q_share)} "
                    "điểm chất lượng của sản phẩm (không có xác nhận nguyên nhân khách quan)",
                )
            )
        if c_cut:
            lines.append(
                Explanation(
                    "progress_deduction",
                    p.id,
                    -c_cut * unit,
                    f"Nhiệm vụ {p.id} trễ hạn {delays} lần: trừ {_percent_text(c_share)} điểm tiến độ "
                    "của sản phẩm (không có xác nhận nguyên nhân khách quan)",
                )
            )
    score = ProductScore(
        id=p.id,
        weight=p.weight,
        assigned=p.assigned,
        counted=True,
        reason="",
        a_points=p.weight,
        b_points=p.weight - q_cut if q_cut else p.weight,
        c_points=p.weight - c_cut if c_cut else p.weight,
        quality_deduction=q_cut,
        progress_deduction=c_cut,
        delays=delays,
        quality_failures=failures,
        excused=p.excused,
    )
    if not p.assigned:
        lines.append(
            Explanation("extra", p.id, zero, f"Sản phẩm {p.id} hoàn thành ngoài khối lượng được giao")
        )
    return score, lines


def _leader_criteria(
    sheet: SheetInput, rules: RuleSet, lines: list[Explanation]
) -> tuple[Fraction, Fraction, Fraction]:
    info = sheet.leader
    low = rules.leader_low_ratio * 100
    counted = [
        s
        for s in info.subordinates
        if _counts_for(
            sheet.role, info.portfolio_fields, s.field, rules.unfielded_subordinates_count_for_deputy
        )
    ]
    below = [s for s in counted if s.score < rules.completed_min]
    if not counted:
        d = HUNDRED if rules.d_full_without_subordinates else low
        text = "không có công chức thuộc quyền được tính" + (
            " trong lĩnh vực phụ trách" if sheet.role == "deputy" else ""
        )
    elif below:
        d = low
        names = ", ".join(f"{s.id} ({fmt(s.score)} điểm)" for s in below)
        text = f"có công chức thuộc quyền dưới {fmt(rules.completed_min)} điểm: {names}"
    else:
        d = HUNDRED
        text = f"cả {len(counted)} công chức thuộc quyền đạt từ {fmt(rules.completed_min)} điểm trở lên"
    skipped = len(info.subordinates) - len(counted)
    if skipped:
        text += f"; {skipped} người ngoài lĩnh vực phụ trách không tính"
    lines.append(Explanation("criterion_d", None, d, f"d) Kết quả của cơ quan, đơn vị: {fmt(d)}% — {text}"))
    dd = HUNDRED if info.unit_all_planned_tasks_on_time_and_quality else low
    lines.append(
        Explanation(
            "criterion_dd",
            None,
            dd,
            f"đ) Năng lực tổ chức triển khai: {fmt(dd)}% — "
            + (
                "đơn vị hoàn thành mọi nhiệm vụ theo kế hoạch đúng tiến độ, bảo đảm chất lượng"
                if info.unit_all_planned_tasks_on_time_and_quality
                else "đơn vị chưa hoàn thành mọi nhiệm vụ theo kế hoạch đúng tiến độ, bảo đảm chất lượng"
            ),
        )
    )
    e = HUNDRED if info.unity_ok else low
    lines.append(
        Explanation(
            "criterion_e",
            None,
            e,
            f"e) Năng lực tập hợp, đoàn kết: {fmt(e)}% — " + ("đạt" if info.unity_ok else "chưa đạt"),
        )
    )
    return d, dd, e


def _classify(
    total: Fraction, discipline: Discipline, role: str | None, rules: RuleSet, lines: list[Explanation]
) -> tuple[str, str, str | None]:
    band_by_score = band_for(total, rules)
    lines.append(
        Explanation("total", None, total, f"Tổng điểm {fmt(total)} → {BAND_LABELS[band_by_score]} theo điểm")
    )
    override = None
    for flag in _OVERRIDE_ORDER:
        if not getattr(discipline, flag):
            continue
        if flag == "unit_corruption_handled" and role == "staff":
            lines.append(
                Explanation(
                    "override_not_applicable",
                    None,
                    Fraction(0),
                    "Điều 20 khoản 4 điểm d chỉ áp dụng với công chức giữ chức vụ lãnh đạo, quản lý: "
                    "không xét",
                )
            )
            continue
        override = flag
        break
    band = band_by_score
    if override:
        band = "khong_hoan_thanh"
        lines.append(
            Explanation(
                "override",
                None,
                Fraction(0),
                f"Xếp loại {BAND_LABELS[band]} vì {OVERRIDE_LABELS[override]} (điểm vẫn là {fmt(total)})",
            )
        )
    return band_by_score, band, override


# ---------------------------------------------------------------------------------------------------
# The year


def score_year(
    period_totals: Sequence[Fraction],
    *,
    discipline: Discipline,
    rules: RuleSet,
    role: str | None = None,
    unit_band: str | None = None,
) -> YearScore:
    """The year from the period totals actually worked (RA: their arithmetic mean), with overrides.

    `role` "staff" makes the unit-corruption override inapplicable; `unit_band` (the unit's own
    classification) caps a head's band when `rules.head_not_above_unit` is set."""
    if rules.regime != "points":
        raise ScoringError("rule_set", f"bộ quy tắc {rules.code} xếp loại theo điều kiện, không theo điểm")
    if not period_totals:
        raise ScoringError("period_totals", "cần ít nhất một kỳ đánh giá (tháng hoặc quý) đã làm việc")
    for i, value in enumerate(period_totals):
        if not isinstance(value, Fraction) or not 0 <= value <= rules.max_total:
            raise ScoringError(f"period_totals[{i}]", f"phải là số từ 0 đến {fmt(rules.max_total)}")
    if role is not None and role not in ROLES:
        raise ScoringError("role", "phải là staff, deputy hoặc head")
    if unit_band is not None and unit_band not in BAND_CODES:
        raise ScoringError("unit_band", f"phải là một trong: {', '.join(BAND_CODES)}")
    total = sum(period_totals, Fraction(0)) / len(period_totals)
    lines = [
        Explanation("period", None, value, f"Kỳ {i + 1}: {fmt(value)} điểm")
        for i, value in enumerate(period_totals)
    ]
    lines.append(
        Explanation(
            "mean",
            None,
            total,
            f"Điểm cả năm = trung bình {len(period_totals)} kỳ đã làm việc = {fmt(total)}",
        )
    )
    band_by_score, band, override = _classify(total, discipline, role, rules, lines)
    if (
        rules.head_not_above_unit
        and role == "head"
        and unit_band
        and _BAND_RANK[band] > _BAND_RANK[unit_band]
    ):
        lines.append(
            Explanation(
                "head_not_above_unit",
                None,
                Fraction(0),
                f"Người đứng đầu không xếp loại cao hơn đơn vị ({BAND_LABELS[unit_band]})",
            )
        )
        band = unit_band
    return YearScore(
        total=total,
        periods=len(period_totals),
        band_by_score=band_by_score,
        band=band,
        override=override,
        explanation=tuple(lines),
    )


# ---------------------------------------------------------------------------------------------------
# The quota (Art. 20(5))


def max_excellent_places(*, good_or_better: int, good_before_quota: int, ratio: Fraction, base: str) -> int:
    """The number of excellent places for a group.

    - final_good (default, RQ): the largest E with E ≤ ratio × (good_or_better − E): whoever is not
      rated excellent among those scoring 70 or more is rated good, so moving a person down raises
      the base. E is found by counting down (the condition only gets easier as E falls);
    - good_or_better: E ≤ ratio × everyone rated good or better;
    - pre_quota_good: E ≤ ratio × those rated good before the quota (the harsher reading)."""
    if base == "good_or_better":
        return math.floor(ratio * good_or_better)
    if base == "pre_quota_good":
        return math.floor(ratio * good_before_quota)
    for places in range(good_or_better, -1, -1):
        if places <= ratio * (good_or_better - places):
            return places
    return 0  # pragma: no cover - places = 0 always satisfies the condition


def apply_quota(
    members: Sequence[tuple[str, Fraction]], *, organisation_recognised_outstanding: bool, rules: RuleSet
) -> QuotaResult:
    """Bands after the quota: the highest totals keep the excellent places, the rest move to "tot".

    Members tied at the cut are listed in `ties`: the places among them follow the input order until
    the evaluator settles them."""
    seen: set[str] = set()
    for i, (member_id, total) in enumerate(members):
        if not member_id:
            raise ScoringError(f"members[{i}].id", "bắt buộc")
        if member_id in seen:
            raise ScoringError(f"members[{i}].id", f"“{member_id}” bị trùng")
        seen.add(member_id)
        if not isinstance(total, Fraction) or not 0 <= total <= rules.max_total:
            raise ScoringError(f"members[{i}].total_points", f"phải là số từ 0 đến {fmt(rules.max_total)}")
    ratio = rules.quota_ratio_outstanding if organisation_recognised_outstanding else rules.quota_ratio
    bands = {member_id: band_for(total, rules) for member_id, total in members}
    excellent = [(member_id, total) for member_id, total in members if bands[member_id] == "xuat_sac"]
    good = sum(1 for band in bands.values() if band == "tot")
    places = max_excellent_places(
        good_or_better=good + len(excellent), good_before_quota=good, ratio=ratio, base=rules.quota_base
    )
    ranked = sorted(excellent, key=lambda m: -m[1])  # stable: input order among equal totals
    kept, moved = ranked[:places], ranked[places:]
    ties: tuple[str, ...] = ()
    cut = Fraction(0)
    if kept and moved and kept[-1][1] == moved[0][1]:
        cut = kept[-1][1]
        ties = tuple(member_id for member_id, total in ranked if total == cut)
    for member_id, _ in moved:
        bands[member_id] = "tot"
    final_good = good + len(moved)
    # T < 5 at 20 %: not a single place. Literal, harsh for small groups: the page flags it.
    small_group = places == 0 and (good + len(excellent)) > 0
    lines = [
        Explanation(
            "quota",
            None,
            Fraction(places),
            f"Tỷ lệ tối đa {_percent_text(ratio)} số được xếp loại hoàn thành tốt"
            + (" (tổ chức được công nhận hoàn thành xuất sắc)" if organisation_recognised_outstanding else "")
            + f": {len(excellent)} người đạt từ {fmt(rules.excellent_min)} điểm, {places} suất xuất sắc, "
            f"{final_good} người hoàn thành tốt sau khi áp tỷ lệ",
        )
    ]
    for member_id, total in moved:
        lines.append(
            Explanation(
                "over_quota",
                member_id,
                total,
                f"{member_id} ({fmt(total)} điểm) vượt tỷ lệ xuất sắc: xếp hoàn thành tốt nhiệm vụ",
            )
        )
    if ties:
        lines.append(
            Explanation(
                "tie",
                None,
                cut,
                f"Bằng điểm tại ngưỡng cắt: {', '.join(ties)} — cấp có thẩm quyền quyết định "
                "(tạm xếp theo thứ tự danh sách)",
            )
        )
    if small_group and excellent:
        lines.append(
            Explanation(
                "small_group",
                None,
                Fraction(0),
                f"Nhóm có {final_good} người hoàn thành tốt: {_percent_text(ratio)} × {final_good} < 1 "
                "nên không có suất xuất sắc nào (áp dụng đúng văn bản; cần lưu ý khi xét nhóm nhỏ)",
            )
        )
    return QuotaResult(
        max_excellent=places,
        bands=bands,
        over_quota=tuple(member_id for member_id, _ in moved),
        ties=ties,
        ratio=ratio,
        good_count=final_good,
        small_group=small_group,
        explanation=tuple(lines),
    )


def apply_quota_to_bands(
    members: Sequence[tuple[str, str]],
    *,
    organisation_recognised_outstanding: bool,
    rules: RuleSet,
    order: Sequence[str] = (),
) -> QuotaResult:
    """The same quota for bands decided by conditions (Decree 90/48: no points to rank by).

    `members` are (id, band). The number of places is computed as in `apply_quota`; who keeps them
    is the evaluator's choice, given as `order` (ids, most deserving first). Without an order every
    candidate is reported in `ties` and the places follow the input order provisionally."""
    seen: set[str] = set()
    for i, (member_id, band) in enumerate(members):
        if not member_id:
            raise ScoringError(f"members[{i}].id", "bắt buộc")
        if member_id in seen:
            raise ScoringError(f"members[{i}].id", f"“{member_id}” bị trùng")
        seen.add(member_id)
        if band not in BAND_CODES:
            raise ScoringError(f"members[{i}].band", f"phải là một trong: {', '.join(BAND_CODES)}")
    unknown = [member_id for member_id in order if member_id not in seen]
    if unknown:
        raise ScoringError("order", f"không có trong danh sách: {', '.join(unknown)}")
    ratio = rules.quota_ratio_outstanding if organisation_recognised_outstanding else rules.quota_ratio
    bands = dict(members)
    position = {member_id: i for i, member_id in enumerate(order)}
    candidates = sorted(
        (member_id for member_id, band in members if band == "xuat_sac"),
        key=lambda member_id: position.get(member_id, len(position)),
    )
    good = sum(1 for band in bands.values() if band == "tot")
    places = max_excellent_places(
        good_or_better=good + len(candidates), good_before_quota=good, ratio=ratio, base=rules.quota_base
    )
    moved = candidates[places:]
    for member_id in moved:
        bands[member_id] = "tot"
    ties = tuple(candidates) if moved and not order else ()
    final_good = good + len(moved)
    lines = [
        Explanation(
            "quota",
            None,
            Fraction(places),
            f"Tỷ lệ tối đa {_percent_text(ratio)} số được xếp loại hoàn thành tốt: {len(candidates)} người "
            f"đủ điều kiện xuất sắc, {places} suất, {final_good} người hoàn thành tốt sau khi áp tỷ lệ"
            + ("; cấp có thẩm quyền chọn người giữ suất (tạm theo thứ tự danh sách)" if ties else ""),
        )
    ]
    lines += [
        Explanation(
            "over_quota",
            member_id,
            Fraction(0),
            f"{member_id} vượt tỷ lệ xuất sắc: xếp hoàn thành tốt nhiệm vụ",
        )
        for member_id in moved
    ]
    return QuotaResult(
        max_excellent=places,
        bands=bands,
        over_quota=tuple(moved),
        ties=ties,
        ratio=ratio,
        good_count=final_good,
        small_group=places == 0 and (good + len(candidates)) > 0,
        explanation=tuple(lines),
    )


@dataclass
class GroupQuota:
    """One member's outcome of the quota over the agency and his group of similar posts."""

    over_quota: bool = False
    tie: bool = False
    groups: list[dict] = field(default_factory=list)  # per group: members, T, places, small group
    lines: list[dict] = field(default_factory=list)  # the explanation lines that concern the member


def quota_group_name(chosen: str | None, position: str | None) -> str:
    """The group of similar posts (nhóm có nhiệm vụ tương đồng): the agency's choice, else the job
    title, else "—" (decree-335 §5.3; the same grouping for Decree 90/48, §10.3)."""
    return chosen or position or "—"


def apply_quota_by_group(
    members: Sequence[tuple[str, str, object]], quota: Callable[[list[tuple[str, object]]], QuotaResult]
) -> dict[str, GroupQuota]:
    """The excellent quota within the agency as a whole and within each group of similar posts, as
    both Decree 335 Art. 20(5) and Decree 90/48 (by the Party ratio of Regulation 366 Art. 11) word
    it. `members` are (id, group, value); `quota` is `apply_quota` (value: the total) or
    `apply_quota_to_bands` (value: the band by conditions) with the rule set bound. A member over the
    quota in the agency or in his group is over it."""
    groups: dict[str, list[tuple[str, str, object]]] = {"": list(members)}
    for member in members:
        groups.setdefault(member[1], []).append(member)
    outcomes = {member_id: GroupQuota() for member_id, _, _ in members}
    for group, in_group in groups.items():
        if not in_group:
            continue
        result = quota([(member_id, value) for member_id, _, value in in_group])
        where = "cơ quan, đơn vị" if group == "" else f"nhóm “{group}”"
        summary = {
            "group": group,
            "members": len(in_group),
            "good": result.good_count,
            "max_excellent": result.max_excellent,
            "small_group": result.small_group,
            "over_quota": len(result.over_quota),
        }
        for member_id, _, _ in in_group:
            outcome = outcomes[member_id]
            outcome.over_quota |= member_id in result.over_quota
            outcome.tie |= member_id in result.ties
            outcome.groups.append(summary)
            outcome.lines.extend(
                {"kind": line.kind, "text": f"{where}: {line.text}", "points": str(line.points)}
                for line in result.explanation
                if line.product_id in (None, member_id)
            )
    return outcomes


# ---------------------------------------------------------------------------------------------------
# Decree 90/2020 as amended by Decree 48/2023: bands by conditions (§10 of the reference)

GENERAL_LEVELS = ("tot", "dat", "khong_dat")


@dataclass(frozen=True)
class Nd90Input:
    """The conditions an evaluator checks under Decree 90/48 (no points).

    Task criteria are counted: of `tasks_total`, how many were completed, completed on time with
    quality and effectiveness, and exceeded. `general_criteria_level` is the evaluator's verdict on
    the general criteria of Art. 3(1)–(4): "tot" (required for excellent and good), "dat" (enough for
    completed), "khong_dat". Leaders add their unit's targets and the ratings of the units under them."""

    role: str
    general_criteria_level: str
    tasks_total: int
    tasks_completed: int
    tasks_on_time_quality: int
    tasks_exceeded: int
    unit_targets_total: int = 0
    unit_targets_completed: int = 0
    unit_targets_on_time_quality: int = 0
    unit_targets_exceeded: int = 0
    subunits_total: int = 0
    subunits_completed_or_better: int = 0
    subunits_good_or_better: int = 0
    months_worked: int = 12
    leave_months: int = 0
    maternity_leave: bool = False
    discipline: Discipline = field(default_factory=Discipline)


@dataclass(frozen=True)
class Condition:
    name: str
    held: bool
    text: str


@dataclass(frozen=True)
class Nd90Result:
    """`band` is None when the person is not classified (working time); `decided_by` names the
    condition that decided the band; `band_by_conditions` is the band before the overrides."""

    rule_set: str
    classified: bool
    band: str | None
    band_by_conditions: str | None
    override: str | None
    decided_by: str
    conditions: tuple[Condition, ...]
    explanation: tuple[Explanation, ...]


_ND90_COUNTS = (
    "tasks_total",
    "tasks_completed",
    "tasks_on_time_quality",
    "tasks_exceeded",
    "unit_targets_total",
    "unit_targets_completed",
    "unit_targets_on_time_quality",
    "unit_targets_exceeded",
    "subunits_total",
    "subunits_completed_or_better",
    "subunits_good_or_better",
    "months_worked",
    "leave_months",
)


def _validate_nd90(data: Nd90Input, rules: RuleSet) -> None:
    if rules.regime != "conditions":
        raise ScoringError("rule_set", f"bộ quy tắc {rules.code} xếp loại theo điểm, không theo điều kiện")
    if data.role not in ROLES:
        raise ScoringError("conditions.role", "phải là staff, deputy hoặc head")
    if data.general_criteria_level not in GENERAL_LEVELS:
        raise ScoringError("conditions.general_criteria_level", "phải là tot, dat hoặc khong_dat")
    for name in _ND90_COUNTS:
        value = getattr(data, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            raise ScoringError(f"conditions.{name}", "phải là số nguyên không âm")
    if data.months_worked > 12:
        raise ScoringError("conditions.months_worked", "không quá 12 tháng")
    if data.tasks_total == 0:
        raise ScoringError(
            "conditions.tasks_total", "phải lớn hơn 0 (số tiêu chí về kết quả thực hiện nhiệm vụ)"
        )
    pairs = [
        ("tasks_completed", "tasks_total"),
        ("tasks_on_time_quality", "tasks_completed"),
        ("tasks_exceeded", "tasks_completed"),
        ("unit_targets_completed", "unit_targets_total"),
        ("unit_targets_on_time_quality", "unit_targets_completed"),
        ("unit_targets_exceeded", "unit_targets_completed"),
        ("subunits_completed_or_better", "subunits_total"),
        ("subunits_good_or_better", "subunits_completed_or_better"),
    ]
    for part, whole in pairs:
        if getattr(data, part) > getattr(data, whole):
            raise ScoringError(f"conditions.{part}", f"không được lớn hơn {whole}")
    if data.role != "staff" and data.unit_targets_total == 0:
        raise ScoringError(
            "conditions.unit_targets_total",
            "bắt buộc với lãnh đạo (số chỉ tiêu, nhiệm vụ của đơn vị/lĩnh vực)",
        )


def _share(part: int, whole: int) -> Fraction:
    return Fraction(part, whole) if whole else Fraction(1)


def score_nd90(conditions: Nd90Input, rules: RuleSet) -> Nd90Result:
    """Classify by the conditions of Decree 90/2020 Arts. 8–11 (staff) and the leaders' clauses, as
    amended by Decree 48/2023 (discipline, working time). Overrides first, then the explicit
    "không hoàn thành" conditions, then excellent, good, completed; a case none of them covers gets
    `rules.nd90_gap_band`."""
    _validate_nd90(conditions, rules)
    c = conditions
    lines: list[Explanation] = []
    zero = Fraction(0)
    if (
        rules.min_months_worked is not None
        and c.months_worked < rules.min_months_worked
        and not (c.maternity_leave and rules.maternity_exempt_from_min_months)
    ):
        text = (
            f"Thời gian công tác trong năm {c.months_worked} tháng, dưới {rules.min_months_worked} tháng: "
            "không xếp loại chất lượng (Nghị định 48/2023)"
        )
        return Nd90Result(
            rules.code,
            False,
            None,
            None,
            None,
            "working_time",
            (),
            (Explanation("working_time", None, zero, text),),
        )
    leader = c.role != "staff"
    short = _share(c.tasks_total - c.tasks_on_time_quality, c.tasks_total)
    all_completed = c.tasks_completed == c.tasks_total
    all_on_time = c.tasks_on_time_quality == c.tasks_total
    exceeded = _share(c.tasks_exceeded, c.tasks_total)
    unit_completed = _share(c.unit_targets_completed, c.unit_targets_total)
    unit_on_time = _share(c.unit_targets_on_time_quality, c.unit_targets_total)
    unit_exceeded = _share(c.unit_targets_exceeded, c.unit_targets_total)
    sub_ok = _share(c.subunits_completed_or_better, c.subunits_total)
    sub_good = _share(c.subunits_good_or_better, c.subunits_total)
    general_good = c.general_criteria_level == "tot"
    general_met = c.general_criteria_level in ("tot", "dat")
    pct = _percent_text

    checks: list[Condition] = []

    def check(name: str, held: bool, text: str) -> bool:
        checks.append(Condition(name, held, text))
        return held

    # The explicit "không hoàn thành" conditions (Art. 11 and the leaders' clause).
    fail_short = check(
        "kht_short",
        short > rules.nd90_fail_short_above,
        f"{pct(short)} tiêu chí kết quả chưa bảo đảm tiến độ, chất lượng, hiệu quả "
        f"(không hoàn thành khi trên {pct(rules.nd90_fail_short_above)})",
    )
    fail_unit = leader and check(
        "kht_unit",
        unit_completed < rules.nd90_leader_unit_fail_below,
        f"đơn vị/lĩnh vực hoàn thành {pct(unit_completed)} chỉ tiêu, nhiệm vụ "
        f"(không hoàn thành khi dưới {pct(rules.nd90_leader_unit_fail_below)})",
    )
    excellent = all(
        [
            check("xs_general", general_good, "tiêu chí chung thực hiện tốt (Điều 3 khoản 1–4)"),
            check(
                "xs_all_completed_on_time",
                all_completed and all_on_time,
                "hoàn thành 100% nhiệm vụ đúng tiến độ, chất lượng",
            ),
            check(
                "xs_exceeded",
                exceeded >= rules.nd90_excellent_exceeded_min,
                f"{pct(exceeded)} nhiệm vụ hoàn thành vượt mức "
                f"(cần ít nhất {pct(rules.nd90_excellent_exceeded_min)})",
            ),
        ]
        + (
            [
                check(
                    "xs_unit",
                    unit_completed == 1 and unit_exceeded >= rules.nd90_excellent_exceeded_min,
                    f"đơn vị hoàn thành {pct(unit_completed)} chỉ tiêu, {pct(unit_exceeded)} vượt mức "
                    f"(cần 100% và ít nhất {pct(rules.nd90_excellent_exceeded_min)} vượt mức)",
                ),
                check(
                    "xs_subunits",
                    sub_ok == 1 and sub_good >= rules.nd90_leader_subunits_good_min,
                    f"đơn vị thuộc quyền: {pct(sub_ok)} hoàn thành trở lên, {pct(sub_good)} tốt trở lên "
                    f"(cần 100% và ít nhất {pct(rules.nd90_leader_subunits_good_min)})",
                ),
            ]
            if leader
            else []
        )
    )
    good = all(
        [general_good, all_completed and all_on_time]
        + (
            [
                check(
                    "tot_unit",
                    unit_completed == 1 and unit_on_time >= rules.nd90_leader_unit_good_on_time_min,
                    f"đơn vị hoàn thành {pct(unit_completed)} chỉ tiêu, {pct(unit_on_time)} đúng tiến độ, "
                    f"chất lượng (cần 100% và ít nhất {pct(rules.nd90_leader_unit_good_on_time_min)})",
                ),
                check(
                    "tot_subunits",
                    sub_ok == 1,
                    f"đơn vị thuộc quyền hoàn thành nhiệm vụ trở lên: {pct(sub_ok)} (cần 100%)",
                ),
            ]
            if leader
            else []
        )
    )
    completed = all(
        [
            check("ht_general", general_met, "tiêu chí chung đạt"),
            check(
                "ht_short",
                all_completed and short <= rules.nd90_completed_max_short,
                f"hoàn thành các tiêu chí kết quả, {pct(short)} chưa bảo đảm tiến độ, chất lượng "
                f"(cần không quá {pct(rules.nd90_completed_max_short)})",
            ),
        ]
        + (
            [
                check(
                    "ht_unit",
                    unit_completed > rules.nd90_leader_unit_completed_above,
                    f"đơn vị hoàn thành {pct(unit_completed)} chỉ tiêu "
                    f"(cần trên {pct(rules.nd90_leader_unit_completed_above)})",
                ),
                check(
                    "ht_subunits",
                    sub_ok >= rules.nd90_leader_subunits_completed_min,
                    f"đơn vị thuộc quyền hoàn thành trở lên: {pct(sub_ok)} "
                    f"(cần ít nhất {pct(rules.nd90_leader_subunits_completed_min)})",
                ),
            ]
            if leader
            else []
        )
    )
    if fail_short or fail_unit:
        by_conditions, decided_by = "khong_hoan_thanh", "kht_short" if fail_short else "kht_unit"
    elif excellent:
        by_conditions, decided_by = "xuat_sac", "xs_conditions"
    elif good:
        by_conditions, decided_by = "tot", "tot_conditions"
    elif completed:
        by_conditions, decided_by = "hoan_thanh", "ht_conditions"
    else:
        by_conditions, decided_by = rules.nd90_gap_band, "gap"
    for cond in checks:
        lines.append(Explanation("condition", None, zero, ("✓ " if cond.held else "✗ ") + cond.text))
    lines.append(
        Explanation(
            "band_by_conditions",
            None,
            zero,
            f"Theo điều kiện: {BAND_LABELS[by_conditions]}"
            + (" (không đủ điều kiện của mức hoàn thành nhiệm vụ)" if decided_by == "gap" else ""),
        )
    )
    band = by_conditions
    override = None
    for flag in _OVERRIDE_ORDER:
        if getattr(c.discipline, flag) and not (flag == "unit_corruption_handled" and not leader):
            override = flag
            break
    if override:
        band, decided_by = "khong_hoan_thanh", f"override:{override}"
        lines.append(
            Explanation(
                "override", None, zero, f"Xếp loại {BAND_LABELS[band]} vì {OVERRIDE_LABELS[override]}"
            )
        )
    cap_months = rules.nd90_leave_cap_months
    if (
        cap_months is not None
        and cap_months <= c.leave_months
        and (rules.min_months_worked is None or c.leave_months < rules.min_months_worked)
        and _BAND_RANK[band] > _BAND_RANK["hoan_thanh"]
    ):
        band, decided_by = "hoan_thanh", "leave_cap"
        lines.append(
            Explanation(
                "leave_cap",
                None,
                zero,
                f"Nghỉ {c.leave_months} tháng trong năm (từ {cap_months} tháng): "
                "không xếp loại từ hoàn thành tốt trở lên",
            )
        )
    return Nd90Result(
        rules.code, True, band, by_conditions, override, decided_by, tuple(checks), tuple(lines)
    )
