"""The dossier register in its official form (Sổ theo dõi hồ sơ: TT 01/2018/TT-VPCP Mẫu 06, TT
03/2025/TT-VPCP Mẫu 07), as one-stop desks export it (`shared/domain/official-forms.md` §2).

The form differs from the project's template in four ways, all handled here before the importer's
two phases run unchanged:

* the header has two rows with merged cells: a group ("Ngày, tháng, năm", "Trả kết quả") over its
  sub-columns ("Nhận hồ sơ", "Hẹn trả kết quả"; "Ngày, tháng, năm", "Ký nhận"). Merged cells are
  blanks in CSV and in calamine's rows, so a blank group cell continues the group on its left while
  the second row has a sub-header under it. A column is known by its group and sub-header text
  (accents, case, line breaks, spacing and punctuation ignored), never by its position;
* there is no field column: the field comes from the procedure through the procedure catalogue
  (`Procedure`), and a procedure the catalogue does not know stops the import with the list of names;
* the handling unit is "Cơ quan chủ trì giải quyết"; the result's return date doubles as the
  completion date when the form has no separate completion column;
* footer lines ("Tổng số…", place and date, "NGƯỜI LẬP SỔ", a name) follow the rows and are skipped.

`adapt(sheet)` recognises the form by its headers (no flag) and returns the rows with a one-row
header in the template's words, at the same column positions, so every error still names the file's
own row, column letter and header."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from congvu.core.text import fold
from congvu.registers.columns import DOSSIERS, header_key
from congvu.registers.readers import Sheet
from congvu.registers.validation import Bad, cell_text

SCAN = 25  # rows searched for the two header rows

# (group, sub-header) -> template column key; None: a column of the form that is not stored
# (personal data of the applicant, signatures, counts). The group is "" for a one-row column.
_GROUPED: dict[tuple[str, str], str | None] = {}
_SINGLE: dict[str, str | None] = {}


def _single(key: str | None, *names: str) -> None:
    for name in names:
        _SINGLE[header_key(name)] = key


def _grouped(group: str, key: str | None, *names: str) -> None:
    for name in names:
        _GROUPED[(header_key(group), header_key(name))] = key


_single(None, "TT", "STT", "Số TT", "Số thứ tự")
_single("code", "Mã hồ sơ", "Mã số hồ sơ", "Số hồ sơ")
_single(
    "procedure", "Tên TTHC", "Tên thủ tục hành chính", "Tên thủ tục", "Thủ tục hành chính", "Nội dung hồ sơ"
)
_single("procedure_code", "Mã TTHC", "Mã thủ tục", "Mã thủ tục hành chính")
_single(
    None,
    "Số lượng hồ sơ (bộ)",
    "Số lượng hồ sơ",
    "Số lượng",
    "Số bộ hồ sơ",
    "Tên cá nhân, tổ chức",
    "Họ tên chủ hồ sơ",
    "Tên chủ hồ sơ",
    "Chủ hồ sơ",
    "Địa chỉ, số điện thoại",
    "Địa chỉ chủ hồ sơ",
    "Địa chỉ",
    "Số điện thoại",
    "Người nhận hồ sơ",
    "Địa bàn phát sinh hồ sơ",
    "Phương thức nhận kết quả",
)
_single("unit", "Cơ quan chủ trì giải quyết", "Cơ quan chủ trì", "Cơ quan giải quyết")
_single("channel", "Hình thức nộp", "Hình thức nộp hồ sơ", "Kênh tiếp nhận", "Hình thức tiếp nhận")
_single("status", "Trạng thái", "Tình trạng")
_single("notes", "Ghi chú")
_DATES = "Ngày, tháng, năm"
_grouped(_DATES, "received_on", "Nhận hồ sơ", "Ngày nhận hồ sơ")
_grouped(_DATES, "due_on", "Hẹn trả kết quả", "Hẹn trả")
_grouped(_DATES, None, "Chuyển hồ sơ đến cơ quan giải quyết", "Chuyển hồ sơ", "Ký nhận")
_grouped(_DATES, "completed_on", "Nhận kết quả từ cơ quan giải quyết")
_grouped(_DATES, "returned_on", "Trả kết quả", "Ngày trả kết quả")
_grouped(_DATES, None, "Phương thức nhận kết quả")
_RESULT = "Trả kết quả"
_grouped(_RESULT, "returned_on", "Ngày, tháng, năm", "Ngày trả", "Ngày nhận kết quả", "Ngày trả kết quả")
_grouped(_RESULT, None, "Ký nhận", "Bên giao", "Bên nhận", "Người nhận", "Phương thức nhận kết quả")
_GROUPS = {g for g, _s in _GROUPED}

# The template header each key is given in the adapted header row (the importer maps it back).
_TEMPLATE = {c.key: c.header for c in DOSSIERS.columns}
_FOOTER = re.compile(
    r"nguoi lap|lap so|tong so|tong cong|ky,? ghi ro|ky ten|ngay \d* ?thang \d* ?nam|xac nhan|thu truong"
)


def _texts(cells: list) -> list[str]:
    return [fold(cell_text(c)) for c in cells]


@dataclass
class OfficialForm:
    """What `adapt` found: where each key is, the file's own header text, skipped columns."""

    header_row: int  # the second header row (the numbers row follows it)
    at: dict[str, int]
    labels: dict[str, str]  # key -> "Ngày, tháng, năm — Nhận hồ sơ" as the file writes it
    unknown: list[str] = field(default_factory=list)
    footer_rows: int = 0


def _column_names(top: list, sub: list) -> list[tuple[str, str, str]]:
    """(group key, sub key, label) per column: the group of a merged cell spans its blanks."""
    width = max(len(top), len(sub))
    top = [*top, *[""] * (width - len(top))]
    sub = [*sub, *[""] * (width - len(sub))]
    names = []
    group, group_label = "", ""
    for j in range(width):
        t = " ".join(cell_text(top[j]).split())
        s = " ".join(cell_text(sub[j]).split())
        if t:
            group, group_label = (header_key(t), t) if s else ("", "")
            names.append((header_key(t), header_key(s), f"{t} — {s}" if s else t))
        elif s and group:
            names.append((group, header_key(s), f"{group_label} — {s}"))
        else:
            group = ""
            names.append(("", header_key(s), s))
    return names


def _key(group: str, sub: str) -> tuple[bool, str | None]:
    """(known?, key) for a column of the form."""
    if group and sub and (group, sub) in _GROUPED:
        return True, _GROUPED[(group, sub)]
    if not sub and group in _SINGLE:
        return True, _SINGLE[group]
    if not group and sub in _SINGLE:  # a one-row column written in the second row
        return True, _SINGLE[sub]
    if group and sub and group not in _GROUPS and group in _SINGLE:
        return True, _SINGLE[group]  # a note under a one-row column
    return False, None


def detect(buffer: list[tuple[int, list]]) -> OfficialForm | None:
    """The official form when two consecutive rows hold a known group with sub-headers under it and
    the dossier code; None for the project's own template (and anything else)."""
    for i in range(len(buffer) - 1):
        top = _texts(buffer[i][1])
        keys = {header_key(t) for t in top if t}
        if not (keys & _GROUPS) or header_key("Mã hồ sơ") not in keys | {
            header_key(t) for t in _texts(buffer[i + 1][1])
        }:
            continue
        names = _column_names(buffer[i][1], buffer[i + 1][1])
        at: dict[str, int] = {}
        labels: dict[str, str] = {}
        unknown: list[str] = []
        for j, (group, sub, label) in enumerate(names):
            if not group and not sub:
                continue
            known, key = _key(group, sub)
            if not known:
                unknown.append(label)
            elif key and key not in at:
                at[key] = j
                labels[key] = label
        if "received_on" in at and "code" in at:
            return OfficialForm(header_row=buffer[i + 1][0], at=at, labels=labels, unknown=unknown)
    return None


def adapt(sheet: Sheet) -> tuple[Sheet, OfficialForm | None]:
    """The sheet unchanged when it is not the official form; else its rows with the two header rows
    replaced by one template header at the second one's row number, and footer lines dropped."""
    rows = iter(sheet.rows)
    buffer = []
    for item in rows:
        buffer.append(item)
        if len(buffer) >= SCAN:
            break
    form = detect(buffer)
    if form is None:
        sheet.rows = chain(buffer, rows)
        return sheet, None
    width = max(form.at.values()) + 1
    header = [""] * width
    for key, j in form.at.items():
        if key in _TEMPLATE:  # the procedure code is read by the importer itself
            header[j] = _TEMPLATE[key]
    start = next(n for n, (rowno, _c) in enumerate(buffer) if rowno == form.header_row)
    code_at, received_at = form.at["code"], form.at["received_on"]

    def body() -> Iterator[tuple[int, list]]:
        yield form.header_row, header
        in_footer = False
        for rowno, cells in chain(buffer[start + 1 :], rows):
            # Under the first footer line, every line without a code and a date is footer too (the
            # signer's name).
            if _is_footer(cells, code_at, received_at, in_footer):
                form.footer_rows += 1
                in_footer = True
                continue
            yield rowno, cells

    sheet.rows = body()
    return sheet, form


def _is_footer(cells: list, code_at: int, received_at: int, in_footer: bool) -> bool:
    """A line under the table: no code, no receipt date, and words of a footer (or any words once
    the footer has begun)."""

    def blank(j):
        return j >= len(cells) or not cell_text(cells[j]).strip()

    if not blank(code_at) or not blank(received_at):
        return False
    text = " ".join(t for t in _texts(cells) if t)
    return bool(text) and (in_footer or bool(_FOOTER.search(text)))


class Catalogue:
    """Procedure name or code -> field id, from the procedure catalogue; unknown names are kept."""

    def __init__(self) -> None:
        from congvu.registers.models import Procedure

        self.by_name: dict[str, int] = {}
        self.by_code: dict[str, int] = {}
        for code, folded, field_id in Procedure.objects.values_list("code", "name_folded", "field_id"):
            self.by_name[folded] = field_id
            if code:
                self.by_code[fold(code)] = field_id
        self.unknown: dict[str, str] = {}  # folded -> name as first written

    def field_of(self, raw) -> int | Bad | None:
        text = " ".join(cell_text(raw).split())
        if not text:
            return None
        folded = fold(text)
        found = self.by_name.get(folded)
        if found is None:
            found = self.by_code.get(folded)
        if found is not None:
            return found
        self.unknown.setdefault(folded, text)
        return Bad(
            f"Thủ tục “{text}” chưa có trong danh mục thủ tục hành chính: chưa biết thuộc lĩnh vực nào "
            "(gắn lĩnh vực cho thủ tục trên trang Danh mục TTHC rồi nhập lại)."
        )
