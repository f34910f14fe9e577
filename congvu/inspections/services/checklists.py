"""Checklists (phiếu kiểm tra): instantiated from a template, figures frozen, results recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.accounts.models import User
from congvu.core.audit import audit_record
from congvu.core.text import nfc
from congvu.inspections import policy, prefill
from congvu.inspections.locking import lock_row, locked_change
from congvu.inspections.models import (
    Checklist,
    ChecklistItem,
    ChecklistSubject,
    ChecklistTemplate,
    Inspection,
)
from congvu.inspections.services._common import (
    ITEM_FIELDS,
    _check,
    _read_only,
)
from congvu.inspections.services.evidence import evidence_upload
from congvu.inspections.workflow import (
    WORKING_STATUSES,
)


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
    records = prefill.leader_records(scope, as_of) if scope is not None else None
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
                    metric=t.metric, scope=scope, as_of=as_of, scope_records=records
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
        records = prefill.leader_records(scope, day)
        locked = ChecklistItem.objects.filter(checklist_id=sheet.pk).exclude(metric="").defer("snapshot_ids")
        for item in locked.select_for_update():
            before = prefill.snapshot_summary(item.snapshot)
            item.snapshot, item.snapshot_ids = prefill.compute_snapshot(
                metric=item.metric, scope=scope, as_of=day, scope_records=records
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
    notes = nfc(notes or "").strip()
    with locked_change(
        item,
        actor=actor,
        action="checklist_item.update",
        fields=ITEM_FIELDS,
        expected_version=expected_version,
        compare=["result", "notes"],
    ) as change:
        if item.result == (result or "") and item.notes == notes:
            change.unchanged()
            return item
        item.result = result or ""
        item.notes = notes
        item.updated_by = actor
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
