"""Writes of cadre planning: an approved planning entry, and taking someone out of planning."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
from congvu.org.models import Official, Unit
from congvu.planning.models import PlanningEntry, PlanningStatus
from congvu.planning.rules import PlanningRuleError, parse_term


def _term(term: str) -> str:
    try:
        start, end = parse_term(term)
    except PlanningRuleError as exc:
        raise ValidationError({"term": exc.message}) from None
    return f"{start}-{end}"


@transaction.atomic
def planning_entry_create(
    *,
    actor,
    official: Official,
    unit: Unit,
    role: str,
    term: str,
    decision_number: str,
    decision_date: date,
    woman_retires_at_60: bool = False,
    note: str = "",
) -> PlanningEntry:
    """Record an approved planning entry (quyết định phê duyệt quy hoạch). The conditions are not
    enforced here: the planning sheet flags what holds and what fails, the approving level decides."""
    entry = PlanningEntry(
        official=official,
        unit=unit,
        role=role,
        term=_term(term),
        decision_number=decision_number.strip(),
        decision_date=decision_date,
        woman_retires_at_60=woman_retires_at_60,
        note=note.strip(),
    )
    if woman_retires_at_60 and official.sex != "nu":
        raise ValidationError({"woman_retires_at_60": _("Chỉ áp dụng với cán bộ nữ.")})
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, action="planning.create", obj=entry, after=snapshot(entry))
    return entry


@transaction.atomic
def planning_entry_take_out(
    *, actor, entry: PlanningEntry, out_date: date, reason: str, decision: str = ""
) -> PlanningEntry:
    """Take a person out of planning for this title (đưa ra khỏi quy hoạch), with the reason."""
    entry = PlanningEntry.objects.select_for_update().get(pk=entry.pk)
    if entry.status == PlanningStatus.OUT:
        raise ValidationError(_("Cán bộ này đã được đưa ra khỏi quy hoạch chức danh này."))
    if not reason.strip():
        raise ValidationError({"out_reason": _("Cần ghi lý do đưa ra khỏi quy hoạch.")})
    if out_date < entry.decision_date:
        raise ValidationError({"out_date": _("Ngày đưa ra không được trước ngày quyết định quy hoạch.")})
    before = snapshot(entry)
    entry.status = PlanningStatus.OUT
    entry.out_date = out_date
    entry.out_reason = reason.strip()
    entry.out_decision = decision.strip()
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, action="planning.take_out", obj=entry, before=before, after=snapshot(entry))
    return entry
