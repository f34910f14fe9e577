"""Writes of the year-end evaluation, each in one transaction with its audit event (STYLE §3)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.permissions import require_role
from congvu.core.audit import audit_record, snapshot
from congvu.core.scoping import visible_unit_ids
from congvu.core.text import nfc
from congvu.evaluation.models import Band, DisciplineForm, DisciplineRecord, YearResult
from congvu.evaluation.selectors import official_unit_on, rule_set_code_for

#: Who records decisions taken by the competent level (the Chairman's, the Director's, a head's).
PROVINCE_RECORDERS = ("admin", "lead", "leadership")


def _require_unit_actor(actor, unit_id: int) -> None:
    """Unit heads act only inside their own unit; province recorders anywhere."""
    require_role(actor, *PROVINCE_RECORDERS, "unit_head")
    ids = visible_unit_ids(actor)
    if ids is not None and unit_id not in ids:
        raise PermissionDenied(_("Cán bộ không thuộc đơn vị của bạn."))


@transaction.atomic
def discipline_record(
    *,
    actor,
    official,
    form: str,
    effective_date: date,
    decision_number: str,
    decision_date: date,
    public_duty_violation: bool,
    source_description: str = "",
) -> DisciplineRecord:
    """Record a discipline decision (or a nhắc nhở / phê bình measure) against an official. The record
    belongs to the unit the official worked in on the effective date; from khiển trách up, for a
    public-duty violation, it forces "không hoàn thành" for that year (decree-335 §5.2)."""
    if form not in DisciplineForm.values:
        raise ValidationError({"form": _("Hình thức kỷ luật “%(form)s” không hợp lệ.") % {"form": form}})
    if not effective_date:
        raise ValidationError({"effective_date": _("Chưa nhập ngày có hiệu lực.")})
    unit_id = official_unit_on(official_id=official.pk, day=effective_date)
    if unit_id is None:
        raise ValidationError(
            {
                "official": _("%(name)s không có bổ nhiệm nào đến ngày %(day)s.")
                % {"name": official, "day": effective_date.strftime("%d/%m/%Y")}
            }
        )
    _require_unit_actor(actor, unit_id)
    record = DisciplineRecord(
        official=official,
        unit_id=unit_id,
        form=form,
        effective_date=effective_date,
        decision_number=nfc(decision_number or "").strip(),
        decision_date=decision_date,
        public_duty_violation=bool(public_duty_violation),
        source_description=nfc(source_description or "").strip(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    record.full_clean()
    record.save()
    audit_record(actor=actor, action="evaluation.discipline_record", obj=record, after=snapshot(record))
    return record


@transaction.atomic
def year_result_decide(
    *, actor, official, year: int, band: str, decision_document: str, note: str = ""
) -> YearResult:
    """Record the competent level's final classification of an official for a year (the Chairman's
    for heads of province-managed units, the unit head's for deputies and staff). The computed figures,
    if any, stay as they are; the decided band is the classification from now on."""
    if band not in Band.values:
        raise ValidationError({"band": _("Mức xếp loại “%(band)s” không hợp lệ.") % {"band": band}})
    decision_document = nfc(decision_document or "").strip()
    if not decision_document:
        raise ValidationError({"decision_document": _("Chưa nhập văn bản quyết định xếp loại.")})
    result = YearResult.objects.select_for_update().filter(official=official, year=year).first()
    before = snapshot(result)
    if result is None:
        unit_id = official_unit_on(official_id=official.pk, day=date(year, 12, 31))
        if unit_id is None:
            raise ValidationError(
                {
                    "official": _("%(name)s không công tác ở đơn vị nào trong năm %(year)d.")
                    % {"name": official, "year": year}
                }
            )
        result = YearResult(
            official=official,
            year=year,
            unit_id=unit_id,
            rule_set=rule_set_code_for(official=official, year=year, unit_id=unit_id),
        )
    _require_unit_actor(actor, result.unit_id)
    if actor.role == "unit_head" and result.role == "head":
        raise PermissionDenied(
            _("Người đứng đầu đơn vị do Chủ tịch UBND tỉnh xếp loại; thủ trưởng đơn vị không ghi được.")
        )
    result.decided_band = band
    result.decision_document = decision_document
    result.decision_note = nfc(note or "").strip()
    result.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    result.decided_at = timezone.now()
    if result.pk:
        result.version += 1
    result.full_clean()
    result.save()
    audit_record(
        actor=actor, action="evaluation.year_result_decide", obj=result, before=before, after=snapshot(result)
    )
    return result
