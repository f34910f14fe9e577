"""Selectors at boundary dates: first and last day of an appointment, the day of a merger."""

from datetime import date

import pytest

from congvu.org.models import Unit
from congvu.org.selectors import (
    official_in_charge,
    unit_deputies_on,
    unit_head_on,
    unit_predecessor_ids,
    unit_successor_ids,
    unit_tree_on,
    unit_with_predecessor_ids,
)
from congvu.org.tests.conftest import MERGER

pytestmark = pytest.mark.django_db
LAST_OLD_DAY = date(2025, 2, 28)


def test_merger_closes_the_predecessor_the_day_before(org):
    assert org.old.valid_to == LAST_OLD_DAY
    assert org.an_old.end == LAST_OLD_DAY
    assert org.binh_old.end == LAST_OLD_DAY


def test_head_on_first_and_last_day_of_appointments(org):
    assert unit_head_on(org.old.pk, date(2019, 12, 31)) is None
    assert unit_head_on(org.old.pk, date(2020, 1, 1)) == org.an
    assert unit_head_on(org.old.pk, LAST_OLD_DAY) == org.an
    assert unit_head_on(org.old.pk, MERGER) is None
    assert unit_head_on(org.unit.pk, LAST_OLD_DAY) is None
    assert unit_head_on(org.unit.pk, MERGER) == org.an


def test_deputies_on_boundaries(org):
    assert unit_deputies_on(org.unit.pk, date(2023, 12, 31)) == []
    assert unit_deputies_on(org.unit.pk, date(2024, 1, 1)) == [org.cuong]
    assert unit_deputies_on(org.unit.pk, date(2025, 12, 31)) == [org.cuong]
    assert unit_deputies_on(org.unit.pk, date(2026, 1, 1)) == []
    assert unit_deputies_on(org.old.pk, LAST_OLD_DAY) == [org.binh]
    assert unit_deputies_on(org.old.pk, MERGER) == []


def test_official_in_charge_prefers_the_field_deputy_then_the_head(org):
    assert official_in_charge(org.unit.pk, org.construction.pk, date(2025, 12, 31)) == (
        org.cuong,
        "field_deputy",
    )
    assert official_in_charge(org.unit.pk, org.construction.pk, date(2026, 1, 1)) == (org.an, "head")
    assert official_in_charge(org.unit.pk, org.transport.pk, MERGER) == (org.an, "head")
    assert official_in_charge(org.old.pk, org.transport.pk, LAST_OLD_DAY) == (org.binh, "field_deputy")
    assert official_in_charge(org.old.pk, org.transport.pk, MERGER) == (None, "unresolved")
    assert official_in_charge(org.unit.pk, None, date(2024, 6, 1)) == (None, "unresolved")


def test_predecessors_and_successors_follow_links_at_any_depth(org):
    from congvu.org.services import unit_create, unit_lineage_record

    older = unit_create(actor="test", code="T-OLD", name="Sở cũ hơn", kind="department")
    unit_lineage_record(
        actor="test",
        event="rename",
        predecessors=[older],
        new_units=[],
        successors=[org.old],
        date=date(2018, 1, 1),
    )
    assert unit_predecessor_ids(org.unit.pk) == {org.old.pk, older.pk}
    assert unit_with_predecessor_ids(org.unit.pk) == {org.unit.pk, org.old.pk, older.pk}
    assert unit_successor_ids(older.pk) == {org.old.pk, org.unit.pk}
    assert unit_successor_ids(org.unit.pk) == set()


def test_valid_on_includes_both_ends(org):
    assert Unit.objects.valid_on(LAST_OLD_DAY).filter(pk=org.old.pk).exists()
    assert not Unit.objects.valid_on(MERGER).filter(pk=org.old.pk).exists()


def _codes(nodes):
    for node in nodes:
        yield node.unit.code
        yield from _codes(node.children)


def test_tree_as_of_a_date_nests_children_and_drops_closed_units(org):
    before = unit_tree_on(fetched_by=org.personas.admin, day=LAST_OLD_DAY)
    after = unit_tree_on(fetched_by=org.personas.admin, day=MERGER)
    assert [n.unit.code for n in before] == ["T-UBND"]
    assert {"T-SGTVT", "T-SXD", "T-STP"} <= set(_codes(before[0].children))
    assert "T-SGTVT" not in set(_codes(after))


def test_unit_user_tree_shows_only_their_unit_and_its_predecessors(org):
    before = set(_codes(unit_tree_on(fetched_by=org.personas.focal, day=LAST_OLD_DAY)))
    assert before == {"T-SGTVT", "T-SXD"}
    assert set(_codes(unit_tree_on(fetched_by=org.personas.outsider, day=LAST_OLD_DAY))) == {"T-STP"}


def test_a_cycle_of_lineage_links_ends_the_walk(org):
    """The service refuses a cycle; the walk still ends on one (rows written by hand, an old import)."""
    from congvu.org.models import UnitLineage

    UnitLineage.objects.create(predecessor=org.unit, successor=org.old, event="rename", date=date(2026, 1, 1))
    assert unit_predecessor_ids(org.unit.pk) == {org.old.pk}
    assert unit_successor_ids(org.old.pk) == {org.unit.pk}
    assert unit_with_predecessor_ids(org.old.pk) == {org.old.pk, org.unit.pk}
