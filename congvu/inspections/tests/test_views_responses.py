"""Unit answers: the focal point writes and submits, the unit head approves or returns; the team sees
only approved answers; nothing of another unit is reachable."""

from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.inspections import services
from congvu.inspections.tests.conftest import move


def _notified(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    return inspection.document_requests.get(is_self_report=True)


def _act(client, user, request, action, data=None):
    client.force_login(user)
    return client.post(
        reverse("inspections:response_action", args=["request", request.pk, action]), data or {}, follow=True
    )


def test_focal_point_answers_submits_and_the_head_approves(client, personas, inspection):
    request = _notified(personas, inspection)
    _act(client, personas.focal, request, "save", {"response_text": "Đơn vị đã tự kiểm tra", "version": 1})
    _act(client, personas.focal, request, "submit")
    body = _act(client, personas.unit_head, request, "approve").content.decode()
    assert "Đã duyệt và gửi Đoàn kiểm tra." in body
    request.refresh_from_db()
    assert request.response_status == "approved"
    assert request.approved_by == personas.unit_head
    assert AuditEvent.objects.filter(action="documentrequest.approve", object_id=str(request.pk)).exists()


def test_the_team_does_not_see_an_unapproved_answer(client, personas, inspection):
    request = _notified(personas, inspection)
    services.unit_response_save(
        actor=personas.focal, response=request, expected_version=1, response_text="BÍ MẬT NHÁP"
    )
    client.force_login(personas.inspector)
    url = reverse("inspections:detail", args=[inspection.pk])
    assert "BÍ MẬT NHÁP" not in client.get(url, {"tab": "documents"}).content.decode()
    services.unit_response_submit(actor=personas.focal, response=request)
    assert "BÍ MẬT NHÁP" not in client.get(url, {"tab": "documents"}).content.decode()
    services.unit_response_approve(actor=personas.unit_head, response=request)
    assert "BÍ MẬT NHÁP" in client.get(url, {"tab": "documents"}).content.decode()


def test_the_head_returns_an_answer_with_a_note(client, personas, inspection):
    request = _notified(personas, inspection)
    services.unit_response_save(
        actor=personas.focal, response=request, expected_version=1, response_text="Bản 1"
    )
    services.unit_response_submit(actor=personas.focal, response=request)
    _act(client, personas.unit_head, request, "return", {"note": "Bổ sung số liệu quý II"})
    request.refresh_from_db()
    assert request.response_status == "draft"
    body = client.get(
        reverse("inspections:detail", args=[inspection.pk]), {"tab": "documents"}
    ).content.decode()
    assert "Bổ sung số liệu quý II" in body


def test_the_focal_point_cannot_approve(client, personas, inspection):
    request = _notified(personas, inspection)
    services.unit_response_save(actor=personas.focal, response=request, expected_version=1, response_text="x")
    services.unit_response_submit(actor=personas.focal, response=request)
    assert _act(client, personas.focal, request, "approve").status_code == 403


def test_the_team_cannot_write_the_units_answer(client, personas, inspection):
    request = _notified(personas, inspection)
    assert (
        _act(client, personas.inspector, request, "save", {"response_text": "x", "version": 1}).status_code
        == 403
    )


def test_outsider_gets_404_on_every_answer_action(client, personas, inspection):
    request = _notified(personas, inspection)
    for action in ("save", "submit", "approve", "return"):
        assert _act(client, personas.outsider, request, action).status_code == 404
        assert _act(client, personas.outsider_head, request, action).status_code == 404


def test_a_stale_answer_is_refused(client, personas, inspection):
    request = _notified(personas, inspection)
    services.unit_response_save(
        actor=personas.unit_head, response=request, expected_version=1, response_text="Sếp viết"
    )
    body = _act(
        client, personas.focal, request, "save", {"response_text": "Tôi viết", "version": 1}
    ).content.decode()
    assert "Không lưu được" in body
    assert "Sếp viết" in body
    request.refresh_from_db()
    assert request.response_text == "Sếp viết"


def test_team_adds_a_document_request_and_the_unit_is_told(client, personas, inspection):
    _notified(personas, inspection)
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:request_add", args=[inspection.pk]),
        {"title": "Sổ theo dõi văn bản đến 2025", "due_on": "20/07/2025", "description": ""},
    )
    request = inspection.document_requests.get(is_self_report=False)
    assert request.due_on.isoformat() == "2025-07-20"
    assert personas.focal.notifications.filter(text__contains="Sổ theo dõi văn bản đến 2025").exists()
    client.force_login(personas.outsider)
    response = client.post(reverse("inspections:request_add", args=[inspection.pk]), {"title": "x"})
    assert response.status_code == 404
