"""Every deadline is watched: overdue self-reports, document requests and explanations are flagged
like overdue recommendations (lists, home, `congvu remind`), and the inspection lead can remind the
unit from the remediation tab — audited, at most once per item per day."""

from datetime import date

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.inspections import services
from congvu.inspections.models import Notification, ReminderLog
from congvu.inspections.tests.conftest import fill_checklists, move


def _notified(personas, inspection):
    move(personas.lead, inspection, "decided")
    move(personas.inspector, inspection, "notified")
    return inspection.document_requests.get(is_self_report=True)  # due 15/07/2025


def _explanation(personas, surprise, due):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Công chức một cửa vắng mặt",
        category="violation",
        severity="medium",
    )
    services.finding_send(actor=personas.inspector, finding=finding, explanation_due=due)
    finding.refresh_from_db()
    return finding.explanation


def _in_remediation(personas, surprise, deadline=date(2025, 9, 1)):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    fill_checklists(personas.inspector, surprise)
    move(personas.inspector, surprise, "minutes_signed")
    rec = services.recommendation_create(
        actor=personas.inspector,
        inspection=surprise,
        kind="reminder",
        addressee="Giám đốc Sở Xây dựng",
        content="Chấn chỉnh giờ giấc làm việc",
        deadline=deadline,
    )
    services.inspection_update(
        actor=personas.lead,
        inspection=surprise,
        expected_version=None,
        conclusion_number="30/TB-SNV",
        conclusion_date=date(2025, 8, 1),
    )
    move(personas.lead, surprise, "concluded")
    move(personas.inspector, surprise, "remediation")
    return rec


def test_an_overdue_self_report_is_flagged_on_the_list_the_home_and_its_tab(client, personas, inspection):
    request = _notified(personas, inspection)
    for user in (personas.lead, personas.focal, personas.unit_head):
        client.force_login(user)
        for url in (reverse("inspections:list"), reverse("home")):
            body = client.get(url).content.decode()
            assert 'data-testid="overdue-items-block"' in body, (user, url)
            assert "Báo cáo tự kiểm tra" in body and "15/07/2025" in body
            assert f"?tab=documents#request-{request.pk}" in body
    client.force_login(personas.focal)
    tab = client.get(reverse("inspections:detail", args=[inspection.pk]), {"tab": "documents"})
    assert f'data-testid="request-overdue-{request.pk}"' in tab.content.decode()
    client.force_login(personas.outsider)
    for url in (reverse("inspections:list"), reverse("home")):
        assert 'data-testid="overdue-items-block"' not in client.get(url).content.decode()


def test_an_approved_self_report_is_no_longer_overdue(client, personas, inspection):
    request = _notified(personas, inspection)
    services.unit_response_save(actor=personas.focal, response=request, expected_version=1, response_text="x")
    services.unit_response_submit(actor=personas.focal, response=request)
    services.unit_response_approve(actor=personas.unit_head, response=request)
    client.force_login(personas.lead)
    assert 'data-testid="overdue-items-block"' not in client.get(reverse("home")).content.decode()


def test_an_overdue_explanation_is_flagged(client, personas, surprise):
    explanation = _explanation(personas, surprise, due=None)
    explanation.due_on = date(2025, 8, 1)  # the team's date has passed
    explanation.save(update_fields=["due_on"])
    client.force_login(personas.inspector)
    body = client.get(reverse("inspections:list")).content.decode()
    assert f"?tab=findings#explanation-{explanation.pk}" in body
    tab = client.get(reverse("inspections:detail", args=[surprise.pk]), {"tab": "findings"}).content.decode()
    assert f'data-testid="explanation-due-{explanation.pk}"' in tab and "quá hạn" in tab
    client.force_login(personas.outsider_head)
    assert "#explanation-" not in client.get(reverse("home")).content.decode()


def test_sending_a_finding_sets_the_explanation_due_date(client, personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    finding = services.finding_record(
        actor=personas.inspector, inspection=surprise, description="x", category="violation", severity="low"
    )
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:finding_action", args=[finding.pk, "send"]), {"explanation_due": "31/12/2030"}
    )
    finding.refresh_from_db()
    assert finding.explanation.due_on == date(2030, 12, 31)
    assert personas.focal.notifications.filter(
        text__contains="31/12/2030", link__endswith=f"#explanation-{finding.explanation.pk}"
    ).exists()


def test_sending_a_finding_with_a_past_due_date_is_refused(personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    finding = services.finding_record(
        actor=personas.inspector, inspection=surprise, description="x", category="violation", severity="low"
    )
    with pytest.raises(ValidationError, match="Hạn giải trình"):
        services.finding_send(actor=personas.inspector, finding=finding, explanation_due=date(2020, 1, 1))
    finding.refresh_from_db()
    assert finding.status == "draft"


def test_remind_covers_self_reports_and_explanations_once_per_day(personas, inspection, surprise):
    request = _notified(personas, inspection)
    explanation = _explanation(personas, surprise, due=None)
    explanation.due_on = date(2026, 1, 10)
    explanation.save(update_fields=["due_on"])
    personas.focal.email = "daumoi@sxd.example"
    personas.focal.save()
    call_command("remind", "--date", "2026-01-10")  # the explanation's due day: only the self-report
    assert ReminderLog.objects.filter(document_request=request).count() == 1
    assert not ReminderLog.objects.filter(explanation=explanation).exists()
    call_command("remind", "--date", "2026-01-12")
    assert ReminderLog.objects.filter(explanation=explanation).count() == 1
    assert any("Giải trình phát hiện quá hạn" in m.body for m in mail.outbox)
    assert any("Báo cáo tự kiểm tra quá hạn" in m.body for m in mail.outbox)
    sent = len(mail.outbox)
    call_command("remind", "--date", "2026-01-12")  # again the same day: nothing twice
    assert len(mail.outbox) == sent
    assert Notification.objects.filter(
        user=personas.unit_head, link__endswith=f"#request-{request.pk}"
    ).exists()
    assert AuditEvent.objects.filter(action="findingexplanation.remind").count() == 1
    assert not personas.outsider.notifications.exists()


def test_the_lead_reminds_from_the_remediation_tab_once_a_day(client, personas, surprise):
    rec = _in_remediation(personas, surprise)
    personas.unit_head.email = "giamdoc@sxd.example"
    personas.unit_head.save()
    client.force_login(personas.lead)
    url = reverse("inspections:detail", args=[surprise.pk])
    assert f'data-testid="remind-{rec.pk}"' in client.get(url, {"tab": "remediation"}).content.decode()
    response = client.post(reverse("inspections:recommendation_remind", args=[rec.pk]))
    assert response["Location"].endswith(f"?tab=remediation#rec-{rec.pk}")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["giamdoc@sxd.example"]
    log = ReminderLog.objects.get(recommendation=rec)
    assert log.sent_by == personas.lead
    event = AuditEvent.objects.get(action="recommendation.remind")
    assert event.actor_id == personas.lead.pk and event.object_id == str(rec.pk)
    body = client.get(url, {"tab": "remediation"}).content.decode()
    assert f'data-testid="reminded-{rec.pk}"' in body and f'data-testid="remind-{rec.pk}"' not in body
    # A second reminder the same day (a stale page, a double click) is refused and sends nothing.
    body = client.post(reverse("inspections:recommendation_remind", args=[rec.pk]), follow=True)
    assert "chỉ nhắc một lần mỗi ngày" in body.content.decode()
    assert len(mail.outbox) == 1
    # `congvu remind` the same day does not send it again either.
    from django.utils import timezone

    call_command("remind", "--date", timezone.localdate().isoformat())
    assert len(mail.outbox) == 1


def test_only_the_lead_reminds_and_an_outsider_gets_404(client, personas, surprise):
    rec = _in_remediation(personas, surprise)
    with pytest.raises(PermissionDenied):
        services.reminder_send(actor=personas.inspector, recommendation=rec)
    client.force_login(personas.inspector)
    assert client.post(reverse("inspections:recommendation_remind", args=[rec.pk])).status_code == 403
    client.force_login(personas.leadership)
    assert client.post(reverse("inspections:recommendation_remind", args=[rec.pk])).status_code == 403
    for user in (personas.outsider, personas.outsider_head):
        client.force_login(user)
        assert client.post(reverse("inspections:recommendation_remind", args=[rec.pk])).status_code == 404
    assert not ReminderLog.objects.exists() and not mail.outbox
