"""`congvu evaluate …`: the year-end evaluation engine from the command line (a stable contract).

    congvu evaluate score FILE [--format json|table]   one sheet, or a year from its period totals
    congvu evaluate quota FILE [--format json|table]   the excellent quota over a group (members with
                                                       total_points, or with a Decree 90/48 band and
                                                       an optional "order" of the evaluator's choice)
    congvu evaluate year --year Y [--unit U] [--format json|table]   every official's year from the
                                                        stored, approved sheets (nothing is written)

FILE is JSON (`-` reads standard input). Numbers are read from their decimal text, never through a
binary float, so 89.99 stays 8999/100. In the JSON output numbers are JSON numbers rounded half up to
4 decimals; `total_exact` carries the exact total as "p/q". Keys the contract does not name are
ignored. Bad input → a Vietnamese message naming the field on stderr, exit code 1, nothing on stdout.
"""

from __future__ import annotations

import json
import math
import sys
from decimal import Decimal
from fractions import Fraction
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from congvu.evaluation.rules import RuleSet, RuleSetError, parse_fraction, rule_set_for
from congvu.evaluation.scoring import (
    BAND_LABELS,
    Discipline,
    LeaderInput,
    Nd90Input,
    Product,
    ScoringError,
    SheetInput,
    Subordinate,
    apply_quota,
    apply_quota_to_bands,
    fmt,
    score_nd90,
    score_sheet,
    score_year,
)


class InputError(ValueError):
    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}")


def number_out(value: Fraction | None) -> int | float | None:
    """A JSON number rounded half up (away from zero) to 4 decimals; whole numbers as integers."""
    if value is None:
        return None
    scaled = math.floor(abs(value) * 10_000 + Fraction(1, 2))
    if value < 0:
        scaled = -scaled
    if scaled % 10_000 == 0:
        return scaled // 10_000
    return float(Decimal(scaled) / 10_000)  # the float of a 4-decimal text prints as that text


def exact_text(value: Fraction) -> str:
    return f"{value.numerator}/{value.denominator}"


# ---------------------------------------------------------------------------------------------------
# Reading the input


def _load(path: str) -> Any:
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8-sig") as handle:
                text = handle.read()
    except OSError as exc:
        raise InputError("FILE", f"không đọc được tệp “{path}”: {exc.strerror}") from None
    try:
        return json.loads(text, parse_float=Decimal, parse_int=int)
    except json.JSONDecodeError as exc:
        raise InputError(
            "FILE", f"không phải JSON hợp lệ (dòng {exc.lineno}, cột {exc.colno}): {exc.msg}"
        ) from None


_MISSING = object()


def _get(obj: dict, key: str, where: str, default: Any = _MISSING) -> Any:
    if key in obj and obj[key] is not None:
        return obj[key]
    if default is _MISSING:
        raise InputError(f"{where}{key}", "bắt buộc")
    return default


def _bool(obj: dict, key: str, where: str, default: Any = _MISSING) -> bool:
    value = _get(obj, key, where, default)
    if not isinstance(value, bool):
        raise InputError(f"{where}{key}", "phải là true hoặc false")
    return value


def _number(
    obj: dict, key: str, where: str, *, non_negative: bool = True, default: Any = _MISSING
) -> Fraction:
    value = _get(obj, key, where, default)
    try:
        number = parse_fraction(value, f"{where}{key}", error=InputError)
    except InputError:
        raise InputError(
            f"{where}{key}", "phải là số không âm" if non_negative else "phải là một số"
        ) from None
    if non_negative and number < 0:
        raise InputError(f"{where}{key}", "phải là số không âm")
    return number


def _count(obj: dict, key: str, where: str, default: Any = _MISSING) -> int:
    value = _get(obj, key, where, default)
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InputError(f"{where}{key}", "phải là số nguyên không âm")
    return value


def _text(obj: dict, key: str, where: str, default: Any = _MISSING) -> str:
    value = _get(obj, key, where, default)
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"{where}{key}", "phải là chuỗi ký tự")
    return str(value)


def _object(value: Any, where: str) -> dict:
    if not isinstance(value, dict):
        raise InputError(where, "phải là một đối tượng JSON")
    return value


def _list(value: Any, where: str) -> list:
    if not isinstance(value, list):
        raise InputError(where, "phải là một danh sách")
    return value


def _rules(data: dict) -> RuleSet:
    code = data.get("rule_set") or "nd335_2025"
    if not isinstance(code, str):
        raise InputError("rule_set", "phải là chuỗi ký tự (nd335_2025 hoặc nd90_2020)")
    overrides = data.get("rules")
    if overrides is not None:
        _object(overrides, "rules")
    try:
        return rule_set_for(code, overrides)
    except RuleSetError as exc:
        field = exc.field if exc.field.startswith(("rule_set", "rules")) else f"rules.{exc.field}"
        raise InputError(field, exc.message) from None


def _discipline(data: dict) -> Discipline:
    raw = _object(data.get("discipline") or {}, "discipline")
    return Discipline(
        reprimand_or_higher_in_year=_bool(raw, "reprimand_or_higher_in_year", "discipline.", False),
        degradation_concluded=_bool(raw, "degradation_concluded", "discipline.", False),
        unit_corruption_handled=_bool(raw, "unit_corruption_handled", "discipline.", False),
    )


def _field(obj: dict, where: str) -> str | None:
    value = obj.get("field")
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise InputError(f"{where}field", "phải là chuỗi ký tự (mã lĩnh vực)")
    return str(value)


def _sheet(data: dict) -> SheetInput:
    role = _get(data, "role", "")
    if role not in ("staff", "deputy", "head"):
        raise InputError("role", "phải là staff, deputy hoặc head")
    general_raw = _object(_get(data, "general_points", ""), "general_points")
    general = {str(name): _number(general_raw, name, "general_points.") for name in general_raw}
    products = []
    for i, raw in enumerate(_list(_get(data, "products", ""), "products")):
        where = f"products[{i}]."
        _object(raw, f"products[{i}]")
        products.append(
            Product(
                id=_text(raw, "id", where),
                assigned=_bool(raw, "assigned", where, True),
                completed=_bool(raw, "completed", where),
                on_time=_bool(raw, "on_time", where, True),
                quality_ok=_bool(raw, "quality_ok", where, True),
                delays=_count(raw, "delays", where, 0),
                quality_failures=_count(raw, "quality_failures", where, 0),
                excused=_bool(raw, "excused", where, False),
                weight=_number(raw, "weight", where),
                field=_field(raw, where),
                excuse_document=_text(raw, "excuse_document", where, ""),
            )
        )
    leader = None
    if role != "staff":
        raw = _object(_get(data, "leader", ""), "leader")
        portfolio = raw.get("portfolio_fields")
        if portfolio is not None:
            portfolio = frozenset(str(f) for f in _list(portfolio, "leader.portfolio_fields"))
        elif role == "deputy":
            raise InputError("leader.portfolio_fields", "bắt buộc với cấp phó (các lĩnh vực được phân công)")
        subordinates = []
        for i, sub in enumerate(_list(raw.get("subordinates") or [], "leader.subordinates")):
            where = f"leader.subordinates[{i}]."
            _object(sub, f"leader.subordinates[{i}]")
            subordinates.append(
                Subordinate(
                    id=_text(sub, "id", where), field=_field(sub, where), score=_number(sub, "score", where)
                )
            )
        leader = LeaderInput(
            portfolio_fields=portfolio,
            subordinates=tuple(subordinates),
            unit_all_planned_tasks_on_time_and_quality=_bool(
                raw, "unit_all_planned_tasks_on_time_and_quality", "leader."
            ),
            unity_ok=_bool(raw, "unity_ok", "leader."),
        )
    return SheetInput(
        role=role,
        general_points=general,
        products=tuple(products),
        leader=leader,
        discipline=_discipline(data),
    )


def _nd90(data: dict) -> Nd90Input:
    raw = _object(data["conditions"], "conditions")
    where = "conditions."
    role = _get(raw, "role", where, data.get("role", "staff"))
    level = _get(raw, "general_criteria_level", where)
    kwargs = {
        name: _count(raw, name, where, default)
        for name, default in (
            ("tasks_total", _MISSING),
            ("tasks_completed", _MISSING),
            ("tasks_on_time_quality", _MISSING),
            ("tasks_exceeded", 0),
            ("unit_targets_total", 0),
            ("unit_targets_completed", 0),
            ("unit_targets_on_time_quality", 0),
            ("unit_targets_exceeded", 0),
            ("subunits_total", 0),
            ("subunits_completed_or_better", 0),
            ("subunits_good_or_better", 0),
            ("months_worked", 12),
            ("leave_months", 0),
        )
    }
    return Nd90Input(
        role=role,
        general_criteria_level=level,
        maternity_leave=_bool(raw, "maternity_leave", where, False),
        discipline=_discipline(data),
        **kwargs,
    )


# ---------------------------------------------------------------------------------------------------
# Output


def _explanation(lines) -> list[dict]:
    return [
        {"kind": x.kind, "product_id": x.product_id, "points": number_out(x.points), "text": x.text}
        for x in lines
    ]


def sheet_json(score) -> dict:
    out = {
        "rule_set": score.rule_set,
        "role": score.role,
        "a": number_out(score.a),
        "b": number_out(score.b),
        "c": number_out(score.c),
    }
    if score.role != "staff":
        out.update(d=number_out(score.d), dd=number_out(score.dd), e=number_out(score.e))
    out.update(
        task_points=number_out(score.task_points),
        general_points=number_out(score.general_points),
        total=number_out(score.total),
        total_exact=exact_text(score.total),
        band_by_score=score.band_by_score,
        band=score.band,
        override=score.override,
        products=[
            {
                "id": p.id,
                "weight": number_out(p.weight),
                "counted": p.counted,
                "reason": p.reason,
                "a_points": number_out(p.a_points),
                "b_points": number_out(p.b_points),
                "c_points": number_out(p.c_points),
                "quality_deduction": number_out(p.quality_deduction),
                "progress_deduction": number_out(p.progress_deduction),
                "delays": p.delays,
                "quality_failures": p.quality_failures,
                "excused": p.excused,
            }
            for p in score.products
        ],
        explanation=_explanation(score.explanation),
    )
    return out


def year_json(result, rule_set: str) -> dict:
    return {
        "rule_set": rule_set,
        "periods": result.periods,
        "total": number_out(result.total),
        "total_exact": exact_text(result.total),
        "band_by_score": result.band_by_score,
        "band": result.band,
        "override": result.override,
        "explanation": _explanation(result.explanation),
    }


def nd90_json(result) -> dict:
    return {
        "rule_set": result.rule_set,
        "classified": result.classified,
        "band": result.band,
        "band_by_conditions": result.band_by_conditions,
        "override": result.override,
        "decided_by": result.decided_by,
        "conditions": [{"name": c.name, "held": c.held, "text": c.text} for c in result.conditions],
        "explanation": _explanation(result.explanation),
    }


def _band_text(code: str | None) -> str:
    return BAND_LABELS[code] if code else "Không xếp loại"


class Command(BaseCommand):
    help = (
        "Đánh giá, xếp loại chất lượng: chấm một phiếu hoặc một năm (score), áp tỷ lệ xuất sắc (quota), "
        "kết quả năm của mọi cán bộ từ các phiếu đã lưu (year)."
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        score = sub.add_parser("score", help="score one sheet, or a year from period_totals")
        score.add_argument("file", help="JSON file (- for standard input)")
        score.add_argument("--format", choices=["json", "table"], default="table")
        quota = sub.add_parser("quota", help="apply the excellent quota to a group")
        quota.add_argument("file", help="JSON file (- for standard input)")
        quota.add_argument("--format", choices=["json", "table"], default="table")
        year = sub.add_parser("year", help="every official's year from the stored, approved sheets")
        year.add_argument("--year", type=int, required=True)
        year.add_argument("--unit", help="unit code (default: every unit)")
        year.add_argument("--format", choices=["json", "table"], default="table")
        year.add_argument(
            "--provisional", action="store_true", help="count sheets not yet approved too (a preview)"
        )

    def handle(self, *args, action, **options):
        if action == "year":
            return self._year_report(options)
        handler = getattr(self, f"_{action}")
        try:
            data, lines = handler(_object(_load(options["file"]), "FILE"))
        except (InputError, ScoringError, RuleSetError) as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write("\n".join(lines))

    def _score(self, data: dict):
        rules = _rules(data)
        if "conditions" in data and data["conditions"] is not None:
            result = score_nd90(_nd90(data), rules)
            lines = [f"Bộ quy tắc {rules.code}: {_band_text(result.band)} ({result.decided_by})"]
            lines += [f"  {x.text}" for x in result.explanation]
            return nd90_json(result), lines
        if rules.regime != "points":
            raise InputError("conditions", f"bắt buộc với bộ quy tắc {rules.code} (xếp loại theo điều kiện)")
        if "period_totals" in data and data["period_totals"] is not None:
            totals = _list(data["period_totals"], "period_totals")
            values = [
                _number({f"period_totals[{i}]": v}, f"period_totals[{i}]", "") for i, v in enumerate(totals)
            ]
            role = data.get("role")
            if role is not None and role not in ("staff", "deputy", "head"):
                raise InputError("role", "phải là staff, deputy hoặc head")
            result = score_year(values, discipline=_discipline(data), rules=rules, role=role)
            lines = [
                f"Năm ({result.periods} kỳ): {fmt(result.total, 4)} điểm — {_band_text(result.band)}"
                + (f" (theo điểm: {_band_text(result.band_by_score)})" if result.override else ""),
            ] + [f"  {x.text}" for x in result.explanation]
            return year_json(result, rules.code), lines
        score = score_sheet(_sheet(data), rules)
        lines = [
            f"a {fmt(score.a, 4)}%  b {fmt(score.b, 4)}%  c {fmt(score.c, 4)}%"
            + (
                f"  d {fmt(score.d, 4)}%  đ {fmt(score.dd, 4)}%  e {fmt(score.e, 4)}%"
                if score.role != "staff"
                else ""
            ),
            f"Điểm nhiệm vụ {fmt(score.task_points, 4)} + điểm chung {fmt(score.general_points, 4)} "
            f"= {fmt(score.total, 4)} ({exact_text(score.total)})",
            f"Xếp loại: {_band_text(score.band)}"
            + (
                f" (theo điểm: {_band_text(score.band_by_score)}; {score.override})" if score.override else ""
            ),
            "Giải trình:",
        ] + [f"  {x.text}" for x in score.explanation]
        return sheet_json(score), lines

    def _quota(self, data: dict):
        rules = _rules(data)
        raw_members = _list(_get(data, "members", ""), "members")
        # Decree 90/48 members carry a band decided by conditions instead of points.
        by_band = bool(raw_members) and isinstance(raw_members[0], dict) and "band" in raw_members[0]
        members = []
        for i, raw in enumerate(raw_members):
            where = f"members[{i}]."
            _object(raw, f"members[{i}]")
            if by_band:
                members.append((_text(raw, "id", where), _text(raw, "band", where)))
            else:
                members.append((_text(raw, "id", where), _number(raw, "total_points", where)))
        outstanding = _bool(data, "organisation_recognised_outstanding", "", False)
        if by_band:
            order = [str(x) for x in _list(data.get("order") or [], "order")]
            result = apply_quota_to_bands(
                members, organisation_recognised_outstanding=outstanding, rules=rules, order=order
            )
        else:
            result = apply_quota(members, organisation_recognised_outstanding=outstanding, rules=rules)
        out = {
            "max_excellent": result.max_excellent,
            "bands": result.bands,
            "over_quota": list(result.over_quota),
            "ties": list(result.ties),
            "ratio": number_out(result.ratio),
            "good_count": result.good_count,
            "small_group": result.small_group,
            "explanation": _explanation(result.explanation),
        }
        lines = [f"Số suất xuất sắc tối đa: {result.max_excellent}"]
        lines += [f"  {member_id}: {_band_text(band)}" for member_id, band in result.bands.items()]
        lines += [f"  {x.text}" for x in result.explanation]
        return out, lines

    def _year_report(self, options):
        """`evaluate year`: the data work's selector over the stored sheets, printed."""
        from congvu.evaluation.selectors import year_report
        from congvu.org.models import Unit

        unit = options.get("unit")
        if unit and not Unit.objects.filter(code=unit).exists():
            raise CommandError(f"--unit: không có đơn vị mã “{unit}”")
        try:
            rows = year_report(year=options["year"], unit_code=unit, provisional=options["provisional"])
        except (ScoringError, RuleSetError) as exc:
            raise CommandError(str(exc)) from None
        if options["format"] == "json":
            out = [
                {**row, "total": number_out(row["total"]), "total_exact": exact_text(row["total"])}
                for row in rows
            ]
            self.stdout.write(json.dumps(out, ensure_ascii=False, indent=2))
            return
        for row in rows:
            band = _band_text(row["decided_band"] or row["band"])
            flags = ", ".join(
                text
                for text, on in (
                    ("vượt tỷ lệ xuất sắc", row["over_quota"]),
                    ("đồng điểm ở ngưỡng", row["quota_tie"]),
                    (f"kỷ luật: {row['override']}", row["override"]),
                    ("đã có quyết định", row["decided_band"]),
                )
                if on
            )
            self.stdout.write(
                f"{row['unit']}\t{row['official']}\t{row['name']}\t{row['periods']} kỳ\t"
                f"{fmt(row['total'], 2)}\t{band}" + (f" ({flags})" if flags else "")
            )
        if not rows:
            self.stdout.write(f"Chưa có phiếu nào của năm {options['year']} được phê duyệt.")
