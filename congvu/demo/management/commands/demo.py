from django.core.management.base import BaseCommand, CommandError

from congvu.accounts.models import User
from congvu.demo.builder import SCALES, build_demo


class Command(BaseCommand):
    help = "Builds a realistic demo province, deterministically (same seed, same province)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument("--scale", choices=SCALES, default="medium")
        parser.add_argument("--if-empty", action="store_true", help="do nothing when the database has data")

    def handle(self, *args, seed, scale, if_empty, **options):
        if User.objects.exists():
            if if_empty:
                self.stdout.write("Cơ sở dữ liệu đã có dữ liệu: không tạo lại tỉnh trình diễn.")
                return
            raise CommandError(
                "Cơ sở dữ liệu đã có dữ liệu. Tỉnh trình diễn chỉ được tạo trên cơ sở dữ liệu trống."
            )
        build_demo(seed=seed, scale=scale, log=self.stdout.write)
