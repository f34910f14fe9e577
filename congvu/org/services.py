"""Writes to the organisation, each in one transaction with its audit event."""

from datetime import date

from django.db import transaction

from congvu.core.audit import audit_record, snapshot
from congvu.core.text import fold
from congvu.org.models import Unit


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
    unit = Unit(
        code=code,
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
