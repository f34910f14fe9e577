"""Fixtures for the document tests: the issuing body (Sở Nội vụ) and one inspection walked through its
life by the inspections app's own services — team, notice, checklists with frozen figures, a sample
with its published commitment, findings and recommendations."""

from datetime import date

from congvu.conftest import shared_fixture
from congvu.documents import services as doc_services
from congvu.documents.contexts import Target
from congvu.documents.kinds import INSPECTION, PLAN, YEAR
from congvu.inspections import services as insp_services
from congvu.inspections.tests import conftest as insp_conftest

# The inspections app's fixtures and helpers, reused as they are (plan, inspection, leaders, and a
# temporary MEDIA_ROOT for every test).
_media_in_tmp = insp_conftest._media_in_tmp
plan = insp_conftest.plan
inspection = insp_conftest.inspection
leaders = insp_conftest.leaders
fill_checklists = insp_conftest.fill_checklists
to_on_site = insp_conftest.to_on_site


@shared_fixture
def issuer(personas):
    from congvu.org.services import unit_create

    doha = unit_create(
        actor="test", code="T-SNV", name="Sở Nội vụ", kind="department", parent=personas.unit.parent
    )
    return doc_services.issuer_save(
        actor=personas.admin,
        unit=doha,
        superior="UBND tỉnh Vĩnh Long",
        name="Sở Nội vụ",
        abbreviation="SNV",
        place="Vĩnh Long",
        signer_title="Giám đốc",
        signer_name="Lê Văn Ký",
        is_default=True,
    )


@shared_fixture
def full_inspection(personas, leaders, inspection):
    """The scheduled inspection on site, its checklists filled (head and deputy figures frozen), one
    document request, a sample committed, a confirmed finding and a recommendation with a deadline."""
    from congvu.sampling import services as sampling_services

    inspector = personas.inspector
    to_on_site(personas, inspection)
    insp_services.checklist_instantiate(actor=inspector, inspection=inspection)
    fill_checklists(inspector, inspection)
    insp_services.document_request_create(
        actor=inspector, inspection=inspection, title="Sổ theo dõi hồ sơ năm 2025", due_on=date(2025, 7, 20)
    )
    sampling_services.sample_create(
        actor=inspector,
        inspection=inspection,
        title="Mẫu hồ sơ TTHC",
        register="dossiers",
        size_method="fixed",
        fixed_size=5,
        commitment_reference="Thông báo kiểm tra",
    )
    finding = insp_services.finding_record(
        actor=inspector,
        inspection=inspection,
        description="Chậm giải quyết 3 hồ sơ & không có phiếu xin lỗi <đúng mẫu>",
        category="shortcoming",
        severity="medium",
        responsible=leaders["deputy"],
    )
    insp_services.finding_send(actor=inspector, finding=finding)
    insp_services.finding_confirm(actor=inspector, finding=finding)
    insp_services.recommendation_create(
        actor=inspector,
        inspection=inspection,
        kind="correction",
        addressee="Sở Xây dựng",
        content="Chấn chỉnh việc giải quyết hồ sơ quá hạn.",
        deadline=date(2025, 9, 30),
        finding=finding,
        official=leaders["deputy"],
    )
    inspection.refresh_from_db()
    return inspection


def inspection_target(insp) -> Target:
    return Target(INSPECTION, inspection=insp)


def plan_target(plan) -> Target:
    return Target(PLAN, plan=plan)


def year_target(year: int) -> Target:
    return Target(YEAR, year=year)


@shared_fixture
def decision_draft(personas, issuer, inspection):
    return doc_services.document_draft_open(
        actor=personas.lead, kind="decision", target=inspection_target(inspection)
    )
