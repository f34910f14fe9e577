"""Evidence upload and download: checked, hashed, stored under MEDIA_ROOT, scoped like the inspection."""

import hashlib

from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.models import Evidence
from congvu.inspections.tests.conftest import PDF, move, pdf_file, to_on_site


def _upload(client, user, inspection, target="", name="qd.pdf", content=PDF, kind="decision"):
    client.force_login(user)
    return client.post(
        reverse("inspections:evidence_upload", args=[inspection.pk]),
        {"file": pdf_file(name, content), "kind": kind, "description": "", "target": target},
        follow=True,
    )


def test_team_uploads_a_decision_stored_with_its_sha256(client, personas, inspection, settings):
    response = _upload(client, personas.inspector, inspection)
    assert response.status_code == 200
    evidence = Evidence.objects.get()
    assert evidence.sha256 == hashlib.sha256(PDF).hexdigest()
    assert evidence.original_name == "qd.pdf"
    assert evidence.file.path.startswith(str(settings.MEDIA_ROOT))
    assert evidence.file.read() == PDF


def test_a_file_whose_content_is_not_its_extension_is_refused_with_a_message(client, personas, inspection):
    response = _upload(
        client, personas.inspector, inspection, name="qd.pdf", content=b"<html>not a pdf</html>"
    )
    assert "đuôi tệp không khớp với nội dung" in response.content.decode()
    assert not Evidence.objects.exists()


def test_the_unit_downloads_the_decision_once_notified(client, personas, inspection):
    _upload(client, personas.inspector, inspection)
    evidence = Evidence.objects.get()
    url = reverse("inspections:evidence_download", args=[evidence.pk])
    client.force_login(personas.focal)
    assert client.get(url).status_code == 404  # not yet told of the inspection
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert "qd.pdf" in response["Content-Disposition"]


def test_outsider_gets_404_on_download_and_upload(client, personas, inspection):
    to_on_site(personas, inspection)
    _upload(client, personas.inspector, inspection)
    evidence = Evidence.objects.get()
    client.force_login(personas.outsider)
    assert client.get(reverse("inspections:evidence_download", args=[evidence.pk])).status_code == 404
    assert _upload(client, personas.outsider, inspection).status_code == 404
    assert client.post(reverse("inspections:evidence_delete", args=[evidence.pk])).status_code == 404


def test_the_team_cannot_open_a_file_of_an_answer_the_unit_head_has_not_approved(
    client, personas, inspection
):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    request = inspection.document_requests.get()
    _upload(client, personas.focal, inspection, target=f"request:{request.pk}", name="tu-kiem-tra.pdf")
    evidence = Evidence.objects.get()
    url = reverse("inspections:evidence_download", args=[evidence.pk])
    client.force_login(personas.inspector)
    assert client.get(url).status_code == 404
    services.unit_response_submit(actor=personas.focal, response=request)
    services.unit_response_approve(actor=personas.unit_head, response=request)
    assert client.get(url).status_code == 200


def test_the_unit_cannot_file_on_the_inspection_itself(client, personas, inspection):
    to_on_site(personas, inspection)
    assert _upload(client, personas.focal, inspection).status_code == 403
    assert not Evidence.objects.exists()


def test_only_the_uploader_deletes_and_the_file_leaves_the_disk(
    client, personas, inspection, django_capture_on_commit_callbacks
):
    _upload(client, personas.inspector, inspection)
    evidence = Evidence.objects.get()
    path = evidence.file.path
    client.force_login(personas.lead)
    assert client.post(reverse("inspections:evidence_delete", args=[evidence.pk])).status_code == 403
    client.force_login(personas.inspector)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("inspections:evidence_delete", args=[evidence.pk]))
    assert not Evidence.objects.exists()
    import os

    assert not os.path.exists(path)
