"""`congvu recover_imports [--stale-seconds N] [--retry ID ...]`: background imports whose worker died."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from congvu.registers.models import ImportRun
from congvu.registers.recovery import import_run_retry, import_runs_fail_stale


class Command(BaseCommand):
    help = "Đánh dấu lỗi các lần nhập nền mất tín hiệu sống (tiến trình nền đã chết); chạy lại khi cần."

    def add_arguments(self, parser):
        parser.add_argument("--stale-seconds", type=int, default=None, help="mặc định IMPORT_STALE_SECONDS")
        parser.add_argument("--retry", type=int, nargs="*", default=[], help="lần nhập lỗi cần chạy lại")

    def handle(self, *args, stale_seconds, retry, **options):
        failed = import_runs_fail_stale(stale_seconds=stale_seconds)
        for run_id in failed:
            self.stdout.write(f"Lần nhập #{run_id}: tiến trình nền đã dừng, đánh dấu lỗi hệ thống.")
        for run_id in retry:
            run = ImportRun.objects.filter(pk=run_id).first()
            if run is None:
                raise CommandError(f"Không có lần nhập #{run_id}.")
            try:
                import_run_retry(actor="recover_imports", run=run)
            except ValidationError as exc:
                raise CommandError(f"Lần nhập #{run_id}: {' '.join(exc.messages)}") from None
            self.stdout.write(f"Lần nhập #{run_id}: đã xếp hàng chạy lại.")
        if not failed and not retry:
            self.stdout.write("Không có lần nhập nền nào mất tín hiệu sống.")
