"""The navigation of the roadmap's areas.

An entry shows only when its URL exists, so the menu and the home page never promise a page
that is not built yet."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

# (group, url name, label, roles allowed or None for every signed-in user)
NAV_ITEMS = [
    ("org", "org:tree", _("Cây tổ chức"), None),
    ("org", "org:officials", _("Cán bộ"), None),
    ("org", "org:fields", _("Lĩnh vực"), None),
    ("registers", "registers:tasks", _("Nhiệm vụ được giao"), None),
    ("registers", "registers:dossiers", _("Hồ sơ TTHC"), None),
    ("registers", "registers:imports", _("Nhập dữ liệu"), None),
    ("registers", "registers:procedures", _("Danh mục thủ tục hành chính"), None),
    ("registers", "metrics:tthc", _("Kết quả giải quyết TTHC (Biểu 06a/06b, chỉ số 766)"), None),
    ("main", "workdays:calendar", _("Lịch làm việc"), None),
    ("main", "metrics:overview", _("Chỉ số"), None),
    ("main", "inspections:list", _("Kiểm tra"), None),
    ("main", "sampling:list", _("Chọn mẫu"), None),
    ("main", "documents:home", _("Văn bản"), None),
    ("main", "evaluation:home", _("Đánh giá, xếp loại"), None),
    ("main", "proposals:list", _("Báo cáo, đề xuất"), None),
    ("main", "planning:home", _("Quy hoạch cán bộ"), None),
    ("main", "audit:list", _("Nhật ký"), ("admin", "lead")),
]

# The roadmap's areas as the home page reports them (DESIGN "Roadmap").
AREAS = [
    ("org:tree", _("Tổ chức, lịch sử sáp nhập, cán bộ và bổ nhiệm")),
    ("workdays:calendar", _("Lịch ngày làm việc")),
    ("registers:tasks", _("Sổ theo dõi nhiệm vụ được giao và nhập dữ liệu")),
    ("registers:dossiers", _("Sổ theo dõi hồ sơ thủ tục hành chính")),
    ("metrics:overview", _("Chỉ số thực hiện nhiệm vụ, bảng điểm người đứng đầu và cấp phó")),
    ("inspections:list", _("Kế hoạch, đoàn kiểm tra, phiếu kiểm tra, kết luận, khắc phục")),
    ("sampling:list", _("Chọn mẫu hồ sơ ngẫu nhiên có thể kiểm chứng")),
    ("evaluation:home", _("Đánh giá, xếp loại cuối năm")),
    ("planning:home", _("Hồ sơ cán bộ và bảng quy hoạch cán bộ lãnh đạo, quản lý")),
    ("documents:home", _("Văn bản hành chính (DOCX/PDF)")),
    ("api:root", _("API tích hợp")),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def nav_for(user) -> dict[str, list[dict]]:
    groups: dict[str, list[dict]] = {"org": [], "registers": [], "main": []}
    for group, name, label, roles in NAV_ITEMS:
        if roles and not user.has_role(*roles):
            continue
        url = _url(name)
        if url:
            groups[group].append({"url": url, "label": label})
    return groups


def area_status() -> list[dict]:
    return [{"label": label, "url": _url(name)} for name, label in AREAS]
