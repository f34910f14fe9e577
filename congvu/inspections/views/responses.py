"""Document requests and the unit's answers (save, submit, approve, return)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.inspections import selectors, services
from congvu.inspections.forms import (
    DocumentRequestForm,
    ResponseForm,
)
from congvu.inspections.views._common import (
    _FLASH_KEY,
    _RESPONSE_TAB,
    _detail_url,
    _form_errors,
    _response_inspection_pk,
    _run,
    _typed_again,
)


@require_POST
@login_required
def request_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    form = DocumentRequestForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.document_request_create(
                actor=request.user, inspection=inspection, **form.cleaned_data
            ),
            _("Đã gửi yêu cầu tài liệu."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "documents"))


@require_POST
@login_required
def response_action(request, kind, response_pk, action):
    """The unit's answer: save (focal point or head), submit, approve or return (head).

    Save and submit come from the same form (text, files, submit): what was typed and chosen is
    saved first, then submitted, in one service call. When that is refused, the page is shown again
    with the typed text still in the box (nothing typed is lost; nothing is half-written)."""
    response = selectors.response_get(fetched_by=request.user, kind=kind, pk=response_pk)
    inspection_pk = _response_inspection_pk(kind, response)
    anchor = f"#{kind}-{response.pk}"
    back = _detail_url(inspection_pk, _RESPONSE_TAB[kind]) + anchor
    user = request.user
    if action in ("save", "submit") and ("response_text" in request.POST or request.FILES):
        form = ResponseForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return _typed_again(request, kind, response, request.POST.get("response_text", ""))
        submit = action == "submit"
        try:
            services.unit_response_answer(
                actor=user,
                response=response,
                expected_version=form.cleaned_data["version"],
                response_text=form.cleaned_data["response_text"],
                uploaded_files=request.FILES.getlist("file"),
                file_description=request.POST.get("description", ""),
                submit=submit,
            )
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
            if request.FILES:
                messages.warning(request, _("Tệp đã chọn chưa được lưu: hãy chọn lại tệp rồi lưu."))
            return _typed_again(request, kind, response, form.cleaned_data["response_text"])
        messages.success(
            request,
            _("Đã lưu và trình thủ trưởng đơn vị duyệt.") if submit else _("Đã lưu nội dung trả lời."),
        )
    elif action == "submit":
        _run(
            request,
            lambda: services.unit_response_submit(actor=user, response=response),
            _("Đã trình thủ trưởng đơn vị duyệt."),
        )
    elif action == "approve":
        _run(
            request,
            lambda: services.unit_response_approve(actor=user, response=response),
            _("Đã duyệt và gửi Đoàn kiểm tra."),
        )
    elif action == "return":
        _run(
            request,
            lambda: services.unit_response_return(
                actor=user, response=response, note=request.POST.get("note", "")
            ),
            _("Đã trả lại cho cán bộ đầu mối."),
        )
    else:
        raise Http404
    request.session[_FLASH_KEY] = f"{kind}-{response.pk}"
    return redirect(back)
