"""Helpers shared by the inspection services: field lists for audit snapshots, the small checks, links and
the notices to a unit's or a team's users."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from congvu.accounts.models import Role, User
from congvu.inspections.models import (
    DocumentRequest,
    FindingExplanation,
    Inspection,
    RemediationReport,
)
from congvu.inspections.services.notices import notification_send
from congvu.org.models import Appointment, AppointmentRole
from congvu.org.selectors import unit_with_predecessor_ids

PLAN_FIELDS = ["year", "number", "title", "content", "status", "approved_by", "approved_at", "version"]


PLAN_ITEM_FIELDS = ["plan", "unit", "month", "content", "period_from", "period_to"]


INSPECTION_FIELDS = [
    "kind",
    "plan_item",
    "unit",
    "title",
    "content",
    "decision_number",
    "decision_date",
    "period_from",
    "period_to",
    "self_report_due",
    "conclusion_number",
    "conclusion_date",
    "conclusion_summary",
    "status",
    "version",
]


INSPECTION_EDITABLE = [
    "title",
    "content",
    "decision_number",
    "decision_date",
    "period_from",
    "period_to",
    "self_report_due",
    "conclusion_number",
    "conclusion_date",
    "conclusion_summary",
]


ITEM_FIELDS = ["checklist", "text", "result", "notes", "version"]


FINDING_FIELDS = ["inspection", "number", "description", "category", "severity", "responsible", "status"]


FINDING_FIELDS += ["source", "status_note", "version"]


RESPONSE_FIELDS = ["response_text", "response_status", "return_note", "version"]


RECOMMENDATION_FIELDS = ["inspection", "finding", "kind", "addressee", "official", "content", "deadline"]


RECOMMENDATION_FIELDS += ["status", "version"]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise ValidationError(message)


def _read_only(actor) -> None:
    if getattr(actor, "is_authenticated", False) and actor.is_read_only:
        raise PermissionDenied(_("Lãnh đạo UBND tỉnh chỉ xem, không sửa dữ liệu kiểm tra."))


def _link(inspection: Inspection, tab: str = "", anchor: str = "") -> str:
    """The inspection page on a tab, scrolled to one item (`anchor`: the element id, e.g. request-12)."""
    url = reverse("inspections:detail", args=[inspection.pk])
    url = f"{url}?tab={tab}" if tab else url
    return f"{url}#{anchor}" if anchor else url


_RESPONSE_KIND = {
    "documentrequest": "request",
    "findingexplanation": "explanation",
    "remediationreport": "report",
}


_RESPONSE_TAB = {"request": "documents", "explanation": "findings", "report": "remediation"}


def response_link(response) -> str:
    """The exact place of a unit answer: its tab and its box (`<kind>-<pk>`)."""
    kind = _RESPONSE_KIND[response._meta.model_name]
    return _link(_response_inspection(response), _RESPONSE_TAB[kind], f"{kind}-{response.pk}")


def _unit_users(inspection: Inspection):
    return User.objects.filter(
        unit_id=inspection.unit_id, role__in=[Role.FOCAL, Role.UNIT_HEAD], is_active=True
    ).order_by("pk")


def _team_users(inspection: Inspection):
    return User.objects.filter(pk__in=inspection.team.values("user_id"), is_active=True).order_by("pk")


def _notify(users: Iterable[User], text: str, link: str, *, exclude=None, key: str = "") -> int:
    sent = 0
    for user in users:
        if exclude is not None and user.pk == getattr(exclude, "pk", None):
            continue
        if notification_send(user=user, text=text, link=link, key=key):
            sent += 1
    return sent


def _response_inspection(obj) -> Inspection:
    if isinstance(obj, DocumentRequest):
        return obj.inspection
    if isinstance(obj, FindingExplanation):
        return obj.finding.inspection
    if isinstance(obj, RemediationReport):
        return obj.recommendation.inspection
    raise TypeError(type(obj).__name__)


def _check_responsible(inspection: Inspection, official) -> None:
    if official is None:
        return
    held = Appointment.objects.filter(
        official=official,
        unit_id__in=unit_with_predecessor_ids(inspection.unit_id),
        role__in=[AppointmentRole.HEAD, AppointmentRole.DEPUTY],
        start__lte=inspection.period_to,
    ).filter(Q(end__isnull=True) | Q(end__gte=inspection.period_from))
    _check(
        held.exists(),
        _("%(name)s không phải người đứng đầu hoặc cấp phó của %(unit)s trong thời kỳ kiểm tra.")
        % {"name": official, "unit": inspection.unit.name},
    )
