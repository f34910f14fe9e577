"""The navigation bar: a few menus of related pages, so the bar stays on one line at 1366 px.

An entry shows only when its URL exists, so the menu never promises a page that is not built yet."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# The menus in bar order: (key, label, or None for entries shown directly on the bar).
NAV_GROUPS = [
    ("org", _("Tổ chức")),
    ("registers", _("Sổ theo dõi")),
    ("metrics", None),
    ("inspections", _("Kiểm tra")),
    ("evaluation", _("Đánh giá")),
    ("admin", None),
]

# (group, url name, label, roles allowed or None for every signed-in user)
NAV_ITEMS = [
    ("org", "org:tree", _("Cây tổ chức"), None),
    ("org", "org:officials", _("Cán bộ"), None),
    ("org", "org:fields", _("Lĩnh vực"), None),
    ("org", "workdays:calendar", _("Lịch làm việc"), None),
    ("registers", "registers:tasks", _("Nhiệm vụ được giao"), None),
    ("registers", "registers:dossiers", _("Hồ sơ TTHC"), None),
    ("registers", "registers:imports", _("Nhập dữ liệu"), None),
    ("registers", "registers:procedures", _("Danh mục thủ tục hành chính"), None),
    ("registers", "metrics:tthc", _("Kết quả giải quyết TTHC (Biểu 06a/06b, chỉ số 766)"), None),
    ("metrics", "metrics:overview", _("Chỉ số"), None),
    ("inspections", "inspections:list", _("Cuộc kiểm tra"), None),
    ("inspections", "sampling:list", _("Chọn mẫu"), None),
    ("inspections", "documents:home", _("Văn bản"), None),
    ("evaluation", "evaluation:home", _("Đánh giá, xếp loại"), None),
    ("evaluation", "proposals:list", _("Báo cáo, đề xuất"), None),
    ("evaluation", "planning:home", _("Quy hoạch cán bộ"), None),
    ("admin", "audit:list", _("Nhật ký"), ("admin", "lead")),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def nav_for(user) -> list[dict]:
    """The bar's menus for this user, in order; a menu without any entry the user may open is left
    out. `label` None: the entries go directly on the bar."""
    items: dict[str, list[dict]] = {key: [] for key, _label in NAV_GROUPS}
    for group, name, label, roles in NAV_ITEMS:
        if roles and not user.has_role(*roles):
            continue
        url = _url(name)
        if url:
            items[group].append({"url": url, "label": label})
    return [{"key": key, "label": label, "items": items[key]} for key, label in NAV_GROUPS if items[key]]
