"""Drafts, the numbering registry and issuing: numbers given only at issue, in sequence per issuing
body, year and type code, never reused; the issued DOCX frozen with its SHA-256; every write audited."""

import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from congvu.core.audit import audit_verify
from congvu.core.models import AuditEvent
from congvu.documents import services
from congvu.documents.models import Document, NumberCounter
from congvu.documents.tests import docx_checks
from congvu.documents.tests.conftest import inspection_target, year_target

pytestmark = pytest.mark.django_db


def _issue(personas, kind, target, day=date(2025, 7, 5)):
    draft = services.document_draft_open(actor=personas.lead, kind=kind, target=target)
    return services.document_issue(actor=personas.lead, document=draft, issued_on=day)


def test_draft_has_no_number_until_issued(personas, decision_draft):
    assert decision_draft.number is None and decision_draft.code == ""
    assert not NumberCounter.objects.exists()


def test_opening_a_draft_twice_gives_the_same_draft(personas, issuer, inspection, decision_draft):
    again = services.document_draft_open(
        actor=personas.inspector, kind="decision", target=inspection_target(inspection)
    )
    assert again.pk == decision_draft.pk


def test_numbers_follow_each_other_per_issuer_year_and_type_code(personas, issuer, inspection):
    target = inspection_target(inspection)
    first = _issue(personas, "decision", target)
    second = _issue(personas, "decision", target)
    notice = _issue(personas, "notice", target)
    next_year = _issue(personas, "decision", target, day=date(2026, 1, 2))
    assert (first.code, second.code) == ("1/QĐ-SNV", "2/QĐ-SNV")
    assert notice.code == "1/TB-SNV"  # its own sequence
    assert next_year.code == "1/QĐ-SNV" and next_year.number_year == 2026  # restarts each year
    assert NumberCounter.objects.get(issuer=issuer, year=2025, number_code="QĐ").last_number == 2


def test_a_number_is_never_given_twice_even_if_the_counter_is_lost(personas, issuer, inspection):
    target = inspection_target(inspection)
    _issue(personas, "decision", target)
    _issue(personas, "decision", target)
    NumberCounter.objects.all().delete()  # a damaged registry
    third = _issue(personas, "decision", target)
    assert third.number == 3


def test_the_database_refuses_a_duplicate_number(personas, issuer, inspection):
    first = _issue(personas, "decision", inspection_target(inspection))
    copy = Document.objects.get(pk=first.pk)
    copy.pk = None
    copy.target_ref = "year:2099"
    copy.inspection, copy.year = None, 2099
    with pytest.raises(IntegrityError), transaction.atomic():
        copy.save()


def test_issuing_freezes_the_docx_with_its_sha256(personas, issuer, decision_draft):
    issued = services.document_issue(actor=personas.lead, document=decision_draft, issued_on=date(2025, 7, 5))
    with issued.docx.open("rb") as fh:
        stored = fh.read()
    assert hashlib.sha256(stored).hexdigest() == issued.docx_sha256
    assert issued.status == "issued" and issued.issued_by == personas.lead
    # the frozen blocks are what was signed, all of them
    assert issued.blocks["summary"] == "Về việc thành lập Đoàn kiểm tra công vụ tại Sở Xây dựng"
    with pytest.raises(ValidationError, match="đã được ban hành"):
        services.document_issue(actor=personas.lead, document=issued)
    with pytest.raises(ValidationError, match="đã ban hành"):
        services.document_draft_save(
            actor=personas.lead, document=issued, blocks={"summary": "Khác"}, expected_version=issued.version
        )
    assert Document.objects.get(pk=issued.pk).number == 1


def test_issue_is_audited_and_the_chain_holds(personas, decision_draft):
    issued = services.document_issue(actor=personas.lead, document=decision_draft, issued_on=date(2025, 7, 5))
    event = AuditEvent.objects.get(action="document.issue")
    assert event.object_id == str(issued.pk)
    assert event.after["code"] == "1/QĐ-SNV" and event.after["docx_sha256"] == issued.docx_sha256
    assert event.unit_id == issued.addressed_unit_id
    assert audit_verify().ok


def test_only_the_lead_issues(personas, decision_draft):
    with pytest.raises(PermissionDenied):
        services.document_issue(actor=personas.inspector, document=decision_draft)
    assert not NumberCounter.objects.exists()


def test_an_inspector_outside_the_team_cannot_draft(personas, issuer, inspection):
    from congvu.conftest import make_user

    stranger = make_user("p-other-inspector", "inspector")
    with pytest.raises(PermissionDenied):
        services.document_draft_open(actor=stranger, kind="decision", target=inspection_target(inspection))
    with pytest.raises(PermissionDenied):
        services.document_draft_open(
            actor=personas.focal, kind="decision", target=inspection_target(inspection)
        )


def test_a_kind_for_another_target_is_refused(personas, issuer, inspection):
    with pytest.raises(ValidationError, match="không lập cho"):
        services.document_draft_open(
            actor=personas.lead, kind="year-report", target=inspection_target(inspection)
        )


def test_without_an_issuing_body_the_draft_says_so(personas, inspection):
    with pytest.raises(ValidationError, match="Chưa khai báo cơ quan ban hành"):
        services.document_draft_open(
            actor=personas.lead, kind="decision", target=inspection_target(inspection)
        )


def test_edited_block_is_kept_and_the_rest_follows_the_data(personas, issuer, inspection, decision_draft):
    services.document_draft_save(
        actor=personas.inspector,
        document=decision_draft,
        blocks={"duties": "Đoàn làm việc 05 ngày & báo cáo <ngay>.", "summary": decision_draft_summary()},
        expected_version=decision_draft.version,
    )
    decision_draft.refresh_from_db()
    # the summary equals the data's default, so it is not stored and keeps following the data
    assert decision_draft.blocks == {"duties": "Đoàn làm việc 05 ngày & báo cáo <ngay>."}
    from congvu.conftest import make_user
    from congvu.inspections import services as insp_services

    secretary = make_user("p-secretary", "inspector")
    insp_services.team_member_add(
        actor=personas.lead, inspection=inspection, user=secretary, role="secretary"
    )
    data, _sha = services.document_render(document=decision_draft, fetched_by=personas.lead)
    text = docx_checks.full_text(docx_checks.open_docx(data))
    assert "Đoàn làm việc 05 ngày & báo cáo <ngay>." in text  # escaped into the XML, read back as typed
    assert "p-secretary — Thư ký" in text  # regenerated from the data


def decision_draft_summary():
    return "Về việc thành lập Đoàn kiểm tra công vụ tại Sở Xây dựng"


def test_stale_draft_save_is_refused(personas, decision_draft):
    services.document_draft_save(
        actor=personas.lead,
        document=decision_draft,
        blocks={"duties": "A"},
        expected_version=decision_draft.version,
    )
    with pytest.raises(ValidationError, match="người khác sửa"):
        services.document_draft_save(
            actor=personas.lead,
            document=decision_draft,
            blocks={"duties": "B"},
            expected_version=decision_draft.version,
        )


def test_unknown_block_is_refused(personas, decision_draft):
    with pytest.raises(ValidationError, match="không có trong mẫu"):
        services.document_draft_save(
            actor=personas.lead,
            document=decision_draft,
            blocks={"evil": "x"},
            expected_version=decision_draft.version,
        )


def test_notice_carries_the_sample_commitment_and_requests(personas, issuer, full_inspection):
    from congvu.sampling.models import Sample

    sample = Sample.objects.get(inspection=full_inspection)
    draft = services.document_draft_open(
        actor=personas.lead, kind="notice", target=inspection_target(full_inspection)
    )
    text = docx_checks.full_text(
        docx_checks.open_docx(services.document_render(document=draft, fetched_by=personas.lead)[0])
    )
    assert sample.seed_commitment in text and "ghi tại: Thông báo kiểm tra" in text
    from congvu.sampling.sealing import unseal

    assert unseal(sample.seed_sealed) not in text  # the secret seed never appears before the draw
    assert "Sổ theo dõi hồ sơ năm 2025 (hạn 20/07/2025)" in text


def test_minutes_show_each_leader_with_frozen_figures_and_findings(personas, issuer, full_inspection):
    draft = services.document_draft_open(
        actor=personas.lead, kind="minutes", target=inspection_target(full_inspection)
    )
    text = docx_checks.full_text(
        docx_checks.open_docx(services.document_render(document=draft, fetched_by=personas.lead)[0])
    )
    assert "Nguyễn Văn Giám Đốc — Giám đốc" in text and "Trần Thị Phó — Phó Giám đốc" in text
    assert "Hoàn thành đúng hạn: 0" in text and "(số liệu chốt đến ngày 30/06/2025)" in text
    assert "Chậm giải quyết 3 hồ sơ & không có phiếu xin lỗi <đúng mẫu>" in text


def test_minutes_list_every_draw_with_the_reason_for_a_repeated_one(
    personas, issuer, full_inspection, settings
):
    from congvu.sampling import services as sampling_services
    from congvu.sampling.models import Sample
    from congvu.sampling.tests.conftest import make_dossiers

    first = Sample.objects.get(inspection=full_inspection)
    text_before = docx_checks.full_text(
        docx_checks.open_docx(
            services.document_render(
                document=services.document_draft_open(
                    actor=personas.lead, kind="minutes", target=inspection_target(full_inspection)
                ),
                fetched_by=personas.lead,
            )[0]
        )
    )
    assert "Đoàn kiểm tra chưa rút mẫu nào." in text_before
    make_dossiers(full_inspection.unit, "dat-dai", 40, start=first.period_from)
    first = sampling_services.sample_draw(actor=personas.lead, sample=first)
    second = sampling_services.sample_create(
        actor=personas.lead,
        inspection=full_inspection,
        title="Mẫu rút lại",
        register=first.register,
        size_method="fixed",
        fixed_size=1,
        period_from=first.period_from,
        period_to=first.period_to,
    )
    second = sampling_services.sample_draw(
        actor=personas.lead, sample=second, reason="Sổ được bổ sung 200 hồ sơ sau lần rút đầu"
    )
    draft = services.document_draft_open(
        actor=personas.lead, kind="minutes", target=inspection_target(full_inspection)
    )
    text = docx_checks.full_text(
        docx_checks.open_docx(services.document_render(document=draft, fetched_by=personas.lead)[0])
    )
    assert "Đoàn kiểm tra chưa rút mẫu nào." not in text
    for sample in (first, second):
        assert sample.seed_commitment in text
        assert f"tổng thể {sample.population_size} hồ sơ" in text
    assert text.index(first.title + ": rút lúc") < text.index("Mẫu rút lại: rút lúc")
    assert "rút mẫu lại, lý do: Sổ được bổ sung 200 hồ sơ sau lần rút đầu." in text


def test_conclusion_lists_recommendations_with_deadlines_and_responsible(personas, issuer, full_inspection):
    draft = services.document_draft_open(
        actor=personas.lead, kind="conclusion", target=inspection_target(full_inspection)
    )
    text = docx_checks.full_text(
        docx_checks.open_docx(services.document_render(document=draft, fetched_by=personas.lead)[0])
    )
    assert "Chấn chỉnh việc giải quyết hồ sơ quá hạn." in text and "30/09/2025" in text
    assert "Ông (bà) Trần Thị Phó: chịu trách nhiệm về hạn chế số 1, thực hiện kiến nghị số 1." in text


def test_year_report_counts_the_years_inspections(personas, issuer, full_inspection):
    draft = services.document_draft_open(actor=personas.lead, kind="year-report", target=year_target(2025))
    text = docx_checks.full_text(
        docx_checks.open_docx(services.document_render(document=draft, fetched_by=personas.lead)[0])
    )
    assert "đã tiến hành 1 cuộc kiểm tra công vụ (1 theo kế hoạch, 0 đột xuất)" in text
    assert "ghi nhận 1 hạn chế" in text and "ban hành 1 kiến nghị" in text


def test_a_sequence_started_on_paper_continues_after_its_last_number(personas, issuer, inspection):
    services.number_counter_set(
        actor=personas.admin, issuer=issuer, year=2025, number_code="QĐ", last_number=150
    )
    issued = _issue(personas, "decision", inspection_target(inspection))
    assert issued.code == "151/QĐ-SNV"
    with pytest.raises(ValidationError, match="không lùi lại được"):
        services.number_counter_set(
            actor=personas.admin, issuer=issuer, year=2025, number_code="QĐ", last_number=100
        )
    with pytest.raises(PermissionDenied):
        services.number_counter_set(
            actor=personas.lead, issuer=issuer, year=2025, number_code="QĐ", last_number=200
        )
    assert AuditEvent.objects.filter(action="document.number_counter_set").count() == 1


def test_report_to_the_chairman_gives_each_recommendation_with_its_deadline(
    personas, issuer, full_inspection
):
    draft = services.document_draft_open(
        actor=personas.lead, kind="report", target=inspection_target(full_inspection)
    )
    text = docx_checks.full_text(
        docx_checks.open_docx(services.document_render(document=draft, fetched_by=personas.lead)[0])
    )
    assert (
        "Chấn chỉnh — Sở Xây dựng (Trần Thị Phó): Chấn chỉnh việc giải quyết hồ sơ quá hạn; "
        "thời hạn thực hiện: 30/09/2025." in text
    )
    assert "Nguyễn Văn Giám Đốc (Giám đốc):" in text and "Trần Thị Phó (Phó Giám đốc):" in text


def test_issued_decision_becomes_the_inspections_decision_when_none_was_entered(personas, issuer, plan):
    from congvu.inspections import services as insp_services

    inspection = insp_services.inspection_create(
        actor=personas.lead, kind="scheduled", plan_item=plan.items.get(), self_report_due=date(2025, 7, 15)
    )
    insp_services.team_member_add(actor=personas.lead, inspection=inspection, user=personas.lead, role="head")
    issued = _issue(personas, "decision", inspection_target(inspection), day=date(2025, 7, 1))
    inspection.refresh_from_db()
    assert (inspection.decision_number, inspection.decision_date) == (issued.code, date(2025, 7, 1))
    # now the workflow's guard is satisfied: the lead can move it to "decided"
    insp_services.inspection_transition(actor=personas.lead, inspection=inspection, to_status="decided")


def test_a_decision_number_typed_by_hand_is_never_overwritten(personas, issuer, inspection):
    _issue(personas, "decision", inspection_target(inspection))
    inspection.refresh_from_db()
    assert inspection.decision_number == "15/QĐ-SNV"
