from django.conf import settings
from django.core.management.base import BaseCommand

from congvu.accounts.demo import DEMO_PASSWORD, demo_accounts


class Command(BaseCommand):
    help = "Prints the demo accounts (demo mode only)."

    def handle(self, *args, **options):
        if not settings.DEMO_MODE:
            self.stdout.write("Không ở chế độ trình diễn (CONGVU_DEMO=1): không có tài khoản trình diễn.")
            return
        self.stdout.write(f"Tài khoản trình diễn (mật khẩu: {DEMO_PASSWORD}):")
        for account in demo_accounts():
            unit = f" — {account['unit']}" if account["unit"] else ""
            self.stdout.write(f"  {account['username']:<16} {account['role_label']}{unit}")
        self.stdout.write("Mở http://127.0.0.1:8000/ trong trình duyệt.")
