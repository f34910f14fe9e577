"""An excuse (a delay or error with an objective cause confirmed by the competent level, decree-335
§3.6) belongs to the task of the register: the staff member's product and every leader's directed copy
of it take the same fact; an approved sheet keeps what it froze. Figures by hand."""

from datetime import date
from fractions import Fraction

import pytest

from congvu.evaluation import services
from congvu.evaluation.models import PeriodSheet, SheetProduct, TaskExcuse
from congvu.evaluation.tests.test_leader_products import _generate, q1  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db

# Unexcused (test_leader_products): the staff member's S-1 is one day late, c = 75 %:
# (100 + 100 + 75)/3 × 70 % = 385/6. The head directs S-1 too: c = (1 + 1 + 3/4)/3, total 2275/36.
STAFF_LATE, HEAD_LATE, DEPUTY_LATE = Fraction(385, 6), Fraction(2275, 36), Fraction(245, 4)
# Excused: no product loses anything, c = 100 %: staff (100 + 100 + 100)/3 × 70 % = 70; the head
# (100 + 100 + 100 + d 100 + đ 50 + e 100)/6 × 70 % = 385/6; the deputy (directs S-1 only) the same.
STAFF_OK, HEAD_OK, DEPUTY_OK = Fraction(70), Fraction(385, 6), Fraction(385, 6)


def _s1(code):
    return SheetProduct.objects.get(sheet__official__code=code, code="S-1")


def _excuse(personas, product, document="CV 12/UBND", day=date(2026, 3, 20)):
    return services.product_excuse(
        actor=personas.focal, product=product, document=document, document_date=day
    )


def _totals():
    return {s.official.code: s.total_fraction for s in PeriodSheet.objects.select_related("official")}


def test_unexcused_delay_is_deducted_on_the_staff_sheet_and_on_the_leaders_copies(personas, q1):  # noqa: F811
    sheets = _generate(personas)
    assert sheets["O-CV1"].total_fraction == STAFF_LATE
    assert sheets["O-HEAD"].total_fraction == HEAD_LATE
    assert sheets["O-DEP"].total_fraction == DEPUTY_LATE
    assert not TaskExcuse.objects.exists()


def test_an_excuse_on_the_staff_product_is_the_same_fact_for_the_leaders_directed_copies(personas, q1):  # noqa: F811
    _generate(personas)
    _excuse(personas, _s1("O-CV1"))
    totals = _totals()
    assert totals["O-CV1"] == STAFF_OK
    assert totals["O-HEAD"] == HEAD_OK
    assert totals["O-DEP"] == DEPUTY_OK
    excuse = TaskExcuse.objects.get()
    assert (excuse.task.external_code, excuse.document, excuse.unit_id) == (
        "S-1",
        "CV 12/UBND",
        personas.unit.pk,
    )
    head = PeriodSheet.objects.get(official__code="O-HEAD")
    copy = head.products.get(code="S-1")
    assert copy.directed and copy.excuse_document == "CV 12/UBND" and copy.excuse_date == date(2026, 3, 20)
    # The leader's explanation names the excuse and its document.
    lines = [line["text"] for line in head.score["explanation"] if line["product_id"] == "S-1"]
    assert any("CV 12/UBND ngày 20/03/2026" in text and "nguyên nhân khách quan" in text for text in lines)
    # Generated again from the register, every sheet keeps the task's excuse.
    sheets = _generate(personas)
    assert sheets["O-CV1"].total_fraction == STAFF_OK and sheets["O-HEAD"].total_fraction == HEAD_OK
    # Withdrawn: both deducted again, and the task holds no excuse.
    _excuse(personas, _s1("O-CV1"), document="", day=None)
    totals = _totals()
    assert (totals["O-CV1"], totals["O-HEAD"], totals["O-DEP"]) == (STAFF_LATE, HEAD_LATE, DEPUTY_LATE)
    assert not TaskExcuse.objects.exists()


def test_recorded_on_the_leaders_copy_the_excuse_also_reaches_the_staff_sheet(personas, q1):  # noqa: F811
    _generate(personas)
    _excuse(personas, _s1("O-HEAD"))
    totals = _totals()
    assert (totals["O-CV1"], totals["O-HEAD"], totals["O-DEP"]) == (STAFF_OK, HEAD_OK, DEPUTY_OK)


def test_an_approved_leader_sheet_is_not_changed_by_a_later_excuse(personas, q1, client):  # noqa: F811
    _generate(personas)
    head = PeriodSheet.objects.get(official__code="O-HEAD")
    head = services.sheet_self_assess(actor=personas.lead, sheet=head, general_points={})
    head = services.sheet_review(actor=personas.lead, sheet=head, general_points={})
    head = services.sheet_approve(actor=personas.leadership, sheet=head)
    assert head.total_fraction == HEAD_LATE
    frozen = (head.total, head.score, head.snapshot, head.version)
    _excuse(personas, _s1("O-CV1"))
    head.refresh_from_db()
    assert (head.total, head.score, head.snapshot, head.version) == frozen
    assert head.products.get(code="S-1").excuse_document == ""
    totals = _totals()
    assert totals["O-CV1"] == STAFF_OK and totals["O-DEP"] == DEPUTY_OK  # not approved: excused
    # The frozen sheet's page says the excuse came after its approval.
    client.force_login(personas.lead)
    page = client.get(f"/evaluation/sheets/{head.pk}/").content.decode()
    assert "CV 12/UBND ngày 20/03/2026 được ghi sau khi phiếu đã phê duyệt" in page
    staff_page = client.get(f"/evaluation/sheets/{PeriodSheet.objects.get(official__code='O-CV1').pk}/")
    assert "được ghi sau khi phiếu đã phê duyệt" not in staff_page.content.decode()
