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
    move(personas.lead, inspection, "decided")
    client.force_login(personas.lead)
    response = client.get(
        reverse("inspections:detail", args=[inspection.pk]), {"tab": "overview", "format": "xlsx"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


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


@pytest.mark.parametrize("tab", TABS)
def test_every_tab_exports_to_excel_and_the_outsider_gets_404(client, personas, inspection, tab):
    to_on_site(personas, inspection)
    services.checklist_instantiate(actor=personas.inspector, inspection=inspection)
    url = reverse("inspections:detail", args=[inspection.pk])
    client.force_login(personas.inspector)
    response = client.get(url, {"tab": tab, "format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
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
