"""unit_lineage_record: one audited step that closes predecessors, opens or links successors."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError

from congvu.core.models import AuditEvent
from congvu.org.models import Unit, UnitLineage
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.org.services import NewUnit, unit_create, unit_lineage_record

pytestmark = pytest.mark.django_db
DAY = date(2025, 7, 1)


@pytest.fixture
def communes():
    ppc = unit_create(actor="test", code="P", name="UBND tỉnh", kind="ppc")
    return ppc, [
        unit_create(actor="test", code=f"X{i}", name=f"Xã Số {i}", kind="commune", parent=ppc)
        for i in range(1, 4)
    ]


def test_merge_into_a_new_unit_closes_predecessors_and_links_them(communes):
    ppc, (a, b, _c) = communes
    links = unit_lineage_record(
        actor="test",
        event="merge",
        predecessors=[a, b],
        new_units=[NewUnit(code="XN", name="Xã Mới", kind="commune")],
        date=DAY,
        document="NQ 1687",
    )
    new = Unit.objects.get(code="XN")
    assert new.valid_from == DAY and new.parent == ppc
    assert set(Unit.objects.filter(code__in=["X1", "X2"]).values_list("valid_to", flat=True)) == {
        date(2025, 6, 30)
    }
    assert {(link.predecessor.code, link.successor.code) for link in links} == {("X1", "XN"), ("X2", "XN")}
    assert unit_with_predecessor_ids(new.pk) == {new.pk, a.pk, b.pk}
    actions = list(AuditEvent.objects.order_by("id").values_list("action", flat=True))[-5:]
    assert actions == [
        "unit.close",
        "unit.close",
        "unit.create",
        "unit_lineage.create",
        "unit_lineage.create",
    ]


def test_split_makes_one_link_per_successor(communes):
    _ppc, (a, b, c) = communes
    unit_lineage_record(actor="test", event="split", predecessors=[a], successors=[b, c], date=DAY)
    assert UnitLineage.objects.filter(predecessor=a, event="split").count() == 2
    b.refresh_from_db()
    assert b.valid_to is None  # existing successors go on


def test_rename_keeps_history(communes):
    _ppc, (a, _b, _c) = communes
    unit_lineage_record(
        actor="test",
        event="rename",
        predecessors=[a],
        new_units=[NewUnit(code="X1B", name="Xã Đổi Tên", kind="commune")],
        date=DAY,
    )
    assert UnitLineage.objects.get(predecessor=a).successor.name_folded == "xa doi ten"


@pytest.mark.parametrize(
    ("event", "n_pred", "n_succ"),
    [("merge", 2, 2), ("split", 1, 1), ("split", 2, 2), ("rename", 2, 1), ("rename", 1, 2), ("merge", 0, 1)],
)
def test_event_shape_is_checked(communes, event, n_pred, n_succ):
    _ppc, units = communes
    with pytest.raises(ValidationError):
        unit_lineage_record(
            actor="test",
            event=event,
            predecessors=units[:n_pred],
            successors=units[n_pred : n_pred + n_succ]
            if n_pred + n_succ <= 3
            else [units[2]] + [unit_create(actor="t", code="Y", name="Y", kind="commune")],
            date=DAY,
        )
    assert not UnitLineage.objects.exists()


def test_closed_predecessor_is_refused_and_nothing_is_written(communes):
    _ppc, (a, b, c) = communes
    unit_lineage_record(actor="test", event="merge", predecessors=[a], successors=[c], date=date(2024, 1, 1))
    count = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="không còn hiệu lực"):
        unit_lineage_record(actor="test", event="merge", predecessors=[a, b], successors=[c], date=DAY)
    b.refresh_from_db()
    assert b.valid_to is None
    assert AuditEvent.objects.count() == count


def test_successor_that_does_not_exist_yet_is_refused(communes):
    _ppc, (a, _b, _c) = communes
    later = unit_create(actor="t", code="L", name="Xã Sau", kind="commune", valid_from=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="không có hiệu lực"):
        unit_lineage_record(actor="test", event="merge", predecessors=[a], successors=[later], date=DAY)


def test_unit_cannot_succeed_itself(communes):
    _ppc, (a, _b, _c) = communes
    with pytest.raises(ValidationError):
        unit_lineage_record(actor="test", event="rename", predecessors=[a], successors=[a], date=DAY)
