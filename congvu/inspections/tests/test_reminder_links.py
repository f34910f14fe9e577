"""Reminder e-mails carry absolute links (issue #12 item 7): an e-mail has no request to resolve a path
against, so the link starts with SITE_URL."""

import pytest
from django.core import mail

from congvu.inspections import services
from congvu.inspections.tests.test_deadlines import _in_remediation

pytestmark = pytest.mark.django_db


def test_the_reminder_e_mail_links_to_the_item_with_the_site_address(personas, surprise, settings):
    settings.SITE_URL = "https://congvu.example.gov.vn"
    rec = _in_remediation(personas, surprise)
    personas.unit_head.email = "giamdoc@sxd.example"
    personas.unit_head.save()
    services.reminder_send(actor=personas.lead, recommendation=rec)
    (message,) = mail.outbox
    link = f"https://congvu.example.gov.vn/inspections/{surprise.pk}/?tab=remediation#rec-{rec.pk}"
    assert link in message.body
