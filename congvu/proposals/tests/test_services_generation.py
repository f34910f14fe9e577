"""Generating a report from a concluded inspection: discipline recommendations become discipline
proposals naming their official, handling ones handling proposals, year results classification
proposals; withdrawn findings bring nothing; only the lead creates; nothing half-written."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.core.models import AuditEvent
from congvu.proposals import services
from congvu.proposals.models import DirectorReport, Proposal


def _by_kind(report):
    return {(p.kind, p.value): p for p in report.proposals.select_related("official", "unit")}


def test_generation_turns_recommendations_and_year_results_into_proposals(personas, concluded, report):
    proposals = _by_kind(report)
    assert set(proposals) == {
        ("discipline", "khien_trach"),
        ("handling", "criticism"),
        ("handling", "correction"),
        ("classification", "tot"),
    }
    discipline = proposals[("discipline", "khien_trach")]
    assert discipline.official == concluded["deputy"]
    assert discipline.unit == personas.unit
    assert list(discipline.recommendations.all()) == [concluded["discipline"]]
    assert list(discipline.findings.all()) == [concluded["late"]]
    assert "Chậm tham mưu" in discipline.reasons
    assert proposals[("handling", "correction")].official is None
    assert proposals[("handling", "criticism")].official == concluded["head"]
    classification = proposals[("classification", "tot")]
    assert classification.official == concluded["head"]
    assert classification.year == 2025
    assert classification.origin == "evaluation"
    assert report.status == "draft" and report.year == 2025
    assert AuditEvent.objects.filter(action="director_report.create", object_id=str(report.pk)).exists()


def test_a_decided_year_result_is_not_proposed_again(personas, concluded, head_year_result):
    head_year_result.decided_band = "tot"
    head_year_result.decision_document = "1/QĐ-UBND"
    head_year_result.save()
    report = services.report_create(
        actor=personas.lead, kind="inspection", inspection=concluded["inspection"]
    )
    assert not report.proposals.filter(kind="classification").exists()


def test_only_the_lead_creates_a_report(personas, concluded):
    for user in (personas.inspector, personas.leadership, personas.unit_head, personas.admin):
        with pytest.raises(PermissionDenied):
            services.report_create(actor=user, kind="inspection", inspection=concluded["inspection"])
    assert not DirectorReport.objects.exists()


def test_an_inspection_not_yet_concluded_gets_no_report(personas, surprise, leaders):
    with pytest.raises(ValidationError, match="chưa có thông báo kết luận"):
        services.report_create(actor=personas.lead, kind="inspection", inspection=surprise)
    assert not DirectorReport.objects.exists()


def test_a_second_report_for_the_same_inspection_is_refused(personas, report, concluded):
    with pytest.raises(ValidationError, match="đã có báo cáo"):
        services.report_create(actor=personas.lead, kind="inspection", inspection=concluded["inspection"])


def test_refresh_adds_only_what_is_missing_and_keeps_edits(personas, report):
    criticism = report.proposals.get(value="criticism")
    services.proposal_update(
        actor=personas.lead,
        proposal=criticism,
        expected_version=criticism.version,
        value="self_criticism",
        reasons="Kiểm điểm trước tập thể",
    )
    report.proposals.get(value="correction").delete()
    added = services.report_refresh(actor=personas.lead, report=report)
    assert [p.value for p in added] == ["correction"]
    assert report.proposals.filter(value="self_criticism").count() == 1
    assert report.proposals.count() == 4


def test_year_report_leaves_out_recommendations_already_proposed(personas, report, concluded):
    year = services.report_create(actor=personas.lead, kind="year", year=2025)
    assert not Proposal.objects.filter(report=year, recommendations__isnull=False).exists()
    # the head's classification is already proposed in the inspection report: not twice
    assert not year.proposals.filter(kind="classification").exists()


def test_year_report_proposes_year_results_not_proposed_elsewhere(personas, concluded, head_year_result):
    year = services.report_create(actor=personas.lead, kind="year", year=2025)
    assert year.proposals.get(kind="classification").official == concluded["head"]
    assert year.proposals.filter(kind="discipline", official=concluded["deputy"]).exists()


def test_year_report_needs_a_concluded_inspection_that_year(personas, concluded):
    with pytest.raises(ValidationError, match="chưa có cuộc kiểm tra nào đã kết luận"):
        services.report_create(actor=personas.lead, kind="year", year=2024)


def test_manual_proposal_names_an_official_of_the_unit(personas, report, concluded):
    from congvu.org.models import Official

    stranger = Official.objects.create(code="O-X", full_name="Người ngoài")
    with pytest.raises(ValidationError, match="chưa từng được bổ nhiệm"):
        services.proposal_add(
            actor=personas.lead,
            report=report,
            kind="classification",
            unit=personas.unit,
            official=stranger,
            value="tot",
        )
    with pytest.raises(ValidationError, match="phải nêu cán bộ"):
        services.proposal_add(
            actor=personas.lead, report=report, kind="discipline", unit=personas.unit, value="canh_cao"
        )
    with pytest.raises(ValidationError, match="không thuộc các cuộc kiểm tra"):
        services.proposal_add(
            actor=personas.lead, report=report, kind="handling", unit=personas.other_unit, value="reminder"
        )
    proposal = services.proposal_add(
        actor=personas.lead,
        report=report,
        kind="classification",
        unit=personas.unit,
        official=concluded["deputy"],
        value="hoan_thanh",
        reasons="Chưa có kết quả đánh giá năm: lãnh đạo kiểm tra đề xuất",
    )
    assert proposal.origin == "lead" and proposal.year == 2025
    with pytest.raises(ValidationError, match="đã có đề xuất xếp loại"):
        services.proposal_add(
            actor=personas.lead,
            report=report,
            kind="classification",
            unit=personas.unit,
            official=concluded["deputy"],
            value="tot",
        )


def test_dismissal_is_proposed_only_for_a_leader(personas, report, concluded):
    from datetime import date

    from congvu.org.models import Appointment, Official

    clerk = Official.objects.create(code="O-CV", full_name="Lê Văn Chuyên Viên")
    Appointment.objects.create(
        official=clerk, unit=personas.unit, role="other", title="Chuyên viên", start=date(2020, 1, 1)
    )
    with pytest.raises(ValidationError, match="Cách chức chỉ áp dụng"):
        services.proposal_add(
            actor=personas.lead,
            report=report,
            kind="discipline",
            unit=personas.unit,
            official=clerk,
            value="cach_chuc",
        )


def test_submission_freezes_results_and_ends_editing(personas, report):
    services.report_submit(actor=personas.lead, report=report)
    report.refresh_from_db()
    assert report.status == "submitted"
    unit = report.frozen_context["units"][0]
    assert unit["name"] == personas.unit.name
    leaders = unit["inspections"][0]["leaders"]
    assert {leader["subject"] for leader in leaders} == {"head", "deputy"}
    assert leaders[0]["figures"], "the frozen head/deputy figures come from the checklist snapshot"
    proposal = report.proposals.first()
    with pytest.raises(ValidationError, match="đã trình"):
        services.proposal_update(
            actor=personas.lead, proposal=proposal, expected_version=None, value=proposal.value, reasons="x"
        )


def test_a_rejected_classification_is_proposed_again_in_the_year_report(personas, report):
    from datetime import date

    services.report_submit(actor=personas.lead, report=report)
    services.decision_record(
        actor=personas.leadership,
        proposal=report.proposals.get(kind="classification"),
        outcome="rejected",
        document_number="9/UBND-NC",
        document_date=date(2026, 11, 20),
        signed_by="Chủ tịch UBND tỉnh",
    )
    year = services.report_create(actor=personas.lead, kind="year", year=2025)
    assert year.proposals.get(kind="classification").value == "tot"
