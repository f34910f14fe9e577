"""Scoped reads of the organisation."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Subquery, When

from congvu.core.text import fold
from congvu.org.models import Appointment, AppointmentRole, Field, Official, Unit, UnitLineage


def _walk(start: Iterable[int], forward: bool) -> set[int]:
    """Transitive closure over lineage links: the units reached from `start` (not `start` itself
    unless a cycle leads back). One recursive query — the ORM has no WITH RECURSIVE — instead of one
    query per generation: a unit user's scope is this walk, on every request. UNION (not UNION ALL)
    stops at units already reached, so a cycle ends."""
    start = [int(pk) for pk in start]
    if not start:
        return set()
    src, dst = ("predecessor_id", "successor_id") if forward else ("successor_id", "predecessor_id")
    table = connection.ops.quote_name(UnitLineage._meta.db_table)
    sql = (
        f"WITH RECURSIVE reached(id) AS ("
        f" SELECT {dst} FROM {table} WHERE {src} IN ({', '.join(['%s'] * len(start))})"
        f" UNION SELECT link.{dst} FROM {table} link JOIN reached ON link.{src} = reached.id"
        f") SELECT id FROM reached"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, start)
        return {row[0] for row in cursor.fetchall()}


def unit_predecessor_ids(unit_id: int) -> set[int]:
    """All units that were merged, split or renamed into this one, at any depth."""
    return _walk([unit_id], forward=False) - {unit_id}


def unit_successor_ids(unit_id: int) -> set[int]:
    """All units this one was merged, split or renamed into, at any depth."""
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


# --- Units: lists, the tree as of a date, lineage ----------------------------------------


def unit_list(*, fetched_by, query: str = "", kind: str = "", day: date | None = None) -> QuerySet:
    """Units the user may see; `query` matches code or name, with or without diacritics."""
    qs = Unit.objects.visible_to(fetched_by).select_related("parent")
    if day is not None:
        qs = qs.valid_on(day)
    if kind:
        qs = qs.filter(kind=kind)
    if query:
        qs = qs.filter(unit_text_q(query))
    return qs


def unit_text_q(query: str) -> Q:
    """A unit whose name contains `query` (with or without diacritics) or whose code it is."""
    return Q(name_folded__contains=fold(query)) | Q(code__iexact=query.strip())


@dataclass
class TreeNode:
    unit: Unit
    children: list[TreeNode] = field(default_factory=list)

    @property
    def size(self) -> int:
        return 1 + sum(child.size for child in self.children)


def unit_tree_on(*, fetched_by, day: date) -> list[TreeNode]:
    """The organisation as it stood on `day`: the units valid that day, nested under their parents.

    A unit whose parent is not valid that day, or not visible to the user, becomes a root."""
    units = list(unit_list(fetched_by=fetched_by, day=day).order_by("kind", "name", "code"))
    nodes = {u.pk: TreeNode(u) for u in units}
    roots = []
    for unit in units:
        parent = nodes.get(unit.parent_id)
        (parent.children if parent else roots).append(nodes[unit.pk])
    kind_order = {
        k: i for i, k in enumerate(["province", "ppc", "ppc_office", "department", "board", "district"])
    }

    def order(node: TreeNode):
        return (kind_order.get(node.unit.kind, 99), node.unit.name_folded, node.unit.code)

    def sort(level: list[TreeNode]) -> None:
        level.sort(key=order)
        for node in level:
            sort(node.children)

    sort(roots)
    return roots


def unit_lineage_links(*, fetched_by, unit: Unit) -> tuple[QuerySet, QuerySet]:
    """(links into the unit from its direct predecessors, links out of it to its direct successors),
    limited to units the user may see."""
    visible = Unit.objects.visible_to(fetched_by)
    incoming = (
        UnitLineage.objects.filter(successor=unit, predecessor__in=visible)
        .select_related("predecessor__parent__parent")
        .order_by("-date", "predecessor__name")
    )
    outgoing = (
        UnitLineage.objects.filter(predecessor=unit, successor__in=visible)
        .select_related("successor")
        .order_by("date", "successor__name")
    )
    return incoming, outgoing


def unit_ancestry(*, fetched_by, unit: Unit) -> tuple[QuerySet, QuerySet]:
    """(every predecessor at any depth, every successor at any depth) the user may see."""
    visible = Unit.objects.visible_to(fetched_by).select_related("parent")
    return (
        visible.filter(pk__in=unit_predecessor_ids(unit.pk)).order_by("-valid_to", "name"),
        visible.filter(pk__in=unit_successor_ids(unit.pk)).order_by("valid_from", "name"),
    )


# --- Officials and fields ----------------------------------------------------------------


def official_text_q(query: str) -> Q:
    """An official whose name contains `query` (with or without diacritics) or whose code it is."""
    return Q(name_folded__contains=fold(query)) | Q(code__iexact=query.strip())


def official_list(*, fetched_by, query: str = "", day: date | None = None) -> QuerySet:
    """Officials the user may see, with their current post (the latest appointment in force on `day`)
    annotated by the database: `post_title`, `post_unit_name`, `post_unit_code`."""
    qs = Official.objects.visible_to(fetched_by)
    if query:
        qs = qs.filter(official_text_q(query))
    if day is not None:
        current = (
            Appointment.objects.filter(official=OuterRef("pk"), start__lte=day)
            .filter(Q(end__isnull=True) | Q(end__gte=day))
            .order_by(
                Case(
                    When(role=AppointmentRole.HEAD, then=0),
                    When(role=AppointmentRole.DEPUTY, then=1),
                    default=2,
                ),
                "-start",
            )
        )
        qs = qs.annotate(
            post_title=Subquery(current.values("title")[:1]),
            post_unit_name=Subquery(current.values("unit__name")[:1]),
            post_unit_code=Subquery(current.values("unit__code")[:1]),
        )
    return qs


def official_by_code(*, fetched_by, code: str) -> Official | None:
    """The official with this code among those the user may see (forms that name an official by
    code); None when there is none, whether it does not exist or belongs to another unit."""
    return Official.objects.visible_to(fetched_by).filter(code=code.strip()).first()


def official_appointments(*, fetched_by, official: Official) -> QuerySet:
    """An official's appointments across units, the most recent first (within what the user sees)."""
    return (
        Appointment.objects.visible_to(fetched_by)
        .filter(official=official)
        .select_related("unit")
        .prefetch_related("fields")
        .order_by("-start", "-pk")
    )


def unit_appointments(*, fetched_by, unit: Unit) -> QuerySet:
    """Every appointment at the unit, the most recent first."""
    return (
        Appointment.objects.visible_to(fetched_by)
        .filter(unit=unit)
        .select_related("official")
        .prefetch_related("fields")
        .order_by("-start", "role", "-pk")
    )


def field_text_q(query: str) -> Q:
    """A field whose name contains `query` (with or without diacritics) or whose code contains it."""
    return Q(name_folded__contains=fold(query)) | Q(code__icontains=query.strip())


def field_list(*, fetched_by, query: str = "", day: date | None = None) -> QuerySet:
    """The field catalogue (not unit-owned: every signed-in user reads it), with the number of
    deputies the user may see holding each field on `day` (`deputies`)."""
    qs = Field.objects.all()
    if query:
        qs = qs.filter(field_text_q(query))
    if day is not None:
        in_force = Q(appointments__start__lte=day) & (
            Q(appointments__end__isnull=True) | Q(appointments__end__gte=day)
        )
        visible = Appointment.objects.visible_to(fetched_by).filter(pk=OuterRef("appointments__pk"))
        qs = qs.annotate(
            deputies=Count(
                "appointments",
                filter=in_force & Q(appointments__role=AppointmentRole.DEPUTY) & Exists(visible),
                distinct=True,
            )
        )
    return qs
