"""The current-password check on the password change page is throttled per user (#14 item 6): after
5 wrong current passwords within 15 minutes even the right one is refused, with a Vietnamese message."""

import time

import pytest
from django.urls import reverse

from congvu.conftest import PASSWORD

pytestmark = pytest.mark.django_db

NEW = "Thu-dong-2026-vinh-long"
LOCKED = "Đã nhập sai mật khẩu hiện tại 5 lần: tạm khóa đổi mật khẩu, hãy thử lại sau 15 phút."


def _change(client, old):
    return client.post(
        reverse("password_change"), {"old_password": old, "new_password1": NEW, "new_password2": NEW}
    )


def _wrong(client, times):
    for _ in range(times):
        response = _change(client, "not-my-password")
        assert response.status_code == 200
        assert response.context["form"].has_error("old_password", "password_incorrect")


def test_four_wrong_current_passwords_still_let_the_right_one_through(client, personas):
    client.force_login(personas.focal)
    _wrong(client, 4)
    assert _change(client, PASSWORD).status_code == 302
    personas.focal.refresh_from_db()
    assert personas.focal.check_password(NEW)


def test_after_five_wrong_current_passwords_even_the_right_one_is_refused(client, personas):
    client.force_login(personas.focal)
    _wrong(client, 5)
    response = _change(client, PASSWORD)
    assert response.status_code == 200
    assert response.context["form"].has_error("old_password", "throttled")
    assert LOCKED in response.content.decode()
    personas.focal.refresh_from_db()
    assert personas.focal.check_password(PASSWORD) and not personas.focal.check_password(NEW)


def test_the_lock_is_per_user(client, personas):
    client.force_login(personas.focal)
    _wrong(client, 5)
    client.force_login(personas.unit_head)
    assert _change(client, PASSWORD).status_code == 302


def test_the_lock_ends_after_fifteen_minutes(client, personas, monkeypatch):
    client.force_login(personas.focal)
    _wrong(client, 5)
    assert _change(client, PASSWORD).context["form"].has_error("old_password", "throttled")
    later = time.time() + 15 * 60 + 1
    monkeypatch.setattr(time, "time", lambda: later)
    assert _change(client, PASSWORD).status_code == 302


def test_a_successful_change_clears_earlier_failures(client, personas):
    client.force_login(personas.focal)
    _wrong(client, 4)
    assert _change(client, PASSWORD).status_code == 302
    # The count starts again: four more wrong tries leave the (new) password usable.
    _wrong(client, 4)
    response = client.post(
        reverse("password_change"),
        {"old_password": NEW, "new_password1": "Xuan-2027-tra-vinh", "new_password2": "Xuan-2027-tra-vinh"},
    )
    assert response.status_code == 302
