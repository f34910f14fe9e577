"""One answer = one form (text, files, submit): nothing the unit typed is lost when it uploads a file
or submits, a refused save keeps the typed text in its box, and nothing is half-written."""

from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.inspections import services
from congvu.inspections.models import Evidence
from congvu.inspections.tests.conftest import PDF, move, pdf_file


def _notified_request(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    return inspection.document_requests.get(is_self_report=True)


def _explanation(personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Công chức một cửa vắng mặt",
        category="violation",
        severity="medium",
    )
    services.finding_send(actor=personas.inspector, finding=finding)
    finding.refresh_from_db()
    return finding.explanation


def _post(client, user, kind, resp, action, data):
    client.force_login(user)
    return client.post(
        reverse("inspections:response_action", args=[kind, resp.pk, action]), data, follow=True
    )


def test_a_file_uploaded_with_the_answer_keeps_the_typed_text(client, personas, inspection):
    request = _notified_request(personas, inspection)
    body = _post(
        client,
        personas.focal,
        "request",
        request,
        "save",
        {"response_text": "Báo cáo tự kiểm tra đính kèm", "version": request.version, "file": pdf_file()},
    ).content.decode()
    request.refresh_from_db()
    assert request.response_text == "Báo cáo tự kiểm tra đính kèm"
    assert Evidence.objects.filter(document_request=request, original_name="bien-ban.pdf").count() == 1
    assert "Báo cáo tự kiểm tra đính kèm" in body  # back in its box on the page
    assert "bien-ban.pdf" in body
    # The message is also in the answer's box, where the page lands (#request-<pk>).
    box = body[body.index(f'id="request-{request.pk}"') :]
    assert 'data-testid="answer-message"' in box.split("</form>")[0]
    assert "Đã lưu nội dung trả lời." in box.split("</form>")[0]


def test_submitting_an_explanation_saves_the_typed_text_first(client, personas, surprise):
    explanation = _explanation(personas, surprise)
    body = _post(
        client,
        personas.focal,
        "explanation",
        explanation,
        "submit",
        {"response_text": "Do mưa lớn, đơn vị đã nhắc nhở.", "version": explanation.version},
    ).content.decode()
    explanation.refresh_from_db()
    assert explanation.response_text == "Do mưa lớn, đơn vị đã nhắc nhở."
    assert explanation.response_status == "submitted"
    assert "Chưa có nội dung" not in body
    assert AuditEvent.objects.filter(action="findingexplanation.answer").count() == 1
    assert AuditEvent.objects.filter(action="findingexplanation.submit").count() == 1


def test_submit_with_a_file_and_no_text_stores_the_file_and_submits(client, personas, inspection):
    request = _notified_request(personas, inspection)
    _post(
        client,
        personas.focal,
        "request",
        request,
        "submit",
        {"response_text": "", "version": request.version, "file": pdf_file("tu-kiem-tra.pdf")},
    )
    request.refresh_from_db()
    assert request.response_status == "submitted"
    assert request.evidence.get().original_name == "tu-kiem-tra.pdf"


def test_a_refused_file_keeps_the_typed_text_and_writes_nothing(client, personas, inspection, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    request = _notified_request(personas, inspection)
    bad = SimpleUploadedFile("virus.exe", b"MZ\x90\x00", content_type="application/octet-stream")
    body = _post(
        client,
        personas.focal,
        "request",
        request,
        "submit",
        {"response_text": "Nội dung dài đã gõ", "version": request.version, "file": bad},
    ).content.decode()
    request.refresh_from_db()
    assert request.response_text == ""  # nothing half-written: not the text, not the status
    assert request.response_status == "draft"
    assert not Evidence.objects.exists()
    assert "virus.exe" in body and "không được phép" in body  # the error names the file
    assert "Nội dung dài đã gõ" in body  # what was typed is still in its box
    assert 'data-unsaved="1"' in body  # and the page warns before it is left
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_refused_submit_removes_the_file_it_had_stored(client, personas, inspection, tmp_path):
    request = _notified_request(personas, inspection)
    services.unit_response_save(
        actor=personas.focal, response=request, expected_version=request.version, response_text="x"
    )
    services.unit_response_submit(actor=personas.focal, response=request)
    services.unit_response_return(actor=personas.unit_head, response=request, note="Sửa lại")
    request.refresh_from_db()
    # The inspection is closed under the user's feet: the whole answer is refused, file included.
    from congvu.inspections.models import Inspection

    Inspection.objects.filter(pk=inspection.pk).update(status="closed")
    _post(
        client,
        personas.focal,
        "request",
        request,
        "submit",
        {"response_text": "Bản sửa", "version": request.version, "file": pdf_file()},
    )
    assert not Evidence.objects.exists()
    media = tmp_path / "media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_stale_answer_keeps_the_typed_text_beside_the_stored_one(client, personas, inspection):
    request = _notified_request(personas, inspection)
    services.unit_response_save(
        actor=personas.unit_head, response=request, expected_version=1, response_text="Sếp viết"
    )
    body = _post(
        client, personas.focal, "request", request, "save", {"response_text": "Tôi viết", "version": 1}
    ).content.decode()
    assert "Không lưu được" in body
    assert "Tôi viết" in body and "Sếp viết" in body
    request.refresh_from_db()
    assert request.response_text == "Sếp viết"
    # Saving again from the page (now based on the current version) is a conscious overwrite.
    _post(
        client,
        personas.focal,
        "request",
        request,
        "save",
        {"response_text": "Tôi viết", "version": request.version},
    )
    request.refresh_from_db()
    assert request.response_text == "Tôi viết"


def test_the_typed_text_is_shown_once_only(client, personas, inspection):
    request = _notified_request(personas, inspection)
    _post(client, personas.focal, "request", request, "save", {"response_text": "Gõ dở", "version": 99})
    url = reverse("inspections:detail", args=[inspection.pk])
    assert "Gõ dở" not in client.get(url, {"tab": "documents"}).content.decode()


def test_a_page_read_from_the_cache_before_still_shows_the_text_of_a_refused_save(
    client, personas, inspection
):
    request = _notified_request(personas, inspection)
    url = reverse("inspections:detail", args=[inspection.pk])
    client.force_login(personas.focal)
    for _ in range(2):  # the page's body now in the shared cache; a refused save writes nothing
        assert "Gõ dở" not in client.get(url, {"tab": "documents"}).content.decode()
    body = _post(
        client, personas.focal, "request", request, "save", {"response_text": "Gõ dở", "version": 99}
    ).content.decode()
    assert "Gõ dở" in body
    assert "Gõ dở" not in client.get(url, {"tab": "documents"}).content.decode()


def test_outsider_gets_404_posting_an_answer_with_a_file(client, personas, inspection):
    request = _notified_request(personas, inspection)
    for user in (personas.outsider, personas.outsider_head):
        response = _post(
            client,
            user,
            "request",
            request,
            "submit",
            {"response_text": "x", "version": request.version, "file": pdf_file(content=PDF)},
        )
        assert response.status_code == 404
    request.refresh_from_db()
    assert request.response_text == "" and not Evidence.objects.exists()


def test_a_new_remediation_report_with_files_is_created_and_submitted_in_one_go(client, personas, surprise):
    from congvu.inspections.tests.test_deadlines import _in_remediation

    rec = _in_remediation(personas, surprise)
    client.force_login(personas.focal)
    response = client.post(
        reverse("inspections:remediation_add", args=[rec.pk]),
        {"response_text": "Đã lắp máy chấm công", "file": pdf_file("may-cham-cong.pdf"), "submit": "1"},
    )
    assert response["Location"].endswith(f"?tab=remediation#rec-{rec.pk}")
    report = rec.reports.get()
    assert report.response_text == "Đã lắp máy chấm công"
    assert report.response_status == "submitted"
    assert report.evidence.get().original_name == "may-cham-cong.pdf"


def test_a_refused_new_report_keeps_the_typed_text_and_creates_nothing(client, personas, surprise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from congvu.inspections.tests.test_deadlines import _in_remediation

    rec = _in_remediation(personas, surprise)
    client.force_login(personas.focal)
    body = client.post(
        reverse("inspections:remediation_add", args=[rec.pk]),
        {"response_text": "Kết quả dài đã gõ", "file": SimpleUploadedFile("x.exe", b"MZ")},
        follow=True,
    ).content.decode()
    assert not rec.reports.exists() and not Evidence.objects.exists()
    assert "x.exe" in body and "Kết quả dài đã gõ" in body
    client.force_login(personas.outsider)
    assert client.post(reverse("inspections:remediation_add", args=[rec.pk]), {}).status_code == 404
