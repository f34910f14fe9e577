"""The inspection page and its tabs: who sees what; another unit's user gets 404 everywhere."""

import pytest
from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.tests.conftest import move, to_on_site

TABS = ["overview", "team", "checklist", "documents", "findings", "remediation"]


def _get(client, user, inspection, tab):
    client.force_login(user)
    return client.get(reverse("inspections:detail", args=[inspection.pk]), {"tab": tab})


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_renders_for_the_team_leadership_and_the_unit(client, personas, inspection, tab):
    to_on_site(personas, inspection)
    services.checklist_instantiate(actor=personas.inspector, inspection=inspection)
    for user in (personas.lead, personas.inspector, personas.leadership, personas.focal, personas.unit_head):
        response = _get(client, user, inspection, tab)
        assert response.status_code == 200, (user, tab)
        assert inspection.title in response.content.decode()


@pytest.mark.parametrize("tab", TABS)
def test_outsider_gets_404_on_every_tab(client, personas, inspection, tab):
    to_on_site(personas, inspection)
    assert _get(client, personas.outsider, inspection, tab).status_code == 404
    assert _get(client, personas.outsider_head, inspection, tab).status_code == 404


def test_unit_does_not_see_a_scheduled_inspection_before_the_notice(client, personas, inspection):
    move(personas.lead, inspection, "decided")
    assert _get(client, personas.focal, inspection, "overview").status_code == 404
    move(personas.inspector, inspection, "notified")
    assert _get(client, personas.focal, inspection, "overview").status_code == 200


def test_unit_does_not_see_a_surprise_inspection_before_the_team_arrives(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    assert _get(client, personas.unit_head, surprise, "overview").status_code == 404
    move(personas.inspector, surprise, "on_site")
    assert _get(client, personas.unit_head, surprise, "overview").status_code == 200


def test_history_shows_each_move_with_its_actor(client, personas, inspection):
    move(personas.lead, inspection, "decided", note="Đã ký quyết định 15")
    body = _get(client, personas.inspector, inspection, "overview").content.decode()
    assert "Đã ký quyết định 15" in body
    assert "Đã có quyết định" in body
    assert "p-lead" in body


def test_history_exports_to_excel(client, personas, inspection):
    from congvu.core.testing import xlsx_rows, xlsx_text

    move(personas.lead, inspection, "decided", note="Đã ký quyết định 15")
    _other_units_inspection(personas)
    client.force_login(personas.lead)
    response = client.get(
        reverse("inspections:detail", args=[inspection.pk]), {"tab": "overview", "format": "xlsx"}
    )
    header, *rows = xlsx_rows(response)
    assert header == ["Thời điểm", "Người thực hiện", "Từ trạng thái", "Sang trạng thái", "Ghi chú"]
    assert [row[1:] for row in rows] == [["p-lead", "Dự thảo", "Đã có quyết định", "Đã ký quyết định 15"]]
    assert "Sở Tư pháp" not in xlsx_text(rows)


def test_leadership_sees_no_action_buttons(client, personas, inspection):
    body = _get(client, personas.leadership, inspection, "overview").content.decode()
    assert 'data-testid="move-decided"' not in body
    assert 'data-testid="edit-form"' not in body


def test_the_lead_sees_the_move_with_what_blocks_it(client, personas, inspection):
    services.inspection_update(
        actor=personas.lead, inspection=inspection, expected_version=None, decision_number=""
    )
    body = _get(client, personas.lead, inspection, "overview").content.decode()
    assert 'data-testid="move-decided"' in body
    assert "Chưa nhập số và ngày quyết định kiểm tra." in body


def test_unit_sees_the_checklist_only_once_the_minutes_are_signed(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    body = _get(client, personas.focal, surprise, "checklist").content.decode()
    assert 'data-testid="sheet"' not in body
    assert "công khai với đơn vị khi ký biên bản" in body
    assert 'data-testid="sheet"' in _get(client, personas.inspector, surprise, "checklist").content.decode()


def test_edit_refuses_a_stale_version_with_what_changed(client, personas, inspection):
    client.force_login(personas.inspector)
    url = reverse("inspections:edit", args=[inspection.pk])
    data = {
        "title": inspection.title,
        "content": "",
        "decision_number": "99/QĐ-SNV",
        "decision_date": "01/07/2025",
        "period_from": "01/01/2025",
        "period_to": "30/06/2025",
        "version": inspection.version,
    }
    assert client.post(url, data).status_code == 302
    inspection.refresh_from_db()
    assert inspection.decision_number == "99/QĐ-SNV"
    data["decision_number"] = "100/QĐ-SNV"
    response = client.post(url, data, follow=True)  # same (now stale) version
    body = response.content.decode()
    assert "Không lưu được" in body
    assert "99/QĐ-SNV" in body
    inspection.refresh_from_db()
    assert inspection.decision_number == "99/QĐ-SNV"


def test_outsider_gets_404_on_edit_and_transition(client, personas, inspection):
    client.force_login(personas.outsider)
    assert client.post(reverse("inspections:edit", args=[inspection.pk]), {}).status_code == 404
    assert (
        client.post(
            reverse("inspections:transition", args=[inspection.pk]), {"to_status": "decided"}
        ).status_code
        == 404
    )


def test_leadership_posting_a_move_gets_403_and_nothing_changes(client, personas, inspection):
    client.force_login(personas.leadership)
    response = client.post(reverse("inspections:transition", args=[inspection.pk]), {"to_status": "decided"})
    assert response.status_code == 403
    inspection.refresh_from_db()
    assert inspection.status == "draft"


def _other_units_inspection(personas):
    """An inspection of the other unit by the same team, with a note, a finding, a recommendation, a
    document request and checklists: every text of it names "Sở Tư pháp", which no export of the
    first inspection may contain."""
    from datetime import date

    other = services.inspection_create(
        actor=personas.lead,
        kind="surprise",
        unit=personas.other_unit,
        title="Kiểm tra Sở Tư pháp",
        period_from=date(2025, 1, 1),
        period_to=date(2025, 6, 30),
        decision_number="17/QĐ-SNV",
        decision_date=date(2025, 7, 3),
    )
    services.team_member_add(actor=personas.lead, inspection=other, user=personas.lead, role="head")
    services.team_member_add(actor=personas.lead, inspection=other, user=personas.inspector, role="member")
    move(personas.lead, other, "decided", note="Quyết định kiểm tra Sở Tư pháp")
    move(personas.inspector, other, "on_site", note="Đến Sở Tư pháp")
    services.checklist_instantiate(actor=personas.inspector, inspection=other)
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=other,
        description="Sở Tư pháp chậm trả hồ sơ",
        category="limitation",
        severity="low",
    )
    services.recommendation_create(
        actor=personas.lead,
        inspection=other,
        kind="reminder",
        addressee="Giám đốc Sở Tư pháp",
        content="Sở Tư pháp chấn chỉnh",
        deadline=date(2025, 10, 1),
        finding=finding,
    )
    services.document_request_create(actor=personas.inspector, inspection=other, title="Báo cáo Sở Tư pháp")
    return other


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_exports_to_excel_and_the_outsider_gets_404(client, personas, inspection, tab):
    from datetime import date

    from congvu.core.testing import xlsx_rows, xlsx_text
    from congvu.inspections.models import ChecklistItem

    to_on_site(personas, inspection)
    services.checklist_instantiate(actor=personas.inspector, inspection=inspection)
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description="Phát hiện của Sở Xây dựng",
        category="limitation",
        severity="low",
    )
    services.recommendation_create(
        actor=personas.lead,
        inspection=inspection,
        kind="reminder",
        addressee="Giám đốc Sở Xây dựng",
        content="Chấn chỉnh giờ giấc",
        deadline=date(2025, 9, 1),
        finding=finding,
    )
    services.document_request_create(actor=personas.inspector, inspection=inspection, title="Báo cáo bổ sung")
    _other_units_inspection(personas)
    url = reverse("inspections:detail", args=[inspection.pk])
    client.force_login(personas.inspector)
    header, *rows = xlsx_rows(client.get(url, {"tab": tab, "format": "xlsx"}))
    if tab == "overview":
        assert header[1:4] == ["Người thực hiện", "Từ trạng thái", "Sang trạng thái"]
        assert [row[1] for row in rows] == ["p-lead", "p-inspector", "p-focal", "p-inspector"]
        assert rows[-1][3] == "Đang kiểm tra trực tiếp"
    elif tab == "team":
        assert header == ["Họ và tên", "Vai trò trong đoàn", "Cơ quan công tác"]
        assert [row[:2] for row in rows] == [["p-lead", "Trưởng đoàn"], ["p-inspector", "Thành viên"]]
    elif tab == "checklist":
        assert header[:5] == ["Phiếu", "Phần", "Mục", "Nội dung kiểm tra", "Kết quả"]
        assert len(rows) == ChecklistItem.objects.filter(checklist__inspection=inspection).count() > 0
        assert {row[0] for row in rows} == {"Phiếu kiểm tra cơ quan, đơn vị: Sở Xây dựng"}
    elif tab == "documents":
        assert header[:3] == ["Tài liệu yêu cầu", "Hạn", "Tình trạng"]
        assert [row[:3] for row in rows] == [
            ["Báo cáo tự kiểm tra", date(2025, 7, 15), "Đã duyệt, gửi đoàn"],
            ["Báo cáo bổ sung", "", "Đơn vị đang soạn"],
        ]
    elif tab == "findings":
        assert header[:5] == ["Loại", "#", "Phân loại / hình thức", "Mức độ / đối tượng", "Nội dung"]
        assert [(row[0], row[4]) for row in rows] == [
            ("Phát hiện", "Phát hiện của Sở Xây dựng"),
            ("Kiến nghị", "Chấn chỉnh giờ giấc"),
        ]
    else:
        assert header[:5] == ["Hình thức", "Đối tượng", "Nội dung", "Hạn", "Trạng thái"]
        assert [row[:4] for row in rows] == [
            ["Nhắc nhở", "Giám đốc Sở Xây dựng", "Chấn chỉnh giờ giấc", date(2025, 9, 1)]
        ]
    assert "Sở Tư pháp" not in xlsx_text(rows)
    client.force_login(personas.outsider)
    assert client.get(url, {"tab": tab, "format": "xlsx"}).status_code == 404


def test_the_unit_sees_whose_move_is_next_but_not_what_blocks_it(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Nháp",
        category="limitation",
        severity="low",
    )
    body = _get(client, personas.focal, surprise, "overview").content.decode()
    assert 'data-testid="other-move-minutes_signed"' in body
    assert "Đoàn kiểm tra thực hiện" in body
    assert "Chưa lập phiếu kiểm tra" not in body
    assert 'data-testid="move-minutes_signed"' not in body
