"""Scoped reads of the organisation."""

from collections.abc import Iterable

from congvu.org.models import UnitLineage


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
