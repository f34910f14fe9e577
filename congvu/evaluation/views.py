"""Pages of the year-end evaluation: year results and the quota, period sheets and their workflow,
every point explained, discipline records, the product catalogue and the rule sets."""

from __future__ import annotations

import json
from datetime import date
from fractions import Fraction

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import require_role, role_required
from congvu.core.scoping import get_visible_or_404
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.evaluation import forms, selectors, services
from congvu.evaluation.filters import ConclusionFilter, DisciplineFilter, SheetFilter, YearResultFilter
from congvu.evaluation.models import (
    Band,
    CatalogueItem,
    PeriodKind,
    PeriodSheet,
    RuleSetAssignment,
    SheetProduct,
    SheetStatus,
    UnitEvaluationSetting,
    YearResult,
)
from congvu.evaluation.rules import RULE_SETS, default_rule_set_code
from congvu.evaluation.sheets import GENERAL_LABELS
from congvu.org.models import Unit
from congvu.org.selectors import official_by_code


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _year(request) -> int:
    try:
        year = int(request.GET.get("year") or request.POST.get("year") or 0)
    except ValueError:
        year = 0
    return year if 2000 <= year <= 2100 else timezone.localdate().year


def _unit(request):
    """The unit the page is about: `?unit=CODE` among the visible units; a unit user's own unit."""
    code = (request.GET.get("unit") or request.POST.get("unit") or "").strip()
    if code:
        return get_visible_or_404(Unit, request.user, code=code)
    if request.user.is_unit_role:
        return request.user.unit
    return None


def _units(request):
    return (
        Unit.objects.visible_to(request.user)
        .filter(kind__in=["department", "board", "commune", "ward", "special_zone", "ppc_office"])
        .order_by("name")
    )


def _url(name: str) -> str:
    return reverse(name)


# --- Year results and the quota ----------------------------------------------------------

RESULT_SORTS = {
    "name": "official__full_name",
    "unit": "unit__name",
    "total": "total_display",
    "band": "computed_band",
    "group": "quota_group",
}


@login_required
def home(request):
    year, unit = _year(request), _unit(request)
    filters = filter_list(
        YearResultFilter,
        request,
        selectors.year_result_list(fetched_by=request.user, year=year, unit_id=unit.pk if unit else None),
    )
    qs, sort = sort_queryset(request, filters.qs, RESULT_SORTS, "-total")
    if wants_xlsx(request):
        headers = [
            _("Mã"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Nhóm nhiệm vụ tương đồng"),
            _("Bộ quy tắc"),
            _("Số kỳ"),
            _("Tổng điểm"),
            _("Mức theo điểm"),
            _("Lý do không hoàn thành"),
            _("Vượt tỷ lệ xuất sắc"),
            _("Mức tính được"),
            _("Mức quyết định"),
            _("Văn bản quyết định"),
        ]
        rows = (
            (
                r.official.code,
                r.official.full_name,
                r.unit.name,
                r.quota_group,
                r.rule_set,
                r.periods,
                float(r.total_display) if r.total_display is not None else "",
                r.get_band_by_score_display(),
                r.override,
                _("Có") if r.over_quota else "",
                r.get_computed_band_display(),
                r.get_decided_band_display(),
                r.decision_document,
            )
            for r in qs.iterator()
        )
        return xlsx_response(f"xep-loai-{year}.xlsx", headers, rows, sheet=_("Xếp loại %(y)d") % {"y": year})
    return render(
        request,
        "evaluation/home.html",
        {
            "year": year,
            "unit": unit,
            "units": _units(request),
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "over_quota": qs.filter(over_quota=True).count(),
            "pending": selectors.year_pending_counts(fetched_by=request.user, year=year),
            "can_compute": request.user.has_role("unit_head", "lead", "admin"),
            "quota_groups": selectors.quota_group_summaries(fetched_by=request.user, unit=unit, year=year),
            "unit_rating": selectors.unit_rating(fetched_by=request.user, unit=unit, year=year),
            "can_rate_unit": request.user.has_role(*services.PROVINCE_RECORDERS),
            "rating_form": forms.UnitRatingForm(),
            "group_form": forms.QuotaGroupForm(),
            "conditions_form": forms.Nd90ConditionsForm(),
            "by_conditions": unit is not None and _by_conditions(unit, year),
        },
    )


def _by_conditions(unit, year: int) -> bool:
    """Whether the unit's civil servants are rated by conditions this year (Decree 90/48)."""
    from congvu.evaluation.rules import rule_set_for

    found = selectors.rule_set_assignments(year=year, unit_id=unit.pk).get("civil_servant")
    code = (
        found.rule_set
        if found
        else default_rule_set_code(year=year, staff_type="civil_servant", on=date(year, 12, 31))
    )
    return rule_set_for(code).regime == "conditions"


@require_POST
@role_required("unit_head", "lead", "admin")
def quota_group(request):
    """Put an official of the unit in a group of similar posts for the year's quota."""
    unit = _unit(request)
    if unit is None:
        raise Http404
    year = _year(request)
    form = forms.QuotaGroupForm(request.POST)
    if form.is_valid():
        official = official_by_code(fetched_by=request.user, code=form.cleaned_data["official_code"])
        if official is None:
            messages.error(request, _("Mã cán bộ: không tìm thấy cán bộ trong phạm vi của bạn."))
        else:
            try:
                services.quota_group_set(
                    actor=request.user,
                    official=official,
                    unit=unit,
                    year=year,
                    group=form.cleaned_data["group"],
                )
                messages.success(request, _("Đã ghi nhóm tính tỷ lệ; tính lại kết quả năm để áp dụng."))
            except ValidationError as exc:
                _errors(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect(f"{_url('evaluation:home')}?year={year}&unit={unit.code}")


@require_POST
@role_required("unit_head", "lead", "admin")
def year_conditions(request):
    """Rate one official of the unit by conditions (Decree 90/48) through the engine."""
    unit = _unit(request)
    if unit is None:
        raise Http404
    year = _year(request)
    form = forms.Nd90ConditionsForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect(f"{_url('evaluation:home')}?year={year}&unit={unit.code}")
    data = dict(form.cleaned_data)
    official = official_by_code(fetched_by=request.user, code=data.pop("official_code"))
    if official is None:
        messages.error(request, _("Mã cán bộ: không tìm thấy cán bộ trong phạm vi của bạn."))
        return redirect(f"{_url('evaluation:home')}?year={year}&unit={unit.code}")
    data = {k: (12 if k == "months_worked" else 0) if v is None else v for k, v in data.items()}
    try:
        result = services.year_conditions_record(
            actor=request.user, official=official, year=year, conditions=data
        )
    except ValidationError as exc:
        for field, errors in exc.message_dict.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"{label}: {' '.join(errors)}")
        return redirect(f"{_url('evaluation:home')}?year={year}&unit={unit.code}")
    messages.success(request, _("Đã xếp loại theo điều kiện (Nghị định 90/2020, 48/2023)."))
    return redirect("evaluation:result", pk=result.pk)


@require_POST
@role_required(*services.PROVINCE_RECORDERS)
def unit_rating(request):
    """Record the unit's own classification for the year (read by `head_not_above_unit`)."""
    unit = _unit(request)
    if unit is None:
        raise Http404
    year = _year(request)
    form = forms.UnitRatingForm(request.POST)
    if form.is_valid():
        try:
            services.unit_rating_record(actor=request.user, unit=unit, year=year, **form.cleaned_data)
            messages.success(request, _("Đã ghi xếp loại của đơn vị; tính lại kết quả năm để áp dụng."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect(f"{_url('evaluation:home')}?year={year}&unit={unit.code}")


@require_POST
@role_required("unit_head", "lead", "admin")
def year_compute(request):
    unit = _unit(request)
    if unit is None:
        raise Http404
    year = _year(request)
    try:
        results = services.year_compute(
            actor=request.user,
            unit=unit,
            year=year,
            organisation_recognised_outstanding=request.POST.get("outstanding") == "on",
        )
        messages.success(
            request, _("Đã tính kết quả năm %(y)d của %(n)d cán bộ.") % {"y": year, "n": len(results)}
        )
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(f"{_url('evaluation:home')}?year={year}&unit={unit.code}")


@login_required
def result_detail(request, pk: int):
    result = get_object_or_404(
        selectors.with_subunit_heads(YearResult, request.user).select_related(
            "official", "unit", "decided_by"
        ),
        pk=pk,
    )
    explanation = result.explanation if isinstance(result.explanation, dict) else {}
    sheet_ids = [p["sheet_id"] for p in explanation.get("periods", [])]
    sheets = list(PeriodSheet.objects.visible_to(request.user).filter(pk__in=sheet_ids).order_by("start"))
    disciplines = selectors.discipline_for(
        official_ids=[result.official_id], since=date(result.year, 1, 1), until=date(result.year, 12, 31)
    )[result.official_id]
    rating = (
        selectors.head_rating_for(official=result.official, year=result.year, unit_id=result.unit_id)
        if result.role == "head"
        else None
    )
    can_decide = request.user.has_role("admin", "lead", "leadership") or (
        request.user.has_role("unit_head")
        and (rating is None or (not rating.by_chairman and result.unit_id != request.user.unit_id))
    )
    conclusions = selectors.conclusion_list(fetched_by=request.user).filter(
        official_id=result.official_id, document_date__year=result.year
    )
    return render(
        request,
        "evaluation/result_detail.html",
        {
            "result": result,
            "explanation": explanation,
            "sheets": sheets,
            "disciplines": disciplines,
            "conclusions": conclusions,
            "form": forms.DecideForm(initial={"band": result.band}),
            "can_decide": can_decide,
            "head_rating": rating,
        },
    )


@require_POST
@login_required
def result_decide(request, pk: int):
    result = get_object_or_404(
        selectors.with_subunit_heads(YearResult, request.user).select_related("official"), pk=pk
    )
    form = forms.DecideForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
        return redirect("evaluation:result", pk=pk)
    if request.POST.get("confirm") != "yes":
        return render(
            request,
            "evaluation/decide_confirm.html",
            {"result": result, "form": form, "band_label": Band(form.cleaned_data["band"]).label},
        )
    try:
        services.year_result_decide(
            actor=request.user, official=result.official, year=result.year, **form.cleaned_data
        )
        messages.success(request, _("Đã ghi quyết định xếp loại."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:result", pk=pk)


# --- Period sheets ------------------------------------------------------------------------

SHEET_SORTS = {
    "name": "official__full_name",
    "unit": "unit__name",
    "period": "start",
    "status": "status",
    "total": "total_display",
    "role": "role",
}


@login_required
def sheets(request):
    year, unit = _year(request), _unit(request)
    filters = filter_list(
        SheetFilter,
        request,
        selectors.sheet_list(fetched_by=request.user, year=year, unit_id=unit.pk if unit else None),
    )
    qs, sort = sort_queryset(request, filters.qs, SHEET_SORTS, "name")
    if wants_xlsx(request):
        headers = [
            _("Mã"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Kỳ"),
            _("Từ ngày"),
            _("Đến ngày"),
            _("Vị trí"),
            _("Trạng thái"),
            _("Tổng điểm"),
            _("Mức"),
        ]
        rows = (
            (
                s.official.code,
                s.official.full_name,
                s.unit.name,
                s.period_label,
                s.start,
                s.end,
                s.get_role_display(),
                s.get_status_display(),
                float(s.total_display) if s.total_display is not None else "",
                s.get_band_display(),
            )
            for s in qs.iterator()
        )
        return xlsx_response(f"phieu-danh-gia-{year}.xlsx", headers, rows, sheet=_("Phiếu đánh giá"))
    settings_qs = UnitEvaluationSetting.objects.visible_to(request.user)
    setting = settings_qs.filter(unit=unit).first() if unit else None
    return render(
        request,
        "evaluation/sheets.html",
        {
            "year": year,
            "unit": unit,
            "units": _units(request),
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "generate_form": forms.GenerateForm(
                initial={
                    "period_kind": setting.period_kind if setting else PeriodKind.QUARTER,
                    "period_number": 1,
                }
            ),
            "can_generate": request.user.has_role("focal", "unit_head", "lead", "admin"),
            "can_generate_province": request.user.has_role("lead", "admin"),
        },
    )


@require_POST
@role_required("focal", "unit_head", "lead", "admin")
def sheets_generate(request):
    unit = _unit(request)
    if unit is None:
        raise Http404
    year = _year(request)
    form = forms.GenerateForm(request.POST)
    if form.is_valid():
        try:
            made = services.sheets_generate(actor=request.user, unit=unit, year=year, **form.cleaned_data)
            messages.success(
                request, _("Đã lập hoặc cập nhật %(n)d phiếu từ sổ theo dõi.") % {"n": len(made)}
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect(f"{_url('evaluation:sheets')}?year={year}&unit={unit.code}")


@require_POST
@role_required("lead", "admin")
def sheets_generate_province(request):
    year = _year(request)
    form = forms.GenerateForm(request.POST)
    if form.is_valid():
        try:
            made = services.sheets_generate_province(actor=request.user, year=year, **form.cleaned_data)
            messages.success(
                request,
                _("Đã lập hoặc cập nhật %(n)d phiếu của %(u)d đơn vị từ sổ theo dõi.")
                % {"n": sum(len(v) for v in made.values()), "u": len(made)},
            )
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect(f"{_url('evaluation:sheets')}?year={year}")


def _general_rows(sheet: PeriodSheet):
    split = sheet.rules.get("general_split") or {}
    return [
        {
            "name": name,
            "label": GENERAL_LABELS.get(name, name),
            "max": maximum,
            "self": sheet.self_general_points.get(name, ""),
            "reviewed": sheet.general_points.get(name, ""),
        }
        for name, maximum in split.items()
    ]


def _actions(user, sheet: PeriodSheet) -> dict[str, bool]:
    def may(step):
        try:
            services._require_sheet_actor(user, sheet, step)
        except PermissionDenied:
            return False
        return True

    open_ = not sheet.is_frozen
    return {
        "self": open_ and sheet.status in (SheetStatus.DRAFT, SheetStatus.SELF_ASSESSED) and may("self"),
        "review": open_ and sheet.status == SheetStatus.SELF_ASSESSED and may("review"),
        "approve": open_ and sheet.status == SheetStatus.REVIEWED and may("approve"),
        "return": open_ and sheet.status != SheetStatus.DRAFT and (may("review") or may("approve")),
        "products": open_ and sheet.status != SheetStatus.REVIEWED and may("self"),
    }


@login_required
def sheet_detail(request, pk: int):
    sheet = get_object_or_404(
        selectors.with_subunit_heads(PeriodSheet, request.user).select_related("official", "unit"),
        pk=pk,
    )
    products = list(sheet.products.select_related("field", "task"))
    scored = {p["id"]: p for p in sheet.score.get("products", [])} if sheet.score else {}
    lines_by_product: dict[str, list] = {}
    general_lines = []
    for line in sheet.score.get("explanation", []) if sheet.score else []:
        if line.get("product_id"):
            lines_by_product.setdefault(line["product_id"], []).append(line)
        else:
            general_lines.append(line)
    late = selectors.excuses_after_approval(fetched_by=request.user, sheet=sheet)
    rows = [
        {
            "p": p,
            "score": scored.get(p.code, {}),
            "lines": lines_by_product.get(p.code, []),
            "late_excuse": late.get(p.pk, ""),
        }
        for p in products
    ]
    if wants_xlsx(request):
        return _sheet_xlsx(sheet, rows)
    return render(
        request,
        "evaluation/sheet_detail.html",
        {
            "sheet": sheet,
            "rows": rows,
            "general_lines": general_lines,
            "general_rows": _general_rows(sheet),
            "actions": _actions(request.user, sheet),
            "manual_form": forms.ManualProductForm(),
            "sources": selectors.leader_sources(fetched_by=request.user, sheet=sheet),
            "head_rating": (
                selectors.head_rating(
                    unit_id=sheet.unit_id, reading=sheet.rules.get("head_rating", "by_unit")
                )
                if sheet.role == "head"
                else None
            ),
        },
    )


def _sheet_xlsx(sheet: PeriodSheet, rows: list[dict]):
    headers = [
        _("Mã"),
        _("Nguồn"),
        _("Nội dung"),
        _("Lĩnh vực"),
        _("Hệ số quy đổi"),
        _("Hạn"),
        _("Ngày hoàn thành"),
        _("Hoàn thành"),
        _("Số lần chậm"),
        _("Số lần đánh giá chưa đạt"),
        _("Được tính"),
        _("Điểm số lượng (quy đổi)"),
        _("Điểm chất lượng (quy đổi)"),
        _("Điểm tiến độ (quy đổi)"),
        _("Văn bản xác nhận nguyên nhân khách quan"),
        _("Diễn giải"),
    ]

    def line(row):
        p, score = row["p"], row["score"]
        points = [float(Fraction(score[k])) if score else "" for k in ("a_points", "b_points", "c_points")]
        counted = "" if not score else (_("Có") if score.get("counted") else _("Không"))
        return (
            p.code,
            p.get_source_display(),
            p.title,
            p.field.name if p.field else "",
            float(p.weight),
            p.due_on,
            p.completed_on,
            _("Có") if p.completed else _("Không"),
            p.delays,
            p.quality_failures,
            counted,
            *points,
            p.excuse_document,
            " ".join(x["text"] for x in row["lines"]),
        )

    name = f"phieu-{sheet.official.code}-{sheet.year}-{sheet.period_number}.xlsx"
    return xlsx_response(name, headers, (line(r) for r in rows), sheet=_("Sản phẩm"))


@require_POST
@login_required
def sheet_step(request, pk: int, step: str):
    sheet = get_object_or_404(selectors.with_subunit_heads(PeriodSheet, request.user), pk=pk)
    version = request.POST.get("version")
    points = {key[3:]: value for key, value in request.POST.items() if key.startswith("gp_")}
    try:
        if step == "self":
            services.sheet_self_assess(
                actor=request.user,
                sheet=sheet,
                general_points=points,
                note=request.POST.get("note", ""),
                expected_version=version,
            )
        elif step == "review":
            services.sheet_review(
                actor=request.user,
                sheet=sheet,
                general_points=points,
                unity_ok=request.POST.get("unity_ok") == "on",
                note=request.POST.get("note", ""),
                expected_version=version,
            )
        elif step == "approve":
            services.sheet_approve(actor=request.user, sheet=sheet, expected_version=version)
        elif step == "return":
            services.sheet_return(
                actor=request.user,
                sheet=sheet,
                reason=request.POST.get("reason", ""),
                expected_version=version,
            )
        else:
            raise Http404
        messages.success(request, _("Đã lưu."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect("evaluation:sheet", pk=pk)


@require_POST
@login_required
def product_excuse(request, pk: int):
    product = SheetProduct.objects.select_related("sheet").filter(pk=pk).first()
    if product is None:
        raise Http404
    get_visible_or_404(PeriodSheet, request.user, pk=product.sheet_id)
    form = forms.ExcuseForm(request.POST)
    if form.is_valid():
        try:
            services.product_excuse(
                actor=request.user,
                product=product,
                expected_version=request.POST.get("version"),
                **form.cleaned_data,
            )
            messages.success(request, _("Đã ghi văn bản xác nhận."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        messages.error(request, _("Ngày văn bản phải theo dạng dd/mm/yyyy."))
    return redirect("evaluation:sheet", pk=product.sheet_id)


@require_POST
@login_required
def product_add(request, pk: int):
    sheet = get_visible_or_404(PeriodSheet, request.user, pk=pk)
    form = forms.ManualProductForm(request.POST)
    if form.is_valid():
        try:
            services.product_add_manual(
                actor=request.user,
                sheet=sheet,
                expected_version=request.POST.get("version"),
                **form.cleaned_data,
            )
            messages.success(request, _("Đã thêm sản phẩm."))
        except ValidationError as exc:
            _errors(request, exc)
    else:
        for field, errors in form.errors.items():
            messages.error(request, f"{form.fields[field].label}: {' '.join(errors)}")
    return redirect("evaluation:sheet", pk=pk)


# --- Discipline ---------------------------------------------------------------------------

DISCIPLINE_SORTS = {
    "name": "official__full_name",
    "date": "effective_date",
    "form": "form",
    "unit": "unit__name",
}


def _record_for_official(request, form, record, *, success: str, done: str, confirm=None):
    """The record form of the discipline and conclusion lists: an official named by code within the
    user's scope, an optional confirmation page, then the service. Returns (may record, a response
    to send instead of the list page or None)."""
    can_record = request.user.has_role("admin", "lead", "leadership", "unit_head")
    if request.method != "POST":
        return can_record, None
    if not can_record:
        raise PermissionDenied
    if not form.is_valid():
        return can_record, None
    data = dict(form.cleaned_data)
    official = official_by_code(fetched_by=request.user, code=data.pop("official_code"))
    if official is None:
        messages.error(request, _("Mã cán bộ: không tìm thấy cán bộ trong phạm vi của bạn."))
        return can_record, None
    if confirm is not None and request.POST.get("confirm") != "yes":
        return can_record, confirm(official, data)
    try:
        record(actor=request.user, official=official, **data)
    except ValidationError as exc:
        _errors(request, exc)
        return can_record, None
    messages.success(request, success)
    return can_record, redirect(done)


@login_required
def discipline(request):
    filters = filter_list(DisciplineFilter, request, selectors.discipline_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, DISCIPLINE_SORTS, "-date")
    if wants_xlsx(request):
        headers = [
            _("Mã"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Hình thức"),
            _("Ngày có hiệu lực"),
            _("Số quyết định"),
            _("Ngày quyết định"),
            _("Vi phạm liên quan đến hoạt động công vụ"),
            _("Tính là không hoàn thành"),
            _("Căn cứ, nguồn"),
        ]
        rows = (
            (
                r.official.code,
                r.official.full_name,
                r.unit.name,
                r.get_form_display(),
                r.effective_date,
                r.decision_number,
                r.decision_date,
                _("Có") if r.public_duty_violation else _("Không"),
                _("Có") if r.triggers_override else _("Không"),
                r.source_description,
            )
            for r in qs.iterator()
        )
        return xlsx_response("ky-luat.xlsx", headers, rows, sheet=_("Kỷ luật"))
    form = forms.DisciplineFormForm(request.POST or None)
    can_record, response = _record_for_official(
        request,
        form,
        services.discipline_record,
        success=_("Đã ghi quyết định kỷ luật."),
        done="evaluation:discipline",
    )
    if response is not None:
        return response
    return render(
        request,
        "evaluation/discipline.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "form": form,
            "can_record": can_record,
        },
    )


CONCLUSION_SORTS = {
    "name": "official__full_name",
    "date": "document_date",
    "kind": "kind",
    "unit": "unit__name",
}


@login_required
def conclusions(request):
    """Conclusions forcing "không hoàn thành" (Art. 20(4)(b) and (d)): the list, Excel, and the form
    with a confirmation step (the record changes a year's classification)."""
    filters = filter_list(ConclusionFilter, request, selectors.conclusion_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, CONCLUSION_SORTS, "-date")
    if wants_xlsx(request):
        headers = [
            _("Mã"),
            _("Họ và tên"),
            _("Đơn vị"),
            _("Nội dung kết luận"),
            _("Số văn bản"),
            _("Ngày văn bản"),
            _("Cấp kết luận"),
            _("Đơn vị bị xử lý"),
            _("Tóm tắt"),
        ]
        rows = (
            (
                r.official.code,
                r.official.full_name,
                r.unit.name,
                r.get_kind_display(),
                r.document_number,
                r.document_date,
                r.authority,
                r.handled_unit,
                r.summary,
            )
            for r in qs.iterator()
        )
        return xlsx_response("ket-luan.xlsx", headers, rows, sheet=_("Kết luận"))
    form = forms.ConclusionForm(request.POST or None)
    can_record, response = _record_for_official(
        request,
        form,
        services.conclusion_record,
        success=_("Đã ghi kết luận."),
        done="evaluation:conclusions",
        confirm=lambda official, data: render(
            request, "evaluation/conclusion_confirm.html", {"form": form, "official": official, "data": data}
        ),
    )
    if response is not None:
        return response
    return render(
        request,
        "evaluation/conclusions.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "form": form,
            "can_record": can_record,
        },
    )


# --- Catalogue, period setting ------------------------------------------------------------


@login_required
def catalogue(request):
    unit = _unit(request)
    qs = selectors.catalogue_list(fetched_by=request.user, unit_id=unit.pk if unit else None)
    qs, sort = sort_queryset(
        request,
        qs,
        {"unit": "unit__name", "position": "position", "name": "name", "weight": "weight"},
        "position",
    )
    if wants_xlsx(request):
        headers = [
            _("Đơn vị"),
            _("Vị trí việc làm"),
            _("Loại sản phẩm"),
            _("Tên sản phẩm/công việc"),
            _("Hệ số quy đổi"),
            _("Đang áp dụng"),
        ]
        rows = (
            (
                i.unit.name,
                i.position or _("Mọi vị trí"),
                i.product_type or _("Mọi loại"),
                i.name,
                float(i.weight),
                _("Có") if i.active else _("Không"),
            )
            for i in qs.iterator()
        )
        return xlsx_response("danh-muc-san-pham.xlsx", headers, rows, sheet=_("Danh mục sản phẩm"))
    can_edit = unit is not None and request.user.has_role("unit_head", "lead", "admin")
    item = None
    if request.GET.get("edit"):
        item = get_visible_or_404(CatalogueItem, request.user, pk=request.GET["edit"])
    form = forms.CatalogueItemForm(
        request.POST or None,
        initial={
            "name": item.name,
            "position": item.position,
            "product_type": item.product_type,
            "weight": item.weight,
            "active": item.active,
        }
        if item
        else None,
    )
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.catalogue_item_save(
                    actor=request.user,
                    unit=unit,
                    item=item,
                    expected_version=request.POST.get("version"),
                    **form.cleaned_data,
                )
                messages.success(request, _("Đã lưu danh mục."))
                return redirect(f"{request.path}?unit={unit.code}")
            except ValidationError as exc:
                _errors(request, exc)
    settings_qs = UnitEvaluationSetting.objects.visible_to(request.user)
    setting = settings_qs.filter(unit=unit).first() if unit else None
    return render(
        request,
        "evaluation/catalogue.html",
        {
            "unit": unit,
            "units": _units(request),
            "page": paginate(request, qs),
            "sort": sort,
            "form": form,
            "item": item,
            "can_edit": can_edit,
            "setting": setting,
            "period_kinds": PeriodKind.choices,
        },
    )


@require_POST
@role_required("unit_head", "lead", "admin")
def unit_setting(request):
    unit = _unit(request)
    if unit is None:
        raise Http404
    try:
        services.unit_setting_save(
            actor=request.user, unit=unit, period_kind=request.POST.get("period_kind", "")
        )
        messages.success(request, _("Đã lưu kỳ đánh giá của đơn vị."))
    except ValidationError as exc:
        _errors(request, exc)
    return redirect(f"{_url('evaluation:catalogue')}?unit={unit.code}")


# --- Rule sets ------------------------------------------------------------------------------

#: Each open reading: parameter, what it means, and where decree-335.md discusses it.
READINGS = [
    ("deduction_reading", "R1: trừ 25% theo từng sản phẩm; R2: tỷ lệ chặt", "§3.5, §12 R1"),
    ("quality_deduction", "Mức trừ điểm chất lượng mỗi lần đánh giá chưa đạt", "§3.2"),
    ("progress_deduction", "Mức trừ điểm tiến độ mỗi lần chậm", "§3.3, §12 R-DELAY"),
    ("cap_quantity", "Số lượng vượt khối lượng được giao tính tối đa 100%", "§3.1"),
    ("general_split", "Phân bổ 30 điểm tiêu chí chung (cơ quan quy định)", "§1, §11.1"),
    ("leader_low_ratio", "Tỷ lệ d, đ, e khi không đạt (50%)", "§4, §12 RD/RDD/RE"),
    ("excellent_min", "Ngưỡng xuất sắc (tính trên tổng điểm chính xác)", "§5.1, §12 RB"),
    ("good_min", "Ngưỡng hoàn thành tốt", "§5.1"),
    ("completed_min", "Ngưỡng hoàn thành", "§5.1"),
    ("quota_ratio", "Tỷ lệ xuất sắc tối đa trên số hoàn thành tốt", "§5.3(a), §12 RQ"),
    ("quota_ratio_outstanding", "Tỷ lệ khi tổ chức được công nhận xuất sắc", "§5.3(b)"),
    ("quota_base", "Cơ sở tính tỷ lệ (final_good, good_or_better, pre_quota_good)", "§5.3"),
    ("annual_rule", "Điểm năm = trung bình các kỳ đã làm việc", "§6, §12 RA"),
    (
        "leader_products",
        "Sản phẩm lãnh đạo: nhiệm vụ trực tiếp và chỉ đạo (own_and_directed) hoặc chỉ trực tiếp (own)",
        "§4",
    ),
    (
        "head_not_above_unit",
        "Người đứng đầu không cao hơn mức của đơn vị (xếp loại đơn vị ghi ở trang kết quả năm)",
        "§4 (chưa rõ)",
    ),
    ("min_months_worked", "Thời gian công tác tối thiểu để được xếp loại", "§6, §10.3"),
    (
        "head_rating",
        "Người đứng đầu: đơn vị do tỉnh quản lý do Chủ tịch xếp loại, đơn vị thuộc cơ quan do thủ trưởng "
        "cơ quan xếp loại (by_unit) hoặc mọi người đứng đầu do Chủ tịch (chairman)",
        "§7, §10.3 (suy luận)",
    ),
]


@login_required
def rules(request):
    require_role(request.user, "admin", "lead", "leadership")
    year = _year(request)
    assignments = RuleSetAssignment.objects.select_related("unit", "updated_by").order_by(
        "-year", "staff_type"
    )
    defaults = {
        staff_type: default_rule_set_code(year=year, staff_type=staff_type, on=date(year, 12, 31))
        for staff_type in ("civil_servant", "public_employee", "cadre")
    }
    base = RULE_SETS["nd335_2025"].to_mapping()
    readings = [(name, text, source, base.get(name)) for name, text, source in READINGS]
    form = forms.RuleSetAssignmentForm(request.POST or None, initial={"year": year})
    can_edit = request.user.has_role("admin", "lead")
    confirming = False
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = dict(form.cleaned_data)
            code = data.pop("unit_code").strip()
            unit = get_visible_or_404(Unit, request.user, code=code) if code else None
            if request.POST.get("confirm") != "yes":
                confirming = True
            else:
                try:
                    services.rule_set_assignment_save(actor=request.user, unit=unit, **data)
                    messages.success(request, _("Đã lưu bộ quy tắc áp dụng."))
                    return redirect(f"{request.path}?year={data['year']}")
                except ValidationError as exc:
                    _errors(request, exc)
    return render(
        request,
        "evaluation/rules.html",
        {
            "year": year,
            "assignments": assignments,
            "defaults": defaults,
            "readings": readings,
            "form": form,
            "can_edit": can_edit,
            "confirming": confirming,
            "defaults_json": json.dumps(base, ensure_ascii=False, indent=1),
        },
    )
