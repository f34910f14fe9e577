"""Who may do what with a document. Whether a document exists for a user is the scope's answer
(selectors: a 404); these checks decide the actions on a visible one (a 403)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from congvu.inspections import policy as inspection_policy

READER_ROLES = ("admin", "inspector", "lead", "leadership")


def reads_drafts(user) -> bool:
    """Drafts are the team's; leadership and administrators read them too. Units never see one."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role(*READER_ROLES)


def can_draft(user, target) -> bool:
    """The inspection lead always; an inspector for their own team's inspection, or for the plan and
    the year report (province-wide work of the inspection staff)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.has_role("lead"):
        return True
    if not user.has_role("inspector"):
        return False
    if target.inspection is not None:
        return inspection_policy.is_team_member(user, target.inspection)
    return True


def can_issue(user) -> bool:
    """Issuing gives the number and freezes the copy: the inspection lead (who signs or has it signed)."""
    return bool(getattr(user, "is_authenticated", False)) and user.has_role("lead")


def can_manage_templates(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role("admin")


def require(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Vai trò của bạn không được thực hiện thao tác này."))
