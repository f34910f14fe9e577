from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows, xlsx_sheet_names, xlsx_text
from congvu.inspections import services as inspection_services
from congvu.inspections.models import Finding
from congvu.planning.models import PlanningEntry

pytestmark = pytest.mark.django_db
HOME = reverse("planning:home")
REVIEW = {"term": "2031-2036", "date": "01/12/2026"}


def sheet_url(unit):
    return reverse("planning:unit_sheet", args=[unit.code])


def record_url(official):
    return reverse("planning:official", args=[official.code])


def test_outsider_gets_404_on_another_units_sheet_record_and_entry(client, planned):
    p = planned.personas
    client.force_login(p.outsider_head)
    assert client.get(sheet_url(p.unit), REVIEW).status_code == 404
    assert client.get(record_url(planned.deputy)).status_code == 404
    assert client.get(sheet_url(p.other_unit), REVIEW).status_code == 200
    assert client.get(record_url(planned.foreign)).status_code == 200
    client.force_login(p.lead)
    # The lead may act, but an entry id that does not exist is a 404 like any other.
    assert client.post(reverse("planning:take_out", args=[999999]), {"reason": "x"}).status_code == 404


def test_unit_sheet_flags_what_holds_and_what_takes_people_out(client, planned):
    client.force_login(planned.personas.inspector)
    body = client.get(sheet_url(planned.personas.unit), REVIEW).content.decode()
    assert "Trần Thị Phó" in body and "Lê Văn Chuyên" in body and "Nguyễn Văn Trưởng" in body
    assert "Phạm Văn Tư Pháp" not in body
    assert "đưa ra ngay" in body  # the reprimand in force
    assert "Bị kỷ luật còn trong thời hạn" in body
    assert "Chỉ còn 50 tháng công tác tính đến 03/2031" in body
    assert "2023: HTTNV; 2024: HTXSNV; 2025: HTTNV" in body


def test_unit_roles_see_only_their_units_entries(client, planned):
    client.force_login(planned.personas.focal)
    body = client.get(HOME).content.decode()
    assert "Trần Thị Phó" in body and "Phạm Văn Tư Pháp" not in body
    client.force_login(planned.personas.leadership)
    body = client.get(HOME).content.decode()
    assert "Trần Thị Phó" in body and "Phạm Văn Tư Pháp" in body


def test_list_search_sort_and_filter(client, planned):
    client.force_login(planned.personas.inspector)
    body = client.get(HOME, {"q": "tran thi pho"}).content.decode()
    assert "Trần Thị Phó" in body and "Lê Văn Chuyên" not in body
    body = client.get(HOME, {"sort": "-name"}).content.decode()
    assert body.index("Trần Thị Phó") < body.index("Phạm Văn Tư Pháp") < body.index("Lê Văn Chuyên")
    assert client.get(HOME, {"page": 50, "status": "bogus"}).status_code == 200


def test_only_admin_and_lead_record_or_take_out(client, planned):
    p = planned.personas
    data = {
        "official_code": planned.head.code,
        "unit": p.unit.pk,
        "role": "head",
        "term": "2031-2036",
        "decision_number": "20/QĐ-UBND",
        "decision_date": "15/04/2026",
    }
    take_out = reverse("planning:take_out", args=[planned.staff_entry.pk])
    for user in (p.focal, p.unit_head, p.leadership, p.inspector):
        client.force_login(user)
        assert client.post(reverse("planning:entry_new"), data).status_code == 403
        assert client.post(take_out, {"out_date": "01/12/2026", "reason": "x"}).status_code == 403
    client.force_login(p.lead)
    response = client.post(reverse("planning:entry_new"), data)
    assert response.status_code == 302
    assert PlanningEntry.objects.filter(official=planned.head, decision_number="20/QĐ-UBND").exists()
    response = client.post(take_out, {"out_date": "01/12/2026", "reason": "Bị kỷ luật khiển trách"})
    assert response.status_code == 302
    planned.staff_entry.refresh_from_db()
    assert planned.staff_entry.status == "out"


def test_new_entry_form_shows_field_errors_in_vietnamese(client, planned):
    client.force_login(planned.personas.admin)
    data = {
        "official_code": "NOBODY",
        "unit": planned.personas.unit.pk,
        "role": "head",
        "term": "2031",
        "decision_number": "1",
        "decision_date": "31/02/2026",
    }
    body = client.post(reverse("planning:entry_new"), data).content.decode()
    assert "Không có cán bộ mã “NOBODY”" in body
    assert "Nhập một ngày hợp lệ" in body or "Enter a valid date" in body
    data.update(official_code=planned.head.code, decision_date="01/04/2026")
    body = client.post(reverse("planning:entry_new"), data).content.decode()
    assert "phải có dạng 2026-2031" in body
    assert not PlanningEntry.objects.filter(official=planned.head).exists()


def test_sheet_export_is_laid_out_like_the_review_annexes(client, planned):
    client.force_login(planned.personas.lead)
    response = client.get(sheet_url(planned.personas.unit), {**REVIEW, "format": "xlsx"})
    assert response["Content-Disposition"].endswith('quy-hoach-T-SXD-2031-2036.xlsx"')
    assert xlsx_sheet_names(response) == ["Phụ lục 1", "Phụ lục 2", "Lãnh đạo hiện nay"]
    rows = xlsx_rows(response, "Phụ lục 1")
    assert rows[0][0].startswith("PHỤ LỤC 1: BẢNG RÀ SOÁT, CHUYỂN TIẾP QUY HOẠCH")
    assert rows[3][:2] == ["Số TT", "Họ và tên"]
    text = xlsx_text(rows)
    assert "NHIỆM KỲ 2031-2036" in text
    assert "I. Chuyển tiếp quy hoạch cấp trưởng (1)" in text
    assert "II. Chuyển tiếp quy hoạch cấp phó (1)" in text
    deputy_row = next(r for r in rows if r[1] == "Trần Thị Phó")
    assert deputy_row[3] == "10/05/1975"  # the women's birth-date column
    assert deputy_row[10] == "2023: HTTNV; 2024: HTXSNV; 2025: HTTNV"
    assert deputy_row[11] == 50
    staff_row = next(r for r in rows if r[1] == "Lê Văn Chuyên")
    assert staff_row[13] == "Đưa ra khỏi quy hoạch ngay (kỷ luật)"
    assert "Phạm Văn Tư Pháp" not in text
    leaders = xlsx_rows(response, "Lãnh đạo hiện nay")
    assert [r[1] for r in leaders[1:]] == ["Nguyễn Văn Trưởng", "Trần Thị Phó"]


def test_list_export(client, planned):
    client.force_login(planned.personas.focal)
    header, *rows = xlsx_rows(client.get(HOME, {"format": "xlsx"}))
    assert header[:3] == ["Mã cán bộ", "Họ và tên", "Chức danh quy hoạch"]
    assert sorted(r[0] for r in rows) == ["PL-CV", "PL-DEP"]


def test_official_record_across_years(client, planned):
    p = planned.personas
    inspection = inspection_services.inspection_create(
        actor=p.lead,
        kind="surprise",
        unit=p.unit,
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
        decision_number="16/QĐ-SNV",
        decision_date=date(2025, 7, 2),
    )
    Finding.objects.create(
        inspection=inspection,
        number=1,
        description="Chậm giải quyết hồ sơ đất đai",
        category="shortcoming",
        severity="medium",
        responsible=planned.deputy,
        status="confirmed",
    )
    client.force_login(p.inspector)
    body = client.get(record_url(planned.deputy)).content.decode()
    assert "Phó Giám đốc" in body
    assert "Hoàn thành xuất sắc nhiệm vụ" in body  # 2024
    assert "Chậm giải quyết hồ sơ đất đai" in body
    assert "2031-2036" in body
    staff = client.get(record_url(planned.staff)).content.decode()
    assert "45/QĐ-SXD" in staff  # the reprimand
    rows = xlsx_rows(client.get(record_url(planned.deputy), {"format": "xlsx"}))
    assert rows[0] == ["Năm", "Xếp loại", "Bộ quy tắc", "Đã quyết định"]
    assert next(r for r in rows[1:] if r[0] == 2024)[1:] == ["Hoàn thành xuất sắc nhiệm vụ", "nd90_2020", "x"]


# The FilterSet (planning/filters.py): term and status narrow; a bad value is a form error.


def _names(client, params):
    response = client.get(HOME, params)
    assert response.status_code == 200, params
    body = response.content.decode()
    found = [n for n in ("Trần Thị Phó", "Lê Văn Chuyên", "Phạm Văn Tư Pháp") if n in body]
    return found, 'data-testid="filter-errors"' in body


def test_list_filters_by_term_and_status_and_names_bad_values(client, planned):
    from congvu.planning.services import planning_entry_take_out

    planning_entry_take_out(
        actor=planned.personas.lead, entry=planned.staff_entry, reason="Kỷ luật", out_date=date(2026, 10, 2)
    )
    client.force_login(planned.personas.inspector)
    everyone = ["Trần Thị Phó", "Lê Văn Chuyên", "Phạm Văn Tư Pháp"]
    assert _names(client, {"term": "2031-2036"}) == (everyone, False)
    assert _names(client, {"term": "2026-2031"}) == ([], False)
    assert _names(client, {"status": "out"}) == (["Lê Văn Chuyên"], False)
    assert _names(client, {"status": "in", "q": "PL-DEP"}) == (["Trần Thị Phó"], False)
    assert _names(client, {"status": "bogus", "q": "PL-DEP"}) == (["Trần Thị Phó"], True)
    assert _names(client, {"term": "1" * 5000, "status": "out"}) == (["Lê Văn Chuyên"], True)
    header, *rows = xlsx_rows(client.get(HOME, {"status": "out", "format": "xlsx"}))
    assert [r[1] for r in rows] == ["Lê Văn Chuyên"]


def test_a_unit_user_cannot_filter_into_another_units_entries(client, planned):
    client.force_login(planned.personas.focal)
    for params in ({"q": "tu phap"}, {"term": "2031-2036"}, {"status": "in"}):
        assert "Phạm Văn Tư Pháp" not in _names(client, params)[0], params
    header, *rows = xlsx_rows(client.get(HOME, {"term": "2031-2036", "format": "xlsx"}))
    assert "Phạm Văn Tư Pháp" not in xlsx_text([header, *rows])
