import pytest
from django.urls import reverse

from congvu.accounts.demo import DEMO_ACCOUNTS, DEMO_PASSWORD
from congvu.conftest import PASSWORD
from congvu.core.models import AuditEvent


@pytest.fixture
def demo_account_users(db):
    """The demo accounts on two small units with the demo's codes (the demo province itself is
    tested in congvu/demo and congvu/org)."""
    from congvu.accounts.services import user_create
    from congvu.org.services import unit_create

    units = {
        "VL-SXD": unit_create(actor="test", code="VL-SXD", name="Sở Xây dựng", kind="department"),
        "VL-X29266": unit_create(actor="test", code="VL-X29266", name="Xã Càng Long", kind="commune"),
    }
    for username, role, unit_code, full_name in DEMO_ACCOUNTS:
        user_create(
            actor="test",
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            unit=units[unit_code] if unit_code else None,
            full_name=full_name,
            is_superuser=(role == "admin"),
        )


def test_every_demo_account_logs_in(client, settings, demo_account_users):
    settings.DEMO_MODE = True
    page = client.get(reverse("login")).content.decode()
    for username, *_ in DEMO_ACCOUNTS:
        assert username in page
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        assert client.get(reverse("home")).status_code == 200
        client.post(reverse("logout"))


def test_demo_accounts_are_not_listed_outside_demo_mode(client, settings, demo_account_users):
    settings.DEMO_MODE = False
    assert "congvu-demo" not in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_wrong_password_is_refused_in_vietnamese(client, personas):
    response = client.post(reverse("login"), {"username": "p-focal", "password": "wrong"})
    assert response.status_code == 200
    assert "tên đăng nhập" in response.content.decode().lower()


@pytest.mark.django_db
def test_login_locks_after_repeated_failures(client, personas):
    for _ in range(5):
        client.post(reverse("login"), {"username": "p-focal", "password": "wrong"})
    response = client.post(reverse("login"), {"username": "p-focal", "password": PASSWORD})
    assert response.status_code == 429
    assert "Tạm khóa" in response.content.decode()


@pytest.mark.django_db
def test_password_change_is_validated_and_audited(client, personas):
    client.force_login(personas.focal)
    weak = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": "123", "new_password2": "123"}
    )
    assert weak.status_code == 200
    strong = "Thu-dong-2026-vinh-long"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": strong, "new_password2": strong},
    )
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="user.password_change", object_id=str(personas.focal.pk)).exists()


@pytest.mark.django_db
def test_unit_role_without_unit_is_rejected():
    from django.core.exceptions import ValidationError

    from congvu.accounts.services import user_create

    with pytest.raises(ValidationError):
        user_create(actor="test", username="x", password=None, role="focal", unit=None)
