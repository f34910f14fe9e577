"""Who may act on a Director's report. Whether a report exists for a user is decided by the scope
(`DirectorReport.objects.visible_to`, a 404); these checks decide the actions on a visible one (a 403).

- Only the inspection lead (role *lead*: the DoHA Director, a deputy director, a team head) drafts,
  edits and submits reports, and only while they are drafts.
- Decisions are recorded by leadership (the Chairman, vice chairmen) or by the lead on the Chairman's
  behalf from the signed document (`Decision.on_behalf`), and only on a submitted report.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from congvu.proposals.models import ReportStatus

EDIT_ROLES = ("lead",)
DECIDE_ROLES = ("leadership", "lead")


def _has(user, roles) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*roles)


def can_edit(user, report) -> bool:
    return _has(user, EDIT_ROLES) and report.status == ReportStatus.DRAFT


def can_decide(user, report) -> bool:
    return _has(user, DECIDE_ROLES) and report.status == ReportStatus.SUBMITTED


def require_lead(user) -> None:
    if not _has(user, EDIT_ROLES):
        raise PermissionDenied(_("Chỉ lãnh đạo kiểm tra được lập, sửa và trình báo cáo."))


def require_decider(user) -> None:
    if not _has(user, DECIDE_ROLES):
        raise PermissionDenied(
            _(
                "Chỉ lãnh đạo UBND tỉnh, hoặc lãnh đạo kiểm tra ghi thay theo văn bản đã ký, "
                "được ghi nhận quyết định."
            )
        )
