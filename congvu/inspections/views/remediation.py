"""Remediation reports, reminders and the team's review."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.inspections import selectors, services
from congvu.inspections.views._common import (
    _TYPED_KEY,
    _detail_url,
    _run,
)


@require_POST
@login_required
def remediation_add(request, rec_pk):
    """The unit's first remediation form: text, files and (optionally) submit, in one service call.
    Refused, the typed text waits in the session and is shown again in the same box."""
    recommendation = selectors.recommendation_get(fetched_by=request.user, pk=rec_pk)
    back = _detail_url(recommendation.inspection_id, "remediation") + f"#rec-{recommendation.pk}"
    submit = request.POST.get("submit") == "1"
    text = request.POST.get("response_text", "")
    try:
        services.remediation_report_start(
            actor=request.user,
            recommendation=recommendation,
            response_text=text,
            uploaded_files=request.FILES.getlist("file"),
            file_description=request.POST.get("description", ""),
            submit=submit,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        if request.FILES:
            messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp rồi lưu."))
        pending = request.session.get(_TYPED_KEY, {})
        pending[f"new-report:{recommendation.pk}"] = text
        request.session[_TYPED_KEY] = pending
        return redirect(back)
    messages.success(
        request,
        _("Đã lập báo cáo khắc phục và trình thủ trưởng đơn vị duyệt.")
        if submit
        else _("Đã lập báo cáo khắc phục (bản nháp): có thể bổ sung tệp rồi trình thủ trưởng duyệt."),
    )
    return redirect(back)


@require_POST
@login_required
def recommendation_remind(request, rec_pk):
    """The inspection lead reminds the unit of one open recommendation (at most once a day)."""
    recommendation = selectors.recommendation_get(fetched_by=request.user, pk=rec_pk)
    _run(
        request,
        lambda: services.reminder_send(actor=request.user, recommendation=recommendation),
        _("Đã gửi nhắc hạn cho đơn vị."),
    )
    return redirect(_detail_url(recommendation.inspection_id, "remediation") + f"#rec-{recommendation.pk}")


@require_POST
@login_required
def remediation_review(request, report_pk, decision):
    report = selectors.response_get(fetched_by=request.user, kind="report", pk=report_pk)
    if decision not in ("accept", "return"):
        raise Http404
    _run(
        request,
        lambda: services.remediation_review(
            actor=request.user, report=report, accept=decision == "accept", note=request.POST.get("note", "")
        ),
        _("Đã chấp nhận báo cáo khắc phục.") if decision == "accept" else _("Đã trả lại báo cáo khắc phục."),
    )
    return redirect(_detail_url(report.recommendation.inspection_id, "remediation"))
