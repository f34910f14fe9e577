"""The columns of each register's import file: Vietnamese headers, accepted aliases, what each column
holds. The importer matches headers through `header_key` (case, diacritics, punctuation and `_` are
ignored), and the downloadable template documents the same list."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from congvu.core.text import fold
from congvu.registers.models import AssigningAuthority, Channel, ProductType, Quality


@dataclass(frozen=True)
class Column:
    key: str  # internal name
    header: str  # the template's header
    kind: str  # code, text, longtext, date, unit, field, official, choice, bool, int
    description: str
    example: str
    required: bool = False  # the column must be in the file and every row must fill it
    aliases: tuple[str, ...] = ()
    max_length: int | None = None
    choices: dict[str, str] = field(default_factory=dict)  # folded accepted value -> stored value


@dataclass(frozen=True)
class Register:
    name: str  # "tasks" | "dossiers"
    label: object  # lazy translation
    columns: tuple[Column, ...]
    # Columns that are not data but are common in exported reports; recognised and ignored.
    ignored: tuple[str, ...] = ("STT", "TT", "Số TT", "Số thứ tự", "Ghi chú")

    def column(self, key: str) -> Column:
        return next(c for c in self.columns if c.key == key)

    @property
    def aliases(self) -> dict[str, Column | None]:
        """header_key(alias) -> column (None: a known column that is ignored)."""
        table: dict[str, Column | None] = {header_key(name): None for name in self.ignored}
        for column in self.columns:
            for name in (column.header, column.key, *column.aliases):
                table[header_key(name)] = column
        return table


_PARENTHESES = re.compile(r"\(.*?\)|\[.*?\]")


def header_key(text: str) -> str:
    """'Ngày tiếp nhận (dd/mm/yyyy)*' and 'ngay_tiep_nhan' -> 'ngay tiep nhan'."""
    text = _PARENTHESES.sub(" ", str(text))
    text = re.sub(r"[_\-*:.,/]+", " ", text)
    return fold(text)


def _choices(enum, extra: dict[str, tuple[str, ...]]) -> dict[str, str]:
    table: dict[str, str] = {}
    for value, label in enum.choices:
        table[fold(value)] = value
        table[fold(str(label))] = value
        for alias in extra.get(value, ()):
            table[fold(alias)] = value
    return table


AUTHORITY_CHOICES = _choices(
    AssigningAuthority,
    {
        "central": ("TW", "Chính phủ", "Thủ tướng Chính phủ", "Văn phòng Chính phủ", "Bộ, ngành Trung ương"),
        "party_committee": ("TU", "Tỉnh uỷ", "Ban Chấp hành Đảng bộ tỉnh"),
        "party_standing": (
            "Ban Thường vụ Tỉnh ủy",
            "Ban Thường vụ Tỉnh uỷ",
            "BTV Tỉnh ủy",
            "BTV Tỉnh uỷ",
            "BTV",
            "Thường trực Tỉnh ủy",
            "Thường trực Tỉnh uỷ",
            "TT Tỉnh ủy",
            "Ban Thường vụ/Thường trực Tỉnh ủy",
        ),
        "peoples_council": ("HĐND", "Hội đồng nhân dân tỉnh", "Thường trực HĐND tỉnh"),
        "ppc": ("UBND", "Ủy ban nhân dân tỉnh", "Uỷ ban nhân dân tỉnh"),
        "ppc_chairman": ("Chủ tịch UBND", "CT UBND tỉnh", "CT UBND", "Chủ tịch Ủy ban nhân dân tỉnh"),
    },
)
PRODUCT_CHOICES = _choices(
    ProductType,
    {
        "admin_document": ("VBHC", "Văn bản hành chính thông thường"),
        "legal_normative": ("QPPL", "Văn bản quy phạm pháp luật", "VB QPPL"),
        "council_submission": ("Trình HĐND", "Tờ trình HĐND", "Nội dung trình HĐND tỉnh"),
        "report": ("BC",),
        "other": ("Khác",),
    },
)
CHANNEL_CHOICES = _choices(
    Channel,
    {
        "online": (
            "Trực tuyến",
            "Nộp trực tuyến",
            "Dịch vụ công trực tuyến",
            "DVC trực tuyến",
            "Online",
            "Qua mạng",
        ),
        "direct": (
            "Trực tiếp",
            "Nộp trực tiếp",
            "Bưu chính",
            "Dịch vụ bưu chính",
            "Qua bưu điện",
            "Bưu điện",
        ),
    },
)
QUALITY_CHOICES = _choices(
    Quality,
    {
        "passed": ("Đạt yêu cầu", "Tốt"),
        "failed": ("Không đạt yêu cầu", "Chưa đạt"),
        "returned": ("Trả lại", "Bị trả lại", "Trả lại chỉnh sửa"),
    },
)


def _labels(enum) -> str:
    return "; ".join(str(label) for _value, label in enum.choices)


_DATE = "Ngày dạng dd/mm/yyyy (31/01/2025), yyyy-mm-dd hoặc ô ngày của Excel."
_UNIT = (
    "Mã đơn vị (ví dụ VL-SXD) hoặc tên đơn vị như trong hệ thống (không phân biệt hoa thường, có dấu hay "
    "không). Tên trùng nhau thì chọn đơn vị còn hiệu lực vào ngày của dòng."
)
_FIELD = "Mã lĩnh vực (ví dụ xay-dung) hoặc tên lĩnh vực như trong danh mục lĩnh vực."
_OFFICIAL = (
    "Mã cán bộ hoặc họ tên. Để trống: hệ thống tự xác định cấp phó phụ trách lĩnh vực, "
    "hoặc người đứng đầu, theo quyết định phân công vào ngày {day}."
)
_BOOL = "Ghi x (hoặc có, 1) nếu có; để trống (hoặc không, 0) nếu không."

TASKS = Register(
    name="tasks",
    label=_("Nhiệm vụ được giao"),
    columns=(
        Column(
            "code",
            "Mã nhiệm vụ",
            "code",
            "Mã duy nhất của nhiệm vụ trong nguồn dữ liệu; nhập lại cùng mã thì cập nhật dòng đã có.",
            "NV-2025-0001",
            required=True,
            aliases=("Mã NV", "Mã số nhiệm vụ", "Số hiệu nhiệm vụ", "Mã"),
            max_length=100,
        ),
        Column(
            "content",
            "Nội dung",
            "longtext",
            "Nội dung, trích yếu nhiệm vụ được giao.",
            "Tham mưu UBND tỉnh ban hành kế hoạch cải cách hành chính năm 2025",
            required=True,
            aliases=("Nội dung nhiệm vụ", "Trích yếu", "Tên nhiệm vụ", "Nội dung công việc"),
        ),
        Column(
            "authority",
            "Cơ quan giao",
            "choice",
            f"Cơ quan giao nhiệm vụ, một trong: {_labels(AssigningAuthority)}.",
            "UBND tỉnh",
            required=True,
            aliases=("Cơ quan giao nhiệm vụ", "Cấp giao", "Nguồn giao"),
            choices=AUTHORITY_CHOICES,
        ),
        Column(
            "document_number",
            "Số văn bản giao",
            "text",
            "Số, ký hiệu văn bản giao nhiệm vụ.",
            "125/UBND-NC",
            aliases=("Số văn bản", "Số, ký hiệu văn bản", "Số ký hiệu", "Số hiệu văn bản"),
            max_length=100,
        ),
        Column(
            "document_date",
            "Ngày văn bản giao",
            "date",
            _DATE + " Dùng làm ngày giao khi xác định người phụ trách.",
            "06/01/2025",
            aliases=("Ngày văn bản", "Ngày ban hành", "Ngày ban hành văn bản", "Ngày giao"),
        ),
        Column(
            "unit",
            "Đơn vị chủ trì",
            "unit",
            _UNIT,
            "VL-SXD",
            required=True,
            aliases=("Mã đơn vị", "Đơn vị", "Cơ quan chủ trì", "Đơn vị thực hiện", "Cơ quan thực hiện"),
        ),
        Column(
            "field",
            "Lĩnh vực",
            "field",
            _FIELD + " Có thể để trống.",
            "xay-dung",
            aliases=("Mã lĩnh vực", "Tên lĩnh vực"),
        ),
        Column(
            "product_type",
            "Loại sản phẩm",
            "choice",
            f"Sản phẩm đầu ra, một trong: {_labels(ProductType)}. Để trống: Khác.",
            "Văn bản hành chính",
            aliases=("Sản phẩm", "Hình thức sản phẩm", "Sản phẩm đầu ra"),
            choices=PRODUCT_CHOICES,
        ),
        Column(
            "received_on",
            "Ngày nhận",
            "date",
            _DATE,
            "08/01/2025",
            required=True,
            aliases=("Ngày tiếp nhận", "Ngày nhận văn bản"),
        ),
        Column(
            "due_on",
            "Hạn hoàn thành",
            "date",
            _DATE + " Để trống: nhiệm vụ không thời hạn. Không được trước ngày nhận.",
            "28/02/2025",
            aliases=("Thời hạn", "Thời hạn hoàn thành", "Hạn xử lý", "Hạn"),
        ),
        Column(
            "handled_on",
            "Ngày xử lý",
            "date",
            _DATE + " Ngày bắt đầu xử lý (không bắt buộc).",
            "10/01/2025",
            aliases=("Ngày bắt đầu xử lý",),
        ),
        Column(
            "advised_on",
            "Ngày tham mưu",
            "date",
            _DATE + " Ngày trình, tham mưu cấp có thẩm quyền.",
            "20/02/2025",
            aliases=("Ngày trình", "Ngày tham mưu trình"),
        ),
        Column(
            "completed_on",
            "Ngày hoàn thành",
            "date",
            _DATE + " Để trống nếu chưa hoàn thành.",
            "25/02/2025",
            aliases=("Ngày kết thúc",),
        ),
        Column(
            "quality",
            "Chất lượng",
            "choice",
            f"Đánh giá chất lượng, một trong: {_labels(Quality)}; để trống nếu chưa đánh giá.",
            "Đạt",
            aliases=("Kết quả đánh giá chất lượng", "Đánh giá chất lượng"),
            choices=QUALITY_CHOICES,
        ),
        Column(
            "proactive",
            "Chủ động tham mưu",
            "bool",
            "Cơ quan chủ động đề xuất, tham mưu. " + _BOOL,
            "x",
            aliases=("Chủ động",),
        ),
        Column(
            "responsible",
            "Người phụ trách",
            "official",
            _OFFICIAL.format(day="văn bản giao (hoặc ngày nhận)"),
            "",
            aliases=("Mã người phụ trách", "Lãnh đạo phụ trách", "Người chịu trách nhiệm", "Mã cán bộ"),
        ),
        Column(
            "returned_count",
            "Số lần trả lại",
            "int",
            "Số lần sản phẩm bị trả lại để chỉnh sửa (số nguyên, để trống: 0).",
            "0",
            aliases=("Số lần bị trả lại",),
        ),
    ),
)

DOSSIERS = Register(
    name="dossiers",
    label=_("Hồ sơ thủ tục hành chính"),
    columns=(
        Column(
            "code",
            "Mã hồ sơ",
            "code",
            "Mã hồ sơ trên hệ thống một cửa; nhập lại cùng mã thì cập nhật dòng đã có.",
            "000.00.20.H62-250106-0001",
            required=True,
            aliases=("Số hồ sơ", "Mã số hồ sơ", "Mã HS", "Mã"),
            max_length=100,
        ),
        Column(
            "field",
            "Lĩnh vực",
            "field",
            _FIELD,
            "dat-dai",
            required=True,
            aliases=("Mã lĩnh vực", "Tên lĩnh vực"),
        ),
        Column(
            "procedure",
            "Thủ tục",
            "text",
            "Tên thủ tục hành chính.",
            "Đăng ký biến động quyền sử dụng đất",
            required=True,
            aliases=("Tên thủ tục", "Thủ tục hành chính", "Tên thủ tục hành chính", "TTHC", "Tên TTHC"),
            max_length=300,
        ),
        Column(
            "unit",
            "Đơn vị",
            "unit",
            _UNIT,
            "VL-SXD",
            required=True,
            aliases=(
                "Mã đơn vị",
                "Đơn vị xử lý",
                "Đơn vị giải quyết",
                "Cơ quan giải quyết",
                "Cơ quan chủ trì giải quyết",
                "Cơ quan",
                "Cơ quan thực hiện",
            ),
        ),
        Column(
            "received_on",
            "Ngày tiếp nhận",
            "date",
            _DATE,
            "06/01/2025",
            required=True,
            aliases=("Ngày nhận", "Ngày nộp", "Ngày tiếp nhận hồ sơ", "Ngày nhận hồ sơ"),
        ),
        Column(
            "due_on",
            "Hạn xử lý",
            "date",
            _DATE + " Ngày hẹn trả theo số ngày làm việc của thủ tục; không được trước ngày tiếp nhận.",
            "20/01/2025",
            aliases=("Hạn giải quyết", "Ngày hẹn trả", "Ngày hẹn trả kết quả", "Hạn trả kết quả"),
        ),
        Column(
            "completed_on",
            "Ngày hoàn thành",
            "date",
            _DATE + " Để trống nếu chưa giải quyết xong.",
            "17/01/2025",
            aliases=("Ngày xử lý xong", "Ngày có kết quả", "Ngày giải quyết xong", "Ngày kết thúc"),
        ),
        Column(
            "returned_on",
            "Ngày trả kết quả",
            "date",
            _DATE + " Để trống nếu chưa trả.",
            "20/01/2025",
            aliases=("Ngày trả",),
        ),
        Column(
            "status",
            "Trạng thái",
            "text",
            "Trạng thái trên hệ thống một cửa (ví dụ Đã trả kết quả, Đang xử lý).",
            "Đã trả kết quả",
            aliases=("Tình trạng", "Trạng thái hồ sơ"),
            max_length=100,
        ),
        Column(
            "handler",
            "Người xử lý",
            "official",
            _OFFICIAL.format(day="tiếp nhận"),
            "",
            aliases=("Mã người xử lý", "Cán bộ xử lý", "Người phụ trách", "Mã cán bộ"),
        ),
        Column(
            "apology_slip",
            "Phiếu xin lỗi",
            "bool",
            "Hồ sơ trễ hạn đã có phiếu xin lỗi và hẹn lại ngày trả. " + _BOOL,
            "",
            aliases=("Xin lỗi", "Có phiếu xin lỗi", "Phiếu xin lỗi và hẹn lại"),
        ),
        Column(
            "channel",
            "Hình thức nộp",
            "choice",
            f"Hồ sơ nộp {_labels(Channel).lower()}. Để trống: không rõ (Biểu 06a tính vào trực tiếp).",
            "Trực tuyến",
            aliases=("Hình thức nộp hồ sơ", "Kênh tiếp nhận", "Hình thức tiếp nhận", "Kênh nộp"),
            choices=CHANNEL_CHOICES,
        ),
        Column(
            "notes",
            "Ghi chú",
            "notes",
            "Các sự kiện làm thay đổi thời hạn, mỗi sự kiện một đoạn (ngăn bằng dấu ; hoặc xuống dòng), có "
            "ngày dd/mm/yyyy: “Yêu cầu bổ sung ngày 10/02/2025, hẹn trả 25/02/2025”, “Đã bổ sung ngày "
            "15/02/2025”, “Xin lỗi, hẹn lại ngày trả 28/02/2025”, “Dừng giải quyết ngày …”, “Công dân rút hồ "
            "sơ ngày …”, “Từ chối giải quyết ngày …”. Đoạn nêu sự kiện mà thiếu ngày được báo lại theo dòng, "
            "không ghi nhận. Ghi chú khác giữ nguyên là ghi chú.",
            "Yêu cầu bổ sung ngày 10/01/2025, hẹn trả 24/01/2025",
            aliases=("Ghi chú xử lý", "Ghi chú hồ sơ"),
        ),
    ),
)

REGISTERS: dict[str, Register] = {"tasks": TASKS, "dossiers": DOSSIERS}

# The code of the template's example row (tệp mẫu, `sample_file`). It carries no digit on purpose: the
# importer looks closer at such rows only (blank, total and footer lines have none either), so
# recognising the example row costs the ordinary rows nothing. A file that still holds it is refused.
EXAMPLE_CODE = "VI-DU-XOA-DONG-NAY"
