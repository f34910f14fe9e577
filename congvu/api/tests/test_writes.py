"""Writes go through the inspection services with their rules: the team records a finding, the
unit's focal point starts and submits a remediation report, leadership writes nothing, and the
outsider meets a 404 before any rule."""

from congvu.core.models import AuditEvent
from congvu.inspections.models import Finding, RemediationReport

FINDING = {"description": "Hồ sơ trễ hạn", "category": "shortcoming", "severity": "low"}


def _on_site_inspection(world):
    """A second inspection of the personas' unit, on site, where findings may be written."""
    from congvu.api.tests.conftest import _on_site

    return _on_site(world.personas, world.personas.unit, "SXD2 kiểm tra")


def test_the_team_records_a_finding_through_the_service(world, api):
    inspection = _on_site_inspection(world)
    dossier = world.mine["dossier"]
    response = api.post(
        world.tokens["inspector"],
        f"/inspections/{inspection.pk}/findings",
        {**FINDING, "dossiers": [dossier.pk]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    finding = Finding.objects.get(pk=body["id"])
    assert (finding.status, finding.created_by, body["dossiers"]) == (
        "draft",
        world.personas.inspector,
        [dossier.pk],
    )
    assert AuditEvent.objects.filter(action="finding.record", object_id=str(finding.pk)).exists()


def test_a_finding_with_a_record_of_another_unit_is_refused_and_nothing_written(world, api):
    inspection = _on_site_inspection(world)
    before = Finding.objects.count()
    response = api.post(
        world.tokens["inspector"],
        f"/inspections/{inspection.pk}/findings",
        {**FINDING, "dossiers": [world.theirs["dossier"].pk]},
    )
    assert response.status_code == 400
    assert "không thuộc đơn vị được kiểm tra" in str(response.json()["detail"])
    assert Finding.objects.count() == before


def test_a_bad_category_is_named(world, api):
    inspection = _on_site_inspection(world)
    response = api.post(
        world.tokens["inspector"], f"/inspections/{inspection.pk}/findings", {**FINDING, "category": "x"}
    )
    assert response.status_code == 400 and "category" in response.json()["detail"]


def test_leadership_cannot_write(world, api, tmp_path):
    inspection = _on_site_inspection(world)
    token = world.tokens["leadership"]
    findings, reports = Finding.objects.count(), RemediationReport.objects.count()
    assert api.post(token, f"/inspections/{inspection.pk}/findings", FINDING).status_code == 403
    rec = world.mine["recommendation"]
    assert api.post(token, f"/recommendations/{rec.pk}/reports", {"response_text": "x"}).status_code == 403
    assert api.post(token, f"/remediation-reports/{world.mine['report'].pk}/submit").status_code == 403
    (tmp_path / "nv.csv").write_text("Mã nhiệm vụ\nNV-1\n", encoding="utf-8")
    with open(tmp_path / "nv.csv", "rb") as fh:
        assert api.post(token, "/registers/tasks/imports", {"file": fh}).status_code == 403
    assert (Finding.objects.count(), RemediationReport.objects.count()) == (findings, reports)


def test_a_unit_role_cannot_record_a_finding(world, api):
    inspection = _on_site_inspection(world)
    response = api.post(world.tokens["focal"], f"/inspections/{inspection.pk}/findings", FINDING)
    # The unit does not see an inspection before it is told of it (a surprise one: 404, as the page).
    assert response.status_code in (403, 404)
    assert not Finding.objects.filter(inspection=inspection).exists()


def test_outsider_gets_404_writing_to_another_units_objects(world, api):
    token = world.tokens["outsider"]
    assert api.post(token, f"/inspections/{world.mine['inspection'].pk}/findings", FINDING).status_code == 404
    rec = world.mine["recommendation"]
    assert api.post(token, f"/recommendations/{rec.pk}/reports", {"response_text": "x"}).status_code == 404
    assert api.post(token, f"/remediation-reports/{world.mine['report'].pk}/submit").status_code == 404


def test_the_focal_point_submits_the_remediation_report(world, api):
    report = world.mine["report"]
    response = api.post(world.tokens["focal"], f"/remediation-reports/{report.pk}/submit")
    assert response.status_code == 200, response.content
    report.refresh_from_db()
    assert (report.response_status, report.submitted_by) == ("submitted", world.personas.focal)
    assert AuditEvent.objects.filter(action="remediationreport.submit", object_id=str(report.pk)).exists()
    # Submitting twice is refused with the service's message.
    again = api.post(world.tokens["focal"], f"/remediation-reports/{report.pk}/submit")
    assert again.status_code == 400 and "đã được trình" in str(again.json()["detail"])


def test_a_second_pending_report_is_refused_then_allowed_after_review(world, api):
    rec = world.mine["recommendation"]
    response = api.post(
        world.tokens["focal"], f"/recommendations/{rec.pk}/reports", {"response_text": "Lần 2"}
    )
    assert response.status_code == 400
    assert "đang soạn hoặc chờ đoàn xem xét" in str(response.json()["detail"])
    assert rec.reports.count() == 1


def test_the_focal_point_starts_and_submits_a_report_in_one_call(world, api):
    from congvu.inspections import services

    old = world.mine["report"]
    services.unit_response_submit(actor=world.personas.focal, response=old)
    services.unit_response_approve(actor=world.personas.unit_head, response=old)
    services.remediation_review(
        actor=world.personas.inspector, report=old, accept=False, note="Thiếu minh chứng"
    )
    rec = world.mine["recommendation"]
    response = api.post(
        world.tokens["focal"],
        f"/recommendations/{rec.pk}/reports",
        {"response_text": "Đã bổ sung", "submit": True},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["response_status"], body["response_text"]) == ("submitted", "Đã bổ sung")
