"""The inspection team tab's actions."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from congvu.inspections import policy, selectors, services
from congvu.inspections.forms import (
    TeamMemberForm,
)
from congvu.inspections.views._common import (
    _detail_url,
    _form_errors,
    _run,
)


@require_POST
@login_required
def team_add(request, pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    policy.require(request.user, inspection, "lead")
    form = TeamMemberForm(request.POST, inspection=inspection)
    if form.is_valid():
        _run(
            request,
            lambda: services.team_member_add(actor=request.user, inspection=inspection, **form.cleaned_data),
            _("Đã thêm thành viên đoàn."),
        )
    else:
        _form_errors(request, form)
    return redirect(_detail_url(inspection, "team"))


@require_POST
@login_required
def team_remove(request, pk, member_pk):
    inspection = selectors.inspection_get(fetched_by=request.user, pk=pk)
    member = inspection.team.filter(pk=member_pk).first()
    if member is None:
        raise Http404
    _run(
        request,
        lambda: services.team_member_remove(actor=request.user, member=member),
        _("Đã bớt thành viên đoàn."),
    )
    return redirect(_detail_url(inspection, "team"))
