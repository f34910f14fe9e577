from django.core.management.base import BaseCommand, CommandError

from congvu.core.audit import audit_verify


class Command(BaseCommand):
    help = "Audit trail: `congvu audit verify` checks the hash chain."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("verify", help="walk the chain; exit 1 at the first broken event")

    def handle(self, *args, action, **options):
        result = audit_verify()
        if not result.ok:
            raise CommandError(
                f"Chuỗi nhật ký bị phá vỡ tại sự kiện #{result.broken_event_id}: {result.reason} "
                f"(đã kiểm {result.checked} sự kiện trước đó)."
            )
        self.stdout.write(f"Chuỗi nhật ký nguyên vẹn: {result.checked} sự kiện.")
