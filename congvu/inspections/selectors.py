"""Scoped reads of inspections (STYLE §4). Every function takes the user and returns only what that
user may see: another unit's inspection is never returned (404 in views); the inspected unit sees an
inspection only once it has been told of it (a surprise one: once the team is on site), the team's
draft findings and working checklist not at all, and the team sees the unit's answers only once the
unit head has approved them."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from congvu.core.scoping import get_visible_or_404
from congvu.core.text import fold
from congvu.inspections import policy
from congvu.inspections.models import (
    ChecklistItem,
    DocumentRequest,
    Evidence,
    Finding,
    FindingStatus,
    Inspection,
    InspectionPlan,
    Notification,
    PlanItem,
    Recommendation,
    RecommendationStatus,
    RemediationReport,
    ResponseStatus,
    TeamMember,
)
from congvu.inspections.workflow import DISCLOSED_STATUSES, FOLLOW_UP_STATUSES


def _disclosed_q() -> Q:
    q = Q(pk__in=[])
    for kind, statuses in DISCLOSED_STATUSES.items():
        q |= Q(kind=kind, status__in=statuses)
    return q


def inspections_visible(fetched_by) -> QuerySet:
    """Inspections the user may open at all."""
    qs = Inspection.objects.visible_to(fetched_by)
    if getattr(fetched_by, "is_unit_role", False):
        qs = qs.filter(_disclosed_q())
    return qs


def inspection_list(
    *,
    fetched_by,
    query: str = "",
    status: str = "",
    kind: str = "",
    unit_id: int | None = None,
    year: int | None = None,
    mine: bool = False,
) -> QuerySet:
    qs = inspections_visible(fetched_by).select_related("unit", "plan_item__plan")
    if status:
        qs = qs.filter(status=status)
    if kind:
        qs = qs.filter(kind=kind)
    if unit_id:
        qs = qs.filter(unit_id=unit_id)
    if year:
        qs = qs.filter(period_to__year=year)
    if mine:
        qs = qs.filter(Exists(TeamMember.objects.filter(inspection=OuterRef("pk"), user=fetched_by)))
    if query:
        folded = fold(query)
        qs = qs.filter(
            Q(title__icontains=query)
            | Q(decision_number__icontains=query)
            | Q(unit__name__icontains=query)
            | Q(unit__name_folded__contains=folded)
        )
    return qs.annotate(
        open_recommendations=Count(
            "recommendations", filter=Q(recommendations__status=RecommendationStatus.OPEN), distinct=True
        )
    )


def inspection_get(*, fetched_by, pk) -> Inspection:
    """One inspection, or 404 when it is not the user's to see."""
    return get_visible_or_404(
        inspections_visible(fetched_by).select_related("unit", "plan_item__plan"), fetched_by, pk=pk
    )


def inspection_history(*, fetched_by, inspection: Inspection) -> QuerySet:
    return inspection.history.select_related("actor").order_by("at", "pk")


def team_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    return inspection.team.select_related("user").order_by("role", "pk")


def checklists_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    """The inspection's checklists; the unit sees them once the minutes are signed."""
    items = (
        ChecklistItem.objects.defer("snapshot_ids").select_related("updated_by").prefetch_related("evidence")
    )
    qs = inspection.checklists.select_related("official", "appointment", "template").prefetch_related(
        Prefetch("items", queryset=items)
    )
    if getattr(fetched_by, "is_unit_role", False) and not policy.unit_sees_checklist(inspection):
        return qs.none()
    return qs


def _response_visible_q(fetched_by, prefix: str = "") -> Q:
    """Province-wide readers see the unit's answers only when approved (the unit sees its drafts)."""
    if getattr(fetched_by, "is_unit_role", False):
        return Q()
    return Q(**{f"{prefix}response_status": ResponseStatus.APPROVED})


def document_requests_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    return inspection.document_requests.select_related("submitted_by", "approved_by").order_by(
        "-is_self_report", "due_on", "pk"
    )


def findings_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    """The inspection's findings; the unit sees them from the moment they are sent for explanation."""
    qs = inspection.findings.select_related("responsible", "explanation").prefetch_related(
        "tasks", "dossiers", "checklist_items", "evidence"
    )
    if getattr(fetched_by, "is_unit_role", False):
        qs = qs.exclude(status=FindingStatus.DRAFT)
    return qs.order_by("pk")


def finding_get(*, fetched_by, pk) -> Finding:
    qs = Finding.objects.filter(inspection__in=inspections_visible(fetched_by))
    if getattr(fetched_by, "is_unit_role", False):
        qs = qs.exclude(status=FindingStatus.DRAFT)
    return get_visible_or_404(qs, fetched_by, pk=pk)


def recommendations_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    return inspection.recommendations.select_related("finding", "official").prefetch_related(
        "reports__evidence"
    )


def evidence_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    """The files of an inspection the user may see (same rules as what they are attached to)."""
    qs = inspection.evidence.select_related("uploaded_by")
    if getattr(fetched_by, "is_unit_role", False):
        if not policy.unit_sees_checklist(inspection):
            qs = qs.filter(checklist_item__isnull=True)
        qs = qs.exclude(finding__status=FindingStatus.DRAFT)
    else:
        qs = qs.exclude(
            document_request__response_status__in=[ResponseStatus.DRAFT, ResponseStatus.SUBMITTED]
        )
        qs = qs.exclude(explanation__response_status__in=[ResponseStatus.DRAFT, ResponseStatus.SUBMITTED])
        qs = qs.exclude(
            remediation_report__response_status__in=[ResponseStatus.DRAFT, ResponseStatus.SUBMITTED]
        )
    return qs


def evidence_get(*, fetched_by, pk) -> Evidence:
    """One file for download; 404 unless its inspection and what it is attached to are visible."""
    evidence = get_visible_or_404(
        Evidence.objects.filter(inspection__in=inspections_visible(fetched_by)), fetched_by, pk=pk
    )
    return get_visible_or_404(
        evidence_for(fetched_by=fetched_by, inspection=evidence.inspection), fetched_by, pk=pk
    )


def response_get(*, fetched_by, kind: str, pk) -> DocumentRequest | RemediationReport:
    """A unit answer by kind ('request', 'explanation', 'report'), through the inspection's scope."""
    from congvu.inspections.models import FindingExplanation

    visible = inspections_visible(fetched_by)
    if kind == "request":
        qs = DocumentRequest.objects.filter(inspection__in=visible)
    elif kind == "explanation":
        qs = FindingExplanation.objects.filter(finding__inspection__in=visible)
        if getattr(fetched_by, "is_unit_role", False):
            qs = qs.exclude(finding__status=FindingStatus.DRAFT)
    elif kind == "report":
        qs = RemediationReport.objects.filter(recommendation__inspection__in=visible)
    else:
        from django.http import Http404

        raise Http404
    return get_visible_or_404(qs, fetched_by, pk=pk)


def recommendation_get(*, fetched_by, pk) -> Recommendation:
    return get_visible_or_404(
        Recommendation.objects.filter(inspection__in=inspections_visible(fetched_by)), fetched_by, pk=pk
    )


def overdue_recommendations(fetched_by, today: date) -> QuerySet:
    """Open recommendations past their deadline that the user may see, oldest deadline first; for
    the inspection list and the home page's dashboard block."""
    return (
        Recommendation.objects.visible_to(fetched_by)
        .filter(
            inspection__in=inspections_visible(fetched_by),
            status=RecommendationStatus.OPEN,
            deadline__lt=today,
            inspection__status__in=FOLLOW_UP_STATUSES,
        )
        .select_related("inspection", "inspection__unit")
        .order_by("deadline", "pk")
    )


# --- Plans --------------------------------------------------------------------------------


def plan_list(*, fetched_by, year: int | None = None, status: str = "", query: str = "") -> QuerySet:
    """Annual plans are province-wide documents: inspection staff and leadership read them; a unit
    sees none (its own plan item shows on its inspection)."""
    if not getattr(fetched_by, "is_authenticated", False) or not fetched_by.is_province_wide:
        return InspectionPlan.objects.none()
    qs = InspectionPlan.objects.annotate(item_count=Count("items"))
    if year:
        qs = qs.filter(year=year)
    if status:
        qs = qs.filter(status=status)
    if query:
        qs = qs.filter(Q(title__icontains=query) | Q(number__icontains=query))
    return qs


def plan_get(*, fetched_by, pk) -> InspectionPlan:
    from django.http import Http404

    try:
        return plan_list(fetched_by=fetched_by).get(pk=pk)
    except (InspectionPlan.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def plan_items_for(*, fetched_by, plan: InspectionPlan) -> QuerySet:
    return (
        PlanItem.objects.visible_to(fetched_by)
        .filter(plan=plan)
        .select_related("unit")
        .prefetch_related("inspections")
        .annotate(inspection_count=Count("inspections"))
        .order_by("month", "unit__name")
    )


def plan_item_get(*, fetched_by, pk) -> PlanItem:
    return get_visible_or_404(
        PlanItem.objects.filter(plan__in=plan_list(fetched_by=fetched_by)).select_related("plan", "unit"),
        fetched_by,
        pk=pk,
    )


# --- Notices ------------------------------------------------------------------------------


def notifications_for(*, fetched_by, unread_only: bool = False) -> QuerySet:
    if not getattr(fetched_by, "is_authenticated", False):
        return Notification.objects.none()
    qs = Notification.objects.filter(user=fetched_by)
    if unread_only:
        qs = qs.filter(is_read=False)
    return qs


def notification_get(*, fetched_by, pk) -> Notification:
    from django.http import Http404

    try:
        return notifications_for(fetched_by=fetched_by).get(pk=pk)
    except (Notification.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
