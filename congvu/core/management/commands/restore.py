"""`congvu restore FILE [--yes]`: replace the database and the uploaded files with a backup."""

import sys
import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congvu.core.backup import VENDOR_LABEL, BackupError, backup_read, backup_restore, describe_target


class Command(BaseCommand):
    help = "Khôi phục cơ sở dữ liệu và tệp tải lên từ một bản sao lưu của `congvu backup`."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp sao lưu (.tar.gz) do `congvu backup` tạo")
        parser.add_argument(
            "--yes", action="store_true", help="không hỏi xác nhận trước khi thay dữ liệu (cho kịch bản)"
        )

    def handle(self, *args, file, yes, **options):
        with tempfile.TemporaryDirectory(prefix="congvu-restore-") as tmp:
            try:
                manifest = backup_read(path=Path(file), workdir=Path(tmp))
            except BackupError as exc:
                raise CommandError(str(exc)) from None
            rows = sum(manifest["tables"].values())
            self.stdout.write(
                f"Bản sao lưu {VENDOR_LABEL[manifest['vendor']]} lúc {manifest['created_at']}: "
                f"{len(manifest['tables'])} bảng, {rows} dòng, "
                f"{manifest['audit_head']['count']} sự kiện nhật ký."
            )
            if not yes:
                if not sys.stdin.isatty():
                    raise CommandError("Cần xác nhận: chạy lại với --yes để thay dữ liệu mà không hỏi.")
                answer = input(
                    f"Toàn bộ dữ liệu của {describe_target()} và tệp tải lên sẽ bị thay thế. "
                    "Gõ 'yes' để tiếp tục: "
                )
                if answer.strip().lower() != "yes":
                    raise CommandError("Đã hủy: không thay đổi gì.")
            try:
                result = backup_restore(workdir=Path(tmp), manifest=manifest)
            except BackupError as exc:
                raise CommandError(str(exc)) from None
        if result.mismatches:
            raise CommandError(
                "Đã khôi phục nhưng kết quả không khớp bản sao lưu:\n  " + "\n  ".join(result.mismatches)
            )
        self.stdout.write(
            f"Đã khôi phục {describe_target()}: {result.tables} bảng, {result.rows} dòng khớp bản sao lưu; "
            f"chuỗi nhật ký nguyên vẹn ({result.audit_events} sự kiện); {result.media_files} tệp tải lên."
        )
