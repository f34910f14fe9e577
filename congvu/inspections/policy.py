"""Who may do what on one inspection, and what the inspected unit may see of it.

Whether an inspection exists for a user is decided by the scope (selectors: another unit's inspection
is a 404); these checks decide the *actions* on a visible inspection (a 403) and hide the team's
unfinished work from the unit and the unit's unapproved answers from the team.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from congvu.core.scoping import visible_unit_ids
from congvu.inspections.workflow import DISCLOSED_STATUSES, SIGNED_STATUSES

# Statuses from which the unit sees the checklist results (the minutes are signed by both sides).
UNIT_SEES_CHECKLIST = SIGNED_STATUSES


def is_lead(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.has_role("lead")


def is_team_member(user, inspection) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.has_role("inspector", "lead"):
        return False
    cache = inspection.__dict__.setdefault("_team_user_ids", None)
    if cache is None:
        cache = set(inspection.team.values_list("user_id", flat=True))
        inspection.__dict__["_team_user_ids"] = cache
    return user.pk in cache


def is_team(user, inspection) -> bool:
    """The inspection lead, or a member of this inspection's team."""
    return is_lead(user) or is_team_member(user, inspection)


def is_unit(user, inspection) -> bool:
    """The inspected unit's focal point or head (the unit the user belongs to, or absorbed)."""
    if not getattr(user, "is_authenticated", False) or not user.has_role("focal", "unit_head"):
        return False
    ids = visible_unit_ids(user)
    return ids is not None and inspection.unit_id in ids


def is_unit_head(user, inspection) -> bool:
    return is_unit(user, inspection) and user.has_role("unit_head")


def can(user, inspection, who: str) -> bool:
    """`who` is one of the workflow table's actors: lead, team, unit."""
    if who == "lead":
        return is_lead(user)
    if who == "team":
        return is_team(user, inspection)
    if who == "unit":
        return is_unit(user, inspection)
    raise ValueError(f"unknown actor kind {who!r}")


def require(user, inspection, who: str) -> None:
    if not can(user, inspection, who):
        messages = {
            "lead": _("Chỉ lãnh đạo kiểm tra (trưởng đoàn) được thực hiện thao tác này."),
            "team": _("Chỉ thành viên đoàn kiểm tra của cuộc kiểm tra này được thực hiện thao tác này."),
            "unit": _("Chỉ cán bộ đầu mối hoặc thủ trưởng đơn vị được kiểm tra được thực hiện thao tác này."),
        }
        raise PermissionDenied(messages[who])


def is_disclosed(inspection) -> bool:
    """Whether the inspected unit has been told (a surprise inspection: once the team is on site)."""
    return inspection.status in DISCLOSED_STATUSES.get(inspection.kind, frozenset())


def unit_sees_checklist(inspection) -> bool:
    return inspection.status in UNIT_SEES_CHECKLIST
