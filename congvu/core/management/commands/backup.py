"""`congvu backup FILE`: the database and the uploaded files in one archive (see core/backup.py)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congvu.core.backup import VENDOR_LABEL, BackupError, backup_create


class Command(BaseCommand):
    help = "Sao lưu toàn bộ cơ sở dữ liệu và tệp tải lên vào một tệp (.tar.gz)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sẽ ghi, ví dụ /srv/congvu/backups/congvu-2026-12-01.tar.gz")

    def handle(self, *args, file, **options):
        path = Path(file)
        try:
            manifest = backup_create(path=path)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        rows = sum(manifest["tables"].values())
        media = sum(1 for name in manifest["members"] if name.startswith("media/"))
        self.stdout.write(
            f"Đã sao lưu {VENDOR_LABEL[manifest['vendor']]}: {len(manifest['tables'])} bảng, {rows} dòng, "
            f"{manifest['audit_head']['count']} sự kiện nhật ký, {media} tệp tải lên → {path} "
            f"({path.stat().st_size} byte)."
        )
