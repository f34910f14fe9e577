"""Writes to inspections, each one transaction with its audit event (STYLE §3).

Status moves go through `inspection_transition` only, which reads the table in `workflow.py`.
Edits of shared rows check the row's `version` (optimistic locking, see locking.py)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import Role, User
from congvu.core.audit import audit_record, snapshot
from congvu.core.permissions import require_role
from congvu.core.text import nfc
from congvu.inspections import policy, prefill
from congvu.inspections.files import check_upload
from congvu.inspections.locking import check_version, lock_row
from congvu.inspections.models import (
    DISCIPLINE_KINDS,
    Checklist,
    ChecklistItem,
    ChecklistSubject,
    ChecklistTemplate,
    DocumentRequest,
    Evidence,
    Finding,
    FindingExplanation,
    FindingStatus,
    Inspection,
    InspectionKind,
    InspectionPlan,
    Notification,
    PlanItem,
    PlanStatus,
    Recommendation,
    RecommendationStatus,
    RemediationReport,
    ReminderLog,
    ResponseStatus,
    ReviewStatus,
    StatusChange,
    TeamMember,
    TeamRole,
)
from congvu.inspections.workflow import (
    FOLLOW_UP_STATUSES,
    STATUSES,
    WORKING_STATUSES,
    find_transition,
    status_label,
)
from congvu.org.models import Appointment, AppointmentRole
from congvu.org.selectors import unit_with_predecessor_ids

log = logging.getLogger(__name__)

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

# Statuses in which recommendations may be written (from the on-site visit to the follow-up).
RECOMMENDATION_STATUSES = frozenset({"on_site", "minutes_signed", "concluded", "remediation"})


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


# --- Notices ------------------------------------------------------------------------------


def notification_send(*, user: User, text: str, link: str = "", key: str = "") -> Notification | None:
    """An in-app notice; with a `key`, sent at most once per user (returns None when it exists).
    Not audited: a notice is a message about an audited write, not a write of its own."""
    if key and Notification.objects.filter(user=user, key=key).exists():
        return None
    notice = Notification(user=user, text=text[:500], link=link, key=key)
    notice.full_clean()
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:  # the same key written concurrently
        return None
    return notice


def notification_mark_read(
    *, actor: User, notification: Notification | None = None, all_: bool = False
) -> int:
    qs = Notification.objects.filter(user=actor, is_read=False)
    if notification is not None:
        if notification.user_id != actor.pk:
            raise PermissionDenied(_("Thông báo này không phải của bạn."))
        qs = qs.filter(pk=notification.pk)
    elif not all_:
        return 0
    return qs.update(is_read=True)


# --- Annual plan --------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor: User, year: int, title: str, number: str = "", content: str = "") -> InspectionPlan:
    """Draft an annual plan (Kế hoạch kiểm tra công vụ năm N): inspectors and the lead."""
    require_role(actor, Role.INSPECTOR, Role.LEAD)
    plan = InspectionPlan(
        year=year, title=nfc(title).strip(), number=nfc(number).strip(), content=nfc(content)
    )
    plan.created_by = actor
    plan.full_clean()
    plan.save()
    audit_record(actor=actor, action="plan.create", obj=plan, after=snapshot(plan, PLAN_FIELDS))
    return plan


def _plan_editable(actor: User, plan: InspectionPlan) -> None:
    require_role(actor, Role.INSPECTOR, Role.LEAD)
    _check(plan.status == PlanStatus.DRAFT, _("Kế hoạch đã được phê duyệt, không sửa được nữa."))


@transaction.atomic
def plan_update(
    *,
    actor: User,
    plan: InspectionPlan,
    expected_version: int | None,
    year: int,
    title: str,
    number: str,
    content: str,
) -> InspectionPlan:
    plan = lock_row(InspectionPlan, plan.pk)
    _plan_editable(actor, plan)
    check_version(plan, expected_version, ["year", "number", "title", "content"])
    before = snapshot(plan, PLAN_FIELDS)
    plan.year, plan.title, plan.number, plan.content = (
        year,
        nfc(title).strip(),
        nfc(number).strip(),
        nfc(content),
    )
    plan.version += 1
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="plan.update", obj=plan, before=before, after=snapshot(plan, PLAN_FIELDS)
    )
    return plan


@transaction.atomic
def plan_item_add(
    *,
    actor: User,
    plan: InspectionPlan,
    unit,
    month: int,
    content: str = "",
    period_from: date | None = None,
    period_to: date | None = None,
) -> PlanItem:
    plan = lock_row(InspectionPlan, plan.pk)
    _plan_editable(actor, plan)
    item = PlanItem(
        plan=plan, unit=unit, month=month, content=nfc(content), period_from=period_from, period_to=period_to
    )
    item.full_clean()
    item.save()
    audit_record(actor=actor, action="plan.item_add", obj=item, after=snapshot(item, PLAN_ITEM_FIELDS))
    return item


@transaction.atomic
def plan_item_remove(*, actor: User, item: PlanItem) -> None:
    plan = lock_row(InspectionPlan, item.plan_id)
    _plan_editable(actor, plan)
    before = snapshot(item, PLAN_ITEM_FIELDS)
    audit_record(actor=actor, action="plan.item_remove", obj=item, before=before)
    item.delete()


@transaction.atomic
def plan_approve(*, actor: User, plan: InspectionPlan) -> InspectionPlan:
    """The inspection lead approves the plan (draft → approved); inspections may then be set up."""
    require_role(actor, Role.LEAD)
    plan = lock_row(InspectionPlan, plan.pk)
    _check(plan.status == PlanStatus.DRAFT, _("Kế hoạch đã được phê duyệt."))
    _check(plan.items.exists(), _("Kế hoạch chưa có đơn vị nào được kiểm tra: chưa thể phê duyệt."))
    before = snapshot(plan, PLAN_FIELDS)
    plan.status = PlanStatus.APPROVED
    plan.approved_by = actor
    plan.approved_at = timezone.now()
    plan.version += 1
    plan.full_clean()
    plan.save()
    audit_record(
        actor=actor, action="plan.approve", obj=plan, before=before, after=snapshot(plan, PLAN_FIELDS)
    )
    return plan


# --- Inspection ---------------------------------------------------------------------------


@transaction.atomic
def inspection_create(
    *,
    actor: User,
    kind: str,
    period_from: date | None = None,
    period_to: date | None = None,
    unit=None,
    plan_item: PlanItem | None = None,
    title: str = "",
    content: str = "",
    decision_number: str = "",
    decision_date: date | None = None,
    self_report_due: date | None = None,
) -> Inspection:
    """Set up an inspection (draft): scheduled from an approved plan's item, or a surprise one.
    A scheduled inspection gets its self-report request (báo cáo tự kiểm tra) at once."""
    require_role(actor, Role.INSPECTOR, Role.LEAD)
    if kind == InspectionKind.SCHEDULED:
        _check(plan_item is not None, _("Cuộc kiểm tra theo kế hoạch phải chọn một đơn vị trong kế hoạch."))
        plan_item = PlanItem.objects.select_related("plan", "unit").get(pk=plan_item.pk)  # fresh plan status
        _check(
            plan_item.plan.status == PlanStatus.APPROVED,
            _("Kế hoạch “%(plan)s” chưa được phê duyệt.") % {"plan": plan_item.plan},
        )
        unit = plan_item.unit
        period_from = period_from or plan_item.period_from
        period_to = period_to or plan_item.period_to
        content = content or plan_item.content
    else:
        _check(unit is not None, _("Cuộc kiểm tra đột xuất phải chọn đơn vị được kiểm tra."))
        plan_item = None
    _check(
        period_from is not None and period_to is not None,
        _("Phải nhập thời kỳ kiểm tra (từ ngày, đến ngày)."),
    )
    if not title:
        prefix = _("Kiểm tra công vụ") if kind == InspectionKind.SCHEDULED else _("Kiểm tra công vụ đột xuất")
        title = f"{prefix} {unit.name} {period_to.year}"
    inspection = Inspection(
        kind=kind,
        plan_item=plan_item,
        unit=unit,
        title=nfc(title).strip(),
        content=nfc(content),
        decision_number=nfc(decision_number).strip(),
        decision_date=decision_date,
        period_from=period_from,
        period_to=period_to,
        self_report_due=self_report_due,
        created_by=actor,
    )
    inspection.full_clean()
    inspection.save()
    audit_record(
        actor=actor, action="inspection.create", obj=inspection, after=snapshot(inspection, INSPECTION_FIELDS)
    )
    if kind == InspectionKind.SCHEDULED:
        request = DocumentRequest(
            inspection=inspection,
            title=_("Báo cáo tự kiểm tra"),
            description=_("Đơn vị tự kiểm tra theo nội dung kế hoạch và gửi báo cáo cho Đoàn kiểm tra."),
            due_on=self_report_due,
            is_self_report=True,
            created_by=actor,
        )
        request.full_clean()
        request.save()
        audit_record(
            actor=actor,
            action="document_request.create",
            obj=request,
            after=snapshot(request, ["inspection", "title", "due_on", "is_self_report"]),
        )
    return inspection


@transaction.atomic
def inspection_update(
    *, actor: User, inspection: Inspection, expected_version: int | None, **fields
) -> Inspection:
    """Edit the inspection's particulars (decision, period, conclusion): the lead or a team member,
    until it is closed. The period is fixed once the team has instantiated its checklists."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(inspection.status != "closed", _("Cuộc kiểm tra đã kết thúc, không sửa được nữa."))
    unknown = set(fields) - set(INSPECTION_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    check_version(inspection, expected_version, INSPECTION_EDITABLE)
    before = snapshot(inspection, INSPECTION_FIELDS)
    if inspection.checklists.exists() and (
        fields.get("period_from", inspection.period_from) != inspection.period_from
        or fields.get("period_to", inspection.period_to) != inspection.period_to
    ):
        raise ValidationError(
            _("Đã lập phiếu kiểm tra theo thời kỳ hiện tại: không đổi được thời kỳ kiểm tra nữa.")
        )
    for name, value in fields.items():
        setattr(inspection, name, nfc(value).strip() if isinstance(value, str) else value)
    inspection.version += 1
    inspection.full_clean()
    inspection.save()
    audit_record(
        actor=actor,
        action="inspection.update",
        obj=inspection,
        before=before,
        after=snapshot(inspection, INSPECTION_FIELDS),
    )
    return inspection


def _guard_decision(inspection: Inspection) -> str | None:
    if not inspection.decision_number or not inspection.decision_date:
        return _("Chưa nhập số và ngày quyết định kiểm tra.")
    return None


# Each guard may read a value the caller annotated on the inspection (`selectors.blocked_steps` does,
# for many inspections in one query); without it, the guard asks the database itself.


def _annotated(inspection: Inspection, name: str, compute):
    value = getattr(inspection, name, None)
    return compute() if value is None else value


def _guard_team_head(inspection: Inspection) -> str | None:
    if not _annotated(
        inspection, "guard_has_head", lambda: inspection.team.filter(role=TeamRole.HEAD).exists()
    ):
        return _("Đoàn kiểm tra chưa có trưởng đoàn.")
    return None


def _guard_self_report_approved(inspection: Inspection) -> str | None:
    approved = _annotated(
        inspection,
        "guard_self_report_approved",
        lambda: inspection.document_requests.filter(
            is_self_report=True, response_status=ResponseStatus.APPROVED
        ).exists(),
    )
    if not approved:
        return _("Báo cáo tự kiểm tra chưa được thủ trưởng đơn vị duyệt.")
    return None


def _guard_checklist_complete(inspection: Inspection) -> str | None:
    items = ChecklistItem.objects.filter(checklist__inspection=inspection)
    if not _annotated(inspection, "guard_item_count", items.count):
        return _("Chưa lập phiếu kiểm tra.")
    missing = _annotated(inspection, "guard_items_missing", items.filter(result="").count)
    if missing:
        return _("Còn %(n)d mục trong phiếu kiểm tra chưa có kết quả.") % {"n": missing}
    return None


def _guard_conclusion(inspection: Inspection) -> str | None:
    if not inspection.conclusion_number or not inspection.conclusion_date:
        return _("Chưa nhập số và ngày thông báo kết luận.")
    return None


def _guard_findings_final(inspection: Inspection) -> str | None:
    pending = _annotated(
        inspection,
        "guard_findings_pending",
        inspection.findings.filter(status__in=[FindingStatus.DRAFT, FindingStatus.SENT]).count,
    )
    if pending:
        return _("Còn %(n)d phát hiện chưa được xác nhận hoặc rút.") % {"n": pending}
    return None


def _guard_has_recommendations(inspection: Inspection) -> str | None:
    if not _annotated(
        inspection,
        "guard_has_remediable",
        inspection.recommendations.exclude(kind__in=DISCIPLINE_KINDS).exists,
    ):
        return _("Không có kiến nghị nào phải khắc phục.")
    return None


def _guard_recommendations_done(inspection: Inspection) -> str | None:
    pending = _annotated(
        inspection,
        "guard_recommendations_pending",
        inspection.recommendations.filter(
            status__in=[RecommendationStatus.OPEN, RecommendationStatus.REPORTED]
        ).count,
    )
    if pending:
        return _("Còn %(n)d kiến nghị chưa hoàn thành khắc phục.") % {"n": pending}
    return None


_GUARDS = {
    "decision": _guard_decision,
    "team_head": _guard_team_head,
    "self_report_approved": _guard_self_report_approved,
    "checklist_complete": _guard_checklist_complete,
    "conclusion": _guard_conclusion,
    "findings_final": _guard_findings_final,
    "has_recommendations": _guard_has_recommendations,
    "recommendations_done": _guard_recommendations_done,
}


def guard_problems(inspection: Inspection, transition: dict) -> list[str]:
    """What blocks a move whoever makes it: the messages of its failing guards (empty: none)."""
    return [p for name in transition["guards"] if (p := _GUARDS[name](inspection))]


def transition_problems(*, actor: User, inspection: Inspection, transition: dict) -> list[str]:
    """Why the actor cannot make this move now (empty: they can). Used by the page to explain."""
    problems = []
    if not policy.can(actor, inspection, transition["by"]) or actor.is_read_only:
        problems.append(
            {
                "lead": _("Chỉ lãnh đạo kiểm tra được thực hiện."),
                "team": _("Chỉ thành viên đoàn kiểm tra được thực hiện."),
                "unit": _("Chỉ đơn vị được kiểm tra được thực hiện."),
            }[transition["by"]]
        )
    for name in transition["guards"]:
        problem = _GUARDS[name](inspection)
        if problem:
            problems.append(problem)
    return problems


@transaction.atomic
def inspection_transition(
    *, actor: User, inspection: Inspection, to_status: str, note: str = ""
) -> Inspection:
    """Move the inspection to `to_status` if the workflow table allows the move for this kind of
    inspection, this actor and the current state of its parts; record it in the history and the audit
    chain, and tell the other side."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    _check(to_status in STATUSES, _("Trạng thái “%(s)s” không tồn tại.") % {"s": to_status})
    found = find_transition(inspection.status, to_status, inspection.kind)
    if found is None:
        raise ValidationError(
            _("Không được chuyển cuộc kiểm tra %(kind)s từ “%(from)s” sang “%(to)s”.")
            % {
                "kind": inspection.get_kind_display().lower(),
                "from": status_label(inspection.status),
                "to": status_label(to_status),
            }
        )
    name, transition = found
    if not policy.can(actor, inspection, transition["by"]):
        policy.require(actor, inspection, transition["by"])
    problems = [p for g in transition["guards"] if (p := _GUARDS[g](inspection))]
    if problems:
        raise ValidationError(
            _("Chưa thể “%(label)s”: %(why)s") % {"label": transition["label"], "why": " ".join(problems)}
        )
    before = snapshot(inspection, ["status", "version"])
    from_status = inspection.status
    inspection.status = to_status
    inspection.status_changed_at = timezone.now()
    inspection.version += 1
    inspection.full_clean()
    inspection.save()
    change = StatusChange(
        inspection=inspection,
        from_status=from_status,
        to_status=to_status,
        actor=actor,
        actor_label=str(actor)[:200],
        at=inspection.status_changed_at,
        note=nfc(note).strip(),
    )
    change.full_clean()
    change.save()
    audit_record(
        actor=actor,
        action=f"inspection.transition.{name}",
        obj=inspection,
        before=before,
        after={**snapshot(inspection, ["status", "version"]), "note": change.note},
    )
    text = _("%(title)s: %(from)s → %(to)s") % {
        "title": inspection.title,
        "from": status_label(from_status),
        "to": status_label(to_status),
    }
    link = _link(inspection)
    _notify(_team_users(inspection), text, link, exclude=actor)
    if policy.is_disclosed(inspection):
        _notify(_unit_users(inspection), text, link, exclude=actor)
    return inspection


# --- Team ---------------------------------------------------------------------------------


@transaction.atomic
def team_member_add(
    *, actor: User, inspection: Inspection, user: User, role: str, organisation: str = ""
) -> TeamMember:
    """The lead composes the team (trưởng đoàn, phó đoàn, thành viên, thư ký) from inspectors and leads."""
    inspection = lock_row(Inspection, inspection.pk)
    policy.require(actor, inspection, "lead")
    _check(inspection.status != "closed", _("Cuộc kiểm tra đã kết thúc."))
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
    _check(inspection.status != "closed", _("Cuộc kiểm tra đã kết thúc."))
    audit_record(
        actor=actor,
        action="inspection.team_remove",
        obj=inspection,
        before={"user": member.user_id, "username": member.user.username, "role": member.role},
    )
    member.delete()


# --- Checklists ---------------------------------------------------------------------------


def _snapshot_as_of(period_to: date) -> date:
    return min(period_to, timezone.localdate())


@transaction.atomic
def checklist_instantiate(
    *, actor: User, inspection: Inspection, template: ChecklistTemplate | None = None
) -> list[Checklist]:
    """Make the inspection's checklists from a template: one sheet for the unit and one for the head
    and each deputy in post during the period (appointments in force), with each head/deputy item's
    figures computed by the engine and frozen. Only missing sheets are added, so it can run again
    after an appointment is recorded late."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        inspection.status in WORKING_STATUSES,
        _("Chỉ lập phiếu kiểm tra khi cuộc kiểm tra đã có quyết định và chưa ký biên bản."),
    )
    if template is None:
        template = ChecklistTemplate.objects.filter(is_active=True).order_by("code", "-version").first()
    _check(template is not None, _("Chưa có mẫu phiếu kiểm tra nào đang dùng."))
    sections = list(template.sections.prefetch_related("items"))
    existing_appointments = set(
        inspection.checklists.exclude(appointment=None).values_list("appointment_id", flat=True)
    )
    created: list[Checklist] = []
    order = inspection.checklists.count()
    if not inspection.checklists.filter(subject=ChecklistSubject.UNIT).exists():
        unit_sections = [s for s in sections if s.subject == "unit"]
        if unit_sections:
            sheet = Checklist(
                inspection=inspection,
                template=template,
                subject=ChecklistSubject.UNIT,
                title=_("Phiếu kiểm tra cơ quan, đơn vị: %(unit)s") % {"unit": inspection.unit.name},
                period_from=inspection.period_from,
                period_to=inspection.period_to,
                order=order,
            )
            sheet.full_clean()
            sheet.save()
            order += 1
            _make_items(sheet, unit_sections, scope=None)
            created.append(sheet)
    leader_sections = [s for s in sections if s.subject == "leader"]
    if leader_sections:
        scopes = prefill.leader_scopes(
            unit_id=inspection.unit_id, period_from=inspection.period_from, period_to=inspection.period_to
        )
        for scope in scopes:
            if scope.appointment.pk in existing_appointments:
                continue
            a = scope.appointment
            sheet = Checklist(
                inspection=inspection,
                template=template,
                subject=scope.subject,
                official=a.official,
                appointment=a,
                title=_("%(title)s %(name)s (%(from)s – %(to)s)")
                % {
                    "title": a.title,
                    "name": a.official.full_name,
                    "from": scope.period_from.strftime("%d/%m/%Y"),
                    "to": scope.period_to.strftime("%d/%m/%Y"),
                },
                period_from=scope.period_from,
                period_to=scope.period_to,
                order=order,
            )
            sheet.full_clean()
            sheet.save()
            order += 1
            _make_items(sheet, leader_sections, scope=scope)
            created.append(sheet)
    audit_record(
        actor=actor,
        action="inspection.checklists_create",
        obj=inspection,
        after={
            "template": f"{template.code} v{template.version}",
            "checklists": [{"id": c.pk, "subject": c.subject, "official": c.official_id} for c in created],
        },
    )
    return created


def _make_items(sheet: Checklist, sections, scope: prefill.LeaderScope | None) -> None:
    now = timezone.now()
    as_of = _snapshot_as_of(sheet.period_to)
    items = []
    order = 0
    for section in sections:
        for t in section.items.all():
            order += 1
            item = ChecklistItem(
                checklist=sheet,
                section_title=section.title,
                order=order,
                text=t.text,
                guidance=t.guidance,
                metric=t.metric,
            )
            if scope is not None and t.metric:
                item.snapshot, item.snapshot_ids = prefill.compute_snapshot(
                    metric=t.metric, scope=scope, as_of=as_of
                )
                item.snapshot_as_of = as_of
                item.snapshot_taken_at = now
            item.full_clean(exclude=["checklist"])
            items.append(item)
    ChecklistItem.objects.bulk_create(items)


@transaction.atomic
def checklist_snapshot_refresh(
    *, actor: User, inspection: Inspection, as_of: date | None = None
) -> list[ChecklistItem]:
    """Re-freeze the figures of every head/deputy item explicitly (e.g. after the unit corrected its
    registers). Audited with the figures before and after; the id lists are replaced."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        inspection.status in WORKING_STATUSES,
        _("Chỉ chốt lại số liệu khi cuộc kiểm tra chưa ký biên bản."),
    )
    now = timezone.now()
    changed = []
    sheets = inspection.checklists.exclude(appointment=None).select_related("appointment__official")
    for sheet in sheets:
        scope = prefill.LeaderScope(
            appointment=sheet.appointment,
            subject=sheet.subject,
            period_from=sheet.period_from,
            period_to=sheet.period_to,
        )
        day = min(as_of or _snapshot_as_of(sheet.period_to), sheet.period_to)
        locked = ChecklistItem.objects.filter(checklist_id=sheet.pk).exclude(metric="").defer("snapshot_ids")
        for item in locked.select_for_update():
            before = prefill.snapshot_summary(item.snapshot)
            item.snapshot, item.snapshot_ids = prefill.compute_snapshot(
                metric=item.metric, scope=scope, as_of=day
            )
            item.snapshot_as_of = day
            item.snapshot_taken_at = now
            item.updated_by = actor
            item.version += 1
            item.save(
                update_fields=[
                    "snapshot",
                    "snapshot_ids",
                    "snapshot_as_of",
                    "snapshot_taken_at",
                    "updated_by",
                    "version",
                ]
            )
            audit_record(
                actor=actor,
                action="checklist_item.snapshot_refresh",
                obj=item,
                before=before,
                after={**prefill.snapshot_summary(item.snapshot), "version": item.version},
            )
            changed.append(item)
    return changed


@transaction.atomic
def checklist_item_update(
    *, actor: User, item: ChecklistItem, expected_version: int | None, result: str, notes: str
) -> ChecklistItem:
    """Record one item's result (đạt / không đạt / không áp dụng) and notes; refuses a stale save."""
    item = lock_row(ChecklistItem, item.pk)
    inspection = Inspection.objects.get(pk=item.checklist.inspection_id)
    return _item_update(actor, inspection, item, expected_version, result, notes)


def _item_update(actor, inspection, item, expected_version, result, notes) -> ChecklistItem:
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        inspection.status in WORKING_STATUSES,
        _("Chỉ ghi kết quả phiếu kiểm tra trước khi ký biên bản."),
    )
    check_version(item, expected_version, ["result", "notes"])
    notes = nfc(notes or "").strip()
    if item.result == (result or "") and item.notes == notes:
        return item
    before = snapshot(item, ITEM_FIELDS)
    item.result = result or ""
    item.notes = notes
    item.updated_by = actor
    item.version += 1
    item.full_clean()
    item.save()
    audit_record(
        actor=actor,
        action="checklist_item.update",
        obj=item,
        before=before,
        after=snapshot(item, ITEM_FIELDS),
    )
    return item


@transaction.atomic
def checklist_save(
    *, actor: User, checklist: Checklist, entries: Sequence[tuple[int, int | None, str, str]]
) -> list[ChecklistItem]:
    """Save a whole sheet at once: entries are (item id, version the form was built from, result,
    notes). All or nothing: one stale item refuses the whole save, naming the item."""
    inspection = lock_row(Inspection, checklist.inspection_id)
    # Not `checklist.items`: a page may have prefetched them with joins that cannot be locked.
    items = {i.pk: i for i in ChecklistItem.objects.filter(checklist_id=checklist.pk).select_for_update()}
    saved = []
    for item_id, expected_version, result, notes in entries:
        item = items.get(int(item_id))
        _check(item is not None, _("Mục #%(id)s không thuộc phiếu này.") % {"id": item_id})
        try:
            saved.append(_item_update(actor, inspection, item, expected_version, result, notes))
        except ValidationError as exc:
            raise ValidationError(
                _("Mục %(n)d “%(text)s”: %(why)s")
                % {"n": item.order, "text": item.text, "why": " ".join(exc.messages)}
            ) from exc
    return saved


@transaction.atomic
def checklists_save(
    *,
    actor: User,
    inspection: Inspection,
    entries: Sequence[tuple[int, int | None, str, str]],
    files: dict[int, Sequence] | None = None,
) -> list[ChecklistItem]:
    """Save every sheet of the inspection at once (one save for the page): entries are (item id,
    version the form was built from, result, notes) from any of its sheets; `files` maps an item id
    to files to attach to it. All or nothing: when any item is stale (someone saved it since the
    page was loaded), nothing of the batch is stored and the refusal names every such item, its
    sheet, who changed it and what."""
    inspection = lock_row(Inspection, inspection.pk)
    items = {
        i.pk: i
        for i in ChecklistItem.objects.filter(checklist__inspection_id=inspection.pk)
        .select_related("checklist", "updated_by")
        .select_for_update(of=("self",))
    }
    saved: list[ChecklistItem] = []
    problems: list[str] = []
    for item_id, expected_version, result, notes in entries:
        item = items.get(int(item_id))
        _check(item is not None, _("Mục #%(id)s không thuộc cuộc kiểm tra này.") % {"id": item_id})
        try:
            saved.append(_item_update(actor, inspection, item, expected_version, result, notes))
        except ValidationError as exc:
            if not problems and exc.code != "stale":
                raise  # not the team's or no longer editable: the same refusal for every item
            problems.append(
                _("Phiếu “%(sheet)s”, mục %(n)d “%(text)s”: %(why)s")
                % {
                    "sheet": item.checklist.title,
                    "n": item.order,
                    "text": item.text,
                    "why": " ".join(exc.messages),
                }
            )
    if problems:
        raise ValidationError(
            [_("Chưa lưu gì của lần lưu này (mọi phiếu giữ nguyên):")] + problems, code="stale"
        )
    stored: list[tuple] = []
    try:
        for item_id, uploads in (files or {}).items():
            item = items.get(int(item_id))
            _check(item is not None, _("Mục #%(id)s không thuộc cuộc kiểm tra này.") % {"id": item_id})
            for uploaded in uploads:
                evidence = evidence_upload(
                    actor=actor, inspection=inspection, uploaded_file=uploaded, checklist_item=item
                )
                stored.append((evidence.file.storage, evidence.file.name))
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    return saved


# --- Evidence files -----------------------------------------------------------------------


def _response_inspection(obj) -> Inspection:
    if isinstance(obj, DocumentRequest):
        return obj.inspection
    if isinstance(obj, FindingExplanation):
        return obj.finding.inspection
    if isinstance(obj, RemediationReport):
        return obj.recommendation.inspection
    raise TypeError(type(obj).__name__)


@transaction.atomic
def evidence_upload(
    *,
    actor: User,
    inspection: Inspection,
    uploaded_file,
    kind: str = "evidence",
    description: str = "",
    checklist_item: ChecklistItem | None = None,
    document_request: DocumentRequest | None = None,
    finding: Finding | None = None,
    explanation: FindingExplanation | None = None,
    remediation_report: RemediationReport | None = None,
) -> Evidence:
    """Store an evidence file (checked: size, extension and magic bytes; SHA-256 recorded) on the
    inspection or one of its parts. The team files on the inspection, its checklist items and
    findings; the unit files on its own answers while they are still drafts."""
    _read_only(actor)
    inspection = lock_row(Inspection, inspection.pk)
    _check(inspection.status != "closed", _("Cuộc kiểm tra đã kết thúc, không nộp thêm tệp được."))
    parents = [p for p in (checklist_item, document_request, finding, explanation, remediation_report) if p]
    _check(len(parents) <= 1, _("Một tệp chỉ gắn với một nội dung."))
    response = document_request or explanation or remediation_report
    if response is not None:
        _check(
            _response_inspection(response).pk == inspection.pk, _("Nội dung không thuộc cuộc kiểm tra này.")
        )
        policy.require(actor, inspection, "unit")
        _check(
            response.response_status == ResponseStatus.DRAFT,
            _("Nội dung trả lời đã trình hoặc đã duyệt: muốn bổ sung tệp, thủ trưởng phải trả lại để sửa."),
        )
    else:
        policy.require(actor, inspection, "team")
        if checklist_item is not None:
            _check(
                checklist_item.checklist.inspection_id == inspection.pk,
                _("Mục kiểm tra không thuộc cuộc kiểm tra này."),
            )
        if finding is not None:
            _check(finding.inspection_id == inspection.pk, _("Phát hiện không thuộc cuộc kiểm tra này."))
    checked = check_upload(uploaded_file)
    evidence = Evidence(
        inspection=inspection,
        kind=kind,
        original_name=nfc(uploaded_file.name)[:255],
        size=checked.size,
        sha256=checked.sha256,
        content_type=checked.content_type,
        description=nfc(description).strip()[:300],
        checklist_item=checklist_item,
        document_request=document_request,
        finding=finding,
        explanation=explanation,
        remediation_report=remediation_report,
        uploaded_by=actor,
    )
    evidence.file.save(uploaded_file.name, uploaded_file, save=False)
    # The file is on disk now; if the row cannot be stored, remove the file again.
    stored_name = evidence.file.name
    storage = evidence.file.storage
    try:
        evidence.full_clean()
        evidence.save()
    except Exception:
        storage.delete(stored_name)
        raise
    audit_record(
        actor=actor,
        action="evidence.upload",
        obj=evidence,
        after=snapshot(
            evidence,
            [
                "inspection",
                "kind",
                "original_name",
                "size",
                "sha256",
                "checklist_item",
                "document_request",
                "finding",
                "explanation",
                "remediation_report",
            ],
        ),
    )
    return evidence


@transaction.atomic
def evidence_delete(*, actor: User, evidence: Evidence) -> None:
    """Remove a file: only its uploader, while what it is attached to can still be edited."""
    inspection = lock_row(Inspection, evidence.inspection_id)
    _read_only(actor)
    if evidence.uploaded_by_id != actor.pk:
        raise PermissionDenied(_("Chỉ người đã tải tệp lên được xóa tệp."))
    _check(inspection.status != "closed", _("Cuộc kiểm tra đã kết thúc, không xóa tệp được."))
    response = evidence.document_request or evidence.explanation or evidence.remediation_report
    if response is not None:
        _check(
            response.response_status == ResponseStatus.DRAFT,
            _("Nội dung trả lời đã trình hoặc đã duyệt: không xóa tệp được."),
        )
    before = snapshot(evidence, ["inspection", "kind", "original_name", "size", "sha256"])
    name, storage = evidence.file.name, evidence.file.storage
    audit_record(actor=actor, action="evidence.delete", obj=evidence, before=before)
    evidence.delete()
    transaction.on_commit(lambda: storage.delete(name))


# --- Document requests and the unit's answers ---------------------------------------------


@transaction.atomic
def document_request_create(
    *, actor: User, inspection: Inspection, title: str, due_on: date | None = None, description: str = ""
) -> DocumentRequest:
    """The team asks the unit for a document (yêu cầu cung cấp tài liệu) by a due date."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(inspection.status != "closed", _("Cuộc kiểm tra đã kết thúc."))
    request = DocumentRequest(
        inspection=inspection,
        title=nfc(title).strip(),
        description=nfc(description).strip(),
        due_on=due_on,
        created_by=actor,
    )
    request.full_clean()
    request.save()
    audit_record(
        actor=actor,
        action="document_request.create",
        obj=request,
        after=snapshot(request, ["inspection", "title", "description", "due_on", "is_self_report"]),
    )
    if policy.is_disclosed(inspection):
        _notify(
            _unit_users(inspection),
            _("Đoàn kiểm tra yêu cầu cung cấp: %(title)s") % {"title": request.title},
            _link(inspection, "documents", f"request-{request.pk}"),
        )
    return request


def _response_model(obj) -> type:
    return type(obj)


def _response_open_for_unit(obj) -> str | None:
    """Why the unit may not write this answer now (None: it may)."""
    inspection = _response_inspection(obj)
    if not policy.is_disclosed(inspection):
        return _("Đơn vị chưa nhận được thông báo kiểm tra.")
    if inspection.status == "closed":
        return _("Cuộc kiểm tra đã kết thúc.")
    if isinstance(obj, FindingExplanation) and obj.finding.status != FindingStatus.SENT:
        return _("Phát hiện này không còn chờ giải trình.")
    if isinstance(obj, RemediationReport) and obj.review_status != ReviewStatus.PENDING:
        return _("Báo cáo khắc phục này đã được đoàn xem xét.")
    return None


@transaction.atomic
def unit_response_save(*, actor: User, response, expected_version: int | None, response_text: str):
    """The unit's focal point (or head) writes its answer while it is a draft."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    problem = _response_open_for_unit(response)
    _check(problem is None, problem or "")
    _check(
        response.response_status == ResponseStatus.DRAFT,
        _("Nội dung đã trình thủ trưởng hoặc đã duyệt: không sửa được nữa."),
    )
    check_version(response, expected_version, ["response_text"])
    if nfc(response_text or "").strip() == response.response_text:
        return response  # nothing changed: no new version, no audit event
    before = snapshot(response, RESPONSE_FIELDS)
    response.response_text = nfc(response_text).strip()
    response.version += 1
    response.full_clean()
    response.save()
    audit_record(
        actor=actor,
        action=f"{response._meta.model_name}.answer",
        obj=response,
        before=before,
        after=snapshot(response, RESPONSE_FIELDS),
    )
    return response


_RESPONSE_EVIDENCE_KEY = {
    DocumentRequest: "document_request",
    FindingExplanation: "explanation",
    RemediationReport: "remediation_report",
}


def unit_response_answer(
    *,
    actor: User,
    response,
    expected_version: int | None,
    response_text: str,
    uploaded_files: Sequence = (),
    file_description: str = "",
    submit: bool = False,
):
    """One answer form (text, files, submit) in one transaction: the text is saved, the files
    attached to the answer and, when asked, the answer submitted to the unit head — all or nothing,
    so a refused file or a refused submit leaves the answer as it was (and no stray file on disk)."""
    stored: list[tuple] = []
    try:
        with transaction.atomic():
            response = unit_response_save(
                actor=actor, response=response, expected_version=expected_version, response_text=response_text
            )
            inspection = _response_inspection(response)
            for uploaded in uploaded_files:
                evidence = evidence_upload(
                    actor=actor,
                    inspection=inspection,
                    uploaded_file=uploaded,
                    description=file_description,
                    **{_RESPONSE_EVIDENCE_KEY[type(response)]: response},
                )
                stored.append((evidence.file.storage, evidence.file.name))
            if submit:
                response = unit_response_submit(actor=actor, response=response)
    except Exception:
        for storage, name in stored:
            storage.delete(name)
        raise
    return response


@transaction.atomic
def unit_response_submit(*, actor: User, response):
    """The focal point submits the unit's answer to the unit head for approval (draft → submitted)."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    problem = _response_open_for_unit(response)
    _check(problem is None, problem or "")
    _check(response.response_status == ResponseStatus.DRAFT, _("Nội dung đã được trình."))
    has_files = response.evidence.exists()
    _check(
        bool(response.response_text) or has_files,
        _("Chưa có nội dung trả lời hoặc tệp đính kèm: chưa thể trình duyệt."),
    )
    before = snapshot(response, RESPONSE_FIELDS)
    response.response_status = ResponseStatus.SUBMITTED
    response.submitted_by = actor
    response.submitted_at = timezone.now()
    response.return_note = ""
    response.version += 1
    response.full_clean()
    response.save()
    audit_record(
        actor=actor,
        action=f"{response._meta.model_name}.submit",
        obj=response,
        before=before,
        after=snapshot(response, RESPONSE_FIELDS),
    )
    heads = _unit_users(inspection).filter(role=Role.UNIT_HEAD)
    _notify(
        heads,
        _("Có nội dung chờ duyệt: %(what)s") % {"what": response},
        response_link(response),
        exclude=actor,
    )
    return response


@transaction.atomic
def unit_response_approve(*, actor: User, response):
    """The unit head approves the answer (submitted → approved); only then does the team see it."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    if not policy.is_unit_head(actor, inspection):
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị được duyệt nội dung trả lời."))
    problem = _response_open_for_unit(response)
    _check(problem is None, problem or "")
    _check(response.response_status == ResponseStatus.SUBMITTED, _("Nội dung chưa được trình duyệt."))
    before = snapshot(response, RESPONSE_FIELDS)
    response.response_status = ResponseStatus.APPROVED
    response.approved_by = actor
    response.approved_at = timezone.now()
    response.version += 1
    response.full_clean()
    response.save()
    audit_record(
        actor=actor,
        action=f"{response._meta.model_name}.approve",
        obj=response,
        before=before,
        after=snapshot(response, RESPONSE_FIELDS),
    )
    if isinstance(response, RemediationReport):
        recommendation = lock_row(Recommendation, response.recommendation_id)
        rec_before = snapshot(recommendation, ["status", "version"])
        recommendation.status = RecommendationStatus.REPORTED
        recommendation.version += 1
        recommendation.save(update_fields=["status", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="recommendation.reported",
            obj=recommendation,
            before=rec_before,
            after=snapshot(recommendation, ["status", "version"]),
        )
    _notify(
        _team_users(inspection),
        _("%(unit)s đã gửi: %(what)s") % {"unit": inspection.unit.name, "what": response},
        response_link(response),
    )
    return response


@transaction.atomic
def unit_response_return(*, actor: User, response, note: str):
    """The unit head sends the answer back to the focal point for changes (submitted → draft)."""
    response = lock_row(_response_model(response), response.pk)
    inspection = _response_inspection(response)
    policy.require(actor, inspection, "unit")
    if not policy.is_unit_head(actor, inspection):
        raise PermissionDenied(_("Chỉ thủ trưởng đơn vị được trả lại nội dung trả lời."))
    _check(response.response_status == ResponseStatus.SUBMITTED, _("Nội dung chưa được trình duyệt."))
    _check(bool(nfc(note).strip()), _("Phải ghi ý kiến khi trả lại."))
    before = snapshot(response, RESPONSE_FIELDS)
    response.response_status = ResponseStatus.DRAFT
    response.return_note = nfc(note).strip()
    response.version += 1
    response.full_clean()
    response.save()
    audit_record(
        actor=actor,
        action=f"{response._meta.model_name}.return",
        obj=response,
        before=before,
        after=snapshot(response, RESPONSE_FIELDS),
    )
    if response.submitted_by_id:
        _notify(
            User.objects.filter(pk=response.submitted_by_id),
            _("Thủ trưởng trả lại để sửa: %(what)s") % {"what": response},
            response_link(response),
        )
    return response


# --- Findings -----------------------------------------------------------------------------


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


def _check_links(inspection: Inspection, tasks, dossiers, checklist_items) -> None:
    units = unit_with_predecessor_ids(inspection.unit_id)
    for record in list(tasks) + list(dossiers):
        _check(
            record.unit_id in units,
            _("%(what)s “%(code)s” không thuộc đơn vị được kiểm tra.")
            % {"what": record._meta.verbose_name, "code": record.external_code},
        )
    for item in checklist_items:
        _check(
            item.checklist.inspection_id == inspection.pk,
            _("Mục kiểm tra “%(text)s” không thuộc cuộc kiểm tra này.") % {"text": item.text},
        )


def _finding_after(finding: Finding) -> dict:
    data = snapshot(finding, FINDING_FIELDS)
    data["tasks"] = sorted(finding.tasks.values_list("pk", flat=True))
    data["dossiers"] = sorted(finding.dossiers.values_list("pk", flat=True))
    data["checklist_items"] = sorted(finding.checklist_items.values_list("pk", flat=True))
    return data


@transaction.atomic
def finding_record(
    *,
    actor: User,
    inspection: Inspection,
    description: str,
    category: str,
    severity: str,
    responsible=None,
    tasks=(),
    dossiers=(),
    checklist_items=(),
    source: str = "",
) -> Finding:
    """Record a draft finding (hạn chế, thiếu sót, vi phạm) with the head or deputy responsible and
    links to the records and checklist items that prove it. Sampling calls this for a sampled
    record's deviation, with `source` naming the sample."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        inspection.status in WORKING_STATUSES,
        _("Chỉ ghi phát hiện khi cuộc kiểm tra đã có quyết định và chưa ký biên bản (hiện: %(s)s).")
        % {"s": status_label(inspection.status)},
    )
    tasks, dossiers, checklist_items = list(tasks), list(dossiers), list(checklist_items)
    _check_responsible(inspection, responsible)
    _check_links(inspection, tasks, dossiers, checklist_items)
    # The inspection row is locked above, so the next number cannot be taken twice.
    last = inspection.findings.aggregate(last=Max("number"))["last"] or 0
    finding = Finding(
        inspection=inspection,
        number=last + 1,
        description=nfc(description).strip(),
        category=category,
        severity=severity,
        responsible=responsible,
        source=nfc(source).strip()[:200],
        created_by=actor,
        updated_by=actor,
    )
    finding.full_clean()
    finding.save()
    finding.tasks.set(tasks)
    finding.dossiers.set(dossiers)
    finding.checklist_items.set(checklist_items)
    audit_record(actor=actor, action="finding.record", obj=finding, after=_finding_after(finding))
    return finding


@transaction.atomic
def finding_update(
    *,
    actor: User,
    finding: Finding,
    expected_version: int | None,
    description: str,
    category: str,
    severity: str,
    responsible=None,
    checklist_items=None,
    tasks=None,
    dossiers=None,
) -> Finding:
    """Edit a finding still in draft or awaiting explanation; refuses a stale save. Links left as
    None are kept as they are."""
    finding = lock_row(Finding, finding.pk)
    inspection = Inspection.objects.get(pk=finding.inspection_id)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        finding.status in (FindingStatus.DRAFT, FindingStatus.SENT),
        _("Phát hiện đã được xác nhận hoặc rút, không sửa được nữa."),
    )
    check_version(finding, expected_version, ["description", "category", "severity", "responsible"])
    _check_responsible(inspection, responsible)
    before = _finding_after(finding)
    finding.description = nfc(description).strip()
    finding.category = category
    finding.severity = severity
    finding.responsible = responsible
    finding.updated_by = actor
    finding.version += 1
    finding.full_clean()
    finding.save()
    if checklist_items is not None:
        checklist_items = list(checklist_items)
        _check_links(inspection, (), (), checklist_items)
        finding.checklist_items.set(checklist_items)
    if tasks is not None or dossiers is not None:
        tasks = list(tasks) if tasks is not None else None
        dossiers = list(dossiers) if dossiers is not None else None
        _check_links(inspection, tasks or (), dossiers or (), ())
        if tasks is not None:
            finding.tasks.set(tasks)
        if dossiers is not None:
            finding.dossiers.set(dossiers)
    audit_record(
        actor=actor, action="finding.update", obj=finding, before=before, after=_finding_after(finding)
    )
    return finding


def _finding_move(actor, finding, allowed_from, to_status, action, note="") -> Finding:
    finding = lock_row(Finding, finding.pk)
    inspection = Inspection.objects.get(pk=finding.inspection_id)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        finding.status in allowed_from,
        _("Phát hiện đang ở trạng thái “%(s)s”: không thể chuyển sang “%(to)s”.")
        % {"s": finding.get_status_display(), "to": FindingStatus(to_status).label},
    )
    _check(
        inspection.status not in ("concluded", "remediation", "closed"), _("Cuộc kiểm tra đã có kết luận.")
    )
    before = snapshot(finding, FINDING_FIELDS)
    finding.status = to_status
    finding.status_note = nfc(note).strip()
    finding.updated_by = actor
    finding.version += 1
    finding.full_clean()
    finding.save()
    audit_record(
        actor=actor, action=action, obj=finding, before=before, after=snapshot(finding, FINDING_FIELDS)
    )
    return finding


# Working days the unit has to explain a finding when the team names no date. No national rule fixes
# it (DOMAIN §2 step 6 is practice): a default the team overrides per finding.
EXPLANATION_WORKING_DAYS = 5


def default_explanation_due(today: date) -> date:
    """`EXPLANATION_WORKING_DAYS` working days after today (the calendar's count); a week when the
    working-day calendar does not cover the date yet."""
    from datetime import timedelta

    from congvu.workdays.selectors import CalendarRangeError, working_days_add

    try:
        return working_days_add(today, EXPLANATION_WORKING_DAYS)
    except CalendarRangeError:
        return today + timedelta(days=7)


@transaction.atomic
def finding_send(*, actor: User, finding: Finding, explanation_due: date | None = None) -> Finding:
    """Send a draft finding to the unit for explanation (giải trình), by `explanation_due`
    (default: `EXPLANATION_WORKING_DAYS` working days from today)."""
    inspection = Inspection.objects.get(pk=finding.inspection_id)
    _check(
        policy.is_disclosed(inspection),
        _("Đơn vị chưa được thông báo về cuộc kiểm tra: chưa gửi phát hiện để giải trình được."),
    )
    today = timezone.localdate()
    due = explanation_due or default_explanation_due(today)
    _check(due >= today, _("Hạn giải trình không được trước hôm nay."))
    finding = _finding_move(actor, finding, (FindingStatus.DRAFT,), FindingStatus.SENT, "finding.send")
    explanation, created = FindingExplanation.objects.get_or_create(finding=finding, defaults={"due_on": due})
    if created:
        audit_record(
            actor=actor,
            action="findingexplanation.create",
            obj=explanation,
            after={"finding": finding.pk, "due_on": due.isoformat()},
        )
    _notify(
        _unit_users(inspection),
        _("Đề nghị giải trình phát hiện (hạn %(due)s): %(what)s")
        % {"due": due.strftime("%d/%m/%Y"), "what": finding},
        _link(inspection, "findings", f"explanation-{explanation.pk}"),
    )
    return finding


@transaction.atomic
def finding_confirm(*, actor: User, finding: Finding, note: str = "") -> Finding:
    """Confirm a finding after the unit's explanation (or its silence)."""
    return _finding_move(
        actor,
        finding,
        (FindingStatus.DRAFT, FindingStatus.SENT),
        FindingStatus.CONFIRMED,
        "finding.confirm",
        note,
    )


@transaction.atomic
def finding_withdraw(*, actor: User, finding: Finding, note: str) -> Finding:
    """Withdraw a finding (e.g. the explanation was accepted); the reason is required."""
    _check(bool(nfc(note or "").strip()), _("Phải ghi lý do rút phát hiện."))
    return _finding_move(
        actor,
        finding,
        (FindingStatus.DRAFT, FindingStatus.SENT),
        FindingStatus.WITHDRAWN,
        "finding.withdraw",
        note,
    )


# --- Recommendations and remediation ------------------------------------------------------


@transaction.atomic
def recommendation_create(
    *,
    actor: User,
    inspection: Inspection,
    kind: str,
    addressee: str,
    content: str,
    deadline: date | None = None,
    finding: Finding | None = None,
    official=None,
) -> Recommendation:
    """A recommendation (kiến nghị): a handling form with a remediation deadline, or a discipline
    proposal to the PPC Chairman (Decree 172/2025), which names the official concerned."""
    inspection = lock_row(Inspection, inspection.pk)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(
        inspection.status in RECOMMENDATION_STATUSES,
        _("Chỉ lập kiến nghị từ khi kiểm tra trực tiếp đến khi theo dõi khắc phục (hiện: %(s)s).")
        % {"s": status_label(inspection.status)},
    )
    if finding is not None:
        _check(finding.inspection_id == inspection.pk, _("Phát hiện không thuộc cuộc kiểm tra này."))
        _check(finding.status != FindingStatus.WITHDRAWN, _("Phát hiện đã bị rút."))
    discipline = kind in DISCIPLINE_KINDS
    if discipline:
        _check(official is not None, _("Đề nghị kỷ luật phải nêu cán bộ bị đề nghị."))
    if kind == "dismissal":
        _check_responsible(inspection, official)  # cách chức applies to leaders only
    elif official is not None and not discipline:
        _check_responsible(inspection, official)
    if not discipline:
        _check(deadline is not None, _("Kiến nghị khắc phục phải có hạn thực hiện."))
    recommendation = Recommendation(
        inspection=inspection,
        finding=finding,
        kind=kind,
        addressee=nfc(addressee).strip(),
        official=official,
        content=nfc(content).strip(),
        deadline=deadline,
        status=RecommendationStatus.PROPOSED if discipline else RecommendationStatus.OPEN,
        created_by=actor,
    )
    recommendation.full_clean()
    recommendation.save()
    audit_record(
        actor=actor,
        action="recommendation.create",
        obj=recommendation,
        after=snapshot(recommendation, RECOMMENDATION_FIELDS),
    )
    return recommendation


@transaction.atomic
def remediation_report_create(
    *, actor: User, recommendation: Recommendation, response_text: str = ""
) -> RemediationReport:
    """The unit starts a remediation report (báo cáo khắc phục) on an open recommendation."""
    recommendation = lock_row(Recommendation, recommendation.pk)
    inspection = Inspection.objects.get(pk=recommendation.inspection_id)
    policy.require(actor, inspection, "unit")
    _check(
        inspection.status in FOLLOW_UP_STATUSES,
        _("Chỉ báo cáo khắc phục sau khi có thông báo kết luận."),
    )
    _check(
        recommendation.status == RecommendationStatus.OPEN,
        _("Kiến nghị này không ở trạng thái chờ khắc phục (%(s)s).")
        % {"s": recommendation.get_status_display()},
    )
    _check(
        not recommendation.reports.filter(review_status=ReviewStatus.PENDING).exists(),
        _("Đã có một báo cáo khắc phục đang soạn hoặc chờ đoàn xem xét."),
    )
    report = RemediationReport(
        recommendation=recommendation, response_text=nfc(response_text).strip(), created_by=actor
    )
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action="remediationreport.create",
        obj=report,
        after=snapshot(report, ["recommendation", *RESPONSE_FIELDS]),
    )
    return report


def remediation_report_start(
    *,
    actor: User,
    recommendation: Recommendation,
    response_text: str = "",
    uploaded_files: Sequence = (),
    file_description: str = "",
    submit: bool = False,
) -> RemediationReport:
    """The unit's first remediation form in one go (text, files, and submit when asked): the report
    is created, the files attached and, when asked, submitted to the unit head — all or nothing."""
    with transaction.atomic():
        report = remediation_report_create(
            actor=actor, recommendation=recommendation, response_text=response_text
        )
        if uploaded_files or submit:
            report = unit_response_answer(
                actor=actor,
                response=report,
                expected_version=report.version,
                response_text=report.response_text,
                uploaded_files=uploaded_files,
                file_description=file_description,
                submit=submit,
            )
    return report


@transaction.atomic
def remediation_review(
    *, actor: User, report: RemediationReport, accept: bool, note: str = ""
) -> RemediationReport:
    """The team accepts the unit's approved remediation report (the recommendation is done) or
    returns it (the recommendation is open again and the unit reports anew)."""
    report = lock_row(RemediationReport, report.pk)
    recommendation = lock_row(Recommendation, report.recommendation_id)
    inspection = Inspection.objects.get(pk=recommendation.inspection_id)
    _read_only(actor)
    policy.require(actor, inspection, "team")
    _check(report.response_status == ResponseStatus.APPROVED, _("Báo cáo chưa được thủ trưởng đơn vị duyệt."))
    _check(report.review_status == ReviewStatus.PENDING, _("Báo cáo đã được xem xét."))
    if not accept:
        _check(bool(nfc(note or "").strip()), _("Phải ghi lý do trả lại báo cáo khắc phục."))
    before = snapshot(report, ["review_status", "review_note", "version"])
    report.review_status = ReviewStatus.ACCEPTED if accept else ReviewStatus.RETURNED
    report.review_note = nfc(note or "").strip()
    report.reviewed_by = actor
    report.reviewed_at = timezone.now()
    report.version += 1
    report.full_clean()
    report.save()
    audit_record(
        actor=actor,
        action="remediationreport.accept" if accept else "remediationreport.return",
        obj=report,
        before=before,
        after=snapshot(report, ["review_status", "review_note", "version"]),
    )
    rec_before = snapshot(recommendation, ["status", "version"])
    recommendation.status = RecommendationStatus.DONE if accept else RecommendationStatus.OPEN
    recommendation.done_at = timezone.now() if accept else None
    recommendation.version += 1
    recommendation.full_clean()
    recommendation.save()
    audit_record(
        actor=actor,
        action="recommendation.done" if accept else "recommendation.reopen",
        obj=recommendation,
        before=rec_before,
        after=snapshot(recommendation, ["status", "version"]),
    )
    text = (
        _("Đoàn chấp nhận báo cáo khắc phục: %(what)s")
        if accept
        else _("Đoàn trả lại báo cáo khắc phục: %(what)s")
    ) % {"what": recommendation}
    _notify(_unit_users(inspection), text, _link(inspection, "remediation", f"rec-{recommendation.pk}"))
    return report


# --- Reminders ----------------------------------------------------------------------------


def overdue_open_recommendations(today: date):
    """Every overdue recommendation, province-wide (for the reminder job, not for pages)."""
    return (
        Recommendation.objects.filter(
            status=RecommendationStatus.OPEN,
            deadline__lt=today,
            inspection__status__in=FOLLOW_UP_STATUSES,
        )
        .select_related("inspection", "inspection__unit")
        .order_by("deadline", "pk")
    )


def _disclosed_open_q(prefix: str) -> Q:
    """Inspections the unit knows of and that are not closed (where it still owes answers)."""
    from congvu.inspections.workflow import DISCLOSED_STATUSES

    q = Q(pk__in=[])
    for kind, statuses in DISCLOSED_STATUSES.items():
        q |= Q(**{f"{prefix}kind": kind, f"{prefix}status__in": statuses - {"closed"}})
    return q


def overdue_document_requests(today: date):
    """Document requests (the self-report included) past their due date and not yet sent to the
    team (not approved by the unit head), province-wide."""
    return (
        DocumentRequest.objects.filter(due_on__lt=today)
        .exclude(response_status=ResponseStatus.APPROVED)
        .filter(_disclosed_open_q("inspection__"))
        .select_related("inspection", "inspection__unit")
        .order_by("due_on", "pk")
    )


def overdue_explanations(today: date):
    """Explanations still owed (finding sent, answer not approved) past their due date."""
    return (
        FindingExplanation.objects.filter(due_on__lt=today, finding__status=FindingStatus.SENT)
        .exclude(response_status=ResponseStatus.APPROVED)
        .filter(_disclosed_open_q("finding__inspection__"))
        .select_related("finding__inspection__unit")
        .order_by("due_on", "pk")
    )


def reminders_send(*, today: date, actor="system") -> dict:
    """Remind the unit's focal points and heads of each overdue recommendation, document request
    (self-report included) and explanation, by e-mail (to those with an address) and in-app; at
    most once per item per day, so cron may run it often."""
    counts = {
        "recommendations": 0,
        "requests": 0,
        "explanations": 0,
        "skipped": 0,
        "emails": 0,
        "notices": 0,
        "failed": 0,
    }
    batches = (
        ("recommendations", overdue_open_recommendations(today)),
        ("requests", overdue_document_requests(today)),
        ("explanations", overdue_explanations(today)),
    )
    for key, qs in batches:
        for item in qs.iterator(chunk_size=500):
            try:
                sent = _remind_one(item=item, today=today, actor=actor)
            except Exception:  # one bad address must not stop the other reminders; retried next run
                log.exception("reminder for %s %s failed", type(item).__name__, item.pk)
                counts["failed"] += 1
                continue
            if sent is None:
                counts["skipped"] += 1
            else:
                counts[key] += 1
                counts["emails"] += sent[0]
                counts["notices"] += sent[1]
    return counts


def _reminder_parts(item, today: date) -> tuple[Inspection, dict, str, str, str]:
    """(inspection, the log row's item field, the text, the link, the audit action) of one item."""
    if isinstance(item, Recommendation):
        inspection, due = item.inspection, item.deadline
        field = {"recommendation": item}
        what = _("Kiến nghị")
        link = _link(inspection, "remediation", f"rec-{item.pk}")
        action = "recommendation.remind"
    elif isinstance(item, DocumentRequest):
        inspection, due = item.inspection, item.due_on
        field = {"document_request": item}
        what = _("Báo cáo tự kiểm tra") if item.is_self_report else _("Yêu cầu tài liệu")
        link = response_link(item)
        action = "documentrequest.remind"
    else:
        inspection, due = item.finding.inspection, item.due_on
        field = {"explanation": item}
        what = _("Giải trình phát hiện")
        link = response_link(item)
        action = "findingexplanation.remind"
    if due is not None and due < today:
        text = _("%(what)s quá hạn %(days)d ngày (hạn %(deadline)s): %(item)s — %(title)s") % {
            "what": what,
            "days": (today - due).days,
            "deadline": due.strftime("%d/%m/%Y"),
            "item": item,
            "title": inspection.title,
        }
    else:
        text = _("Nhắc thực hiện — %(what)s (hạn %(deadline)s): %(item)s — %(title)s") % {
            "what": what,
            "deadline": due.strftime("%d/%m/%Y") if due else "—",
            "item": item,
            "title": inspection.title,
        }
    return inspection, field, text, link, action


@transaction.atomic
def _remind_one(*, item, today: date, actor, sent_by: User | None = None) -> tuple[int, int] | None:
    """One item's reminder for `today`: (e-mails, notices), or None when already sent today."""
    inspection, field, text, link, action = _reminder_parts(item, today)
    users = list(_unit_users(inspection))
    log_row = ReminderLog(
        **field, inspection=inspection, day=today, recipients=[u.username for u in users], sent_by=sent_by
    )
    # The once-a-day constraints are the database's to enforce (a concurrent run may race this one).
    log_row.full_clean(exclude=["recipients"], validate_constraints=False)
    try:
        with transaction.atomic():
            log_row.save()
    except IntegrityError:  # already reminded today (this run, another, or by the lead)
        return None
    emails = sorted({u.email for u in users if u.email})
    if emails:
        send_mail(
            subject=_("[Công vụ] Nhắc hạn: %(unit)s") % {"unit": inspection.unit.name},
            message=f"{text}\n\n{_('Xem chi tiết')}: {link}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=emails,
            fail_silently=False,
        )
    kind = next(iter(field))
    prefix = "remind" if kind == "recommendation" else f"remind:{kind}"
    key = f"{prefix}:{item.pk}:{today.isoformat()}"
    notices = _notify(users, text, link, key=key)
    log_row.emails_sent = len(emails)
    log_row.save(update_fields=["emails_sent"])
    audit_record(
        actor=actor,
        action=action,
        obj=item,
        after={
            "day": today.isoformat(),
            "recipients": log_row.recipients,
            "emails": emails,
            "by": getattr(sent_by, "username", "") or "remind",
        },
    )
    return len(emails), notices


@transaction.atomic
def reminder_send(*, actor: User, recommendation: Recommendation, today: date | None = None) -> ReminderLog:
    """The inspection lead reminds the unit of one open recommendation from the remediation tab (by
    e-mail and in-app, audited). At most once per recommendation per day, counting `congvu remind`:
    a second reminder the same day is refused, saying when and by whom the first was sent."""
    today = today or timezone.localdate()
    _read_only(actor)
    if not policy.is_lead(actor):
        raise PermissionDenied(_("Chỉ lãnh đạo kiểm tra được gửi nhắc hạn."))
    recommendation = Recommendation.objects.select_related("inspection", "inspection__unit").get(
        pk=recommendation.pk
    )
    _check(
        recommendation.status == RecommendationStatus.OPEN
        and recommendation.inspection.status in FOLLOW_UP_STATUSES,
        _("Kiến nghị này không còn chờ khắc phục: không cần nhắc."),
    )
    _check(
        recommendation.kind not in DISCIPLINE_KINDS,
        _("Đề nghị xử lý kỷ luật trình Chủ tịch UBND tỉnh: không nhắc đơn vị khắc phục."),
    )
    sent = _remind_one(item=recommendation, today=today, actor=actor, sent_by=actor)
    row = ReminderLog.objects.select_related("sent_by").get(recommendation=recommendation, day=today)
    if sent is None:
        raise ValidationError(
            _("Đã nhắc kiến nghị này hôm nay (%(when)s, %(who)s): mỗi kiến nghị chỉ nhắc một lần mỗi ngày.")
            % {
                "when": timezone.localtime(row.created_at).strftime("%H:%M %d/%m/%Y"),
                "who": row.sent_by or _("nhắc tự động"),
            }
        )
    return row
