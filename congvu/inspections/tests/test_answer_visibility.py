"""The inspection team and province-wide readers see a unit's answer only once the unit head approved
it: the rule lives in the selectors (`selectors.with_answer`), and the page, the tab as an htmx request,
the Excel export and the API all read what the selector gives them."""

import pytest
from django.urls import reverse

from congvu.core.testing import XLSX_CONTENT_TYPE, xlsx_rows, xlsx_text
from congvu.inspections import selectors, services
from congvu.inspections.tests.conftest import move, to_on_site
from congvu.inspections.tests.test_views_remediation import _concluded

pytestmark = pytest.mark.django_db

SECRET = "NHÁP CHƯA DUYỆT 7731"


def _xlsx_text(response) -> str:
    assert response["Content-Type"] == XLSX_CONTENT_TYPE
    return xlsx_text(xlsx_rows(response))


def _readers(personas):
    """A team member, the inspection lead and the PPC leadership (province-wide, read-only)."""
    return [personas.inspector, personas.lead, personas.leadership]


@pytest.fixture
def self_report(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    request = inspection.document_requests.get(is_self_report=True)
    services.unit_response_save(
        actor=personas.focal, response=request, expected_version=1, response_text=SECRET
    )
    return request


def _documents(client, user, inspection, **extra):
    client.force_login(user)
    return client.get(reverse("inspections:detail", args=[inspection.pk]), {"tab": "documents"}, **extra)


def test_no_reader_gets_a_draft_or_submitted_answer_through_the_page_partial_or_export(
    client, personas, inspection, self_report
):
    for step in ("draft", "submitted"):
        if step == "submitted":
            services.unit_response_submit(actor=personas.focal, response=self_report)
        for user in _readers(personas):
            page = _documents(client, user, inspection).content.decode()
            assert SECRET not in page, (step, user)
            assert "nội dung chỉ hiện khi thủ trưởng đơn vị đã duyệt" in page
            partial = _documents(client, user, inspection, HTTP_HX_REQUEST="true").content.decode()
            assert SECRET not in partial, (step, user)
            export = client.get(
                reverse("inspections:detail", args=[inspection.pk]), {"tab": "documents", "format": "xlsx"}
            )
            assert SECRET not in _xlsx_text(export), (step, user)
    # the unit sees its own draft; once approved, every reader sees it
    client.force_login(personas.focal)
    assert SECRET in _xlsx_text(
        client.get(
            reverse("inspections:detail", args=[inspection.pk]), {"tab": "documents", "format": "xlsx"}
        )
    )
    services.unit_response_approve(actor=personas.unit_head, response=self_report)
    for user in _readers(personas):
        assert SECRET in _documents(client, user, inspection).content.decode()
        client.force_login(user)
        export = client.get(
            reverse("inspections:detail", args=[inspection.pk]), {"tab": "documents", "format": "xlsx"}
        )
        assert SECRET in _xlsx_text(export)


def test_the_selector_empties_an_unapproved_answer_for_the_team_and_not_for_the_unit(
    personas, inspection, self_report
):
    (team_row,) = selectors.document_requests_for(fetched_by=personas.inspector, inspection=inspection)
    assert (team_row.answer_visible, team_row.answer_text) == (False, "")
    (unit_row,) = selectors.document_requests_for(fetched_by=personas.focal, inspection=inspection)
    assert (unit_row.answer_visible, unit_row.answer_text) == (True, SECRET)
    got = selectors.response_get(fetched_by=personas.leadership, kind="request", pk=self_report.pk)
    assert (got.answer_visible, got.answer_text) == (False, "")


def test_an_unapproved_explanation_is_hidden_on_the_findings_tab(client, personas, inspection):
    to_on_site(personas, inspection)
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description="Chậm trả kết quả hồ sơ",
        category="shortcoming",
        severity="low",
    )
    services.finding_send(actor=personas.inspector, finding=finding)
    explanation = finding.explanation
    services.unit_response_save(
        actor=personas.focal, response=explanation, expected_version=1, response_text=SECRET
    )
    url = reverse("inspections:detail", args=[inspection.pk])
    for user in _readers(personas):
        client.force_login(user)
        assert SECRET not in client.get(url, {"tab": "findings"}).content.decode(), user
    client.force_login(personas.focal)
    assert SECRET in client.get(url, {"tab": "findings"}).content.decode()
    services.unit_response_submit(actor=personas.focal, response=explanation)
    services.unit_response_approve(actor=personas.unit_head, response=explanation)
    client.force_login(personas.inspector)
    assert SECRET in client.get(url, {"tab": "findings"}).content.decode()


def test_an_unapproved_remediation_report_is_hidden_on_the_tab_and_in_the_selector(
    client, personas, surprise
):
    rec = _concluded(personas, surprise)
    report = services.remediation_report_create(
        actor=personas.focal, recommendation=rec, response_text=SECRET
    )
    url = reverse("inspections:detail", args=[surprise.pk])
    for user in _readers(personas):
        client.force_login(user)
        assert SECRET not in client.get(url, {"tab": "remediation"}).content.decode(), user
        (row,) = selectors.reports_for(fetched_by=user, recommendation=rec)
        assert row.answer_text == ""
    services.unit_response_submit(actor=personas.focal, response=report)
    services.unit_response_approve(actor=personas.unit_head, response=report)
    client.force_login(personas.inspector)
    assert SECRET in client.get(url, {"tab": "remediation"}).content.decode()
