"""Rule sets for the year-end evaluation (đánh giá, xếp loại chất lượng) as data.

A `RuleSet` holds every parameter the scoring functions read. Each reading that Decree 335/2025 leaves
open (`domain/decree-335.md` §12) is a field here with the default named there, so an agency that reads
the decree differently changes data, not code. All numbers are `Fraction`: a binary float can turn an
exact 90 into 89.99999999999999 and move a civil servant down a band.

Two regimes:
- `nd335_2025` — points: 30 general + 70 task points, bands 90 / 70 / 50 (Decree 335/2025, and from
  01/07/2026 standing in for Decree 233/2026 for viên chức, which has the same 30 + 70 and bands);
- `nd90_2020` — conditions: Decree 90/2020 as amended by Decree 48/2023, bands decided by conditions
  (§10 of the reference), no points.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any

BAND_CODES = ("xuat_sac", "tot", "hoan_thanh", "khong_hoan_thanh")


class RuleSetError(ValueError):
    """A bad rule-set parameter; `field` names it, `message` says what is wrong (Vietnamese)."""

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def parse_fraction(value: Any, field: str, *, error=RuleSetError) -> Fraction:
    """An exact number from an int, a Decimal, a Fraction or a text ("89.99", "8999/100", "25%").

    A float is converted through its shortest decimal text (str(0.1) == "0.1"), never through its
    binary value, so 0.1 means one tenth. Booleans are refused: JSON `true` is not a number."""
    if isinstance(value, bool) or value is None:
        raise error(field, "phải là một số")
    if isinstance(value, Fraction):
        return value
    if isinstance(value, int):
        return Fraction(value)
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise error(field, "phải là một số hữu hạn")
        return Fraction(value)
    if isinstance(value, float):
        value = repr(value)
    if isinstance(value, str):
        text = value.strip().replace(" ", "")
        percent = text.endswith("%")
        if percent:
            text = text[:-1]
        try:
            if "/" in text:
                number = Fraction(text)
            else:
                dec = Decimal(text)
                if not dec.is_finite():
                    raise error(field, "phải là một số hữu hạn")
                number = Fraction(dec)
        except (ValueError, ZeroDivisionError, InvalidOperation):
            raise error(field, f"“{value}” không phải là một số") from None
        return number / 100 if percent else number
    raise error(field, "phải là một số")


def fraction_text(value: Fraction) -> str:
    """ "p/q" (or "p" for a whole number): exact, JSON-safe, read back by `parse_fraction`."""
    return str(value)


# ---------------------------------------------------------------------------------------------------
# The parameters, their kinds and bounds (the validation table of `RuleSet.from_mapping`).

_CHOICES = {
    "code": ("nd335_2025", "nd90_2020"),
    "regime": ("points", "conditions"),
    "deduction_reading": ("R1", "R2"),
    "quota_base": ("final_good", "good_or_better", "pre_quota_good"),
    "annual_rule": ("mean",),
    "nd90_gap_band": BAND_CODES,
    "leader_products": ("own", "own_and_directed"),
    "head_rating": ("by_unit", "chairman"),
}
_RATIOS = (  # fractions in [0, 1]
    "quality_deduction",
    "progress_deduction",
    "leader_low_ratio",
    "quota_ratio",
    "quota_ratio_outstanding",
    "nd90_excellent_exceeded_min",
    "nd90_completed_max_short",
    "nd90_fail_short_above",
    "nd90_leader_unit_good_on_time_min",
    "nd90_leader_unit_completed_above",
    "nd90_leader_unit_fail_below",
    "nd90_leader_subunits_good_min",
    "nd90_leader_subunits_completed_min",
)
_POINTS = ("general_max", "task_max", "excellent_min", "good_min", "completed_min")
_BOOLS = (
    "cap_quantity",
    "cap_quality_progress",
    "unfielded_products_count_for_deputy",
    "unfielded_subordinates_count_for_deputy",
    "d_full_without_subordinates",
    "head_not_above_unit",
    "maternity_exempt_from_min_months",
)
_OPTIONAL_MONTHS = ("min_months_worked", "nd90_leave_cap_months")


@dataclass(frozen=True)
class RuleSet:
    """Every parameter of one rule set (bộ quy tắc đánh giá), exact numbers only.

    Defaults are the readings of §12 of `domain/decree-335.md`; the comment on each field names the
    reading or the source."""

    code: str = "nd335_2025"
    regime: str = "points"  # "points" (Decree 335) or "conditions" (Decree 90/48)
    # Art. 12: 100 points = general criteria ≤ 30 + task results ≤ 70.
    general_max: Fraction = Fraction(30)
    task_max: Fraction = Fraction(70)
    # The agency's split of the general points (Art. 12(2) groups), name → maximum; empty = free.
    general_split: tuple[tuple[str, Fraction], ...] = ()
    # Art. 14: −25 % of a product's quality points per failed assessment, of its progress points per delay.
    quality_deduction: Fraction = Fraction(1, 4)
    progress_deduction: Fraction = Fraction(1, 4)
    # R1 per-product deductions (default) or R2 strict ratio (only flawless, on-time products count).
    deduction_reading: str = "R1"
    # a capped at 100 % when more is completed than assigned [I]; b and c likewise.
    cap_quantity: bool = True
    cap_quality_progress: bool = True
    # A deputy is scored within his portfolio fields (Art. 15); products / subordinates without a
    # field count only for the head unless these are set.
    unfielded_products_count_for_deputy: bool = False
    unfielded_subordinates_count_for_deputy: bool = False
    # A leader's products (Art. 15, decree-335 §4): "own_and_directed" — his own tasks plus the tasks
    # of the unit he directs (a deputy: those in his portfolio fields), the reading of "directing …
    # tasks related to the products of the civil servants in his charge"; "own" — his own tasks only.
    leader_products: str = "own_and_directed"
    # d when no subordinate is counted: 100 % ("every civil servant under authority" holds vacuously).
    d_full_without_subordinates: bool = True
    # Who rates a head (decree-335 §7, §10.3: Decree 90 Art. 16 [Q], kept by Decree 335 [I]): "by_unit" —
    # the head of a unit managed by the province (its parent is the province: sở, ban, ngành, UBND cấp
    # xã) by the Chairman on the Director of Home Affairs' proposal, the head of a sub-unit (phòng, đơn
    # vị thuộc sở) by the head of its agency, like its staff; "chairman" — every head by the Chairman.
    head_rating: str = "by_unit"
    # Art. 20(1)–(4)(a): bands on the exact total.
    excellent_min: Fraction = Fraction(90)
    good_min: Fraction = Fraction(70)
    completed_min: Fraction = Fraction(50)
    # RD / RDD / RE: d, đ, e are 100 % or this ratio.
    leader_low_ratio: Fraction = Fraction(1, 2)
    # RQ, Art. 20(5): excellent ≤ 20 % of those rated good; 25 % for an organisation recognised outstanding.
    quota_ratio: Fraction = Fraction(1, 5)
    quota_ratio_outstanding: Fraction = Fraction(1, 4)
    quota_base: str = "final_good"
    # RA: the year = arithmetic mean of the period totals actually worked.
    annual_rule: str = "mean"
    # Decree 233/2026 Art. 12(7): a head not rated above the unit — [U] for Decree 335, off by default.
    head_not_above_unit: bool = False
    # Working time: fewer months worked in the year → not classified (Decree 48/2023); [U] for 335.
    min_months_worked: int | None = None
    maternity_exempt_from_min_months: bool = True
    # Decree 90/48 conditions (§10.1–10.2); leave of this many months (up to min_months_worked) caps
    # the band at "hoàn thành".
    nd90_leave_cap_months: int | None = None
    nd90_excellent_exceeded_min: Fraction = Fraction(1, 2)
    nd90_completed_max_short: Fraction = Fraction(1, 5)
    nd90_fail_short_above: Fraction = Fraction(1, 2)
    nd90_leader_unit_good_on_time_min: Fraction = Fraction(4, 5)
    nd90_leader_unit_completed_above: Fraction = Fraction(7, 10)
    nd90_leader_unit_fail_below: Fraction = Fraction(1, 2)
    nd90_leader_subunits_good_min: Fraction = Fraction(7, 10)
    nd90_leader_subunits_completed_min: Fraction = Fraction(7, 10)
    # A case the Decree 90 conditions leave between bands (e.g. 30 % of criteria short): the four
    # levels are exhaustive, so it is below "hoàn thành" [I].
    nd90_gap_band: str = "khong_hoan_thanh"

    # -----------------------------------------------------------------------------------------------
    @property
    def max_total(self) -> Fraction:
        return self.general_max + self.task_max

    @classmethod
    def from_mapping(cls, mapping: Any, *, base: RuleSet | None = None) -> RuleSet:
        """A validated rule set from a mapping (JSON-safe values).

        The starting point is `base`, else the default rule set named by `mapping["code"]`; keys in the
        mapping override it. Unknown keys are refused (a misspelt parameter must not pass silently)."""
        if not isinstance(mapping, dict):
            raise RuleSetError("rules", "phải là một đối tượng (tên tham số → giá trị)")
        if base is None:
            code = mapping.get("code")
            if code is None:
                raise RuleSetError("code", "bắt buộc (nd335_2025 hoặc nd90_2020)")
            if code not in RULE_SETS:
                raise RuleSetError("code", f"“{code}” không phải bộ quy tắc đã biết ({', '.join(RULE_SETS)})")
            base = RULE_SETS[code]
        names = {f.name for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for key, raw in mapping.items():
            if key not in names:
                raise RuleSetError(str(key), "không phải tham số của bộ quy tắc")
            values[key] = _parse_param(key, raw)
        ruleset = dataclasses.replace(base, **values)
        ruleset.validate()
        return ruleset

    def validate(self) -> None:
        """Cross-field checks: raise `RuleSetError` naming the first bad field."""
        for name in _POINTS:
            if getattr(self, name) < 0:
                raise RuleSetError(name, "phải là số không âm")
        if not self.completed_min <= self.good_min <= self.excellent_min <= self.max_total:
            raise RuleSetError(
                "excellent_min",
                "các ngưỡng phải tăng dần: completed_min ≤ good_min ≤ excellent_min ≤ general_max + task_max",
            )
        for name in _RATIOS:
            value = getattr(self, name)
            if not 0 <= value <= 1:
                raise RuleSetError(name, "phải nằm trong khoảng từ 0 đến 1")
        if self.quota_ratio_outstanding < self.quota_ratio:
            raise RuleSetError("quota_ratio_outstanding", "không được nhỏ hơn quota_ratio")
        if self.general_split:
            total = sum((points for _, points in self.general_split), Fraction(0))
            if total != self.general_max:
                raise RuleSetError(
                    "general_split",
                    f"tổng các tiêu chí ({_show(total)}) phải bằng general_max ({_show(self.general_max)})",
                )

    def to_mapping(self) -> dict[str, Any]:
        """JSON-safe values: Fractions as "p/q" text, the split as an object."""
        out: dict[str, Any] = {}
        for f in dataclasses.fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Fraction):
                out[f.name] = fraction_text(value)
            elif f.name == "general_split":
                out[f.name] = {name: fraction_text(points) for name, points in value}
            else:
                out[f.name] = value
        return out


def _show(value: Fraction) -> str:
    return str(value) if value.denominator != 1 else str(value.numerator)


def _parse_param(name: str, raw: Any) -> Any:
    if name in _CHOICES:
        if raw not in _CHOICES[name]:
            raise RuleSetError(name, f"phải là một trong: {', '.join(_CHOICES[name])}")
        return raw
    if name in _BOOLS:
        if not isinstance(raw, bool):
            raise RuleSetError(name, "phải là true hoặc false")
        return raw
    if name in _OPTIONAL_MONTHS:
        if raw is None:
            return None
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < 0:
            raise RuleSetError(name, "phải là số tháng (số nguyên không âm) hoặc null")
        return raw
    if name == "general_split":
        if not isinstance(raw, dict):
            raise RuleSetError(name, "phải là một đối tượng (tên tiêu chí → điểm tối đa)")
        split = []
        for key, points in raw.items():
            value = parse_fraction(points, f"{name}.{key}")
            if value < 0:
                raise RuleSetError(f"{name}.{key}", "phải là số không âm")
            split.append((str(key), value))
        return tuple(split)
    if name in _RATIOS or name in _POINTS:
        return parse_fraction(raw, name)
    raise RuleSetError(name, "không phải tham số của bộ quy tắc")  # pragma: no cover - table complete


# ---------------------------------------------------------------------------------------------------
# The defaults (§12 of the reference) and the choice by person, year and staff type.

RULE_SETS: dict[str, RuleSet] = {
    "nd335_2025": RuleSet(),
    "nd90_2020": RuleSet(
        code="nd90_2020",
        regime="conditions",
        min_months_worked=6,
        nd90_leave_cap_months=3,
    ),
}

STAFF_TYPES = ("civil_servant", "public_employee", "cadre")
_VIEN_CHUC_SWITCH = date(2026, 7, 1)  # Decree 233/2026 in force; Decree 90/48 repealed for viên chức


def default_rule_set_code(*, year: int, staff_type: str, on: date, cadre_rule_set: str = "nd90_2020") -> str:
    """The rule set that applies by default (§9 of the reference).

    - công chức (`civil_servant`): ≤ 2025 → nd90_2020; 2026 and later → nd335_2025;
    - viên chức (`public_employee`): nd90_2020 until 30/06/2026; from 01/07/2026 nd335_2025, which
      stands in for Decree 233/2026 (same 30 + 70 and bands). For the year 2026 `on` (the date of
      classification) decides; Decree 233's transitional rule (a unit without its own regulation by
      the end of 2026 keeps 90/48 for 2026) is the agency's choice to configure per person;
    - cán bộ (`cadre`): `cadre_rule_set` (default nd90_2020; Decree 335 as quoted does not cover them).
    """
    if staff_type not in STAFF_TYPES:
        raise RuleSetError("staff_type", f"phải là một trong: {', '.join(STAFF_TYPES)}")
    if staff_type == "cadre":
        if cadre_rule_set not in RULE_SETS:
            raise RuleSetError("cadre_rule_set", f"“{cadre_rule_set}” không phải bộ quy tắc đã biết")
        return cadre_rule_set
    if year <= 2025:
        return "nd90_2020"
    if staff_type == "civil_servant":
        return "nd335_2025"
    if year == 2026 and on < _VIEN_CHUC_SWITCH:
        return "nd90_2020"
    return "nd335_2025"


def rule_set_for(code: str, overrides: dict[str, Any] | None = None) -> RuleSet:
    """The default rule set `code` with optional overrides (a mapping as `from_mapping` takes)."""
    if code not in RULE_SETS:
        raise RuleSetError("rule_set", f"“{code}” không phải bộ quy tắc đã biết ({', '.join(RULE_SETS)})")
    if not overrides:
        return RULE_SETS[code]
    if "code" in overrides and overrides["code"] != code:
        raise RuleSetError("rules.code", "không được khác rule_set")
    return RuleSet.from_mapping(overrides, base=RULE_SETS[code])
