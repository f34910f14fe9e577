import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congvu.accounts.models import User
from congvu.org.models import Unit
from congvu.registers.guard import upload_size_error
from congvu.registers.imports import format_error, import_file
from congvu.registers.models import ImportRun


class Command(BaseCommand):
    help = (
        "Imports a register file (CSV or XLSX): `congvu import tasks|dossiers|slips FILE [--dry-run]` "
        "(dossiers: the project's template or the official Sổ theo dõi hồ sơ, recognised by its headers; "
        "slips: the control slips' hand-overs, one row each). "
        "Exit 0 when stored (counts printed), 1 with every error located and nothing stored."
    )

    def add_arguments(self, parser):
        parser.add_argument("register", choices=["tasks", "dossiers", "slips"])
        parser.add_argument("file")
        parser.add_argument("--dry-run", action="store_true", help="validate and count, store nothing")
        parser.add_argument("--source", default="import", help="data source; same source and code update")
        parser.add_argument("--unit", help="confine the rows to this unit (code) and its predecessors")
        parser.add_argument("--user", help="record the import as this account's (its role is checked)")

    def handle(self, *args, register, file, dry_run, source, unit, user, **options):
        actor = "cli"
        if user:
            actor = User.objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có tài khoản “{user}”.")
        scope = None
        if unit:
            scope = Unit.objects.filter(code=unit).first()
            if scope is None:
                raise CommandError(f"Không có đơn vị mã “{unit}”.")
        try:
            size = Path(file).stat().st_size
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {file}.") from None
        too_large = upload_size_error(size)
        if too_large:
            raise CommandError(f"{too_large} (giới hạn đặt bằng biến môi trường CONGVU_IMPORT_MAX_UPLOAD_MB)")
        if register == "slips":
            return self._slips(actor=actor, file=file, source=source, unit=scope, dry_run=dry_run)
        interactive = sys.stderr.isatty()

        def progress(done: int, total: int) -> None:
            if interactive:
                sys.stderr.write(f"\rĐã kiểm tra {done:,}/{total:,} dòng…".replace(",", "."))

        try:
            run = import_file(
                actor=actor,
                register=register,
                path=file,
                dry_run=dry_run,
                unit=scope,
                source=source,
                progress=progress,
            )
        except FileNotFoundError:
            raise CommandError(f"Không tìm thấy tệp {file}.") from None
        if interactive:
            sys.stderr.write("\n")
        for note in run.notes:
            self.stdout.write(f"• {note}")
        if run.status == ImportRun.Status.REJECTED:
            for error in run.errors:
                self.stderr.write(format_error(error))
            if run.suggested_register:  # the other register's file: say the command that fits
                self.stderr.write(f"Lệnh đúng: congvu import {run.suggested_register} {file}")
            raise CommandError(
                f"Tệp bị từ chối: {run.error_count} lỗi; không lưu dòng nào (lần nhập #{run.pk}).",
                returncode=1,
            )
        counts = (
            f"thêm mới {run.created_count}, cập nhật {run.updated_count}, không đổi {run.unchanged_count}"
        )
        if run.status == ImportRun.Status.DRY_RUN:
            self.stdout.write(
                f"Chạy thử: {run.rows_total} dòng hợp lệ — sẽ {counts}. Không lưu gì (#{run.pk})."
            )
        else:
            self.stdout.write(f"Đã lưu {run.rows_total} dòng — {counts} (lần nhập #{run.pk}).")

    def _slips(self, *, actor, file, source, unit, dry_run):
        """Control slips (phiếu kiểm soát): one row per hand-over; all or nothing."""
        from congvu.registers.slips import slips_import

        result = slips_import(actor=actor, path=file, source=source, unit=unit, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(format_error(error))
            raise CommandError(
                f"Tệp bị từ chối: {len(result.errors)} lỗi; không lưu lần bàn giao nào.", returncode=1
            )
        if dry_run:
            self.stdout.write(f"Chạy thử: {result.rows} lần bàn giao hợp lệ. Không lưu gì.")
        else:
            self.stdout.write(f"Đã lưu {result.rows} lần bàn giao của {result.dossiers} hồ sơ.")
