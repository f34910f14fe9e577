"""Scoped reads of inspections (STYLE §4). Every function takes the user and returns only what that
user may see: another unit's inspection is never returned (404 in views); the inspected unit sees an
inspection only once it has been told of it (a surprise one: once the team is on site), the team's
draft findings and working checklist not at all, and the team sees the unit's answers only once the
unit head has approved them."""

from __future__ import annotations

from datetime import date

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.http import Http404

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
from congvu.inspections.workflow import DISCLOSED_STATUSES, FOLLOW_UP_STATUSES, InspectionStatus


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


def inspection_text_q(query: str) -> Q:
    """An inspection whose title or decision number contains `query`, or its unit's name, with or
    without diacritics."""
    return (
        Q(title__icontains=query)
        | Q(decision_number__icontains=query)
        | Q(unit__name__icontains=query)
        | Q(unit__name_folded__contains=fold(query))
    )


def on_team_q(user) -> Exists:
    """An inspection whose team `user` is on."""
    return Exists(TeamMember.objects.filter(inspection=OuterRef("pk"), user=user))


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
        qs = qs.filter(on_team_q(fetched_by))
    if query:
        qs = qs.filter(inspection_text_q(query))
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


def with_answer(qs: QuerySet, fetched_by) -> QuerySet:
    """Unit answers (document requests, explanations, remediation reports) as this user may read them:
    `answer_visible`, and `answer_text` — the answer, or empty while the team may not read it yet.
    The one place where "the team sees a unit's answers only once the unit head approved them" is
    applied: pages, exports and the API show `answer_text`, never `response_text`."""
    visible = _response_visible_q(fetched_by)
    if not visible:  # the unit itself: all of its answers, drafts included
        return qs.annotate(answer_visible=Value(True), answer_text=F("response_text"))
    return qs.annotate(
        answer_visible=ExpressionWrapper(visible, output_field=BooleanField()),
        answer_text=Case(When(visible, then=F("response_text")), default=Value(""), output_field=TextField()),
    )


def document_requests_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    qs = inspection.document_requests.select_related("submitted_by", "approved_by")
    return with_answer(qs, fetched_by).order_by("-is_self_report", "due_on", "pk")


def findings_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    """The inspection's findings; the unit sees them from the moment they are sent for explanation.
    Each finding's `explanation` carries the answer as the user may read it (`with_answer`)."""
    from congvu.inspections.models import FindingExplanation

    explanations = with_answer(FindingExplanation.objects.all(), fetched_by)
    qs = inspection.findings.select_related("responsible").prefetch_related(
        Prefetch("explanation", queryset=explanations), "tasks", "dossiers", "checklist_items", "evidence"
    )
    if getattr(fetched_by, "is_unit_role", False):
        qs = qs.exclude(status=FindingStatus.DRAFT)
    return qs.order_by("pk")


def checklist_item_get(*, fetched_by, pk) -> ChecklistItem:
    """One checklist item, only when its sheet is one the user may see (the inspection's scope, and
    the unit only once the minutes are signed); anything else is a 404."""
    item = (
        ChecklistItem.objects.visible_to(fetched_by)
        .select_related("checklist__inspection", "checklist__appointment__unit")
        .filter(pk=pk)
        .first()
    )
    if item is None:
        raise Http404
    inspection = inspection_get(fetched_by=fetched_by, pk=item.checklist.inspection_id)
    if not checklists_for(fetched_by=fetched_by, inspection=inspection).filter(pk=item.checklist_id).exists():
        raise Http404
    return item


def finding_get(*, fetched_by, pk) -> Finding:
    qs = Finding.objects.filter(inspection__in=inspections_visible(fetched_by))
    if getattr(fetched_by, "is_unit_role", False):
        qs = qs.exclude(status=FindingStatus.DRAFT)
    return get_visible_or_404(qs, fetched_by, pk=pk)


def recommendations_for(*, fetched_by, inspection: Inspection) -> QuerySet:
    """The inspection's recommendations, each with its remediation reports as the user may read them."""
    reports = with_answer(RemediationReport.objects.prefetch_related("evidence"), fetched_by)
    return inspection.recommendations.select_related("finding", "official").prefetch_related(
        Prefetch("reports", queryset=reports)
    )


def reports_for(*, fetched_by, recommendation: Recommendation) -> QuerySet:
    """A recommendation's remediation reports, oldest first, as the user may read them."""
    return with_answer(recommendation.reports.order_by("pk"), fetched_by)


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
    return get_visible_or_404(with_answer(qs, fetched_by), fetched_by, pk=pk)


def recommendation_get(*, fetched_by, pk) -> Recommendation:
    return get_visible_or_404(
        Recommendation.objects.filter(inspection__in=inspections_visible(fetched_by)), fetched_by, pk=pk
    )


def reminders_for(*, fetched_by, recommendations) -> QuerySet:
    """The reminders sent about these recommendations (oldest first), as far as the user may see."""
    from congvu.inspections.models import ReminderLog

    return (
        ReminderLog.objects.visible_to(fetched_by)
        .filter(recommendation__in=[r.pk for r in recommendations])
        .select_related("sent_by")
        .order_by("day", "pk")
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


def plan_list(*, fetched_by) -> QuerySet:
    """Annual plans are province-wide documents: inspection staff and leadership read them; a unit
    sees none (its own plan item shows on its inspection)."""
    if not getattr(fetched_by, "is_authenticated", False) or not fetched_by.is_province_wide:
        return InspectionPlan.objects.none()
    return InspectionPlan.objects.annotate(item_count=Count("items"))


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


# --- Deadlines and the home page's to-do lists ----------------------------------------------
#
# Each list is scoped like every page (visible_to + what the unit may see of an inspection) and
# fetched in a bounded number of queries, whatever the number of inspections.


def overdue_document_requests(fetched_by, today: date) -> QuerySet:
    """Document requests (self-reports included) past their due date that the unit has not yet
    sent (approved), in inspections the user may see and that are still open."""
    return (
        DocumentRequest.objects.visible_to(fetched_by)
        .filter(
            inspection__in=inspections_visible(fetched_by).exclude(status=InspectionStatus.CLOSED),
            due_on__lt=today,
        )
        .filter(_open_for_unit_q("inspection__"))
        .exclude(response_status=ResponseStatus.APPROVED)
        .select_related("inspection", "inspection__unit")
        .order_by("due_on", "pk")
    )


def overdue_explanations(fetched_by, today: date) -> QuerySet:
    """Explanations still owed (the finding is sent, the answer not approved) past their due date."""
    from congvu.inspections.models import FindingExplanation

    return (
        FindingExplanation.objects.visible_to(fetched_by)
        .filter(
            finding__inspection__in=inspections_visible(fetched_by).exclude(status=InspectionStatus.CLOSED),
            finding__status=FindingStatus.SENT,
            due_on__lt=today,
        )
        .filter(_open_for_unit_q("finding__inspection__"))
        .exclude(response_status=ResponseStatus.APPROVED)
        .select_related("finding", "finding__inspection", "finding__inspection__unit")
        .order_by("due_on", "pk")
    )


def _open_for_unit_q(prefix: str) -> Q:
    """The inspection is one the unit has been told of (it owes answers only then)."""
    q = Q(pk__in=[])
    for kind, statuses in DISCLOSED_STATUSES.items():
        q |= Q(**{f"{prefix}kind": kind, f"{prefix}status__in": statuses - {InspectionStatus.CLOSED}})
    return q


def unit_open_requests(fetched_by) -> QuerySet:
    """The focal point's open document requests: drafts still to write (returned ones included)."""
    if not getattr(fetched_by, "is_unit_role", False):
        return DocumentRequest.objects.none()
    return (
        DocumentRequest.objects.visible_to(fetched_by)
        .filter(inspection__in=inspections_visible(fetched_by).exclude(status=InspectionStatus.CLOSED))
        .filter(response_status=ResponseStatus.DRAFT)
        .select_related("inspection", "inspection__unit")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def unit_open_explanations(fetched_by) -> QuerySet:
    """The focal point's explanations to write: findings sent to the unit, answer still a draft."""
    from congvu.inspections.models import FindingExplanation

    if not getattr(fetched_by, "is_unit_role", False):
        return FindingExplanation.objects.none()
    return (
        FindingExplanation.objects.visible_to(fetched_by)
        .filter(
            finding__inspection__in=inspections_visible(fetched_by).exclude(status=InspectionStatus.CLOSED),
            finding__status=FindingStatus.SENT,
            response_status=ResponseStatus.DRAFT,
        )
        .select_related("finding", "finding__inspection")
        .order_by(F("due_on").asc(nulls_last=True), "pk")
    )


def unit_open_remediation(fetched_by) -> QuerySet:
    """Open recommendations the unit must remedy (not discipline proposals, no report with the team),
    with `has_draft_report` (a report is being written) and `draft_report_id`."""
    from congvu.inspections.models import DISCIPLINE_KINDS

    if not getattr(fetched_by, "is_unit_role", False):
        return Recommendation.objects.none()
    drafts = RemediationReport.objects.filter(
        recommendation=OuterRef("pk"), response_status=ResponseStatus.DRAFT, review_status="pending"
    )
    return (
        Recommendation.objects.visible_to(fetched_by)
        .filter(
            inspection__in=inspections_visible(fetched_by),
            inspection__status__in=FOLLOW_UP_STATUSES,
            status=RecommendationStatus.OPEN,
        )
        .exclude(kind__in=DISCIPLINE_KINDS)
        .exclude(
            Exists(
                RemediationReport.objects.filter(
                    recommendation=OuterRef("pk"),
                    response_status__in=[ResponseStatus.SUBMITTED, ResponseStatus.APPROVED],
                    review_status="pending",
                )
            )
        )
        .annotate(draft_report_id=Subquery(drafts.values("pk")[:1]))
        .select_related("inspection")
        .order_by(F("deadline").asc(nulls_last=True), "pk")
    )


def answers_awaiting_approval(fetched_by) -> list:
    """The unit head's answers to approve (submitted by the focal point): document requests,
    explanations and remediation reports, oldest first; each carries `kind` and `inspection`."""
    from congvu.inspections.models import FindingExplanation

    if not (getattr(fetched_by, "is_unit_role", False) and fetched_by.has_role("unit_head")):
        return []
    visible = inspections_visible(fetched_by).exclude(status=InspectionStatus.CLOSED)
    submitted = {"response_status": ResponseStatus.SUBMITTED}
    rows = []
    for r in (
        DocumentRequest.objects.visible_to(fetched_by)
        .filter(inspection__in=visible, **submitted)
        .select_related("inspection")
    ):
        r.kind, r.tab, r.owner = "request", "documents", r.inspection
        rows.append(r)
    for e in (
        FindingExplanation.objects.visible_to(fetched_by)
        .filter(finding__inspection__in=visible, finding__status=FindingStatus.SENT, **submitted)
        .select_related("finding__inspection")
    ):
        e.kind, e.tab, e.owner = "explanation", "findings", e.finding.inspection
        rows.append(e)
    for p in (
        RemediationReport.objects.visible_to(fetched_by)
        .filter(recommendation__inspection__in=visible, review_status="pending", **submitted)
        .select_related("recommendation__inspection")
    ):
        p.kind, p.tab, p.owner = "report", "remediation", p.recommendation.inspection
        rows.append(p)
    rows.sort(key=lambda r: (r.submitted_at is None, r.submitted_at))
    return rows


def _my_team_inspections(fetched_by) -> QuerySet:
    """Inspections where the user is on the team and the team still works the checklist."""
    from congvu.inspections.workflow import WORKING_STATUSES

    if not getattr(fetched_by, "is_authenticated", False) or not fetched_by.has_role("inspector", "lead"):
        return Inspection.objects.none()
    return inspections_visible(fetched_by).filter(
        Exists(TeamMember.objects.filter(inspection=OuterRef("pk"), user=fetched_by)),
        status__in=WORKING_STATUSES,
    )


def items_without_result(fetched_by) -> QuerySet:
    """Per inspection of the user's team still working: how many checklist items have no result,
    and the first of them (`first_missing_id`), for a link straight to it."""
    missing = ChecklistItem.objects.filter(checklist__inspection=OuterRef("pk"), result="")
    return (
        _my_team_inspections(fetched_by)
        .annotate(
            missing_items=Subquery(
                missing.order_by().values("checklist__inspection").annotate(n=Count("pk")).values("n")[:1]
            ),
            first_missing_id=Subquery(
                missing.order_by("checklist__order", "checklist_id", "order").values("pk")[:1]
            ),
        )
        .filter(missing_items__gt=0)
        .select_related("unit")
        .order_by("-pk")
    )


def draft_findings(fetched_by) -> QuerySet:
    """Draft findings in the inspections of the user's team (still to send, confirm or withdraw)."""
    return (
        Finding.objects.visible_to(fetched_by)
        .filter(inspection__in=_my_team_inspections(fetched_by), status=FindingStatus.DRAFT)
        .select_related("inspection")
        .order_by("inspection_id", "pk")
    )


def blocked_steps(fetched_by) -> list[dict]:
    """For the inspection lead: inspections whose next step (in the workflow table) is blocked by a
    guard, with the guards' messages and who must make the step. One query for every inspection:
    what the guards need is annotated, and `services.guard_problems` reads the annotations."""
    from congvu.inspections.models import DISCIPLINE_KINDS
    from congvu.inspections.services import guard_problems
    from congvu.inspections.workflow import transitions_from

    if not getattr(fetched_by, "is_authenticated", False) or not fetched_by.has_role("lead"):
        return []

    def count(qs):
        return Coalesce(
            Subquery(qs.order_by().values("inspection_key").annotate(n=Count("pk")).values("n")[:1]), 0
        )

    items = ChecklistItem.objects.filter(checklist__inspection=OuterRef("pk")).annotate(
        inspection_key=F("checklist__inspection")
    )
    findings = Finding.objects.filter(
        inspection=OuterRef("pk"), status__in=[FindingStatus.DRAFT, FindingStatus.SENT]
    ).annotate(inspection_key=F("inspection"))
    recs = Recommendation.objects.filter(inspection=OuterRef("pk"))
    pending_recs = recs.filter(
        status__in=[RecommendationStatus.OPEN, RecommendationStatus.REPORTED]
    ).annotate(inspection_key=F("inspection"))
    qs = (
        inspections_visible(fetched_by)
        .exclude(status=InspectionStatus.CLOSED)
        .select_related("unit")
        .annotate(
            guard_has_head=Exists(TeamMember.objects.filter(inspection=OuterRef("pk"), role="head")),
            guard_self_report_approved=Exists(
                DocumentRequest.objects.filter(
                    inspection=OuterRef("pk"), is_self_report=True, response_status=ResponseStatus.APPROVED
                )
            ),
            guard_item_count=count(items),
            guard_items_missing=count(items.filter(result="")),
            guard_findings_pending=count(findings),
            guard_has_remediable=Exists(recs.exclude(kind__in=DISCIPLINE_KINDS)),
            guard_recommendations_pending=count(pending_recs),
        )
        .order_by("period_to", "pk")
    )
    steps = []
    for inspection in qs:
        moves = [
            (transition, guard_problems(inspection, transition))
            for _name, transition in transitions_from(inspection.status, inspection.kind)
        ]
        # Blocked only when every way forward is: a concluded inspection with recommendations
        # cannot "close without remediation", but it is not stuck — it goes to remediation.
        if moves and all(problems for _t, problems in moves):
            for transition, problems in moves:
                steps.append(
                    {
                        "inspection": inspection,
                        "label": transition["label"],
                        "by": transition["by"],
                        "problems": problems,
                    }
                )
    return steps
