"""Pages of the Director's reports: list (search, sort, pages, Excel), creation, the report page (with
its proposals as Excel), draft editing by the lead, submission, and the Chairman's decision form with a
confirmation step. Every report and proposal is fetched through the scope first (404), then the role
is checked for the action (403)."""

from datetime import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.permissions import role_required
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.inspections.selectors import inspection_get
from congvu.proposals import policy, selectors, services
from congvu.proposals.filters import ReportFilter
from congvu.proposals.forms import (
    DecisionForm,
    ProposalEditForm,
    ProposalForm,
    ReportCreateForm,
    ReportEditForm,
)
from congvu.proposals.models import ReportKind

_SORTS = {
    "id": "pk",
    "year": "year",
    "title": "title",
    "status": "status",
    "submitted": "submitted_at",
    "proposals": "proposal_count",
}


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _parse_date(text: str):
    """A context date (dd/mm/yyyy) back to a date, so Excel gets a real, sortable date cell."""
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


@login_required
def report_list(request):
    filters = filter_list(ReportFilter, request, selectors.report_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _SORTS, "-id")
    if wants_xlsx(request):
        headers = [
            "#",
            _("Loại báo cáo"),
            _("Năm"),
            _("Trích yếu"),
            _("Số, ký hiệu"),
            _("Đơn vị được kiểm tra"),
            _("Trạng thái"),
            _("Số đề xuất"),
            _("Đã quyết định"),
            _("Ngày trình"),
        ]
        rows = (
            (
                r.pk,
                r.get_kind_display(),
                r.year,
                r.title,
                r.number,
                r.inspection.unit.name if r.inspection_id else _("Các đơn vị trong năm"),
                r.get_status_display(),
                r.proposal_count,
                r.decided_count,
                r.submitted_at.date() if r.submitted_at else None,
            )
            for r in qs
        )
        return xlsx_response("bao-cao-de-xuat.xlsx", headers, rows, sheet=_("Báo cáo, đề xuất"))
    return render(
        request,
        "proposals/list.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "can_create": request.user.has_role(*policy.EDIT_ROLES),
        },
    )


@role_required(*policy.EDIT_ROLES)
def report_create(request):
    inspections = selectors.inspections_for_report(fetched_by=request.user)
    initial = {
        "kind": request.GET.get("kind") or ReportKind.INSPECTION,
        "inspection": request.GET.get("inspection"),
    }
    form = ReportCreateForm(request.POST or None, inspections=inspections, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report = services.report_create(
                actor=request.user, kind=data["kind"], inspection=data["inspection"], year=data["year"]
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(
                request,
                _("Đã lập dự thảo báo cáo với %(n)d đề xuất.") % {"n": report.proposals.count()},
            )
            return redirect("proposals:detail", report.pk)
    return render(request, "proposals/create.html", {"form": form})


@login_required
def for_inspection(request, pk):
    """The report of an inspection (the link on the inspection page): open it, or start one."""
    inspection = inspection_get(fetched_by=request.user, pk=pk)
    report = selectors.report_for_inspection(fetched_by=request.user, inspection=inspection)
    if report is not None:
        return redirect("proposals:detail", report.pk)
    if request.user.has_role(*policy.EDIT_ROLES):
        return redirect(f"{reverse('proposals:create')}?kind=inspection&inspection={inspection.pk}")
    raise Http404


@login_required
def report_detail(request, pk):
    report = selectors.report_get(fetched_by=request.user, pk=pk)
    context = selectors.report_context(report, fetched_by=request.user)
    if wants_xlsx(request):
        headers = [
            "#",
            _("Đơn vị"),
            _("Cán bộ"),
            _("Loại đề xuất"),
            _("Nội dung đề xuất"),
            _("Năm đánh giá"),
            _("Lý do"),
            _("Ý kiến của Chủ tịch"),
            _("Nội dung quyết định"),
            _("Số văn bản"),
            _("Ngày văn bản"),
            _("Người ký"),
            _("Lãnh đạo kiểm tra ghi thay"),
        ]
        rows = []
        for p in context["proposals"]:
            d = p["decision"] or {}
            rows.append(
                (
                    p["id"],
                    p["unit"],
                    p["official"],
                    p["kind_label"],
                    p["value_label"],
                    p["year"],
                    p["reasons"],
                    d.get("outcome_label", ""),
                    d.get("value_label", ""),
                    d.get("document_number", ""),
                    _parse_date(d.get("document_date", "")),
                    d.get("signed_by", ""),
                    (_("Có") if d.get("on_behalf") else _("Không")) if d else "",
                )
            )
        return xlsx_response(f"de-xuat-{report.pk}.xlsx", headers, rows, sheet=_("Đề xuất"))
    return render(
        request,
        "proposals/detail.html",
        {
            "report": report,
            "ctx": context,
            "can_edit": policy.can_edit(request.user, report),
            "can_decide": policy.can_decide(request.user, report),
            "show_results": request.user.is_province_wide,
        },
    )


def _editable_report(request, pk):
    report = selectors.report_get(fetched_by=request.user, pk=pk)
    policy.require_lead(request.user)
    if not policy.can_edit(request.user, report):
        raise PermissionDenied(_("Báo cáo đã trình Chủ tịch UBND tỉnh, không sửa được nữa."))
    return report


@login_required
def report_edit(request, pk):
    report = _editable_report(request, pk)
    initial = {
        "version": report.version,
        "title": report.title,
        "number": report.number,
        "report_date": report.report_date,
        "summary": report.summary,
    }
    form = ReportEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.report_update(
                actor=request.user,
                report=report,
                expected_version=data["version"],
                title=data["title"],
                number=data["number"],
                report_date=data["report_date"],
                summary=data["summary"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu báo cáo."))
            return redirect("proposals:detail", report.pk)
    return render(request, "proposals/report_form.html", {"report": report, "form": form})


@require_POST
@login_required
def report_refresh(request, pk):
    report = _editable_report(request, pk)
    try:
        added = services.report_refresh(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã bổ sung %(n)d đề xuất mới.") % {"n": len(added)})
    return redirect("proposals:detail", report.pk)


@require_POST
@login_required
def report_submit(request, pk):
    report = _editable_report(request, pk)
    try:
        services.report_submit(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã trình báo cáo lên Chủ tịch UBND tỉnh."))
    return redirect("proposals:detail", report.pk)


@login_required
def proposal_add(request, pk):
    report = _editable_report(request, pk)
    initial = {k: request.GET[k] for k in ("kind", "unit", "official", "year") if request.GET.get(k)}
    form = ProposalForm(request.POST or None, report=report, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_add(
                actor=request.user,
                report=report,
                kind=data["kind"],
                unit=data["unit"],
                official=data["official"],
                value=data["value"],
                year=data["year"],
                reasons=data["reasons"],
                public_duty_violation=data["public_duty_violation"],
                findings=data["findings"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã thêm đề xuất."))
            return redirect("proposals:detail", report.pk)
    return render(request, "proposals/proposal_form.html", {"report": report, "form": form, "proposal": None})


@login_required
def proposal_edit(request, pk):
    proposal = selectors.proposal_get(fetched_by=request.user, pk=pk)
    report = _editable_report(request, proposal.report_id)
    initial = {
        "version": proposal.version,
        "value": proposal.value,
        "year": proposal.year,
        "reasons": proposal.reasons,
        "public_duty_violation": proposal.public_duty_violation,
        "findings": list(proposal.findings.all()),
    }
    form = ProposalEditForm(request.POST or None, proposal=proposal, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.proposal_update(
                actor=request.user,
                proposal=proposal,
                expected_version=data["version"],
                value=data["value"],
                reasons=data["reasons"],
                public_duty_violation=data["public_duty_violation"],
                year=data["year"],
                findings=data["findings"],
            )
        except ValidationError as exc:
            form.add_error(None, _errors(exc))
        else:
            messages.success(request, _("Đã lưu đề xuất."))
            return redirect("proposals:detail", report.pk)
    return render(
        request, "proposals/proposal_form.html", {"report": report, "form": form, "proposal": proposal}
    )


@require_POST
@login_required
def proposal_delete(request, pk):
    proposal = selectors.proposal_get(fetched_by=request.user, pk=pk)
    report = _editable_report(request, proposal.report_id)
    try:
        services.proposal_delete(actor=request.user, proposal=proposal)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã bỏ đề xuất."))
    return redirect("proposals:detail", report.pk)


@login_required
def decide(request, pk):
    """The Chairman's decision on one proposal: fill in, see what will be recorded, confirm."""
    proposal = selectors.proposal_get(fetched_by=request.user, pk=pk)
    report = selectors.report_get(fetched_by=request.user, pk=proposal.report_id)
    policy.require_decider(request.user)
    if not policy.can_decide(request.user, report):
        raise PermissionDenied(_("Báo cáo chưa trình hoặc đã quyết định xong."))
    if hasattr(proposal, "decision"):
        messages.info(request, _("Đề xuất này đã có quyết định."))
        return redirect("proposals:detail", report.pk)
    form = DecisionForm(request.POST or None, proposal=proposal)
    confirming, effects = False, []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if "back" in request.POST:
            form.data = form.data.copy()
            form.data["confirmed"] = ""
        elif data["confirmed"]:
            try:
                services.decision_record(
                    actor=request.user,
                    proposal=proposal,
                    outcome=data["outcome"],
                    value=data["value"],
                    document_number=data["document_number"],
                    document_date=data["document_date"],
                    signed_by=data["signed_by"],
                    effective_date=data["effective_date"],
                    note=data["note"],
                )
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                messages.success(request, _("Đã ghi nhận quyết định của Chủ tịch UBND tỉnh."))
                return redirect("proposals:detail", report.pk)
        else:
            # First submit: check, then show what will be recorded and ask to confirm (nothing written).
            try:
                services.decided_value(proposal, data["outcome"], data["value"])
            except ValidationError as exc:
                form.add_error(None, _errors(exc))
            else:
                confirming = True
                effects = services.decision_effects(proposal, data["outcome"], data["value"])
                form.data = form.data.copy()
                form.data["confirmed"] = "on"
    return render(
        request,
        "proposals/decide.html",
        {
            "report": report,
            "proposal": proposal,
            "form": form,
            "confirming": confirming,
            "effects": effects,
            "on_behalf": not request.user.has_role("leadership"),
        },
    )
