"""The registers' demo step: realistic registers loaded through the importer, each load audited."""

import random
from datetime import date

import pytest
from django.db.models import F

from congvu.core.models import AuditEvent
from congvu.demo import registers as demo
from congvu.demo.builder import DemoContext
from congvu.registers.models import Dossier, ImportRun, Task

pytestmark = pytest.mark.django_db


def test_the_demo_step_loads_both_registers_through_the_importer(org):
    ctx = DemoContext(seed=7, scale="small", rng=random.Random(7), log=lambda _m: None)
    demo.build(ctx)

    runs = ImportRun.objects.filter(source="demo", status="stored")
    assert set(runs.values_list("register", flat=True)) == {"tasks", "dossiers"}
    assert AuditEvent.objects.filter(action="import_run.stored").count() == runs.count()
    assert Dossier.objects.count() == 2_000
    assert Task.objects.count() == 300

    # Every record lies in the period, at a unit that existed on its date.
    first, last = demo.FIRST_DAY, demo.LAST_DAY
    assert not Dossier.objects.exclude(received_on__range=(first, last)).exists()
    for record in Dossier.objects.select_related("unit")[:200]:
        assert record.unit.is_valid_on(record.received_on)
    assert not Dossier.objects.filter(unit=org.old, received_on__gte=date(2025, 3, 1)).exists()

    # Most work on time, some late, some open; deadlines after receipt.
    done = Dossier.objects.filter(completed_on__isnull=False)
    on_time = done.filter(completed_on__lte=F("due_on")).count()
    late = done.filter(completed_on__gt=F("due_on")).count()
    assert on_time > 0.75 * done.count()
    assert late > 0
    assert Dossier.objects.filter(completed_on__isnull=True).exists()
    assert not Dossier.objects.filter(due_on__lt=F("received_on")).exists()

    # Tasks come from every assigning authority, with QPPL, HĐND submissions and initiative.
    authorities = set(Task.objects.values_list("authority", flat=True))
    assert authorities == {
        "central",
        "party_committee",
        "party_standing",
        "peoples_council",
        "ppc",
        "ppc_chairman",
    }
    products = set(Task.objects.values_list("product_type", flat=True))
    assert {"legal_normative", "council_submission"} <= products
    assert Task.objects.filter(proactive=True).exists()
    assert not Task.objects.filter(advised_on__lt=F("handled_on")).exists()

    # Responsibility resolved by the importer from the appointments.
    assert Dossier.objects.filter(responsible_resolution="field_deputy", handler=org.cuong).exists()


def test_the_demo_working_days_follow_the_calendar():
    days = demo._Workdays()
    # 2025: Tết off 27/01–31/01; a dossier received Friday 24/01 with 3 working days is due 05/02.
    assert days.add(date(2025, 1, 24), 3) == date(2025, 2, 5)
    assert date(2025, 1, 28) not in days.receipt_days()


def test_the_demo_desk_of_so_xay_dung_imports_its_register_in_the_official_form(org):
    from congvu.conftest import make_user

    make_user("daumoi.sxd", "focal", org.unit)
    ctx = DemoContext(seed=7, scale="small", rng=random.Random(7), log=lambda _m: None)
    demo.build(ctx)

    run = ImportRun.objects.get(register="dossiers", created_by__username="daumoi.sxd", status="stored")
    assert run.rows_total > 0 and any("Sổ theo dõi hồ sơ theo mẫu" in n for n in run.notes)
    desk = Dossier.objects.filter(import_run=run)
    assert desk.count() == run.rows_total
    # Every field came from the catalogue, as the demo generated it.
    from congvu.demo.registers import PROCEDURES
    from congvu.registers.models import Procedure

    catalogue = dict(Procedure.objects.values_list("name", "field__code"))
    for procedure, field in desk.values_list("procedure", "field__code"):
        assert catalogue[procedure] == field
        assert field not in PROCEDURES or procedure in PROCEDURES[field]
    assert Dossier.objects.filter(channel="online").exists()
