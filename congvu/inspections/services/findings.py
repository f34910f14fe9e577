"""Findings (hạn chế, thiếu sót, vi phạm) and their explanation by the unit."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record, snapshot
from congvu.core.text import nfc
from congvu.inspections import policy
from congvu.inspections.locking import lock_row, locked_change
from congvu.inspections.models import (
    Finding,
    FindingExplanation,
    FindingStatus,
    Inspection,
)
from congvu.inspections.services._common import (
    FINDING_FIELDS,
    _check,
    _check_responsible,
    _link,
    _notify,
    _read_only,
    _unit_users,
)
from congvu.inspections.workflow import (
    CONCLUDED_STATUSES,
    WORKING_STATUSES,
    status_label,
)
from congvu.org.selectors import unit_with_predecessor_ids


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
    with locked_change(
        finding,
        actor=actor,
        action="finding.update",
        fields=_finding_after,
        expected_version=expected_version,
        compare=["description", "category", "severity", "responsible"],
    ) as change:
        _check_responsible(inspection, responsible)
        finding.description = nfc(description).strip()
        finding.category = category
        finding.severity = severity
        finding.responsible = responsible
        finding.updated_by = actor
        change.save()
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
    _check(inspection.status not in CONCLUDED_STATUSES, _("Cuộc kiểm tra đã có kết luận."))
    with locked_change(finding, actor=actor, action=action, fields=FINDING_FIELDS):
        finding.status = to_status
        finding.status_note = nfc(note).strip()
        finding.updated_by = actor
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
