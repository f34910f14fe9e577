"""Writes to the organisation, each in one transaction with its audit event.

Single writes (`unit_create`, `official_create`, `appointment_create`, …) validate and audit one row.
The `*_bulk_create` services are for large loads (the demo province, a first import of a province's
communes): they validate every row, insert them in a few statements and write one audit event that
summarises the load, so hundreds of communes do not cost hundreds of hash-chained events."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from congvu.core.audit import audit_record, snapshot
from congvu.core.text import fold, nfc
from congvu.org.models import (
    Appointment,
    AppointmentRole,
    Field,
    LineageEvent,
    Official,
    StaffType,
    Unit,
    UnitLineage,
)

_BULK_BATCH = 500


@transaction.atomic
def unit_create(
    *,
    actor,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None = None,
    abbreviation: str = "",
    valid_from: date | None = None,
    valid_to: date | None = None,
) -> Unit:
    name = nfc(name).strip()
    unit = Unit(
        code=code.strip(),
        name=name,
        kind=kind,
        parent=parent,
        abbreviation=abbreviation,
        valid_from=valid_from,
        valid_to=valid_to,
        name_folded=fold(name),
    )
    unit.full_clean()
    unit.save()
    audit_record(actor=actor, action="unit.create", obj=unit, after=snapshot(unit))
    return unit


@transaction.atomic
def unit_bulk_create(*, actor, units: Sequence[Unit], label: str) -> list[Unit]:
    """Insert many units at once (parents must already be saved); one audit event for the lot."""
    for unit in units:
        unit.name = nfc(unit.name).strip()
        unit.name_folded = fold(unit.name)
        unit.full_clean(validate_unique=False)
    _check_unique_codes(Unit, [u.code for u in units], _("Mã đơn vị"))
    created = Unit.objects.bulk_create(units, batch_size=_BULK_BATCH)
    audit_record(
        actor=actor,
        action="unit.bulk_create",
        object_type=Unit._meta.label_lower,
        object_repr=label[:300],
        after={"count": len(created), "codes": [u.code for u in created]},
    )
    return created


def _check_unique_codes(model, codes: list[str], what: str) -> None:
    duplicates = sorted(code for code, n in Counter(codes).items() if n > 1)
    taken = sorted(model.objects.filter(code__in=codes).values_list("code", flat=True)[:10])
    if duplicates or taken:
        raise ValidationError(
            _("%(what)s đã tồn tại hoặc bị trùng: %(codes)s")
            % {"what": what, "codes": ", ".join((duplicates + taken)[:10])}
        )


# --- Lineage: merge, split, rename ------------------------------------------------------


@dataclass
class NewUnit:
    """What the lineage form knows of a successor that does not exist yet."""

    code: str
    name: str
    kind: str
    parent: Unit | None = None
    abbreviation: str = ""


@transaction.atomic
def unit_lineage_record(
    *,
    actor,
    event: str,
    predecessors: Sequence[Unit],
    date: date,
    successors: Sequence[Unit] = (),
    new_units: Sequence[NewUnit] = (),
    document: str = "",
) -> list[UnitLineage]:
    """Record a merge, split or rename effective on `date` (the successors' first day), in one step.

    Closes every predecessor (valid_to = date − 1 day) and ends its open appointments on that day,
    creates the new successors (valid_from = date) or links existing ones (which go on existing, as a
    department that absorbs another does), and writes one predecessor → successor link per pair.
    A merge has one successor, a split one predecessor and at least two successors, a rename exactly
    one of each."""
    predecessors = list(dict.fromkeys(predecessors))
    successors = list(dict.fromkeys(successors))
    n_succ = len(successors) + len(new_units)
    errors: list[str] = []
    if event not in LineageEvent.values:
        errors.append(_("Loại sự kiện không hợp lệ."))
    if not predecessors:
        errors.append(_("Chọn ít nhất một đơn vị tiền thân."))
    if n_succ == 0:
        errors.append(_("Chọn đơn vị kế thừa hoặc nhập đơn vị mới."))
    if event == LineageEvent.MERGE and n_succ != 1:
        errors.append(_("Hợp nhất, sáp nhập: chỉ có một đơn vị kế thừa."))
    if event == LineageEvent.SPLIT and (len(predecessors) != 1 or n_succ < 2):
        errors.append(_("Chia tách: một đơn vị tiền thân và ít nhất hai đơn vị kế thừa."))
    if event == LineageEvent.RENAME and (len(predecessors) != 1 or n_succ != 1):
        errors.append(_("Đổi tên: một đơn vị tiền thân và một đơn vị kế thừa."))
    last_day = date - timedelta(days=1)
    for unit in predecessors:
        if unit in successors:
            errors.append(_("%(unit)s không thể vừa là tiền thân vừa là kế thừa.") % {"unit": unit})
        elif not unit.is_valid_on(last_day):
            errors.append(
                _("%(unit)s không còn hiệu lực ngày %(day)s nên không thể chấm dứt vào ngày đó.")
                % {"unit": unit, "day": last_day.strftime("%d/%m/%Y")}
            )
    for unit in successors:
        if not unit.is_valid_on(date):
            errors.append(
                _("Đơn vị kế thừa %(unit)s không có hiệu lực ngày %(day)s.")
                % {"unit": unit, "day": date.strftime("%d/%m/%Y")}
            )
    if errors:
        raise ValidationError(errors)

    for unit in predecessors:
        before = snapshot(unit)
        unit.valid_to = last_day
        unit.full_clean()
        unit.save(update_fields=["valid_to"])
        audit_record(actor=actor, action="unit.close", obj=unit, before=before, after=snapshot(unit))
        for appointment in Appointment.objects.filter(unit=unit).filter(
            Q(end__isnull=True) | Q(end__gt=last_day)
        ):
            if appointment.start > last_day:
                raise ValidationError(
                    _("Bổ nhiệm %(a)s bắt đầu sau ngày %(day)s: sửa bổ nhiệm trước khi ghi sự kiện.")
                    % {"a": appointment, "day": last_day.strftime("%d/%m/%Y")}
                )
            appointment_end(actor=actor, appointment=appointment, end=last_day)

    parents = {u.parent_id for u in predecessors}
    default_parent = predecessors[0].parent if len(parents) == 1 else None
    for new in new_units:
        successors.append(
            unit_create(
                actor=actor,
                code=new.code,
                name=new.name,
                kind=new.kind,
                parent=new.parent or default_parent,
                abbreviation=new.abbreviation,
                valid_from=date,
            )
        )
    links = []
    for pred in predecessors:
        for succ in successors:
            link = UnitLineage(predecessor=pred, successor=succ, event=event, date=date, document=document)
            link.full_clean()
            link.save()
            audit_record(actor=actor, action="unit_lineage.create", obj=link, after=snapshot(link))
            links.append(link)
    return links


@transaction.atomic
def unit_lineage_bulk_create(*, actor, links: Sequence[UnitLineage], label: str) -> list[UnitLineage]:
    """Insert many lineage links whose units already carry their validity dates; one audit event."""
    for link in links:
        link.full_clean(validate_unique=False, validate_constraints=False)
        if link.predecessor_id == link.successor_id:
            raise ValidationError(_("Một đơn vị không thể kế thừa chính nó."))
    created = UnitLineage.objects.bulk_create(links, batch_size=_BULK_BATCH)
    audit_record(
        actor=actor,
        action="unit_lineage.bulk_create",
        object_type=UnitLineage._meta.label_lower,
        object_repr=label[:300],
        after={"count": len(created)},
    )
    return created


# --- Officials and appointments ---------------------------------------------------------


@transaction.atomic
def official_create(
    *,
    actor,
    code: str,
    full_name: str,
    staff_type: str = StaffType.CIVIL_SERVANT,
    email: str = "",
    birth_date: date | None = None,
    sex: str = "",
) -> Official:
    full_name = " ".join(nfc(full_name).split())
    official = Official(
        code=code.strip(),
        full_name=full_name,
        staff_type=staff_type,
        email=email,
        birth_date=birth_date,
        sex=sex,
        name_folded=fold(full_name),
    )
    official.full_clean()
    official.save()
    audit_record(actor=actor, action="official.create", obj=official, after=snapshot(official))
    return official


@transaction.atomic
def official_personal_update(*, actor, official: Official, birth_date: date | None, sex: str) -> Official:
    """Record an official's birth date and sex (cadre planning reads the age against the retirement date)."""
    official = Official.objects.select_for_update().get(pk=official.pk)
    before = snapshot(official, ["birth_date", "sex"])
    official.birth_date = birth_date
    official.sex = sex
    official.full_clean()
    official.save(update_fields=["birth_date", "sex"])
    audit_record(
        actor=actor,
        action="official.personal_update",
        obj=official,
        before=before,
        after=snapshot(official, ["birth_date", "sex"]),
    )
    return official


@transaction.atomic
def official_bulk_create(*, actor, officials: Sequence[Official], label: str) -> list[Official]:
    for official in officials:
        official.full_name = " ".join(nfc(official.full_name).split())
        official.name_folded = fold(official.full_name)
        official.full_clean(validate_unique=False)
    _check_unique_codes(Official, [o.code for o in officials], _("Mã cán bộ"))
    created = Official.objects.bulk_create(officials, batch_size=_BULK_BATCH)
    audit_record(
        actor=actor,
        action="official.bulk_create",
        object_type=Official._meta.label_lower,
        object_repr=label[:300],
        after={"count": len(created)},
    )
    return created


_APPOINTMENT_COLUMNS = ["official", "unit", "role", "title", "start", "end", "decision"]


def _appointment_snapshot(appointment: Appointment) -> dict:
    data = snapshot(appointment, _APPOINTMENT_COLUMNS)
    data["fields"] = sorted(appointment.fields.values_list("code", flat=True))
    return data


def _appointment_errors(appointment: Appointment) -> list[str]:
    """Rules a single row cannot express: the post lies within the unit's life, and a unit has one
    head at a time."""
    errors = []
    unit = appointment.unit
    if not unit.is_valid_on(appointment.start):
        errors.append(
            _("%(unit)s không có hiệu lực ngày %(day)s (ngày bắt đầu bổ nhiệm).")
            % {"unit": unit, "day": appointment.start.strftime("%d/%m/%Y")}
        )
    if unit.valid_to and (appointment.end is None or appointment.end > unit.valid_to):
        errors.append(
            _("%(unit)s chỉ còn hiệu lực đến %(day)s: ngày kết thúc bổ nhiệm không được sau ngày đó.")
            % {"unit": unit, "day": unit.valid_to.strftime("%d/%m/%Y")}
        )
    return errors


def _overlapping_head(appointment: Appointment) -> Appointment | None:
    if appointment.role != AppointmentRole.HEAD:
        return None
    qs = Appointment.objects.filter(unit_id=appointment.unit_id, role=AppointmentRole.HEAD).filter(
        Q(end__isnull=True) | Q(end__gte=appointment.start)
    )
    if appointment.end:
        qs = qs.filter(start__lte=appointment.end)
    if appointment.pk:
        qs = qs.exclude(pk=appointment.pk)
    return qs.select_related("official").first()


@transaction.atomic
def appointment_create(
    *,
    actor,
    official: Official,
    unit: Unit,
    role: str,
    title: str,
    start: date,
    end: date | None = None,
    fields: Iterable[Field] = (),
    decision: str = "",
) -> Appointment:
    """Appoint an official to a post (bổ nhiệm, phân công). Deputies carry their portfolio fields."""
    appointment = Appointment(
        official=official,
        unit=unit,
        role=role,
        title=nfc(title).strip(),
        start=start,
        end=end,
        decision=decision.strip(),
    )
    appointment.full_clean()
    errors = _appointment_errors(appointment)
    clash = _overlapping_head(appointment)
    if clash:
        errors.append(
            _("%(unit)s đã có người đứng đầu %(name)s từ %(start)s%(end)s: kết thúc bổ nhiệm đó trước.")
            % {
                "unit": unit,
                "name": clash.official,
                "start": clash.start.strftime("%d/%m/%Y"),
                "end": f" đến {clash.end:%d/%m/%Y}" if clash.end else "",
            }
        )
    if errors:
        raise ValidationError(errors)
    appointment.save()
    fields = list(fields)
    if fields:
        appointment.fields.set(fields)
    audit_record(
        actor=actor, action="appointment.create", obj=appointment, after=_appointment_snapshot(appointment)
    )
    return appointment


@transaction.atomic
def appointment_end(*, actor, appointment: Appointment, end: date) -> Appointment:
    """End an appointment on `end` (its last day, inclusive)."""
    if end < appointment.start:
        raise ValidationError(
            _("Ngày kết thúc %(end)s trước ngày bắt đầu %(start)s của bổ nhiệm.")
            % {"end": end.strftime("%d/%m/%Y"), "start": appointment.start.strftime("%d/%m/%Y")}
        )
    if appointment.end is not None and appointment.end < end:
        raise ValidationError(
            _("Bổ nhiệm đã kết thúc ngày %(day)s.") % {"day": appointment.end.strftime("%d/%m/%Y")}
        )
    before = _appointment_snapshot(appointment)
    appointment.end = end
    appointment.full_clean()
    appointment.save(update_fields=["end"])
    audit_record(
        actor=actor,
        action="appointment.end",
        obj=appointment,
        before=before,
        after=_appointment_snapshot(appointment),
    )
    return appointment


@transaction.atomic
def appointment_bulk_create(
    *, actor, appointments: Sequence[tuple[Appointment, Sequence[Field]]], label: str
) -> list[Appointment]:
    """Insert many appointments with their portfolio fields; one audit event for the lot.

    Each row is checked against its unit's validity like `appointment_create`; overlapping heads are
    checked within the batch."""
    errors = []
    heads: dict[int, list[Appointment]] = {}
    for appointment, _fields in appointments:
        appointment.full_clean(exclude=["official", "unit"])
        errors += _appointment_errors(appointment)
        if appointment.role == AppointmentRole.HEAD:
            heads.setdefault(appointment.unit.pk, []).append(appointment)
    far = date.max
    for rows in heads.values():
        rows.sort(key=lambda a: a.start)
        for prev, nxt in zip(rows, rows[1:], strict=False):
            if (prev.end or far) >= nxt.start:
                errors.append(
                    _("%(unit)s có hai người đứng đầu cùng lúc từ %(day)s.")
                    % {"unit": nxt.unit, "day": nxt.start.strftime("%d/%m/%Y")}
                )
    if errors:
        raise ValidationError(errors[:20])
    created = Appointment.objects.bulk_create([a for a, _f in appointments], batch_size=_BULK_BATCH)
    through = Appointment.fields.through
    through.objects.bulk_create(
        [
            through(appointment_id=a.pk, field_id=f.pk)
            for a, (_a, fields) in zip(created, appointments, strict=True)
            for f in fields
        ],
        batch_size=_BULK_BATCH,
    )
    audit_record(
        actor=actor,
        action="appointment.bulk_create",
        object_type=Appointment._meta.label_lower,
        object_repr=label[:300],
        after={"count": len(created)},
    )
    return created
