"""Annual plan pages: drafted by inspectors or the lead, approved by the lead only; units see no plan."""

from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.inspections.models import InspectionPlan


def test_inspector_drafts_a_plan_and_the_lead_approves_it(client, personas):
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:plan_create"), {"year": 2026, "title": "Kế hoạch kiểm tra công vụ năm 2026"}
    )
    plan = InspectionPlan.objects.get()
    client.post(
        reverse("inspections:plan_item_add", args=[plan.pk]),
        {
            "unit": personas.unit.pk,
            "month": 3,
            "content": "Kỷ luật hành chính",
            "period_from": "01/01/2025",
            "period_to": "31/12/2025",
        },
    )
    assert plan.items.get().period_to.isoformat() == "2025-12-31"
    assert client.post(reverse("inspections:plan_approve", args=[plan.pk])).status_code == 403
    client.force_login(personas.lead)
    client.post(reverse("inspections:plan_approve", args=[plan.pk]))
    plan.refresh_from_db()
    assert plan.status == "approved"
    assert AuditEvent.objects.filter(action="plan.approve", object_id=str(plan.pk)).exists()
    # Approved: no more edits.
    client.force_login(personas.inspector)
    body = client.post(
        reverse("inspections:plan_item_add", args=[plan.pk]),
        {"unit": personas.other_unit.pk, "month": 4},
        follow=True,
    ).content.decode()
    assert "đã được phê duyệt" in body
    assert plan.items.count() == 1


def test_a_scheduled_inspection_is_created_from_an_approved_plan_item(client, personas, plan):
    item = plan.items.get()
    client.force_login(personas.lead)
    response = client.post(reverse("inspections:create"), {"kind": "scheduled", "plan_item": item.pk})
    inspection = item.inspections.get()
    assert response.status_code == 302
    assert inspection.unit == personas.unit
    assert inspection.period_from == item.period_from
    assert inspection.document_requests.filter(is_self_report=True).exists()


def test_a_surprise_inspection_needs_a_unit_and_a_period(client, personas):
    client.force_login(personas.lead)
    body = client.post(reverse("inspections:create"), {"kind": "surprise"}).content.decode()
    assert "hãy chọn đơn vị" in body


def test_plans_export_to_excel(client, personas, plan):
    from datetime import date

    from congvu.core.testing import xlsx_rows, xlsx_text
    from congvu.inspections import services

    draft = services.plan_create(actor=personas.inspector, year=2026, title="Kế hoạch năm 2026 (dự thảo)")
    services.plan_item_add(
        actor=personas.inspector,
        plan=draft,
        unit=personas.other_unit,
        month=3,
        content="Tiếp công dân",
        period_from=date(2025, 7, 1),
        period_to=date(2025, 12, 31),
    )
    client.force_login(personas.leadership)
    header, *rows = xlsx_rows(client.get(reverse("inspections:plans"), {"format": "xlsx"}))
    assert header[:6] == ["#", "Năm", "Số", "Kế hoạch", "Trạng thái", "Số đơn vị"]
    assert sorted((row[0], row[1], row[3], row[4], row[5]) for row in rows) == [
        (plan.pk, 2025, "Kế hoạch kiểm tra công vụ năm 2025", "Đã phê duyệt", 1),
        (draft.pk, 2026, "Kế hoạch năm 2026 (dự thảo)", "Dự thảo", 1),
    ]
    response = client.get(reverse("inspections:plan_detail", args=[plan.pk]), {"format": "xlsx"})
    header, *rows = xlsx_rows(response)
    assert header == ["Tháng", "Đơn vị", "Nội dung", "Thời kỳ từ", "Thời kỳ đến", "Số cuộc kiểm tra"]
    assert rows == [
        [7, "Sở Xây dựng", "Kỷ luật, kỷ cương hành chính", date(2025, 1, 1), date(2025, 6, 30), 0]
    ]
    # The other plan's item (another unit) is not in this plan's workbook.
    assert "Sở Tư pháp" not in xlsx_text(rows) and "Tiếp công dân" not in xlsx_text(rows)


def test_leadership_reads_plans_but_cannot_draft(client, personas, plan):
    client.force_login(personas.leadership)
    assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 200
    assert client.get(reverse("inspections:plan_create")).status_code == 403
    assert client.get(reverse("inspections:create")).status_code == 403


def test_units_and_outsiders_get_404_on_plans(client, personas, plan):
    for user in (personas.focal, personas.unit_head, personas.outsider):
        client.force_login(user)
        assert client.get(reverse("inspections:plans")).status_code == 404
        assert client.get(reverse("inspections:plan_detail", args=[plan.pk])).status_code == 404


def test_the_plan_list_filters_by_year_status_and_text_and_ignores_bad_values(client, personas, plan):
    from congvu.inspections import services

    services.plan_create(actor=personas.inspector, year=2026, title="Kế hoạch năm 2026")
    client.force_login(personas.lead)
    url = reverse("inspections:plans")

    def titles(params):
        response = client.get(url, params)
        assert response.status_code == 200
        body = response.content.decode()
        shown = [t for t in ("Kế hoạch kiểm tra công vụ năm 2025", "Kế hoạch năm 2026") if t in body]
        return shown, 'data-testid="filter-errors"' in body

    assert titles({"year": 2026}) == (["Kế hoạch năm 2026"], False)
    assert titles({"status": "approved"}) == (["Kế hoạch kiểm tra công vụ năm 2025"], False)
    assert titles({"q": "năm 2026"}) == (["Kế hoạch năm 2026"], False)
    for bad in ("-1", "9" * 30, "²", "20x6"):
        assert titles({"year": bad, "status": "draft"}) == (["Kế hoạch năm 2026"], True)
