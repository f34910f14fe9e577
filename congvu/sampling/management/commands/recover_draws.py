"""`congvu recover_draws [--stale-seconds N]`: queued sample draws whose background worker died."""

from django.core.management.base import BaseCommand

from congvu.sampling.services import samples_fail_stale


class Command(BaseCommand):
    help = (
        "Trả về trạng thái chờ rút các mẫu đang rút nền mà tiến trình nền đã dừng (mất tín hiệu sống), "
        "để yêu cầu rút lại."
    )

    def add_arguments(self, parser):
        parser.add_argument("--stale-seconds", type=int, default=None, help="mặc định IMPORT_STALE_SECONDS")

    def handle(self, *args, stale_seconds, **options):
        failed = samples_fail_stale(stale_seconds=stale_seconds)
        for sample_id in failed:
            self.stdout.write(f"Mẫu #{sample_id}: tiến trình nền đã dừng khi rút mẫu; hãy yêu cầu rút lại.")
        if not failed:
            self.stdout.write("Không có lần rút mẫu nền nào mất tín hiệu sống.")
