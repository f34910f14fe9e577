"""The population of a sample, read from the registers: the inspected unit's records (with the units
it absorbed) received in the period under review, as canonical records (`draw.PopulationRecord`)."""

from __future__ import annotations

import unicodedata
from collections import Counter
from dataclasses import dataclass

from django.utils.translation import gettext as _

from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.models import Dossier, Task
from congvu.sampling import draw


@dataclass(frozen=True)
class FieldInfo:
    field_id: int | None
    name: str


@dataclass
class Population:
    records: list[draw.PopulationRecord]  # canonical order
    fields: dict[str, FieldInfo]  # field code → field

    @property
    def text(self) -> str:
        return draw.population_text(self.records)

    def sizes(self) -> dict[str, int]:
        return dict(Counter(r.field_code for r in self.records))


def register_model(register: str):
    return Dossier if register == "dossiers" else Task


def read_population(*, unit_id: int, register: str, period_from, period_to) -> Population:
    """Every record of the unit and its predecessors received in [period_from, period_to]."""
    model = register_model(register)
    rows = list(
        model.objects.filter(
            unit_id__in=unit_with_predecessor_ids(unit_id), received_on__range=(period_from, period_to)
        )
        .values_list("pk", "external_code", "source", "field_id", "field__code", "field__name")
        .iterator(chunk_size=5000)
    )
    plain = [unicodedata.normalize("NFC", code.strip()) for _pk, code, *_rest in rows]
    repeated = Counter(plain)
    no_field = _("Chưa xác định lĩnh vực")
    fields: dict[str, FieldInfo] = {}
    records = []
    for (pk, _code, source, field_id, field_code, field_name), code in zip(rows, plain, strict=True):
        key = field_code or draw.NO_FIELD
        if key not in fields:
            fields[key] = FieldInfo(field_id, field_name or no_field)
        if repeated[code] > 1:
            code = draw.record_code(code, source, True)
        records.append(draw.PopulationRecord(key, code, pk))
    return Population(records=draw.canonical_records(records), fields=fields)
