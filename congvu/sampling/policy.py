"""Who may do what with a sample. Whether a sample exists for a user is the scope's business
(selectors: 404); these checks decide the actions on a visible sample (403) and what the inspected
unit sees of it."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from congvu.inspections import policy as inspection_policy
from congvu.inspections.workflow import SIGNED_STATUSES, WORKING_STATUSES, InspectionStatus, status_label

# The team may create a sample while the inspection is being prepared, and draw, extend and review
# while it works (decided … minutes signed).
CREATE_STATUSES = frozenset({InspectionStatus.DRAFT}) | WORKING_STATUSES
# The inspected unit sees the reviews and results once the minutes are signed by both sides.
UNIT_SEES_REVIEWS = SIGNED_STATUSES


def is_team(user, inspection) -> bool:
    """An inspection lead, or a member of this inspection's team (the inspections' own rule)."""
    if not getattr(user, "is_active", False):
        return False
    return inspection_policy.is_team(user, inspection)


def require_team(user, inspection) -> None:
    if not is_team(user, inspection):
        raise PermissionDenied(
            _("Chỉ lãnh đạo kiểm tra hoặc thành viên đoàn của cuộc kiểm tra này được chọn mẫu.")
        )


def working_problem(inspection, *, creating: bool = False) -> str | None:
    """Why the inspection's status forbids sampling work now, or None."""
    allowed = CREATE_STATUSES if creating else WORKING_STATUSES
    if inspection.status in allowed:
        return None
    return _("Cuộc kiểm tra đang ở trạng thái “%(s)s”: không thể thay đổi mẫu lúc này.") % {
        "s": status_label(inspection.status)
    }


def can_work(user, sample) -> bool:
    return is_team(user, sample.inspection) and working_problem(sample.inspection) is None


def can_see_reviews(user, sample) -> bool:
    if getattr(user, "is_unit_role", False):
        return sample.inspection.status in UNIT_SEES_REVIEWS
    return True
