"""An inspection's setup, particulars and status moves (the workflow table in workflow.py, its guards)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import Role, User
from congvu.core.audit import audit_record, snapshot
from congvu.core.permissions import require_role
from congvu.core.text import nfc
from congvu.inspections import policy
from congvu.inspections.locking import lock_row, locked_change
from congvu.inspections.models import (
    DISCIPLINE_KINDS,
    ChecklistItem,
    DocumentRequest,
    FindingStatus,
    Inspection,
    InspectionKind,
    PlanItem,
    PlanStatus,
    RecommendationStatus,
    ResponseStatus,
    StatusChange,
    TeamRole,
)
from congvu.inspections.services._common import (
    INSPECTION_EDITABLE,
    INSPECTION_FIELDS,
    _check,
    _link,
    _notify,
    _read_only,
    _team_users,
    _unit_users,
)
from congvu.inspections.workflow import (
    STATUSES,
    InspectionStatus,
    find_transition,
    status_label,
)


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
    _check(inspection.status != InspectionStatus.CLOSED, _("Cuộc kiểm tra đã kết thúc, không sửa được nữa."))
    unknown = set(fields) - set(INSPECTION_EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with locked_change(
        inspection,
        actor=actor,
        action="inspection.update",
        fields=INSPECTION_FIELDS,
        expected_version=expected_version,
        compare=INSPECTION_EDITABLE,
    ):
        if inspection.checklists.exists() and (
            fields.get("period_from", inspection.period_from) != inspection.period_from
            or fields.get("period_to", inspection.period_to) != inspection.period_to
        ):
            raise ValidationError(
                _("Đã lập phiếu kiểm tra theo thời kỳ hiện tại: không đổi được thời kỳ kiểm tra nữa.")
            )
        for name, value in fields.items():
            setattr(inspection, name, nfc(value).strip() if isinstance(value, str) else value)
    return inspection


def _guard_decision(inspection: Inspection) -> str | None:
    if not inspection.decision_number or not inspection.decision_date:
        return _("Chưa nhập số và ngày quyết định kiểm tra.")
    return None


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
    from_status = inspection.status
    with locked_change(
        inspection, actor=actor, action=f"inspection.transition.{name}", fields=["status", "version"]
    ) as move:
        inspection.status = to_status
        inspection.status_changed_at = timezone.now()
        move.save()
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
        move.after_extra["note"] = change.note
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
