"""Evidence files: upload, download, delete."""

from __future__ import annotations

import mimetypes
from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.inspections import selectors, services
from congvu.inspections.forms import (
    EvidenceForm,
)
from congvu.inspections.models import (
    ChecklistItem,
)
from congvu.inspections.views._common import (
    _detail_url,
    _form_errors,
    _run,
)


def _evidence_target(request, inspection, target: str) -> tuple[dict, str]:
    """Resolve "item:12" / "request:3" / … to the service's keyword and the tab to go back to;
    every part is fetched through the inspection (never by a bare pk)."""
    if not target:
        return {}, "overview"
    kind, _sep, raw = target.partition(":")
    try:
        pk = int(raw)
    except ValueError:
        raise Http404 from None
    user = request.user
    if kind == "item":
        sheets = selectors.checklists_for(fetched_by=user, inspection=inspection)
        obj = ChecklistItem.objects.visible_to(user).filter(checklist__in=sheets, pk=pk).first()
        key, tab = "checklist_item", "checklist"
    elif kind == "request":
        obj = inspection.document_requests.filter(pk=pk).first()
        key, tab = "document_request", "documents"
    elif kind == "finding":
        obj = selectors.findings_for(fetched_by=user, inspection=inspection).filter(pk=pk).first()
        key, tab = "finding", "findings"
    elif kind == "explanation":
        from congvu.inspections.models import FindingExplanation

        obj = (
            FindingExplanation.objects.visible_to(user).filter(finding__inspection=inspection, pk=pk).first()
        )
        key, tab = "explanation", "findings"
    elif kind == "report":
        from congvu.inspections.models import RemediationReport

        obj = (
            RemediationReport.objects.visible_to(user)
            .filter(recommendation__inspection=inspection, pk=pk)
            .first()
        )
        key, tab = "remediation_report", "remediation"
    else:
        raise Http404
    if obj is None:
        raise Http404
    return {key: obj}, tab


@require_POST
@login_required
def evidence_upload(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = EvidenceForm(request.POST, request.FILES)
    target, tab = _evidence_target(request, inspection, request.POST.get("target", ""))
    if form.is_valid():
        _run(
            request,
            lambda: services.evidence_upload(
                actor=request.user,
                inspection=inspection,
                uploaded_file=form.cleaned_data["file"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                **target,
            ),
            _("Đã tải lên tệp “%(name)s”.") % {"name": form.cleaned_data["file"].name},
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, tab))


@login_required
def evidence_download(request, evidence_pk):
    evidence = selectors.evidence_get(fetched_by=request.user, pk=evidence_pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = (
        evidence.content_type or mimetypes.guess_type(evidence.original_name)[0] or "application/octet-stream"
    )
    response = FileResponse(handle, content_type=content_type)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(evidence.original_name)}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
@login_required
def evidence_delete(request, evidence_pk):
    evidence = selectors.evidence_get(fetched_by=request.user, pk=evidence_pk)
    tab = "overview"
    if evidence.checklist_item_id:
        tab = "checklist"
    elif evidence.document_request_id:
        tab = "documents"
    elif evidence.finding_id or evidence.explanation_id:
        tab = "findings"
    elif evidence.remediation_report_id:
        tab = "remediation"
    _run(
        request,
        lambda: services.evidence_delete(actor=request.user, evidence=evidence),
        _("Đã xóa tệp “%(name)s”.") % {"name": evidence.original_name},
    )
    return redirect(_detail_url(evidence.inspection_id, tab))
