"""Findings and recommendations."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.core.params import parse_ids
from congvu.inspections import policy, selectors, services
from congvu.inspections.forms import (
    FindingForm,
    RecommendationForm,
)
from congvu.inspections.models import (
    Finding,
)
from congvu.inspections.views._common import (
    _detail_url,
    _form_errors,
    _run,
)


@require_POST
@login_required
def finding_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = FindingForm(request.POST, inspection=inspection, user=request.user)
    if form.is_valid():
        data = form.cleaned_data
        _run(
            request,
            lambda: services.finding_record(
                actor=request.user,
                inspection=inspection,
                description=data["description"],
                category=data["category"],
                severity=data["severity"],
                responsible=data["responsible"],
                checklist_items=data["checklist_items"],
                tasks=data["tasks"],
                dossiers=data["dossiers"],
                source=_("Đoàn kiểm tra"),
            ),
            _("Đã ghi phát hiện (dự thảo)."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "findings"))


@login_required
def finding_records_search(request, pk):
    """The finding form's record picker: the inspected unit's tasks and dossiers (with the units it
    absorbed) matching the typed code or title, accent-insensitive, through the registers' scoped
    selectors; at most PICKER_LIMIT of each."""
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    if not policy.is_team(request.user, inspection):
        raise PermissionDenied(_("Chỉ thành viên đoàn kiểm tra được ghi phát hiện."))
    query = (request.GET.get("q") or "").strip()[:100]
    chosen = {name: parse_ids(request.GET.getlist(name)) for name in ("tasks", "dossiers")}
    tasks = dossiers = []
    if query:
        from congvu.registers.selectors import dossier_list, task_list

        unit = inspection.unit
        tasks = list(
            task_list(fetched_by=request.user, query=query, unit=unit)
            .exclude(pk__in=chosen["tasks"])
            .order_by("external_code")[:PICKER_LIMIT]
        )
        dossiers = list(
            dossier_list(fetched_by=request.user, query=query, unit=unit)
            .exclude(pk__in=chosen["dossiers"])
            .order_by("external_code")[:PICKER_LIMIT]
        )
    return render(
        request,
        "inspections/_record_picker_results.html",
        {"query": query, "tasks": tasks, "dossiers": dossiers, "limit": PICKER_LIMIT},
    )


PICKER_LIMIT = 15


@login_required
def finding_edit(request, finding_pk):
    finding: Finding = selectors.finding_get(fetched_by=request.user, pk=finding_pk)
    inspection = selectors.inspection_get(fetched_by=request.user, pk=finding.inspection_id)
    if not policy.is_team(request.user, inspection) or request.user.is_read_only:
        raise PermissionDenied(_("Chỉ thành viên đoàn kiểm tra được sửa phát hiện."))
    initial = {
        "description": finding.description,
        "category": finding.category,
        "severity": finding.severity,
        "responsible": finding.responsible_id,
        "checklist_items": list(finding.checklist_items.values_list("pk", flat=True)),
        "tasks": list(finding.tasks.values_list("pk", flat=True)),
        "dossiers": list(finding.dossiers.values_list("pk", flat=True)),
        "version": finding.version,
    }
    form = FindingForm(request.POST or None, initial=initial, inspection=inspection, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.finding_update(
                actor=request.user,
                finding=finding,
                expected_version=data["version"],
                description=data["description"],
                category=data["category"],
                severity=data["severity"],
                responsible=data["responsible"],
                checklist_items=data["checklist_items"],
                tasks=data["tasks"],
                dossiers=data["dossiers"],
            )
        except ValidationError as exc:
            finding.refresh_from_db()
            if exc.code == "stale":
                # Keep what the user typed, now based on the current version: saving again is a
                # conscious overwrite after reading what changed.
                data = request.POST.copy()
                data["version"] = finding.version
                form = FindingForm(data, inspection=inspection, user=request.user)
                form.is_valid()
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("Đã lưu phát hiện."))
            return redirect(_detail_url(inspection, "findings"))
    return render(
        request,
        "inspections/finding_edit.html",
        {"form": form, "finding": finding, "inspection": inspection},
    )


@require_POST
@login_required
def finding_action(request, finding_pk, action):
    finding = selectors.finding_get(fetched_by=request.user, pk=finding_pk)
    note = request.POST.get("note", "")
    explanation_due = None
    if action == "send" and request.POST.get("explanation_due", "").strip():
        field = forms.DateField(input_formats=["%d/%m/%Y", "%Y-%m-%d"])
        try:
            explanation_due = field.clean(request.POST["explanation_due"].strip())
        except ValidationError:
            messages.error(request, _("Hạn giải trình: cần ngày dạng dd/mm/yyyy."))
            return redirect(_detail_url(finding.inspection_id, "findings") + f"#finding-{finding.pk}")
    calls = {
        "send": (
            lambda: services.finding_send(
                actor=request.user, finding=finding, explanation_due=explanation_due
            ),
            _("Đã gửi đơn vị giải trình."),
        ),
        "confirm": (
            lambda: services.finding_confirm(actor=request.user, finding=finding, note=note),
            _("Đã xác nhận phát hiện."),
        ),
        "withdraw": (
            lambda: services.finding_withdraw(actor=request.user, finding=finding, note=note),
            _("Đã rút phát hiện."),
        ),
    }
    if action not in calls:
        raise Http404
    call, success = calls[action]
    _run(request, call, success)
    return redirect(_detail_url(finding.inspection_id, "findings"))


@require_POST
@login_required
def recommendation_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = RecommendationForm(request.POST, inspection=inspection)
    if form.is_valid():
        _run(
            request,
            lambda: services.recommendation_create(
                actor=request.user, inspection=inspection, **form.cleaned_data
            ),
            _("Đã lập kiến nghị."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "findings"))
