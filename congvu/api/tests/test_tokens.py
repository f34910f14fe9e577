"""Personal tokens: only the hash is stored, the token is shown once, a revoked or expired token is
refused, every creation and revocation is audited; the page and `congvu token` manage them."""

import hashlib
import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from congvu.api.models import ApiToken
from congvu.api.services import token_create, token_revoke
from congvu.core.models import AuditEvent


def _get(client, token, path="/tasks"):
    return client.get(f"/api/v1{path}", HTTP_AUTHORIZATION=f"Bearer {token}")


def test_only_the_sha256_of_the_token_is_stored(personas):
    token, raw = token_create(actor="test", user=personas.focal, name="một cửa")
    assert raw.startswith("cv_") and len(raw) >= 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.token_hash == hashlib.sha256(raw.encode()).hexdigest()
    values = [str(v) for v in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert raw not in values
    assert all(raw not in str(e.after) for e in AuditEvent.objects.filter(action="api_token.create"))


def test_a_token_authenticates_as_its_user_and_stamps_last_use(client, personas):
    token, raw = token_create(actor="test", user=personas.focal, name="một cửa")
    assert _get(client, raw).status_code == 200
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_no_token_or_a_wrong_token_is_401(client, personas):
    assert client.get("/api/v1/tasks").status_code == 401
    response = _get(client, "cv_khong-phai-ma-that")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"
    assert "Bearer" in response.json()["detail"]


def test_a_revoked_token_is_refused(client, personas):
    token, raw = token_create(actor="test", user=personas.focal, name="một cửa")
    token_revoke(actor=personas.focal, token=token)
    assert _get(client, raw).status_code == 401
    assert AuditEvent.objects.filter(action="api_token.revoke", object_id=str(token.pk)).count() == 1


def test_an_expired_token_is_refused(client, personas):
    token, raw = token_create(
        actor="test", user=personas.focal, name="ngắn hạn", expires_at=timezone.now() + timedelta(hours=1)
    )
    assert _get(client, raw).status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert _get(client, raw).status_code == 401


def test_an_inactive_users_token_is_refused(client, personas):
    _token, raw = token_create(actor="test", user=personas.focal, name="một cửa")
    type(personas.focal).objects.filter(pk=personas.focal.pk).update(is_active=False)
    assert _get(client, raw).status_code == 401


def test_session_login_is_not_accepted_by_the_api(client, personas):
    """Only bearer tokens: a signed-in browser cannot be made to write (no CSRF surface)."""
    client.force_login(personas.admin)
    assert client.get("/api/v1/tasks").status_code == 401
    assert (
        client.post("/api/v1/inspections/1/findings", {}, content_type="application/json").status_code == 401
    )


def test_the_page_shows_a_new_token_once_then_only_its_prefix(client, personas):
    client.force_login(personas.focal)
    response = client.post(reverse("api_tokens"), {"name": "Phần mềm một cửa", "expires_on": ""})
    assert response.status_code == 200
    token = ApiToken.objects.get(user=personas.focal)
    page = response.content.decode()
    raw = page.split('data-testid="new-token"')[1].split("<code")[1].split(">")[1].split("<")[0]
    assert hashlib.sha256(raw.encode()).hexdigest() == token.token_hash
    assert response["Cache-Control"] == "no-store"
    again = client.get(reverse("api_tokens")).content.decode()
    assert raw not in again and token.prefix in again
    assert AuditEvent.objects.filter(action="api_token.create", actor_id=personas.focal.pk).count() == 1


def test_the_page_refuses_a_past_expiry_with_a_message(client, personas):
    client.force_login(personas.focal)
    response = client.post(reverse("api_tokens"), {"name": "cũ", "expires_on": "01/01/2020"})
    assert "Ngày hết hạn phải sau hôm nay." in response.content.decode()
    assert not ApiToken.objects.exists()


def test_the_page_refuses_a_second_live_token_of_the_same_name(client, personas):
    client.force_login(personas.focal)
    client.post(reverse("api_tokens"), {"name": "một cửa"})
    response = client.post(reverse("api_tokens"), {"name": "một cửa"})
    assert "Đã có mã truy cập còn hiệu lực tên" in response.content.decode()
    assert ApiToken.objects.count() == 1


def test_the_page_revokes_the_users_own_token(client, personas):
    token, raw = token_create(actor="test", user=personas.focal, name="một cửa")
    client.force_login(personas.focal)
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert _get(client, raw).status_code == 401


def test_outsider_gets_404_revoking_someone_elses_token(client, personas):
    token, raw = token_create(actor="test", user=personas.focal, name="một cửa")
    client.force_login(personas.outsider)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    assert (
        reverse("api_token_revoke", args=[token.pk]) not in client.get(reverse("api_tokens")).content.decode()
    )
    token.refresh_from_db()
    assert token.revoked_at is None


def test_the_page_exports_the_users_tokens_to_excel(client, personas):
    from congvu.core.testing import xlsx_rows, xlsx_text

    token_create(actor="test", user=personas.focal, name="của tôi")
    token_create(actor="test", user=personas.outsider, name="của người khác")
    client.force_login(personas.focal)
    rows = xlsx_rows(client.get(reverse("api_tokens"), {"format": "xlsx"}))
    assert len(rows) == 2 and "của tôi" in xlsx_text(rows) and "của người khác" not in xlsx_text(rows)


def test_the_command_prints_the_token_once_and_revokes_it(client, personas):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", personas.focal.username, "--name", "đồng bộ", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert _get(client, raw).status_code == 200
    assert "một lần" in err.getvalue()
    out = io.StringIO()
    call_command("token", "revoke", personas.focal.username, "--name", "đồng bộ", stdout=out)
    assert "Đã thu hồi" in out.getvalue()
    assert _get(client, raw).status_code == 401
    actions = list(AuditEvent.objects.filter(action__startswith="api_token").values_list("action", flat=True))
    assert sorted(actions) == ["api_token.create", "api_token.revoke"]


def test_the_command_names_an_unknown_user_or_token(personas):
    with pytest.raises(CommandError, match="Không có người dùng"):
        call_command("token", "create", "khong-co", "--name", "x")
    with pytest.raises(CommandError, match="không có mã truy cập còn hiệu lực"):
        call_command("token", "revoke", personas.focal.username, "--name", "x")


def test_the_account_menu_leads_to_the_token_page(client, personas):
    client.force_login(personas.focal)
    assert f'href="{reverse("api_tokens")}"' in client.get(reverse("api_tokens")).content.decode()
