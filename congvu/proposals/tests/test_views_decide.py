"""The Chairman's decision: a confirmation step before anything is written; who may record it (leadership,
or the lead on the Chairman's behalf, flagged); decided discipline and classification flow into the
official's year record; nothing is half-written when the year record refuses."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from congvu.core.audit import audit_verify
from congvu.core.models import AuditEvent
from congvu.evaluation.models import DisciplineRecord, YearResult
from congvu.proposals import services
from congvu.proposals.models import Decision

DOC = {
    "document_number": "123/QĐ-UBND",
    "document_date": "20/11/2026",
    "signed_by": "Chủ tịch UBND tỉnh Lê Văn A",
}


@pytest.fixture
def submitted(personas, report):
    return services.report_submit(actor=personas.lead, report=report)


def _proposal(report, value):
    return report.proposals.get(value=value)


def test_leadership_confirms_then_the_discipline_reaches_the_year_record(
    client, personas, submitted, concluded
):
    proposal = _proposal(submitted, "khien_trach")
    client.force_login(personas.leadership)
    url = reverse("proposals:decide", args=[proposal.pk])
    assert client.get(url).status_code == 200
    first = client.post(url, {"outcome": "accepted", **DOC})
    assert first.status_code == 200
    assert "Xác nhận ghi quyết định" in first.content.decode()
    assert "Ghi hình thức kỷ luật “Khiển trách” vào hồ sơ năm của Trần Thị Phó" in first.content.decode()
    assert not Decision.objects.exists() and not DisciplineRecord.objects.exists()
    second = client.post(url, {"outcome": "accepted", "confirmed": "on", **DOC})
    assert second.status_code == 302
    decision = Decision.objects.get()
    assert decision.value == "khien_trach" and not decision.on_behalf
    record = DisciplineRecord.objects.get()
    assert decision.discipline_record == record
    assert record.official == concluded["deputy"]
    assert record.form == "khien_trach"
    assert record.decision_number == "123/QĐ-UBND"
    assert record.decision_date == date(2026, 11, 20) == record.effective_date
    assert record.public_duty_violation is True
    assert AuditEvent.objects.filter(action="decision.record", object_id=str(decision.pk)).exists()
    assert audit_verify().ok


def test_going_back_from_the_confirmation_writes_nothing(client, personas, submitted):
    proposal = _proposal(submitted, "khien_trach")
    client.force_login(personas.leadership)
    url = reverse("proposals:decide", args=[proposal.pk])
    response = client.post(url, {"outcome": "accepted", "confirmed": "on", "back": "1", **DOC})
    assert response.status_code == 200
    assert "Tiếp tục" in response.content.decode()
    assert not Decision.objects.exists()


def test_lead_records_a_changed_classification_on_behalf(client, personas, submitted, concluded):
    proposal = _proposal(submitted, "tot")
    client.force_login(personas.lead)
    url = reverse("proposals:decide", args=[proposal.pk])
    data = {"outcome": "changed", "value": "hoan_thanh", **DOC}
    assert client.post(url, data).status_code == 200
    assert client.post(url, {**data, "confirmed": "on"}).status_code == 302
    decision = Decision.objects.get()
    assert decision.on_behalf is True and decision.recorded_by == personas.lead
    result = YearResult.objects.get(official=concluded["head"], year=2025)
    assert result.decided_band == "hoan_thanh"
    assert "123/QĐ-UBND" in result.decision_document
    assert decision.year_result == result


def test_a_rejection_writes_nothing_to_the_year_record(personas, submitted):
    services.decision_record(
        actor=personas.leadership,
        proposal=_proposal(submitted, "khien_trach"),
        outcome="rejected",
        document_number="5/UBND-NC",
        document_date=date(2026, 11, 20),
        signed_by="Chủ tịch UBND tỉnh",
    )
    assert Decision.objects.get().value == ""
    assert not DisciplineRecord.objects.exists()


def test_an_accepted_criticism_of_an_official_is_recorded_as_non_disciplinary(personas, submitted, concluded):
    services.decision_record(
        actor=personas.leadership,
        proposal=_proposal(submitted, "criticism"),
        outcome="accepted",
        document_number="6/UBND-NC",
        document_date=date(2026, 11, 20),
        signed_by="Chủ tịch UBND tỉnh",
    )
    record = DisciplineRecord.objects.get()
    assert record.form == "phe_binh" and record.official == concluded["head"]


def test_the_report_is_decided_when_every_proposal_is(personas, submitted):
    for proposal in submitted.proposals.all():
        services.decision_record(
            actor=personas.leadership,
            proposal=proposal,
            outcome="rejected",
            document_number="7/UBND-NC",
            document_date=date(2026, 11, 20),
            signed_by="Chủ tịch UBND tỉnh",
        )
        submitted.refresh_from_db()
    assert submitted.status == "decided" and submitted.decided_at is not None


def test_nothing_is_half_written_when_the_year_record_refuses(personas, submitted):
    # the deputy holds no post on 01/01/2020, so the evaluation app refuses the discipline record
    with pytest.raises(ValidationError):
        services.decision_record(
            actor=personas.leadership,
            proposal=_proposal(submitted, "khien_trach"),
            outcome="accepted",
            document_number="8/QĐ-UBND",
            document_date=date(2026, 11, 20),
            effective_date=date(2020, 1, 1),
            signed_by="Chủ tịch UBND tỉnh",
        )
    assert not Decision.objects.exists() and not DisciplineRecord.objects.exists()


@pytest.mark.parametrize(
    ("missing", "message"),
    [("document_number", "Số, ký hiệu văn bản"), ("signed_by", "Người ký")],
)
def test_a_decision_without_its_document_is_refused_naming_the_field(
    client, personas, submitted, missing, message
):
    proposal = _proposal(submitted, "khien_trach")
    client.force_login(personas.leadership)
    data = {"outcome": "accepted", "confirmed": "on", **DOC, missing: ""}
    response = client.post(reverse("proposals:decide", args=[proposal.pk]), data)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Decision.objects.exists()


def test_a_change_must_name_a_different_value(personas, submitted):
    proposal = _proposal(submitted, "khien_trach")
    kwargs = {"document_number": "9/QĐ", "document_date": date(2026, 11, 20), "signed_by": "Chủ tịch"}
    with pytest.raises(ValidationError, match="Nội dung quyết định"):
        services.decision_record(
            actor=personas.leadership, proposal=proposal, outcome="changed", value="tot", **kwargs
        )
    with pytest.raises(ValidationError, match="trùng với đề xuất"):
        services.decision_record(
            actor=personas.leadership, proposal=proposal, outcome="changed", value="khien_trach", **kwargs
        )


def test_only_leadership_or_the_lead_records_decisions(client, personas, submitted):
    proposal = _proposal(submitted, "khien_trach")
    url = reverse("proposals:decide", args=[proposal.pk])
    for user in (personas.inspector, personas.admin):
        client.force_login(user)
        assert client.get(url).status_code == 403
        with pytest.raises(PermissionDenied):
            services.decision_record(
                actor=user,
                proposal=proposal,
                outcome="accepted",
                document_number="1/QĐ",
                document_date=date(2026, 11, 20),
                signed_by="x",
            )
    for user in (personas.unit_head, personas.focal, personas.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
    assert not Decision.objects.exists()


def test_no_decision_on_a_draft(client, personas, report):
    client.force_login(personas.leadership)
    proposal = _proposal(report, "khien_trach")
    assert client.get(reverse("proposals:decide", args=[proposal.pk])).status_code == 403
    with pytest.raises(ValidationError, match="đã trình"):
        services.decision_record(
            actor=personas.leadership,
            proposal=proposal,
            outcome="accepted",
            document_number="1/QĐ",
            document_date=date(2026, 11, 20),
            signed_by="x",
        )


def _discipline_head_in_2025(personas, concluded):
    from congvu.evaluation.services import discipline_record

    return discipline_record(
        actor=personas.lead,
        official=concluded["head"],
        form="canh_cao",
        effective_date=date(2025, 10, 1),
        decision_number="50/QĐ-UBND",
        decision_date=date(2025, 10, 1),
        public_duty_violation=True,
    )


def test_a_disciplined_official_is_proposed_as_not_completed(personas, concluded, head_year_result):
    _discipline_head_in_2025(personas, concluded)
    report = services.report_create(
        actor=personas.lead, kind="inspection", inspection=concluded["inspection"]
    )
    proposal = report.proposals.get(kind="classification")
    assert proposal.value == "khong_hoan_thanh"  # the computed "tốt" predates the discipline
    assert "Điều 20 khoản 4" in proposal.reasons


def test_the_chairman_cannot_rate_a_disciplined_official_above_not_completed(
    client, personas, submitted, concluded
):
    _discipline_head_in_2025(personas, concluded)
    proposal = _proposal(submitted, "tot")
    client.force_login(personas.leadership)
    url = reverse("proposals:decide", args=[proposal.pk])
    first = client.post(url, {"outcome": "accepted", **DOC})
    assert "chỉ xếp loại “Không hoàn thành nhiệm vụ”" in first.content.decode()
    assert "Xác nhận ghi quyết định" not in first.content.decode()
    with pytest.raises(ValidationError, match="Nội dung quyết định"):
        services.decision_record(
            actor=personas.leadership,
            proposal=proposal,
            outcome="accepted",
            document_number="1/QĐ",
            document_date=date(2026, 11, 20),
            signed_by="Chủ tịch",
        )
    assert not Decision.objects.exists()
    services.decision_record(
        actor=personas.leadership,
        proposal=proposal,
        outcome="changed",
        value="khong_hoan_thanh",
        document_number="1/QĐ",
        document_date=date(2026, 11, 20),
        signed_by="Chủ tịch",
    )
    assert YearResult.objects.get(official=concluded["head"], year=2025).decided_band == "khong_hoan_thanh"
