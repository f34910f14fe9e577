"""Pages of the overrides: the conclusion form with its confirmation, the year page naming the
document, the unit's rating and the quota groups with T and the places; the outsider gets 404."""

from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_column, xlsx_rows
from congvu.evaluation.models import OverrideConclusion, QuotaGroupMember, UnitYearRating, YearResult
from congvu.evaluation.services import conclusion_record, year_compute

pytestmark = pytest.mark.django_db

CONCLUSION = {
    "official_code": "CV-0",
    "kind": "degradation_concluded",
    "document_number": "12/KL-UBKT",
    "document_date": "05/06/2026",
    "authority": "Ủy ban kiểm tra Tỉnh ủy",
}


def _client(client, user):
    client.force_login(user)
    return client


def test_conclusion_needs_confirmation_then_the_year_page_names_the_document(client, personas, seven):
    c = _client(client, personas.unit_head)
    first = c.post(reverse("evaluation:conclusions"), CONCLUSION)
    assert first.status_code == 200 and "Xác nhận ghi" in first.content.decode()
    assert not OverrideConclusion.objects.exists()
    c.post(reverse("evaluation:conclusions"), {**CONCLUSION, "confirm": "yes"})
    assert OverrideConclusion.objects.get().document_number == "12/KL-UBKT"
    rows = xlsx_rows(c.get(reverse("evaluation:conclusions") + "?format=xlsx"))
    assert xlsx_column(rows, "Số văn bản") == ["12/KL-UBKT"]
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    result = YearResult.objects.get(official=seven[0])
    page = c.get(reverse("evaluation:result", args=[result.pk])).content.decode()
    assert "Bị xếp loại không hoàn thành nhiệm vụ do bị cấp có thẩm quyền kết luận" in page
    assert "văn bản số 12/KL-UBKT ngày 05/06/2026" in page


def test_bad_conclusion_names_the_field_and_writes_nothing(client, personas, seven):
    c = _client(client, personas.unit_head)
    page = c.post(
        reverse("evaluation:conclusions"),
        {**CONCLUSION, "kind": "unit_corruption_handled", "confirm": "yes"},
    ).content.decode()
    assert "lãnh đạo, quản lý" in page
    assert not OverrideConclusion.objects.exists()


def test_outsider_sees_no_conclusion_and_cannot_record_for_the_unit(client, personas, seven):
    conclusion_record(
        actor=personas.unit_head,
        official=seven[0],
        kind="degradation_concluded",
        document_number="12/KL-UBKT",
        document_date=date(2026, 6, 5),
        authority="UBKT",
    )
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    c = _client(client, personas.outsider_head)
    assert "12/KL-UBKT" not in c.get(reverse("evaluation:conclusions")).content.decode()
    page = c.post(reverse("evaluation:conclusions"), {**CONCLUSION, "confirm": "yes"}).content.decode()
    assert "không tìm thấy" in page
    assert OverrideConclusion.objects.count() == 1
    result = YearResult.objects.get(official=seven[0])
    assert c.get(reverse("evaluation:result", args=[result.pk])).status_code == 404
    assert (
        c.post(reverse("evaluation:quota_group"), {"unit": personas.unit.code, "year": 2026}).status_code
        == 404
    )


def test_unit_page_shows_each_quota_group_with_t_and_places(client, personas, seven):
    c = _client(client, personas.unit_head)
    for code in ("CV-0", "CV-1", "CV-2"):
        c.post(
            reverse("evaluation:quota_group"),
            {"unit": personas.unit.code, "year": 2026, "official_code": code, "group": "Nhóm A"},
        )
    assert QuotaGroupMember.objects.count() == 3
    year_compute(actor=personas.unit_head, unit=personas.unit, year=2026)
    page = c.get(reverse("evaluation:home") + f"?year=2026&unit={personas.unit.code}").content.decode()
    assert 'data-testid="quota-groups"' in page
    assert "Nhóm A" in page and "nhóm nhỏ" in page


def test_province_records_the_units_rating_from_the_page(client, personas, seven):
    url = reverse("evaluation:unit_rating")
    data = {"unit": personas.unit.code, "year": 2026, "band": "tot", "decision_document": "QĐ 7/QĐ-UBND"}
    assert _client(client, personas.unit_head).post(url, data).status_code == 403
    assert not UnitYearRating.objects.exists()
    _client(client, personas.lead).post(url, data)
    assert UnitYearRating.objects.get().decision_document == "QĐ 7/QĐ-UBND"
    page = client.get(reverse("evaluation:home") + f"?year=2026&unit={personas.unit.code}").content.decode()
    assert "QĐ 7/QĐ-UBND" in page
