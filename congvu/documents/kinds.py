"""The kinds of official document Công vụ writes (issue #10), as data: stable code, the number's
type code (Decree 30/2020: QĐ, TB, BB, KL, BC, KH, TTr), what the document is about (an inspection,
an annual plan or a year), its title line and the text blocks the draft lets the team edit.

A block's default comes from the data (`contexts.py`); what the team types replaces it in the draft
and is frozen with the issued copy."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

INSPECTION, PLAN, YEAR = "inspection", "plan", "year"


@dataclass(frozen=True)
class Block:
    name: str
    label: str
    multiline: bool = True
    help: str = ""


@dataclass(frozen=True)
class Kind:
    code: str  # stable: URLs, CLI, template files
    number_code: str  # the document type in "Số: 15/QĐ-SNV"
    label: str
    heading: str  # the title in bold caps
    target: str  # INSPECTION, PLAN or YEAR
    blocks: tuple[Block, ...]
    extra_targets: tuple[str, ...] = ()  # a kind written for more than one subject

    @property
    def targets(self) -> tuple[str, ...]:
        return (self.target, *self.extra_targets)


SUMMARY = Block("summary", _("Trích yếu nội dung"), multiline=False)
RECIPIENTS = Block("recipients", _("Nơi nhận (mỗi dòng một nơi)"))
SIGNER = (
    Block("signer_authority", _("Thẩm quyền ký (ví dụ: KT. GIÁM ĐỐC)"), multiline=False),
    Block("signer_title", _("Chức vụ người ký"), multiline=False),
    Block("signer_name", _("Họ và tên người ký"), multiline=False),
)


def _blocks(*specific: Block) -> tuple[Block, ...]:
    return (SUMMARY, *specific, RECIPIENTS, *SIGNER)


KINDS: dict[str, Kind] = {
    k.code: k
    for k in [
        Kind(
            "plan",
            "KH",
            _("Kế hoạch kiểm tra công vụ năm"),
            "KẾ HOẠCH",
            PLAN,
            _blocks(
                Block("purpose", _("Mục đích, yêu cầu")),
                Block("organisation", _("Tổ chức thực hiện")),
            ),
        ),
        Kind(
            "decision",
            "QĐ",
            _("Quyết định thành lập Đoàn kiểm tra"),
            "QUYẾT ĐỊNH",
            INSPECTION,
            _blocks(
                Block("legal_basis", _("Căn cứ (mỗi dòng một căn cứ)")),
                Block("duties", _("Nhiệm vụ, quyền hạn của Đoàn")),
            ),
        ),
        Kind(
            "notice",
            "TB",
            _("Thông báo kiểm tra"),
            "THÔNG BÁO",
            INSPECTION,
            _blocks(
                Block("schedule", _("Thời gian, địa điểm làm việc")),
                Block("requests_note", _("Yêu cầu đối với đơn vị")),
            ),
        ),
        Kind(
            "minutes",
            "BB",
            _("Biên bản kiểm tra"),
            "BIÊN BẢN",
            INSPECTION,
            _blocks(
                Block("place_time", _("Thời gian, địa điểm lập biên bản")),
                Block("unit_opinion", _("Ý kiến của đơn vị được kiểm tra")),
            ),
        ),
        Kind(
            "conclusion",
            "KL",
            _("Thông báo kết luận kiểm tra"),
            "THÔNG BÁO",
            INSPECTION,
            _blocks(
                Block("assessment", _("Nhận xét, đánh giá chung")),
                Block("closing", _("Tổ chức thực hiện")),
            ),
        ),
        Kind(
            "report",
            "BC",
            _("Báo cáo kết quả kiểm tra gửi Chủ tịch UBND tỉnh"),
            "BÁO CÁO",
            INSPECTION,
            _blocks(
                Block("assessment", _("Đánh giá chung")),
                Block("proposals", _("Đề xuất, kiến nghị với Chủ tịch UBND tỉnh")),
            ),
        ),
        Kind(
            "year-report",
            "BC",
            _("Báo cáo tổng hợp công tác kiểm tra công vụ năm"),
            "BÁO CÁO",
            YEAR,
            _blocks(
                Block("assessment", _("Đánh giá chung")),
                Block("next_year", _("Phương hướng, nhiệm vụ năm sau")),
            ),
        ),
        Kind(
            "proposal",
            "TTr",
            _("Tờ trình đề xuất xử lý, xếp loại"),
            "TỜ TRÌNH",
            INSPECTION,
            _blocks(
                Block("basis", _("Căn cứ, sự cần thiết")),
                Block("closing", _("Kiến nghị Chủ tịch UBND tỉnh")),
            ),
            extra_targets=(YEAR,),
        ),
    ]
}

NUMBER_CODES = sorted({k.number_code for k in KINDS.values()})


def kind_choices() -> list[tuple[str, str]]:
    return [(k.code, k.label) for k in KINDS.values()]


def get_kind(code: str) -> Kind | None:
    return KINDS.get(code)
