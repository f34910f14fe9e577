"""In-app notices: a keyed notice reaches a user once, the fields are still checked."""

import pytest
from django.core.exceptions import ValidationError

from congvu.inspections.models import Notification
from congvu.inspections.services.notices import notification_send

pytestmark = pytest.mark.django_db


def test_a_keyed_notice_is_sent_once_per_user_and_an_unkeyed_one_each_time(personas):
    first = notification_send(user=personas.focal, text="Sắp đến hạn", link="/x/", key="due-1")
    assert first is not None and first.pk
    assert notification_send(user=personas.focal, text="Sắp đến hạn", key="due-1") is None
    assert notification_send(user=personas.unit_head, text="Sắp đến hạn", key="due-1") is not None
    notification_send(user=personas.focal, text="Tin", key="")
    notification_send(user=personas.focal, text="Tin", key="")
    assert Notification.objects.filter(user=personas.focal).count() == 3


def test_a_notice_with_a_field_too_long_is_refused_and_not_saved(personas):
    with pytest.raises(ValidationError) as refused:
        notification_send(user=personas.focal, text="Tin", link="/" + "x" * 600)
    assert "link" in refused.value.message_dict
    with pytest.raises(ValidationError):
        notification_send(user=personas.focal, text="Tin", key="k" * 121)
    assert not Notification.objects.exists()
