"""Pages of the official documents: the list, an inspection's (plan's, year's) documents, the draft
with its text blocks, issuing, downloads, and the issuing bodies with their templates. Every document
is fetched through the scope (another unit's document is a 404); actions are checked by the policy
(a 403)."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.filters import filter_list
from congvu.core.params import query_id, query_year
from congvu.core.tables import paginate, sort_queryset, wants_xlsx, xlsx_response
from congvu.documents import policy, rendering, selectors, services
from congvu.documents.contexts import Target, data_and_defaults, effective_blocks
from congvu.documents.filters import DocumentFilter
from congvu.documents.forms import BlocksForm, CounterForm, IssueForm, IssuerForm, TemplateUploadForm
from congvu.documents.kinds import INSPECTION, KINDS, PLAN, YEAR, get_kind
from congvu.documents.models import DocumentStatus, PdfStatus
from congvu.inspections import selectors as inspection_selectors

DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_SORTS = {
    "created": "created_at",
    "issued": "issued_on",
    "code": "number",
    "kind": "kind",
    "title": "title",
    "status": "status",
    "unit": "addressed_unit__name",
}


def _errors(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _filename(document, ext: str) -> str:
    base = document.code or f"du-thao-{document.kind}-{document.pk}"
    return re.sub(r"[^\w.-]+", "-", base).strip("-") + f".{ext}"


# --- List ---------------------------------------------------------------------------------


@login_required
def document_list(request):
    filters = filter_list(DocumentFilter, request, selectors.document_list(fetched_by=request.user))
    qs, sort = sort_queryset(request, filters.qs, _SORTS, "-created")
    if wants_xlsx(request):
        rows = (
            (
                d.code,
                d.get_kind_display(),
                d.title,
                str(d.addressed_unit or ""),
                d.get_status_display(),
                d.issued_on,
                d.docx_sha256,
                d.pdf_sha256,
            )
            for d in qs
        )
        headers = [
            _("Số, ký hiệu"),
            _("Loại văn bản"),
            _("Tên văn bản"),
            _("Đơn vị nhận"),
            _("Trạng thái"),
            _("Ngày ban hành"),
            _("SHA-256 DOCX"),
            _("SHA-256 PDF"),
        ]
        return xlsx_response("van-ban.xlsx", headers, rows, sheet=_("Văn bản"))
    return render(
        request,
        "documents/list.html",
        {
            "page": paginate(request, qs),
            "sort": sort,
            "filters": filters.form,
            "reads_drafts": policy.reads_drafts(request.user),
            "year_now": timezone.localdate().year,
            "plans": inspection_selectors.plan_list(fetched_by=request.user).order_by("-year", "-pk")[:6],
        },
    )


# --- An inspection's, a plan's or a year's documents ---------------------------------------


def _target_page(request, target: Target, heading: str, back_url: str):
    documents = selectors.documents_for_target(fetched_by=request.user, target_ref=target.ref)
    kinds = [k for k in KINDS.values() if k.target == target.kind]
    rows = []
    for spec in kinds:
        docs = [d for d in documents if d.kind == spec.code]
        rows.append(
            {
                "spec": spec,
                "draft": next((d for d in docs if d.status == DocumentStatus.DRAFT), None),
                "issued": [d for d in docs if d.status == DocumentStatus.ISSUED],
            }
        )
    return render(
        request,
        "documents/target.html",
        {
            "heading": heading,
            "back_url": back_url,
            "rows": rows,
            "target": target,
            "can_draft": policy.can_draft(request.user, target),
            "has_issuer": selectors.issuer_default() is not None,
        },
    )


@login_required
def inspection_documents(request, pk: int):
    inspection = inspection_selectors.inspection_get(fetched_by=request.user, pk=pk)
    return _target_page(
        request,
        Target(INSPECTION, inspection=inspection),
        _("Văn bản của cuộc kiểm tra: %(title)s") % {"title": inspection.title},
        reverse("inspections:detail", args=[inspection.pk]),
    )


@login_required
def plan_documents(request, pk: int):
    plan = inspection_selectors.plan_get(fetched_by=request.user, pk=pk)
    return _target_page(
        request,
        Target(PLAN, plan=plan),
        _("Văn bản của kế hoạch: %(title)s") % {"title": plan.title},
        reverse("inspections:plan_detail", args=[plan.pk]),
    )


@login_required
def year_documents(request, year: int):
    if not policy.reads_drafts(request.user) or not 2000 <= year <= 2100:
        raise Http404
    return _target_page(
        request,
        Target(YEAR, year=year),
        _("Báo cáo tổng hợp công tác kiểm tra công vụ năm %(year)s") % {"year": year},
        reverse("documents:home"),
    )


@login_required
@require_POST
def draft_open(request):
    spec = get_kind(request.POST.get("kind", ""))
    if spec is None:
        raise Http404
    # The subject as its reference: "inspection:12", "plan:3" or "year:2025".
    target_kind, _sep, raw = request.POST.get("target", "").partition(":")
    if target_kind not in spec.targets or not raw.isdigit():
        raise Http404
    if target_kind == INSPECTION:
        inspection = inspection_selectors.inspection_get(fetched_by=request.user, pk=raw)
        target = Target(INSPECTION, inspection=inspection)
    elif target_kind == PLAN:
        target = Target(PLAN, plan=inspection_selectors.plan_get(fetched_by=request.user, pk=raw))
    elif policy.reads_drafts(request.user):
        target = Target(YEAR, year=int(raw))
    else:
        raise Http404
    try:
        document = services.document_draft_open(actor=request.user, kind=spec.code, target=target)
    except ValidationError as exc:
        _errors(request, exc)
        return redirect(request.POST.get("next") or "documents:home")
    return redirect("documents:detail", pk=document.pk)


# --- One document -------------------------------------------------------------------------


@login_required
def document_detail(request, pk: int):
    """An issued document's record; a draft's text blocks, editable by the team."""
    document = selectors.document_get(fetched_by=request.user, pk=pk)
    spec = get_kind(document.kind)
    target = services.target_of(document)
    can_edit = not document.is_issued and policy.can_draft(request.user, target)
    form = None
    if not document.is_issued:
        try:
            _data, defaults = data_and_defaults(document.kind, target, document.issuer, request.user)
        except ValidationError as exc:  # the data it is written from is gone (e.g. the Director's report)
            _errors(request, exc)
            defaults = {}
        current = effective_blocks(defaults, document.blocks)
        if request.method == "POST":
            policy.require(can_edit)
            form = BlocksForm(request.POST, spec=spec)
            if form.is_valid():
                try:
                    services.document_draft_save(
                        actor=request.user,
                        document=document,
                        blocks=form.blocks(),
                        expected_version=form.cleaned_data["version"],
                    )
                except ValidationError as exc:
                    _errors(request, exc)
                else:
                    messages.success(request, _("Đã lưu dự thảo."))
                    return redirect("documents:detail", pk=document.pk)
        else:
            form = BlocksForm(initial={**current, "version": document.version}, spec=spec)
    elif request.method == "POST":
        raise Http404
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "spec": spec,
            "form": form,
            "can_edit": can_edit,
            "can_issue": not document.is_issued and policy.can_issue(request.user),
            "target_url": _target_url(document),
            "soffice": rendering.soffice_path() is not None,
            "can_request_pdf": document.is_issued
            and document.pdf_status != PdfStatus.DONE
            and (policy.can_issue(request.user) or request.user.has_role("inspector")),
        },
    )


def _target_url(document) -> str | None:
    if document.inspection_id:
        return reverse("documents:inspection", args=[document.inspection_id])
    if document.plan_id:
        return reverse("documents:plan", args=[document.plan_id])
    if document.year:
        return reverse("documents:year", args=[document.year])
    return None


@login_required
def document_issue(request, pk: int):
    """A confirmation page: the number is taken and the copy frozen only on POST."""
    document = selectors.document_get(fetched_by=request.user, pk=pk)
    if document.is_issued:
        messages.info(request, _("Văn bản đã được ban hành, số %(code)s.") % {"code": document.code})
        return redirect("documents:detail", pk=document.pk)
    policy.require(policy.can_issue(request.user), _("Chỉ lãnh đạo kiểm tra được ban hành văn bản."))
    form = IssueForm(request.POST or None, initial={"issued_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            document = services.document_issue(
                actor=request.user, document=document, issued_on=form.cleaned_data["issued_on"]
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã ban hành văn bản số %(code)s.") % {"code": document.code})
            return redirect("documents:detail", pk=document.pk)
    return render(request, "documents/issue.html", {"document": document, "form": form})


@login_required
def document_docx(request, pk: int):
    """An issued document: exactly the stored bytes. A draft: produced now from the data."""
    document = selectors.document_get(fetched_by=request.user, pk=pk)
    if document.is_issued:
        return FileResponse(
            document.docx.open("rb"),
            as_attachment=True,
            filename=_filename(document, "docx"),
            content_type=DOCX_TYPE,
        )
    try:
        data, _sha = services.document_render(document=document, fetched_by=request.user)
    except ValidationError as exc:  # the data it is written from is gone (e.g. the Director's report)
        _errors(request, exc)
        return redirect("documents:detail", pk=document.pk)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(document, "docx")}"'
    return response


@login_required
def document_pdf(request, pk: int):
    """The stored PDF when converted; otherwise a page that says why and offers the DOCX."""
    document = selectors.document_get(fetched_by=request.user, pk=pk)
    if request.method == "POST":
        try:
            services.document_pdf_request(actor=request.user, document=document)
        except ValidationError as exc:
            _errors(request, exc)
        return redirect("documents:pdf", pk=document.pk)
    if document.is_issued and document.pdf_status == PdfStatus.DONE and document.pdf:
        return FileResponse(
            document.pdf.open("rb"),
            as_attachment=True,
            filename=_filename(document, "pdf"),
            content_type="application/pdf",
        )
    return render(
        request,
        "documents/pdf.html",
        {
            "document": document,
            "soffice": rendering.soffice_path() is not None,
            "can_request_pdf": document.is_issued
            and (policy.can_issue(request.user) or request.user.has_role("inspector")),
        },
    )


# --- Issuing bodies and their templates (administrator) ------------------------------------


@login_required
def issuer_list(request):
    if not policy.reads_drafts(request.user):
        raise Http404  # configuration of DoHA's documents: not a unit's page
    issuers = selectors.issuer_list(fetched_by=request.user)
    form = None
    if policy.can_manage_templates(request.user):
        form = IssuerForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
            try:
                issuer = services.issuer_save(actor=request.user, unit=form.cleaned_data["unit"], **data)
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã lưu cơ quan ban hành."))
                return redirect("documents:issuer", pk=issuer.pk)
    elif request.method == "POST":
        policy.require(False)
    return render(request, "documents/issuers.html", {"issuers": issuers, "form": form})


@login_required
def issuer_detail(request, pk: int):
    issuer = selectors.issuer_get(fetched_by=request.user, pk=pk)
    can_manage = policy.can_manage_templates(request.user)
    form = IssuerForm(request.POST or None, instance=issuer) if can_manage else None
    upload = TemplateUploadForm()
    if request.method == "POST":
        policy.require(can_manage)
        if form.is_valid():
            data = {k: v for k, v in form.cleaned_data.items() if k != "unit"}
            try:
                services.issuer_save(
                    actor=request.user, unit=form.cleaned_data["unit"], issuer=issuer, **data
                )
            except ValidationError as exc:
                _errors(request, exc)
            else:
                messages.success(request, _("Đã lưu cơ quan ban hành."))
                return redirect("documents:issuer", pk=issuer.pk)
    kinds = [
        {"spec": spec, "active": selectors.active_template(issuer=issuer, kind=spec.code)}
        for spec in KINDS.values()
    ]
    return render(
        request,
        "documents/issuer.html",
        {
            "issuer": issuer,
            "form": form,
            "upload": upload,
            "kinds": kinds,
            "history": selectors.template_history(issuer=issuer)[:50],
            "counters": issuer.counters.order_by("-year", "number_code"),
            "counter_form": CounterForm(initial={"year": timezone.localdate().year}),
            "can_manage": can_manage,
        },
    )


@login_required
@require_POST
def template_upload(request, pk: int):
    issuer = selectors.issuer_get(fetched_by=request.user, pk=pk)
    policy.require(policy.can_manage_templates(request.user))
    form = TemplateUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            services.template_upload(
                actor=request.user,
                issuer=issuer,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã thay mẫu văn bản."))
    return redirect("documents:issuer", pk=issuer.pk)


@login_required
@require_POST
def template_reset(request, pk: int, kind: str):
    issuer = selectors.issuer_get(fetched_by=request.user, pk=pk)
    if get_kind(kind) is None:
        raise Http404
    services.template_reset(actor=request.user, issuer=issuer, kind=kind)
    messages.success(request, _("Đã trở lại mẫu mặc định."))
    return redirect("documents:issuer", pk=issuer.pk)


@login_required
def template_preview(request, pk: int, kind: str):
    """The issuing body's current template of a kind, filled from real data: the latest inspection
    (plan, year) the user may see, or `?target=ID`. With no data yet, the fields stay empty."""
    issuer = selectors.issuer_get(fetched_by=request.user, pk=pk)
    spec = get_kind(kind)
    if spec is None:
        raise Http404
    raw = query_id(request, "target")
    target = None
    if spec.target == INSPECTION:
        qs = inspection_selectors.inspection_list(fetched_by=request.user)
        insp = qs.filter(pk=raw).first() if raw else qs.order_by("-pk").first()
        target = Target(INSPECTION, inspection=insp) if insp else None
    elif spec.target == PLAN:
        qs = inspection_selectors.plan_list(fetched_by=request.user)
        found = qs.filter(pk=raw).first() if raw else qs.order_by("-pk").first()
        target = Target(PLAN, plan=found) if found else None
    else:
        target = Target(YEAR, year=query_year(request, "target") or timezone.localdate().year)
    data = services.template_preview(issuer=issuer, kind=kind, target=target, fetched_by=request.user)
    response = HttpResponse(data, content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="xem-truoc-{kind}.docx"'
    return response


@login_required
@require_POST
def counter_set(request, pk: int):
    issuer = selectors.issuer_get(fetched_by=request.user, pk=pk)
    policy.require(policy.can_manage_templates(request.user))
    form = CounterForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
    else:
        try:
            services.number_counter_set(actor=request.user, issuer=issuer, **form.cleaned_data)
        except ValidationError as exc:
            _errors(request, exc)
        else:
            messages.success(request, _("Đã ghi số cuối đã cấp."))
    return redirect("documents:issuer", pk=issuer.pk)
