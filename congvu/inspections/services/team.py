"""The inspection team (đoàn kiểm tra)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from congvu.accounts.models import Role, User
from congvu.core.audit import audit_record
from congvu.core.text import nfc
from congvu.inspections import policy
from congvu.inspections.locking import lock_row
from congvu.inspections.models import (
    Inspection,
    TeamMember,
)
from congvu.inspections.services._common import (
    _check,
    _link,
)
from congvu.inspections.services.notices import notification_send
from congvu.inspections.workflow import InspectionStatus


@transaction.atomic
def team_member_add(
    *, actor: User, inspection: Inspection, user: User, role: str, organisation: str = ""
) -> TeamMember:
    """The lead composes the team (trưởng đoàn, phó đoàn, thành viên, thư ký) from inspectors and leads."""
    inspection = lock_row(Inspection, inspection.pk)
    policy.require(actor, inspection, "lead")
    _check(inspection.status != InspectionStatus.CLOSED, _("Cuộc kiểm tra đã kết thúc."))
    _check(
        user.has_role(Role.INSPECTOR, Role.LEAD),
        _("%(user)s không phải thành viên đoàn kiểm tra hoặc lãnh đạo kiểm tra.") % {"user": user},
    )
    member = TeamMember(inspection=inspection, user=user, role=role, organisation=nfc(organisation).strip())
    member.full_clean()
    member.save()
    audit_record(
        actor=actor,
        action="inspection.team_add",
        obj=inspection,
        after={"user": user.pk, "username": user.username, "role": role, "organisation": member.organisation},
    )
    notification_send(
        user=user,
        text=_("Bạn được phân công là %(role)s: %(title)s")
        % {"role": member.get_role_display(), "title": inspection},
        link=_link(inspection),
    )
    return member


@transaction.atomic
def team_member_remove(*, actor: User, member: TeamMember) -> None:
    inspection = lock_row(Inspection, member.inspection_id)
    policy.require(actor, inspection, "lead")
    _check(inspection.status != InspectionStatus.CLOSED, _("Cuộc kiểm tra đã kết thúc."))
    audit_record(
        actor=actor,
        action="inspection.team_remove",
        obj=inspection,
        before={"user": member.user_id, "username": member.user.username, "role": member.role},
    )
    member.delete()
