"""The demo's steps one by one. The organisation step: the demo province, Vĩnh Long after 1 Jul 2025,
the former Trà Vinh / Bến Tre / Vĩnh Long before. Then the inspections step and the planning step,
each alone on the organisation step's build, as `build_demo` would run them after it.

The organisation step is the slow part: it is built three times for the whole module (the
determinism check needs two builds of one seed and one of another), and the inspections and
planning tests start from a copy of the context of the build the tests read (its random generator
where the step left it), in their own savepoint, instead of building the organisation again."""

import copy
import random
from dataclasses import dataclass
from datetime import date

import pytest
from django.db import transaction

from congvu.accounts.demo import DEMO_ACCOUNTS
from congvu.accounts.models import User
from congvu.core.audit import audit_verify
from congvu.demo import inspections as demo_inspections
from congvu.demo import org as demo_org
from congvu.demo import planning as demo_planning
from congvu.demo.builder import DemoContext
from congvu.inspections.models import Inspection, InspectionPlan, StatusChange
from congvu.inspections.selectors import inspection_list
from congvu.inspections.workflow import STATUSES
from congvu.org.models import Appointment, Unit, UnitLineage
from congvu.org.selectors import official_in_charge, unit_head_on, unit_predecessor_ids, unit_tree_on
from congvu.planning.models import PlanningEntry
from congvu.planning.selectors import check_entries

pytestmark = [pytest.mark.django_db, pytest.mark.demo]  # slow: handed out with the first files
TODAY = date(2026, 11, 28)


def _build(seed=1):
    ctx = DemoContext(seed=seed, scale="small", rng=random.Random(seed), log=lambda *_: None)
    demo_org.build(ctx)
    return ctx


class _Rollback(Exception):
    pass


def _fingerprint():
    return list(
        Appointment.objects.order_by("official__code", "start", "unit__code").values_list(
            "official__code", "official__full_name", "unit__code", "role", "start", "end"
        )
    )


def _fingerprint_of_a_build(seed):
    try:
        with transaction.atomic():
            _build(seed)
            result = _fingerprint()
            raise _Rollback
    except _Rollback:
        return result


@dataclass
class Built:
    ctx: DemoContext
    fingerprints: dict  # seed → appointments of a build rolled back
    fingerprint_kept: list  # the same, of the build the tests read


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """The organisation step built three times for the whole module instead of once per test (it is
    the slow part): seeds 1 and 8 rolled back, for the determinism test, then seed 1 again, which the
    tests read, each in its own savepoint; rolled back when the module ends."""
    with django_db_blocker.unblock():
        try:
            with transaction.atomic():
                fingerprints = {seed: _fingerprint_of_a_build(seed) for seed in (1, 8)}
                ctx = _build(1)
                yield Built(ctx=ctx, fingerprints=fingerprints, fingerprint_kept=_fingerprint())
                raise _Rollback
        except _Rollback:
            pass


def _codes(nodes):
    for node in nodes:
        yield node.unit.code
        yield from _codes(node.children)


def _ids(*codes):
    return set(Unit.objects.filter(code__in=codes).values_list("pk", flat=True))


def test_demo_tree_before_and_after_the_merger_with_lineage_between(built):
    ctx = built.ctx
    admin = User.objects.get(username="admin")
    before = set(_codes(unit_tree_on(fetched_by=admin, day=date(2024, 12, 31))))
    after = set(_codes(unit_tree_on(fetched_by=admin, day=TODAY)))
    assert {"TV-UBND", "TV-SNV", "TV-SKHDT", "TV-H844", "TV-X29266", "BT-UBND", "VLC-UBND"} <= before
    assert not any(code.startswith("VL-") for code in before)
    assert "VL-UBND" in after and not any(code.split("-")[0] in ("TV", "BT", "VLC") for code in after)
    communes = Unit.objects.filter(code__startswith="VL-X")
    assert communes.count() == 124
    assert communes.filter(kind="ward").count() == 19 and communes.filter(kind="commune").count() == 105
    # Xã Càng Long absorbed three Trà Vinh communes; 41 new communes come wholly from Trà Vinh.
    cang_long = Unit.objects.get(code="VL-X29266")
    assert cang_long.name == "Xã Càng Long"
    assert unit_predecessor_ids(cang_long.pk) == _ids("TV-X29266", "TV-X29269", "TV-X29299")
    from_tra_vinh = [
        c for c in communes if {link.predecessor.code[:3] for link in c.predecessor_links.all()} == {"TV-"}
    ]
    assert len(from_tra_vinh) == 41
    # Departments: Transport merged into Construction on 1 Mar 2025, which merged into Vĩnh Long's.
    assert _ids("TV-SGTVT", "TV-SXD", "BT-SGTVT", "BT-SXD") <= unit_predecessor_ids(
        ctx.data["departments"]["SXD"].pk
    )
    assert UnitLineage.objects.filter(predecessor__code="TV-SLDTBXH", event="split").count() == 2
    assert Unit.objects.get(code="TV-SKHDT").valid_to == date(2025, 2, 28)
    assert Unit.objects.get(code="TV-SNV").valid_to == date(2025, 6, 30)
    names = {u.name for u in ctx.data["departments"].values()}
    assert {
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Công Thương",
        "Sở Nông nghiệp và Môi trường",
        "Sở Xây dựng",
        "Sở Khoa học và Công nghệ",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
        "Thanh tra tỉnh",
        "Văn phòng UBND tỉnh",
    } <= names
    assert len(names) <= 14
    assert {"departments", "communes", "province", "legacy_communes", "fields", "demo_units"} <= set(ctx.data)


def test_demo_has_leaders_on_every_side_of_the_merger(built):
    ctx = built.ctx
    sxd = ctx.data["departments"]["SXD"]
    accounts = {username: full_name for username, _r, _u, full_name in DEMO_ACCOUNTS}
    assert unit_head_on(sxd.pk, TODAY).full_name == accounts["giamdoc.sxd"]
    assert unit_head_on(Unit.objects.get(code="VL-X29266").pk, TODAY).full_name == accounts["chutich.xa"]
    for unit in [*ctx.data["departments"].values(), *ctx.data["communes"]]:
        assert unit_head_on(unit.pk, date(2025, 7, 1)) is not None, unit
    for unit in ctx.data["legacy_communes"][:50]:
        assert unit_head_on(unit.pk, date(2025, 6, 30)) is not None, unit
    land = ctx.data["fields"]["dat-dai"]
    assert (
        official_in_charge(ctx.data["departments"]["SNNMT"].pk, land.pk, date(2025, 7, 1))[1]
        == "field_deputy"
    )
    # Some officials moved across the merger: their history spans a former and a current unit.
    moved = Appointment.objects.filter(
        unit__code__startswith="TV-", official__appointments__unit__code__startswith="VL-"
    )
    assert moved.exists()
    for username, _role, unit_code, _name in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert (user.unit.code if user.unit else None) == unit_code


def test_demo_is_deterministic_for_a_seed(built):
    assert built.fingerprints[1] == built.fingerprint_kept
    assert built.fingerprints[1] != built.fingerprints[8]


def _after_the_organisation_step(built) -> DemoContext:
    """The context as `demo_org.build` leaves it for the next step, the kept build's rows in the
    database: what a fresh context of seed 1 holds after that step alone."""
    ctx = copy.deepcopy(built.ctx)
    assert ctx.rng.getstate() == built.ctx.rng.getstate() and ctx.seed == 1
    return ctx


def test_demo_has_inspections_in_every_state_for_the_demo_units(built):
    """The inspections step: plans and inspections in every state, built through the services,
    including the units of the demo accounts; each unit sees its own inspections only."""
    ctx = _after_the_organisation_step(built)
    demo_inspections.build(ctx)
    assert set(Inspection.objects.values_list("status", flat=True)) == set(STATUSES)
    assert set(InspectionPlan.objects.values_list("status", flat=True)) == {"draft", "approved"}
    sxd, xa = (User.objects.get(username=u) for u in ("daumoi.sxd", "daumoi.xa"))
    mine = inspection_list(fetched_by=sxd)
    assert mine.count() == 2  # the scheduled one in remediation and the surprise one on site
    assert {i.unit_id for i in mine} == {sxd.unit_id}
    assert [i.status for i in inspection_list(fetched_by=xa)] == ["notified"]
    closed = Inspection.objects.get(status="closed")
    assert StatusChange.objects.filter(inspection=closed).count() == 8
    assert closed.checklists.filter(subject="head").exists()
    assert audit_verify().ok


def test_demo_plans_the_departments_deputies_and_specialists_with_flags(built):
    # Only the organisation step before it: without the evaluation step there are no specialists with
    # classifications, so the classification condition is unknown, never invented.
    ctx = _after_the_organisation_step(built)
    demo_planning.build(ctx)
    entries = list(PlanningEntry.objects.filter(unit__code="VL-SXD").select_related("official", "unit"))
    heads = [e for e in entries if e.role == "head"]
    deputies = [e for e in entries if e.role == "deputy"]
    assert heads and 1 <= len(deputies) <= 2  # specialists: the evaluation step's, else whoever is in post
    assert all(e.official.birth_date and e.official.sex for e in entries)
    checks = check_entries(entries, on=demo_planning.REVIEW)
    oldest = min(heads, key=lambda e: e.official.birth_date)
    assert {f.code: f.status for f in checks[oldest.pk].flags}["age"] == "khong_dat"  # born 1968–1970
    assert all({f.code: f.status for f in checks[e.pk].flags}["classification"] == "chua_ro" for e in entries)
