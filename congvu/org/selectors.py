"""Scoped reads of the organisation."""

from collections.abc import Iterable
from datetime import date

from django.db.models import Q, QuerySet

from congvu.org.models import Appointment, AppointmentRole, Official, UnitLineage


def _walk(start: Iterable[int], forward: bool) -> set[int]:
    """Transitive closure over lineage links (small graph: a few thousand links at most)."""
    seen: set[int] = set()
    frontier = set(start)
    src, dst = ("predecessor_id", "successor_id") if forward else ("successor_id", "predecessor_id")
    while frontier:
        nxt = set(UnitLineage.objects.filter(**{f"{src}__in": frontier}).values_list(dst, flat=True)) - seen
        seen |= nxt
        frontier = nxt
    return seen


def unit_predecessor_ids(unit_id: int) -> set[int]:
    """All units that were merged, split or renamed into this one, at any depth."""
    return _walk([unit_id], forward=False) - {unit_id}


def unit_successor_ids(unit_id: int) -> set[int]:
    return _walk([unit_id], forward=True) - {unit_id}


def unit_with_predecessor_ids(unit_id: int) -> set[int]:
    """A unit and everything it absorbed: the set its records are counted over."""
    return {unit_id} | unit_predecessor_ids(unit_id)


# --- Appointments: who held which post on a given day ------------------------------------


def appointments_on(unit_id: int, day: date) -> QuerySet:
    """Appointments at the unit in force on `day` (start and end inclusive)."""
    return Appointment.objects.filter(unit_id=unit_id, start__lte=day).filter(
        Q(end__isnull=True) | Q(end__gte=day)
    )


def unit_head_on(unit_id: int, day: date) -> Official | None:
    """The head (người đứng đầu) of the unit on `day`; the most recently appointed if they overlap."""
    appointment = (
        appointments_on(unit_id, day)
        .filter(role=AppointmentRole.HEAD)
        .select_related("official")
        .order_by("-start")
        .first()
    )
    return appointment.official if appointment else None


def unit_deputies_on(unit_id: int, day: date) -> list[Official]:
    """The deputy heads (cấp phó) of the unit on `day`."""
    return [
        a.official
        for a in appointments_on(unit_id, day)
        .filter(role=AppointmentRole.DEPUTY)
        .select_related("official")
        .order_by("start")
    ]


def official_in_charge(unit_id: int, field_id: int | None, day: date) -> tuple[Official | None, str]:
    """Who was in charge of field F at unit U on day D: the deputy whose portfolio holds the field,
    else the head. Returns (official, how) with how in {'field_deputy', 'head', 'unresolved'}."""
    if field_id is not None:
        deputy = (
            appointments_on(unit_id, day)
            .filter(role=AppointmentRole.DEPUTY, fields__id=field_id)
            .select_related("official")
            .order_by("-start")
            .first()
        )
        if deputy:
            return deputy.official, "field_deputy"
    head = unit_head_on(unit_id, day)
    if head:
        return head, "head"
    return None, "unresolved"
