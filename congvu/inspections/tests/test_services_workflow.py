"""inspection_transition: the table decides the moves, the roles and the guards; every move audited."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.audit import audit_verify
from congvu.core.models import AuditEvent
from congvu.inspections import services
from congvu.inspections.models import StatusChange
from congvu.inspections.tests.conftest import approve_self_report, fill_checklists, move, to_on_site
from congvu.inspections.workflow import TRANSITIONS


def _conclude(personas, insp):
    services.inspection_update(
        actor=personas.lead,
        inspection=insp,
        expected_version=None,
        conclusion_number="20/TB-SNV",
        conclusion_date=date(2025, 8, 1),
    )
    return move(personas.lead, insp, "concluded")


def test_scheduled_inspection_walks_from_draft_to_closed(personas, inspection):
    to_on_site(personas, inspection)
    services.checklist_instantiate(actor=personas.inspector, inspection=inspection)
    fill_checklists(personas.inspector, inspection)
    move(personas.inspector, inspection, "minutes_signed")
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description="Chưa niêm yết đủ thủ tục",
        category="shortcoming",
        severity="low",
    )
    services.finding_confirm(actor=personas.inspector, finding=finding)
    rec = services.recommendation_create(
        actor=personas.inspector,
        inspection=inspection,
        kind="correction",
        addressee="Giám đốc Sở Xây dựng",
        content="Niêm yết đủ thủ tục",
        deadline=date(2025, 9, 1),
        finding=finding,
    )
    _conclude(personas, inspection)
    move(personas.inspector, inspection, "remediation")
    report = services.remediation_report_create(
        actor=personas.focal, recommendation=rec, response_text="Đã niêm yết"
    )
    services.unit_response_submit(actor=personas.focal, response=report)
    services.unit_response_approve(actor=personas.unit_head, response=report)
    services.remediation_review(actor=personas.inspector, report=report, accept=True)
    inspection = move(personas.lead, inspection, "closed", note="Hoàn thành")
    assert inspection.status == "closed"
    history = list(StatusChange.objects.filter(inspection=inspection).values_list("from_status", "to_status"))
    assert history == [
        ("draft", "decided"),
        ("decided", "notified"),
        ("notified", "self_report_received"),
        ("self_report_received", "on_site"),
        ("on_site", "minutes_signed"),
        ("minutes_signed", "concluded"),
        ("concluded", "remediation"),
        ("remediation", "closed"),
    ]
    assert audit_verify().ok


def test_every_move_is_audited_with_before_and_after_status(personas, inspection):
    move(personas.lead, inspection, "decided", note="Ký quyết định")
    event = AuditEvent.objects.filter(action="inspection.transition.decide").get()
    assert event.before["status"] == "draft"
    assert event.after["status"] == "decided"
    assert event.after["note"] == "Ký quyết định"
    assert event.object_id == str(inspection.pk)
    assert event.unit_id == personas.unit.pk


def test_surprise_inspection_skips_notice_and_self_report(personas, surprise):
    move(personas.lead, surprise, "decided")
    with pytest.raises(ValidationError):
        move(personas.inspector, surprise, "notified")
    surprise = move(personas.inspector, surprise, "on_site")
    assert surprise.status == "on_site"


def test_scheduled_inspection_cannot_jump_to_on_site(personas, inspection):
    move(personas.lead, inspection, "decided")
    with pytest.raises(ValidationError, match="Không được chuyển"):
        move(personas.inspector, inspection, "on_site")


def test_only_the_lead_decides(personas, inspection):
    with pytest.raises(PermissionDenied):
        move(personas.inspector, inspection, "decided")


def test_an_inspector_outside_the_team_cannot_move_on_site_steps(personas, inspection):
    from congvu.conftest import make_user

    stranger = make_user("p-other-inspector", "inspector")
    move(personas.lead, inspection, "decided")
    with pytest.raises(PermissionDenied):
        move(stranger, inspection, "notified")


def test_the_team_cannot_submit_the_units_self_report(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    approve_self_report(personas, inspection)
    with pytest.raises(PermissionDenied):
        move(personas.inspector, inspection, "self_report_received")


def test_another_units_focal_point_cannot_submit_the_self_report(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    approve_self_report(personas, inspection)
    with pytest.raises(PermissionDenied):
        move(personas.outsider, inspection, "self_report_received")


def test_leadership_is_read_only(personas, inspection):
    with pytest.raises(PermissionDenied):
        move(personas.leadership, inspection, "decided")


def test_self_report_needs_the_unit_heads_approval(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    request = inspection.document_requests.get(is_self_report=True)
    services.unit_response_save(
        actor=personas.focal, response=request, expected_version=1, response_text="Báo cáo"
    )
    services.unit_response_submit(actor=personas.focal, response=request)
    with pytest.raises(ValidationError, match="chưa được thủ trưởng đơn vị duyệt"):
        move(personas.focal, inspection, "self_report_received")
    with pytest.raises(PermissionDenied):
        services.unit_response_approve(actor=personas.focal, response=request)
    services.unit_response_approve(actor=personas.unit_head, response=request)
    assert move(personas.focal, inspection, "self_report_received").status == "self_report_received"


def test_deciding_needs_a_decision_number_and_a_head_of_team(personas, surprise):
    services.inspection_update(
        actor=personas.lead,
        inspection=surprise,
        expected_version=None,
        decision_number="",
        decision_date=None,
    )
    surprise.team.filter(role="head").delete()
    with pytest.raises(ValidationError) as exc:
        move(personas.lead, surprise, "decided")
    assert "số và ngày quyết định" in str(exc.value)
    assert "trưởng đoàn" in str(exc.value)
    assert surprise.history.count() == 0


def test_minutes_need_every_checklist_item_answered(personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    with pytest.raises(ValidationError, match="chưa có kết quả"):
        move(personas.inspector, surprise, "minutes_signed")


def test_conclusion_waits_for_findings_to_be_confirmed_or_withdrawn(personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    fill_checklists(personas.inspector, surprise)
    move(personas.inspector, surprise, "minutes_signed")
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Đi muộn",
        category="violation",
        severity="low",
    )
    services.finding_send(actor=personas.inspector, finding=finding)
    with pytest.raises(ValidationError, match="phát hiện chưa được xác nhận"):
        _conclude(personas, surprise)
    services.finding_withdraw(actor=personas.inspector, finding=finding, note="Đơn vị giải trình hợp lý")
    assert _conclude(personas, surprise).status == "concluded"
    assert move(personas.lead, surprise, "closed").status == "closed"


def test_the_table_names_only_known_statuses_and_actors():
    from congvu.inspections.services import _GUARDS
    from congvu.inspections.workflow import STATUSES

    for name, t in TRANSITIONS.items():
        assert t["from"] in STATUSES and t["to"] in STATUSES, name
        assert t["by"] in {"lead", "team", "unit"}, name
        assert set(t["guards"]) <= set(_GUARDS), name
