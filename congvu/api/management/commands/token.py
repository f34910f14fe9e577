"""`congvu token create USER --name N [--expires YYYY-MM-DD]` / `congvu token revoke USER --name N`."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congvu.api.models import ApiToken
from congvu.api.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Tạo hoặc thu hồi mã truy cập API cá nhân của một người dùng (mã chỉ in ra một lần)."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("create", "revoke"))
        parser.add_argument("username")
        parser.add_argument("--name", required=True, help="tên mã truy cập")
        parser.add_argument("--expires", help="hết hạn cuối ngày này (ISO, ví dụ 2027-06-30)")

    def handle(self, *args, action, username, name, expires=None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng “{username}”.")
        actor = f"cli:{username}"
        if action == "create":
            expires_at = None
            if expires:
                try:
                    expires_at = timezone.make_aware(datetime.combine(date.fromisoformat(expires), time.max))
                except ValueError:
                    raise CommandError(f"--expires “{expires}” không phải ngày ISO (2027-06-30).") from None
            try:
                _token, raw = token_create(actor=actor, user=user, name=name, expires_at=expires_at)
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from None
            self.stdout.write(raw)
            self.stderr.write("Mã truy cập chỉ hiện một lần này: hãy lưu lại ngay.")
            return
        token = ApiToken.objects.filter(
            user=user, name=" ".join(name.split()), revoked_at__isnull=True
        ).first()
        if token is None:
            raise CommandError(f"{username} không có mã truy cập còn hiệu lực tên “{name}”.")
        token_revoke(actor=actor, token=token)
        self.stdout.write(f"Đã thu hồi mã truy cập “{token.name}” của {username}.")
