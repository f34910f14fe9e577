"""Fixtures for the inspection tests: a unit with a head and a deputy, records, and helpers that
walk an inspection through its workflow via the services."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from congvu.conftest import shared_fixture
from congvu.inspections import services
from congvu.org.models import Appointment, Field, Official

PERIOD = (date(2025, 1, 1), date(2025, 6, 30))
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf_file(name="bien-ban.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary directory (the fast password hasher is set suite-wide)."""
    settings.MEDIA_ROOT = tmp_path / "media"


@shared_fixture
def leaders(personas):
    """The head and a deputy (fields: construction) of the inspected unit during the period."""
    construction = Field.objects.create(code="XD", name="Xây dựng")
    planning = Field.objects.create(code="QH", name="Quy hoạch")
    head = Official.objects.create(code="O-HEAD", full_name="Nguyễn Văn Giám Đốc")
    deputy = Official.objects.create(code="O-DEP", full_name="Trần Thị Phó")
    head_appt = Appointment.objects.create(
        official=head, unit=personas.unit, role="head", title="Giám đốc", start=date(2020, 1, 1)
    )
    deputy_appt = Appointment.objects.create(
        official=deputy, unit=personas.unit, role="deputy", title="Phó Giám đốc", start=date(2024, 3, 1)
    )
    deputy_appt.fields.set([construction])
    return {
        "head": head,
        "deputy": deputy,
        "head_appt": head_appt,
        "deputy_appt": deputy_appt,
        "construction": construction,
        "planning": planning,
    }


@shared_fixture
def plan(personas):
    plan = services.plan_create(
        actor=personas.inspector, year=2025, title="Kế hoạch kiểm tra công vụ năm 2025"
    )
    services.plan_item_add(
        actor=personas.inspector,
        plan=plan,
        unit=personas.unit,
        month=7,
        content="Kỷ luật, kỷ cương hành chính",
        period_from=PERIOD[0],
        period_to=PERIOD[1],
    )
    return services.plan_approve(actor=personas.lead, plan=plan)


@shared_fixture
def inspection(personas, plan):
    """A scheduled inspection, decided, with the inspector as a member and the lead as head of team."""
    item = plan.items.get()
    insp = services.inspection_create(
        actor=personas.lead,
        kind="scheduled",
        plan_item=item,
        decision_number="15/QĐ-SNV",
        decision_date=date(2025, 7, 1),
        self_report_due=date(2025, 7, 15),
    )
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.lead, role="head")
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.inspector, role="member")
    return insp


@shared_fixture
def surprise(personas):
    insp = services.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=personas.unit,
        period_from=PERIOD[0],
        period_to=PERIOD[1],
        decision_number="16/QĐ-SNV",
        decision_date=date(2025, 7, 2),
    )
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.lead, role="head")
    services.team_member_add(actor=personas.lead, inspection=insp, user=personas.inspector, role="member")
    return insp


def move(actor, insp, to_status, note=""):
    return services.inspection_transition(actor=actor, inspection=insp, to_status=to_status, note=note)


def approve_self_report(personas, insp):
    request = insp.document_requests.get(is_self_report=True)
    services.unit_response_save(
        actor=personas.focal,
        response=request,
        expected_version=request.version,
        response_text="Đã tự kiểm tra.",
    )
    services.unit_response_submit(actor=personas.focal, response=request)
    services.unit_response_approve(actor=personas.unit_head, response=request)


def fill_checklists(actor, insp, result="passed"):
    for sheet in insp.checklists.all():
        services.checklist_save(
            actor=actor,
            checklist=sheet,
            entries=[(i.pk, i.version, result, "") for i in sheet.items.all()],
        )


def to_on_site(personas, insp):
    """decided → notified → self-report → on site (scheduled)."""
    move(personas.lead, insp, "decided")
    move(personas.inspector, insp, "notified")
    approve_self_report(personas, insp)
    move(personas.focal, insp, "self_report_received")
    return move(personas.inspector, insp, "on_site")
