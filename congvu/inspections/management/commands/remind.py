"""`congvu remind [--date YYYY-MM-DD]`: e-mail and in-app reminders of everything overdue that the
inspected units owe: recommendations, document requests (the self-report included), explanations.

Meant for cron (e.g. every morning); running it again the same day sends nothing twice."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from congvu.inspections.services import reminders_send


class Command(BaseCommand):
    help = (
        "Nhắc hạn kiến nghị, yêu cầu tài liệu (kể cả báo cáo tự kiểm tra) và giải trình quá hạn "
        "(thư và thông báo trong hệ thống), mỗi nội dung mỗi ngày một lần."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="ngày tính quá hạn (ISO, mặc định hôm nay)")

    def handle(self, *args, date: str | None = None, **options):
        today = timezone.localdate()
        if date:
            try:
                today = _parse(date)
            except ValueError:
                raise CommandError(f"--date {date!r}: cần dạng YYYY-MM-DD.") from None
        counts = reminders_send(today=today)
        self.stdout.write(
            f"{today.isoformat()}: đã nhắc {counts['recommendations']} kiến nghị, "
            f"{counts['requests']} yêu cầu tài liệu, {counts['explanations']} giải trình "
            f"({counts['emails']} thư, {counts['notices']} thông báo); "
            f"{counts['skipped']} nội dung đã nhắc hôm nay; {counts['failed']} lỗi."
        )
        if counts["failed"]:
            raise CommandError(f"{counts['failed']} lời nhắc không gửi được; sẽ thử lại ở lần chạy sau.")


def _parse(value: str) -> date:
    return date.fromisoformat(value)
