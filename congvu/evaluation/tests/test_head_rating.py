"""Who rates a head (decree-335 §7; Decree 90 Art. 16): the head of a unit managed by the province (its
parent is the province) by the Chairman on the Director of Home Affairs' proposal; the head of a
sub-unit (đơn vị thuộc sở) by the head of its agency, like staff. The rule comes from the unit and
drives the workflow, the pages and the year's decision; the reading "chairman" sends every head up."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied

from congvu.conftest import make_user
from congvu.evaluation import selectors, services
from congvu.evaluation.models import PeriodSheet, RuleSetAssignment
from congvu.evaluation.tests.conftest import make_task
from congvu.org.models import Appointment, Official

pytestmark = pytest.mark.django_db


@pytest.fixture
def centre(personas, people, nd335_2026):
    """A centre under the Department (đơn vị thuộc Sở Xây dựng) with its director and one specialist."""
    from congvu.org.services import unit_create

    unit = unit_create(
        actor="test", code="T-TTKD", name="Trung tâm Kiểm định", kind="public_service", parent=personas.unit
    )
    made = {"unit": unit}
    for key, code, role, title in [
        ("head", "C-HEAD", "head", "Giám đốc Trung tâm"),
        ("staff", "C-CV", "other", "Kỹ sư"),
    ]:
        official = Official.objects.create(code=code, full_name=f"Cán bộ {code}")
        Appointment.objects.create(
            official=official, unit=unit, role=role, title=title, start=date(2020, 1, 1)
        )
        made[key] = official
        make_task(
            f"{code}-1",
            unit,
            official,
            received=date(2026, 1, 5),
            due=date(2026, 2, 1),
            completed=date(2026, 1, 20),
            quality="passed",
        )
    make_task(
        "H-1",
        personas.unit,
        people["head"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 1, 20),
        quality="passed",
    )
    made["focal"] = make_user("c-focal", "focal", unit)
    made["own_head"] = make_user("c-head", "unit_head", unit)
    for where, focal in ((unit, made["focal"]), (personas.unit, personas.focal)):
        services.sheets_generate(
            actor=focal,
            unit=where,
            year=2026,
            period_number=1,
            period_kind="quarter",
            as_of=date(2026, 4, 10),
        )
    made["sheet"] = PeriodSheet.objects.get(official=made["head"])
    made["dept_sheet"] = PeriodSheet.objects.get(official=people["head"])
    return made


def test_the_rule_comes_from_the_unit(personas, centre):
    assert selectors.head_rating(unit_id=personas.unit.pk).by_chairman  # parent: the province
    rating = selectors.head_rating(unit_id=centre["unit"].pk)
    assert (rating.by_chairman, rating.agency_id, rating.agency_name) == (
        False,
        personas.unit.pk,
        "Sở Xây dựng",
    )
    assert selectors.head_rating(unit_id=centre["unit"].pk, reading="chairman").by_chairman


def test_a_sub_units_head_is_reviewed_and_approved_by_the_agency_head(personas, centre):
    sheet = services.sheet_self_assess(actor=centre["focal"], sheet=centre["sheet"], general_points={})
    for outsider in (personas.lead, centre["own_head"]):  # not the Director, not himself
        with pytest.raises(PermissionDenied):
            services.sheet_review(actor=outsider, sheet=sheet, general_points={})
    sheet = services.sheet_review(actor=personas.unit_head, sheet=sheet, general_points={})
    for outsider in (personas.leadership, centre["own_head"]):
        with pytest.raises(PermissionDenied):
            services.sheet_approve(actor=outsider, sheet=sheet)
    sheet = services.sheet_approve(actor=personas.unit_head, sheet=sheet)
    assert (sheet.status, sheet.approved_by) == ("approved", personas.unit_head)


def test_a_province_managed_units_head_still_goes_to_the_director_and_the_chairman(personas, centre):
    sheet = services.sheet_self_assess(actor=personas.focal, sheet=centre["dept_sheet"], general_points={})
    with pytest.raises(PermissionDenied):
        services.sheet_review(actor=personas.unit_head, sheet=sheet, general_points={})
    sheet = services.sheet_review(actor=personas.lead, sheet=sheet, general_points={})
    with pytest.raises(PermissionDenied):
        services.sheet_approve(actor=personas.unit_head, sheet=sheet)
    assert services.sheet_approve(actor=personas.leadership, sheet=sheet).status == "approved"


def test_the_reading_chairman_sends_the_sub_units_head_to_the_chairman(personas, centre):
    RuleSetAssignment.objects.filter(year=2026).update(overrides={"head_rating": "chairman"})
    services.sheets_generate(
        actor=centre["focal"],
        unit=centre["unit"],
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=date(2026, 4, 10),
    )
    sheet = PeriodSheet.objects.get(official=centre["head"])
    assert sheet.rules["head_rating"] == "chairman"
    sheet = services.sheet_self_assess(actor=centre["focal"], sheet=sheet, general_points={})
    with pytest.raises(PermissionDenied):
        services.sheet_review(actor=personas.unit_head, sheet=sheet, general_points={})
    assert services.sheet_review(actor=personas.lead, sheet=sheet, general_points={}).status == "reviewed"


def test_the_pages_say_who_rates_and_the_agency_head_sees_the_sub_units_head(personas, centre, client):
    client.force_login(personas.unit_head)
    page = client.get(f"/evaluation/sheets/{centre['sheet'].pk}/")
    assert page.status_code == 200
    assert "Thủ trưởng Sở Xây dựng phê duyệt, xếp loại như công chức của cơ quan" in page.content.decode()
    # The centre's staff stay the centre's: the agency head does not see them.
    staff_sheet = PeriodSheet.objects.get(official=centre["staff"])
    assert client.get(f"/evaluation/sheets/{staff_sheet.pk}/").status_code == 404
    listed = client.get("/evaluation/sheets/?year=2026").content.decode()
    assert "Cán bộ C-HEAD" in listed and "Cán bộ C-CV" not in listed
    page = client.get(f"/evaluation/sheets/{centre['dept_sheet'].pk}/").content.decode()
    assert "Chủ tịch UBND tỉnh phê duyệt, xếp loại theo đề xuất của Giám đốc Sở Nội vụ" in page


def test_the_years_decision_on_a_sub_units_head_is_the_agency_heads(personas, people, centre):
    with pytest.raises(PermissionDenied):
        services.year_result_decide(
            actor=centre["own_head"],
            official=centre["head"],
            year=2026,
            band="tot",
            decision_document="1/QĐ-TT",
        )
    result = services.year_result_decide(
        actor=personas.unit_head, official=centre["head"], year=2026, band="tot", decision_document="5/QĐ-SXD"
    )
    assert (result.decided_band, result.role, result.unit_id) == ("tot", "head", centre["unit"].pk)
    with pytest.raises(PermissionDenied):  # the Department's own head: the Chairman's
        services.year_result_decide(
            actor=personas.unit_head,
            official=people["head"],
            year=2026,
            band="tot",
            decision_document="6/QĐ-SXD",
        )
