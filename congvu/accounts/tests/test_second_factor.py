"""Second factor for administrators, inspection leads and leadership; recovery codes; session idle
timeout; sign-in events in the audit trail (issue #14 item 8). These tests go through the real
pages: the `second_factor` marker turns off the suite's verified-at-sign-in fixture."""

import time

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from congvu.accounts import services
from congvu.accounts.middleware import LAST_SEEN_KEY
from congvu.accounts.models import RecoveryCode
from congvu.conftest import PASSWORD, make_user
from congvu.core.audit import audit_verify
from congvu.core.models import AuditEvent

pytestmark = [pytest.mark.second_factor, pytest.mark.django_db]


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits) + offset:06d}"[-6:]


def _device(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="phone", confirmed=True)


@pytest.fixture(autouse=True)
def _no_throttle_delay(settings):
    # django-otp makes a device wait 1 s, 2 s, 4 s… after each wrong code; not what these tests are about.
    settings.OTP_TOTP_THROTTLE_FACTOR = 0


@pytest.mark.parametrize("role", ["lead", "admin", "leadership"])
def test_privileged_user_without_a_device_reaches_no_page_only_enrolment(client, personas, role):
    client.force_login(getattr(personas, role))
    for url in (reverse("home"), "/inspections/", "/registers/tasks/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("otp_enrol")), url


def test_enrolment_shows_qr_code_and_key_and_needs_the_right_code(client, personas):
    lead = personas.lead
    client.force_login(lead)
    page = client.get(reverse("otp_enrol")).content.decode()
    device = TOTPDevice.objects.get(user=lead, confirmed=False)
    assert "<svg" in page and "otpauth" not in page  # the QR is drawn here; the URL is not printed
    from congvu.accounts.otp import secret_text

    assert secret_text(device) in page

    wrong = client.post(reverse("otp_enrol"), {"token": _code(device, 1)})
    assert "Mã không đúng" in wrong.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert client.get(reverse("home")).status_code == 302

    done = client.post(reverse("otp_enrol"), {"token": _code(device), "next": "/inspections/"})
    assert done.status_code == 200
    assert done.content.decode().count("<li>") >= 10
    device.refresh_from_db()
    assert device.confirmed
    assert RecoveryCode.objects.filter(device__user=lead, used_at__isnull=True).count() == 10
    assert client.get(reverse("home")).status_code == 200
    assert AuditEvent.objects.filter(action="user.otp_enrol", object_id=str(lead.pk)).exists()


def test_lead_with_a_device_wrong_code_is_refused_right_code_gets_in(client, personas):
    lead = personas.lead
    device = _device(lead)
    client.force_login(lead)
    response = client.get("/inspections/")
    assert response["Location"].startswith(reverse("otp_verify"))

    wrong = client.post(reverse("otp_verify"), {"token": _code(device, 1), "next": "/inspections/"})
    assert wrong.status_code == 200 and "Mã không đúng" in wrong.content.decode()
    assert client.get("/inspections/").status_code == 302
    assert AuditEvent.objects.filter(action="user.otp_failure", object_id=str(lead.pk)).count() == 1

    right = client.post(reverse("otp_verify"), {"token": _code(device), "next": "/inspections/"})
    assert right.status_code == 302 and right["Location"] == "/inspections/"
    assert client.get("/inspections/").status_code == 200
    assert AuditEvent.objects.filter(action="user.otp_verify", object_id=str(lead.pk)).count() == 1


def test_the_same_totp_code_is_not_accepted_twice(client, personas):
    device = _device(personas.lead)
    code = _code(device)
    client.force_login(personas.lead)
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 302
    client.post(reverse("logout"))
    client.force_login(personas.lead)
    assert client.post(reverse("otp_verify"), {"token": code}).status_code == 200


def test_a_recovery_code_works_once_and_is_stored_hashed(client, personas):
    admin = personas.admin
    device = services.otp_enrolment_device(user=admin)
    codes = services.otp_enrolment_confirm(user=admin, device=device, token=_code(device))
    assert len(codes) == 10 and len(set(codes)) == 10
    stored = list(RecoveryCode.objects.filter(device__user=admin).values_list("code_hash", flat=True))
    assert not any(code.replace("-", "") in h or code in h for code in codes for h in stored)

    client.force_login(admin)
    first = client.post(reverse("otp_verify"), {"token": codes[0].lower()})
    assert first.status_code == 302
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))

    client.force_login(admin)
    again = client.post(reverse("otp_verify"), {"token": codes[0]})
    assert again.status_code == 200 and "Mã không đúng" in again.content.decode()
    assert client.post(reverse("otp_verify"), {"token": codes[1]}).status_code == 302
    event = AuditEvent.objects.filter(action="user.otp_verify", object_id=str(admin.pk)).order_by("id").last()
    assert event.after["method"] == "recovery_code" and event.after["recovery_codes_left"] == 8


def test_regenerated_recovery_codes_replace_the_old_ones(client, personas):
    lead = personas.lead
    device = services.otp_enrolment_device(user=lead)
    old = services.otp_enrolment_confirm(user=lead, device=device, token=_code(device))
    client.force_login(lead)
    client.post(reverse("otp_verify"), {"token": old[0]})
    page = client.post(reverse("recovery_codes_regenerate")).content.decode()
    assert old[1] not in page
    client.post(reverse("logout"))
    client.force_login(lead)
    assert client.post(reverse("otp_verify"), {"token": old[1]}).status_code == 200


@pytest.mark.parametrize("role", ["focal", "unit_head", "inspector", "outsider"])
def test_other_roles_are_not_asked_for_a_second_factor(client, personas, role):
    client.force_login(getattr(personas, role))
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize("demo_mode", [True, False])
def test_a_privileged_account_signing_in_goes_to_enrolment_in_demo_mode_too(client, db, settings, demo_mode):
    """Decision (README): demo mode does not skip the second factor. Signing in stays possible: the
    enrolment page gives the key as text as well as the QR code, for any authenticator app."""
    settings.DEMO_MODE = demo_mode
    make_user("truongdoan-test", "lead")
    response = client.post(
        reverse("login"), {"username": "truongdoan-test", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0].startswith(reverse("otp_enrol"))
    assert 'data-testid="otp-secret"' in response.content.decode()


def test_an_idle_session_ends_after_the_setting_and_is_audited(client, personas, settings):
    settings.SESSION_IDLE_MINUTES = 30
    client.force_login(personas.focal)
    assert client.get(reverse("home")).status_code == 200

    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 29 * 60
    session.save()
    assert client.get(reverse("home")).status_code == 200  # still within the limit; the clock restarts

    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/registers/tasks/")
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
    assert client.get(reverse("home")).status_code == 302  # signed out
    assert AuditEvent.objects.filter(action="user.session_expired", object_id=str(personas.focal.pk)).exists()


def test_logins_failures_and_lockouts_are_in_the_audit_trail(client, personas):
    client.post(reverse("login"), {"username": "p-focal", "password": PASSWORD})
    login = AuditEvent.objects.get(action="user.login", object_id=str(personas.focal.pk))
    assert login.after["ip"] == "127.0.0.1"
    client.post(reverse("logout"))

    for _ in range(5):
        client.post(reverse("login"), {"username": "p-head", "password": "sai-mat-khau"})
    failures = AuditEvent.objects.filter(action="user.login_failed", object_repr="p-head")
    assert failures.count() >= 5
    assert all("sai-mat-khau" not in str(event.after) for event in failures)
    assert AuditEvent.objects.filter(action="user.locked_out", object_repr="p-head").exists()
    assert audit_verify().ok


def test_a_verified_user_reaches_the_second_factor_page_from_the_password_page(client, personas):
    device = _device(personas.lead)
    client.force_login(personas.lead)
    client.post(reverse("otp_verify"), {"token": _code(device)})
    assert 'data-testid="second-factor-link"' in client.get(reverse("password_change")).content.decode()
    page = client.get(reverse("otp_enrol")).content.decode()
    assert 'data-testid="regenerate-codes"' in page
