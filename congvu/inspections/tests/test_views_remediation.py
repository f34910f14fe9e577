"""Remediation: the unit reports (approved by its head), the team accepts or returns; overdue
recommendations show on the list page and in the template tag; `congvu remind` is idempotent per day."""

from datetime import date

from django.core import mail
from django.core.management import call_command
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.models import Notification, ReminderLog
from congvu.inspections.tests.conftest import fill_checklists, move


def _concluded(personas, surprise, deadline=date(2025, 9, 1)):
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


def test_unit_reports_head_approves_team_returns_then_accepts(client, personas, surprise):
    rec = _concluded(personas, surprise)
    client.force_login(personas.focal)
    client.post(reverse("inspections:remediation_add", args=[rec.pk]), {"response_text": "Đã chấn chỉnh"})
    report = rec.reports.get()
    client.post(reverse("inspections:response_action", args=["report", report.pk, "submit"]))
    client.force_login(personas.unit_head)
    client.post(reverse("inspections:response_action", args=["report", report.pk, "approve"]))
    rec.refresh_from_db()
    assert rec.status == "reported"
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:remediation_review", args=[report.pk, "return"]), {"note": "Thiếu minh chứng"}
    )
    rec.refresh_from_db()
    assert rec.status == "open"
    client.force_login(personas.focal)
    client.post(
        reverse("inspections:remediation_add", args=[rec.pk]), {"response_text": "Bổ sung bảng chấm công"}
    )
    second = rec.reports.order_by("-pk").first()
    services.unit_response_submit(actor=personas.focal, response=second)
    services.unit_response_approve(actor=personas.unit_head, response=second)
    client.force_login(personas.inspector)
    client.post(reverse("inspections:remediation_review", args=[second.pk, "accept"]))
    rec.refresh_from_db()
    assert rec.status == "done"
    body = client.get(
        reverse("inspections:detail", args=[surprise.pk]), {"tab": "remediation"}
    ).content.decode()
    assert "Thiếu minh chứng" in body
    assert move(personas.lead, surprise, "closed").status == "closed"


def test_the_team_cannot_review_a_report_the_head_has_not_approved(client, personas, surprise):
    rec = _concluded(personas, surprise)
    report = services.remediation_report_create(actor=personas.focal, recommendation=rec, response_text="x")
    client.force_login(personas.inspector)
    body = client.post(
        reverse("inspections:remediation_review", args=[report.pk, "accept"]), follow=True
    ).content
    assert "chưa được thủ trưởng đơn vị duyệt" in body.decode()


def test_outsider_gets_404_on_remediation(client, personas, surprise):
    rec = _concluded(personas, surprise)
    report = services.remediation_report_create(actor=personas.focal, recommendation=rec, response_text="x")
    client.force_login(personas.outsider)
    assert client.post(reverse("inspections:remediation_add", args=[rec.pk])).status_code == 404
    assert (
        client.post(reverse("inspections:remediation_review", args=[report.pk, "accept"])).status_code == 404
    )
    assert (
        client.post(reverse("inspections:response_action", args=["report", report.pk, "submit"])).status_code
        == 404
    )


def test_overdue_recommendations_show_on_the_list_for_the_team_and_the_unit_only(client, personas, surprise):
    _concluded(personas, surprise, deadline=date(2025, 1, 31))
    for user in (personas.lead, personas.focal, personas.leadership):
        client.force_login(user)
        body = client.get(reverse("inspections:list")).content.decode()
        assert 'data-testid="overdue-block"' in body, user
        assert "Chấn chỉnh giờ giấc làm việc" in body
    client.force_login(personas.outsider)
    assert 'data-testid="overdue-block"' not in client.get(reverse("inspections:list")).content.decode()


def test_the_overdue_block_template_tag_is_scoped(personas, surprise):
    _concluded(personas, surprise, deadline=date(2025, 1, 31))
    template = Template("{% load inspection_tags %}{% overdue_block %}")
    request = RequestFactory().get("/")
    request.user = personas.unit_head
    assert "Chấn chỉnh giờ giấc làm việc" in template.render(Context({"request": request}))
    request.user = personas.outsider_head
    assert template.render(Context({"request": request})).strip() == ""


def test_remind_emails_and_notifies_once_per_day(personas, surprise):
    rec = _concluded(personas, surprise, deadline=date(2025, 9, 1))
    personas.focal.email = "daumoi@sxd.example"
    personas.focal.save()
    call_command("remind", "--date", "2025-09-01")  # the deadline day itself: not overdue yet
    assert len(mail.outbox) == 0
    call_command("remind", "--date", "2025-09-03")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["daumoi@sxd.example"]
    assert "Chấn chỉnh giờ giấc làm việc" in mail.outbox[0].body
    assert (
        Notification.objects.filter(user=personas.unit_head, key__startswith=f"remind:{rec.pk}:").count() == 1
    )
    call_command("remind", "--date", "2025-09-03")
    assert len(mail.outbox) == 1
    assert ReminderLog.objects.filter(recommendation=rec).count() == 1
    call_command("remind", "--date", "2025-09-04")
    assert len(mail.outbox) == 2
    assert not personas.outsider.notifications.exists()


def test_notices_page_lists_only_my_notices_and_marks_them_read(client, personas, surprise):
    _concluded(personas, surprise)
    client.force_login(personas.focal)
    notice = personas.focal.notifications.first()
    assert notice is not None
    body = client.get(reverse("inspections:notices")).content.decode()
    assert notice.text in body
    client.force_login(personas.outsider)
    assert notice.text not in client.get(reverse("inspections:notices")).content.decode()
    assert client.post(reverse("inspections:notice_read", args=[notice.pk])).status_code == 404
    client.force_login(personas.focal)
    client.post(reverse("inspections:notice_read", args=[notice.pk]))
    notice.refresh_from_db()
    assert notice.is_read
