"""The demo accounts, one per role (demo mode only). Listed in the README too."""

from congvu.accounts.models import Role, User

DEMO_PASSWORD = "congvu-demo"

# username, role, unit code (None: province-wide), full name
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, None, "Quản trị hệ thống"),
    ("kiemtra", Role.INSPECTOR, None, "Trần Thị Kiểm Tra"),
    ("truongdoan", Role.LEAD, None, "Lê Minh Trưởng Đoàn"),
    ("chutich", Role.LEADERSHIP, None, "Nguyễn Văn Chủ Tịch"),
    ("daumoi.sxd", Role.FOCAL, "DEMO-SXD", "Phạm Thị Đầu Mối"),
    ("giamdoc.sxd", Role.UNIT_HEAD, "DEMO-SXD", "Võ Văn Giám Đốc"),
    ("daumoi.xa", Role.FOCAL, "DEMO-XA", "Huỳnh Thị Đầu Mối Xã"),
    ("chutich.xa", Role.UNIT_HEAD, "DEMO-XA", "Đặng Văn Chủ Tịch Xã"),
]


def demo_accounts() -> list[dict]:
    users = {
        u.username: u
        for u in User.objects.filter(username__in=[a[0] for a in DEMO_ACCOUNTS]).select_related("unit")
    }
    return [
        {
            "username": name,
            "role_label": Role(role).label,
            "unit": users[name].unit if name in users else None,
        }
        for name, role, _unit, _full in DEMO_ACCOUNTS
        if name in users
    ]
