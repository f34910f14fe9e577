"""An evidence download is never kept in a browser's or a proxy's cache, and carries the policy
headers of every response (#14 item 6; the headers themselves: congvu/web/tests/test_security_headers.py)."""

from django.urls import reverse

from congvu.inspections.models import Evidence
from congvu.inspections.tests.conftest import PDF, pdf_file, to_on_site


def test_an_evidence_download_is_not_stored_and_carries_the_policy(client, personas, inspection):
    to_on_site(personas, inspection)
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:evidence_upload", args=[inspection.pk]),
        {"file": pdf_file("qd.pdf"), "kind": "decision", "description": "", "target": ""},
    )
    evidence = Evidence.objects.get()
    response = client.get(reverse("inspections:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    assert "no-store" in response["Cache-Control"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert "camera=()" in response["Permissions-Policy"]


def test_outsider_gets_404_without_the_file(client, personas, inspection):
    to_on_site(personas, inspection)
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:evidence_upload", args=[inspection.pk]),
        {"file": pdf_file("qd.pdf"), "kind": "decision", "description": "", "target": ""},
    )
    client.force_login(personas.outsider)
    response = client.get(reverse("inspections:evidence_download", args=[Evidence.objects.get().pk]))
    assert response.status_code == 404
    assert "no-store" in response["Cache-Control"]
