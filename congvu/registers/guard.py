"""Checks a spreadsheet before any cell is read (kiểm tra tệp Excel trước khi đọc).

The XLSX/ODS reader (python-calamine) builds the whole rectangle between the first and the last
cell of a sheet in memory, about 32–64 bytes per cell: a 1.5 KB file holding only A1 and XFD1048576
asks for ~550 GB and the process aborts. So before calamine opens a file, `check_workbook`:

1. checks the zip container: number of entries, compression method, the declared uncompressed sizes
   (each and in total) and the compression ratio of large entries;
2. inflates every entry itself, in bounded chunks, and refuses one that inflates to more than it
   declares (the container could lie to calamine's zip reader);
3. streams every XML part through expat (no DTD, no entities), with the same position rules as
   calamine — `<row r>` / `<c r>` or the running row and column when `r` is absent, ODS repeat
   counts — and measures each sheet's real extent; the declared `<dimension ref>` is checked too;
4. refuses a sheet whose rectangle exceeds `IMPORT_MAX_CELLS`, has more than `MAX_COLUMNS` columns,
   or is mostly empty space (two cells far apart).

Memory stays bounded whatever the file says: one chunk of inflated data and a few counters. Binary
workbooks (.xls, .xlsb), whose records are not checked, are refused with a message asking for .xlsx
or CSV. Every refusal is an `UnreadableFile` whose message is for the user, in Vietnamese.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from xml.parsers import expat

from django.conf import settings

from congvu.registers.readers import UnreadableFile, column_letter

CHUNK = 1 << 20  # bytes of compressed input, and of inflated output, handled at a time
MAX_ENTRIES = 1_000  # parts of a workbook (a normal one has 10–30)
MAX_UNCOMPRESSED = 400 << 20  # all parts together, inflated (calamine loads shared strings whole)
MAX_RATIO = 200  # inflated / compressed, for parts over RATIO_FROM bytes (a zip bomb is ~1000)
RATIO_FROM = 1 << 20
MAX_COLUMNS = 256  # a register has about 20 columns
SPARSE_FLOOR = 1_000_000  # cells of a rectangle always allowed, however empty
SPARSE_FACTOR = 20  # beyond the floor, the rectangle may be at most this many times its cells

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_REF = re.compile(r"\$?([A-Z]{1,3})\$?(\d{1,7})")
_LOCAL_HEADER = struct.Struct("<4s2B4HL2L2H")
_EOCD = struct.Struct("<4s4H2LH")  # the zip's end of central directory record
_EOCD_SEARCH = (1 << 16) + _EOCD.size  # the record, after a comment of up to 65,535 bytes


def _number(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _cell_name(row: int, col: int) -> str:
    return f"{column_letter(col)}{row + 1}"


def _col_index(letters: str) -> int:
    index = 0
    for ch in letters:
        index = index * 26 + ord(ch) - 64
    return index - 1


@dataclass
class SheetExtent:
    """The cells of one sheet as calamine would place them (0-based rows and columns)."""

    part: str
    cells: int = 0
    min_row: int | None = None
    min_col: int | None = None
    max_row: int = -1
    max_col: int = -1
    declared: str = ""

    def add(self, row: int, col: int, rows: int = 1, cols: int = 1) -> None:
        self.cells += rows * cols
        if self.min_row is None or row < self.min_row:
            self.min_row = row
        if self.min_col is None or col < self.min_col:
            self.min_col = col
        self.max_row = max(self.max_row, row + rows - 1)
        self.max_col = max(self.max_col, col + cols - 1)

    @property
    def height(self) -> int:
        return 0 if self.min_row is None else self.max_row - self.min_row + 1

    @property
    def width(self) -> int:
        return 0 if self.min_col is None else self.max_col - self.min_col + 1

    @property
    def area(self) -> int:
        return self.height * self.width

    def span(self) -> str:
        if self.min_row is None:
            return ""
        return f"{_cell_name(self.min_row, self.min_col)}:{_cell_name(self.max_row, self.max_col)}"


@dataclass
class WorkbookShape:
    kind: str  # "xlsx" or "ods"
    sheets: list[SheetExtent] = field(default_factory=list)
    uncompressed: int = 0

    @property
    def rows(self) -> int:
        """Rows of the tallest sheet (an estimate for choosing inline or background import)."""
        return max((s.height for s in self.sheets), default=0)


def upload_limit_bytes() -> int:
    return settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024


def upload_size_error(size: int) -> str | None:
    """The refusal of a file over the upload cap (setting IMPORT_MAX_UPLOAD_MB), else None."""
    if size <= upload_limit_bytes():
        return None
    mb = f"{size / (1024 * 1024):.1f}".replace(".", ",")
    return (
        f"Tệp quá lớn ({mb} MB): chỉ nhận tệp tối đa {settings.IMPORT_MAX_UPLOAD_MB} MB. "
        "Hãy chia tệp thành nhiều phần rồi nhập lần lượt."
    )


def max_cells() -> int:
    return settings.IMPORT_MAX_CELLS


def check_workbook(path: Path) -> WorkbookShape:
    """Check a spreadsheet file as described in the module docstring; return its shape or raise
    UnreadableFile. CSV files are not for this function."""
    path = Path(path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(_OLE):
        raise UnreadableFile(
            "Không nhận tệp Excel 97–2003 (.xls) hay tệp Excel có mật khẩu: hãy mở tệp, bỏ mật khẩu nếu "
            "có và lưu lại dưới dạng .xlsx hoặc CSV rồi tải lên."
        )
    _check_directory(path)
    try:
        book = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise UnreadableFile(f"Không đọc được tệp Excel: tệp không phải .xlsx hợp lệ ({exc}).") from None
    with book, path.open("rb") as raw:
        infos = book.infolist()
        kind = _kind(infos, book)
        _check_container(infos)
        shape = WorkbookShape(kind=kind)
        for info in infos:
            if info.is_dir():
                continue
            scanner = _PartScanner(info.filename, shape)
            produced = 0
            for chunk in _inflate(raw, info):
                produced += len(chunk)
                scanner.feed(chunk)
            shape.uncompressed += produced
            scanner.close()
    _check_shape(shape)
    return shape


def _check_directory(path: Path) -> None:
    """Bound the zip's central directory before zipfile reads it: zipfile builds an object of some
    hundreds of bytes per entry, and a 50 MB file can declare a million entries. The directory's size
    is read from the end record (the last one, as zipfile does); ZIP64, never needed by a workbook
    within the limits, is refused."""
    size = path.stat().st_size
    with path.open("rb") as fh:
        fh.seek(max(0, size - _EOCD_SEARCH))
        tail = fh.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        return  # not a zip: zipfile says so
    _sig, _disk, _cd_disk, _here, entries, cd_size, _cd_offset, _comment = _EOCD.unpack_from(tail, at)
    zip64 = entries == 0xFFFF or cd_size == 0xFFFFFFFF or tail.rfind(b"PK\x06\x07", 0, at) >= 0
    if zip64 or entries > MAX_ENTRIES or cd_size > MAX_ENTRIES * 1024:
        raise UnreadableFile(
            f"Tệp Excel có quá nhiều thành phần (giới hạn {_number(MAX_ENTRIES)}): "
            "tệp không phải bảng tính thông thường."
        )


def _kind(infos, book: zipfile.ZipFile) -> str:
    names = {i.filename for i in infos}
    binary_sheets = any(n.startswith("xl/worksheets/") and n.endswith(".bin") for n in names)
    if "xl/workbook.bin" in names or binary_sheets:
        raise UnreadableFile(
            "Không nhận tệp Excel nhị phân (.xlsb): hãy lưu lại dưới dạng .xlsx hoặc CSV rồi tải lên."
        )
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:
        return "ods"
    raise UnreadableFile("Không đọc được tệp Excel: tệp nén không chứa bảng tính (.xlsx hoặc .ods).")


def _check_container(infos) -> None:
    if len(infos) > MAX_ENTRIES:
        raise UnreadableFile(
            f"Tệp Excel có {_number(len(infos))} thành phần, quá giới hạn {_number(MAX_ENTRIES)}: "
            "tệp không phải bảng tính thông thường."
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise UnreadableFile("Không nhận tệp Excel có mật khẩu: hãy bỏ mật khẩu rồi tải lên.")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise UnreadableFile(
                f"Tệp Excel dùng kiểu nén không hỗ trợ ({info.compress_type}) ở phần {info.filename}."
            )
        total += info.file_size
        if total > MAX_UNCOMPRESSED:
            raise UnreadableFile(
                f"Tệp Excel khi giải nén vượt {_number(MAX_UNCOMPRESSED >> 20)} MB: "
                "quá lớn để nhập; hãy chia nhỏ tệp hoặc dùng CSV."
            )
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            ratio = info.file_size // max(info.compress_size, 1)
            raise UnreadableFile(
                f"Tệp Excel bị nén bất thường (phần {info.filename} nén {_number(ratio)} lần, "
                f"giới hạn {MAX_RATIO} lần): không nhập tệp này."
            )
    # Many small parts escape the per-part ratio: the whole archive is held to it as well.
    packed = sum(info.compress_size for info in infos)
    if total > RATIO_FROM and total > MAX_RATIO * max(packed, 1):
        raise UnreadableFile(
            f"Tệp Excel bị nén bất thường (nén {_number(total // max(packed, 1))} lần, giới hạn {MAX_RATIO} "
            "lần): không nhập tệp này."
        )


def _inflate(raw, info: zipfile.ZipInfo):
    """The inflated bytes of one entry, CHUNK at a time, read from the raw file with the central
    directory's sizes; an entry that inflates to more (or less) than it declares is refused."""
    raw.seek(info.header_offset)
    header = raw.read(_LOCAL_HEADER.size)
    if len(header) != _LOCAL_HEADER.size or header[:4] != b"PK\x03\x04":
        raise UnreadableFile(f"Tệp Excel bị hỏng (phần {info.filename}).")
    name_len, extra_len = struct.unpack("<2H", header[26:30])
    raw.seek(info.header_offset + _LOCAL_HEADER.size + name_len + extra_len)
    left = info.compress_size
    declared = info.file_size
    produced = 0
    lie = UnreadableFile(f"Tệp Excel khai báo sai kích thước (phần {info.filename}): không nhập tệp này.")
    inflater = zlib.decompressobj(-15) if info.compress_type == zipfile.ZIP_DEFLATED else None
    while left > 0:
        data = raw.read(min(CHUNK, left))
        if not data:
            raise UnreadableFile(f"Tệp Excel bị cắt cụt (phần {info.filename}).")
        left -= len(data)
        if inflater is None:
            produced += len(data)
            if produced > declared:
                raise lie
            yield data
            continue
        try:
            while data:
                out = inflater.decompress(data, CHUNK)
                data = inflater.unconsumed_tail
                produced += len(out)
                if produced > declared:
                    raise lie
                if out:
                    yield out
                if inflater.eof:
                    break
        except zlib.error:
            raise UnreadableFile(f"Tệp Excel bị hỏng (phần {info.filename}).") from None
        if inflater.eof:
            break
    if inflater is not None:
        try:
            tail = inflater.flush()
        except zlib.error:
            raise UnreadableFile(f"Tệp Excel bị hỏng (phần {info.filename}).") from None
        produced += len(tail)
        if produced > declared:
            raise lie
        if tail:
            yield tail
    if produced != declared:
        raise lie


def _looks_like_xml(head: bytes) -> bool:
    """XML in UTF-8 (with or without BOM) or UTF-16 (with or without BOM): expat reads them all,
    and a part in any of them might be read as a sheet, so none is skipped."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, b"<\x00", b"\x00<")):
        return True
    return head.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<")


class _Refused(Exception):
    """Raised inside an expat handler; carries the user's message out of the parser."""


class _PartScanner:
    """Feeds one part to expat when it looks like XML, tracking cells the way calamine places them:
    XLSX cells inside <sheetData> (`r` attributes, else the running row and column), ODS cells
    inside <table:table> (with their repeat counts). The XLSX handlers run once per element of a
    sheet of millions of cells, so they keep their state in local variables and cache names."""

    def __init__(self, name: str, shape: WorkbookShape) -> None:
        self.name = name
        self.shape = shape
        self.parser = None
        self.started = False

    def feed(self, chunk: bytes) -> None:
        if not self.started:
            self.started = True
            if not _looks_like_xml(chunk):
                return  # not XML (an image, a printer setting): only its size matters
            self.parser = parser = expat.ParserCreate()
            parser.StartElementHandler, parser.EndElementHandler = self._handlers()
            parser.StartDoctypeDeclHandler = self._no_dtd
            parser.EntityDeclHandler = self._no_dtd
        if self.parser is not None:
            self._parse(chunk, False)

    def close(self) -> None:
        if self.parser is not None:
            self._parse(b"", True)
            self.parser = None

    def _parse(self, data: bytes, final: bool) -> None:
        try:
            self.parser.Parse(data, final)
        except _Refused as exc:
            raise UnreadableFile(str(exc)) from None
        except expat.ExpatError as exc:
            raise UnreadableFile(f"Tệp Excel bị hỏng (phần {self.name}: {exc}).") from None

    def _no_dtd(self, *args) -> None:
        raise _Refused(f"Tệp Excel có khai báo DTD/thực thể (phần {self.name}): không nhập tệp này.")

    def _new_sheet(self) -> SheetExtent:
        sheet = SheetExtent(part=self.name)
        self.shape.sheets.append(sheet)
        return sheet

    def _handlers(self):
        part = self.name
        new_sheet = self._new_sheet
        locals_: dict[str, str] = {}  # element name -> local name (prefixes vary)
        columns: dict[str, int] = {}  # column letters -> index
        limit = max_cells()
        # XLSX state: inside sheetData (depth), the running row and column, the sheet's extent.
        depth = row = col = 0
        sheet: SheetExtent | None = None
        n = 0
        lo_row = lo_col = 1 << 40
        hi_row = hi_col = -1
        # ODS state
        table: SheetExtent | None = None
        ods_row = ods_col = 0
        row_repeat = 1
        pending: tuple[int, int] | None = None

        def local_of(name: str) -> str:
            local = locals_.get(name)
            if local is None:
                local = locals_[name] = name.rpartition(":")[2]
            return local

        def column_of(letters: str) -> int:
            index = columns.get(letters)
            if index is None:
                if not (0 < len(letters) <= 3 and letters.isalpha() and letters.isupper()):
                    raise _Refused(f"Tệp Excel bị hỏng: cột “{letters[:20]}” ({part}).")
                index = columns[letters] = _col_index(letters)
                if index >= MAX_COLUMNS:
                    raise _Refused(
                        f"Trang tính có ô ở cột {letters}: tệp nhập chỉ được có tối đa {MAX_COLUMNS} cột "
                        f"({column_letter(MAX_COLUMNS - 1)}). Hãy xoá các cột thừa rồi tải lên lại."
                    )
            return index

        def row_of(digits: str) -> int:
            if not digits.isdigit() or len(digits) > 7 or digits[0] == "0":
                raise _Refused(f"Tệp Excel bị hỏng: số dòng “{digits[:20]}” ({part}).")
            return int(digits) - 1

        def flush() -> None:
            if sheet is not None and n:
                sheet.cells += n
                sheet.min_row = lo_row if sheet.min_row is None else min(sheet.min_row, lo_row)
                sheet.min_col = lo_col if sheet.min_col is None else min(sheet.min_col, lo_col)
                sheet.max_row = max(sheet.max_row, hi_row)
                sheet.max_col = max(sheet.max_col, hi_col)

        def start(name, attrs):
            nonlocal depth, row, col, sheet, n, lo_row, lo_col, hi_row, hi_col
            nonlocal table, ods_row, ods_col, row_repeat, pending
            local = locals_.get(name) or local_of(name)
            if depth:
                if local == "c":
                    ref = attrs.get("r")
                    if ref is None:
                        r = row
                    else:
                        letters = ref.rstrip("0123456789")
                        col = column_of(letters.lstrip("$"))
                        r = row_of(ref[len(letters) :])
                    n += 1
                    if r > hi_row:
                        hi_row = r
                    if r < lo_row:
                        lo_row = r
                    if col > hi_col:
                        hi_col = col
                    if col < lo_col:
                        lo_col = col
                    col += 1
                    # Refuse as soon as the limit is passed, not after parsing the rest of the part.
                    if n > limit or (
                        not n & 0xFFFF and (hi_row - lo_row + 1) * (hi_col - lo_col + 1) > limit
                    ):
                        flush()
                        _check_sheet(sheet, refuse=_Refused)
                elif local == "row":
                    ref = attrs.get("r")
                    if ref is not None:
                        row = row_of(ref)
                elif local == "sheetData":
                    depth += 1
                return
            if local == "sheetData":
                depth = 1
                sheet = sheet or new_sheet()
                row = col = n = 0
                lo_row = lo_col = 1 << 40
                hi_row = hi_col = -1
            elif local == "dimension":
                sheet = sheet or new_sheet()
                sheet.declared = attrs.get("ref", "")
                self._check_declared(sheet.declared)
            elif local == "table":
                # ODS (content.xml); an XLSX table part has a <table> root too, with no rows: harmless.
                table = new_sheet()
                ods_row = 0
                pending = None
            elif table is not None:
                if local == "table-row":
                    pending = None
                    row_repeat = self._repeat(attrs, "number-rows-repeated")
                    ods_col = 0
                elif local in ("table-cell", "covered-table-cell"):
                    pending = None
                    repeat = self._repeat(attrs, "number-columns-repeated")
                    if any(local_of(k) in ("value-type", "value", "formula") for k in attrs):
                        self._ods_add(table, ods_row, ods_col, row_repeat, repeat)
                    else:
                        pending = (ods_col, repeat)
                    ods_col += repeat
                elif pending is not None:  # a child element: the cell is not empty
                    self._ods_add(table, ods_row, pending[0], row_repeat, pending[1])
                    pending = None

        def end(name):
            nonlocal depth, row, col, sheet, table, ods_row, row_repeat, pending
            if depth:
                local = locals_.get(name) or local_of(name)
                if local == "row":
                    row += 1
                    col = 0
                elif local == "sheetData":
                    depth -= 1
                    if not depth:
                        flush()
                        if sheet.cells > limit or sheet.area > limit:
                            _check_sheet(sheet, refuse=_Refused)
                        sheet = None
                return
            if table is not None:
                local = local_of(name)
                if local == "table-row":
                    pending = None
                    ods_row += row_repeat
                    row_repeat = 1
                elif local == "table":
                    pending = None
                    table = None

        return start, end

    def _ods_add(self, table: SheetExtent, row: int, col: int, rows: int, cols: int) -> None:
        table.add(row, col, rows=rows, cols=cols)
        if table.width > MAX_COLUMNS or table.cells > max_cells():
            _check_sheet(table, refuse=_Refused)

    def _repeat(self, attrs: dict, key: str) -> int:
        for name, value in attrs.items():
            if name.rpartition(":")[2] == key:
                if not value.isdigit() or len(value) > 9:
                    raise _Refused(f"Tệp bảng tính bị hỏng: số lần lặp “{value[:20]}” ({self.name}).")
                return max(int(value), 1)
        return 1

    def _check_declared(self, declared: str) -> None:
        parts = [_REF.fullmatch(p) for p in declared.split(":")]
        if not declared or len(parts) > 2 or not all(parts):
            return  # calamine does not size anything from a dimension it cannot read
        rows = [int(m[2]) for m in parts]
        cols = [_col_index(m[1]) for m in parts]
        area = (max(rows) - min(rows) + 1) * (max(cols) - min(cols) + 1)
        if area > max_cells() or max(cols) - min(cols) + 1 > MAX_COLUMNS:
            raise _Refused(
                f"Trang tính khai báo vùng dữ liệu {declared} ({_number(area)} ô), quá giới hạn "
                f"{_number(max_cells())} ô hoặc {MAX_COLUMNS} cột. Hãy chia tệp hoặc dùng CSV."
            )


def _check_sheet(sheet: SheetExtent, refuse=UnreadableFile) -> None:
    if sheet.width > MAX_COLUMNS:
        raise refuse(
            f"Trang tính có dữ liệu trên {_number(sheet.width)} cột ({sheet.span()}): tệp nhập chỉ được có "
            f"tối đa {MAX_COLUMNS} cột. Hãy xoá các cột thừa rồi tải lên lại."
        )
    area, limit = sheet.area, max_cells()
    if area > limit or sheet.cells > limit:
        raise refuse(
            f"Trang tính có vùng dữ liệu {sheet.span()} ({_number(max(area, sheet.cells))} ô), quá giới hạn "
            f"{_number(limit)} ô. Hãy chia tệp thành nhiều phần hoặc dùng CSV."
        )
    if area > SPARSE_FLOOR and area > SPARSE_FACTOR * sheet.cells:
        raise refuse(
            f"Trang tính có vùng dữ liệu {sheet.span()} ({_number(area)} ô) nhưng chỉ {_number(sheet.cells)} "
            "ô có nội dung: hãy xoá các ô nằm xa vùng dữ liệu rồi tải lên lại."
        )


def _check_shape(shape: WorkbookShape) -> None:
    for sheet in shape.sheets:
        _check_sheet(sheet)
    total = sum(s.area for s in shape.sheets)
    if total > max_cells():
        raise UnreadableFile(
            f"Các trang tính có tổng cộng {_number(total)} ô, quá giới hạn {_number(max_cells())} ô. "
            "Hãy chỉ để lại trang dữ liệu cần nhập, hoặc dùng CSV."
        )
