"""The demo accounts, one per role (demo mode only). Listed in the README too."""

from congvu.accounts.models import Role, User

DEMO_PASSWORD = "congvu-demo"

# username, role, unit code (None: province-wide), full name. The demo province (congvu/demo/org.py)
# gives each person an official post: kiemtra is an inspector of the Department of Home Affairs (Sở Nội
# vụ), truongdoan its Director, chutich the PPC Chairman; the unit accounts belong to the Department of
# Construction (Sở Xây dựng) and to Xã Càng Long, formed on 1 Jul 2025 from three Trà Vinh communes.
DEMO_ACCOUNTS = [
    ("admin", Role.ADMIN, None, "Quản trị hệ thống"),
    ("kiemtra", Role.INSPECTOR, None, "Trần Thị Thu Hà"),
    ("truongdoan", Role.LEAD, None, "Lê Minh Tuấn"),
    ("chutich", Role.LEADERSHIP, None, "Nguyễn Văn Thạnh"),
    ("daumoi.sxd", Role.FOCAL, "VL-SXD", "Phạm Thị Ngọc Lan"),
    ("giamdoc.sxd", Role.UNIT_HEAD, "VL-SXD", "Võ Văn Phúc"),
    ("daumoi.xa", Role.FOCAL, "VL-X29266", "Huỳnh Thị Kim Ngân"),
    ("chutich.xa", Role.UNIT_HEAD, "VL-X29266", "Thạch Văn Sang"),
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
