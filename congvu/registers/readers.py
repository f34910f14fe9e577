"""Reading a register file as a stream of rows: CSV (any of the encodings and delimiters that
spreadsheets produce) or XLSX (python-calamine). Rows are numbered as the user sees them in the file.

Text is never corrupted silently (#14 item 4). A CSV that is not UTF-8 is read as Windows-1258 (the
Vietnamese code page: combining tone marks after the letters) or as Windows-1252 (whose Latin-1 look-
alikes the importer repairs when they are TCVN3 or VNI), whichever reads as Vietnamese; when both read
as Vietnamese but differently, the file is refused naming the lines. A cell with a control character
(NUL, ESC…) is recorded in `Sheet.problems` with its row and column, and shown with the character made
visible; the importers turn each problem into an error, so such a file stores nothing."""

from __future__ import annotations

import codecs
import csv
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

from congvu.core.text import repair_legacy, vietnamese_words

CHUNK = 1 << 20
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message is for the user."""


@dataclass
class CellProblem:
    """A cell the importer must refuse whatever its column (a control character in it)."""

    row: int
    column: int  # index in the row's cells (add Sheet.column_offset for the letter)
    value: str  # the cell with its control characters made visible (never stored)
    message: str


MAX_PROBLEMS = 1000  # kept on the sheet; every one is counted


@dataclass
class Sheet:
    rows: Iterator[tuple[int, list]]  # (row number in the file, cells)
    estimated_rows: int  # lines (CSV) or rows (XLSX), header and title lines included
    column_offset: int = 0  # the sheet's first column (XLSX sheets may start at column B or later)
    encoding: str = ""
    kind: str = "csv"
    # Filled while `rows` is read: every reader of a sheet reports them once the rows are read.
    problems: list[CellProblem] = field(default_factory=list)
    problem_count: int = 0

    def note_problems(self, rowno: int, cells: list) -> list:
        """The row with each control character made visible, its cells recorded as problems."""
        cells = list(cells)
        for i, cell in enumerate(cells):
            if cell.__class__ is not str:
                continue
            found = CONTROL.findall(cell)
            if not found:
                continue
            codes = ", ".join(f"0x{ord(c):02X}" for c in sorted(set(found)))
            cells[i] = CONTROL.sub(_visible, cell)
            self.problem_count += 1
            if len(self.problems) < MAX_PROBLEMS:
                self.problems.append(
                    CellProblem(
                        rowno,
                        i,
                        cells[i],
                        f"Ô chứa ký tự điều khiển (mã {codes}), không phải chữ: thường do tệp bị hỏng hoặc "
                        "chép từ phần mềm khác. Xoá ký tự này trong tệp (chỗ hiện “␀”, “␛”…) rồi nhập lại.",
                    )
                )
        return cells


# Control characters a cell may not hold: C0 but TAB, LF and CR; DEL; C1 (arriving as characters).
CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The bytes of a UTF-8 or single-byte file that may be one (C1 in UTF-8 is \xc2\x80-\xc2\x9f).
_CONTROL_BYTES = bytes([*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_NOT_CONTROL_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_C1_UTF8 = re.compile(b"\xc2[\x80-\x9f]")


def _visible(match: re.Match) -> str:
    """NUL -> ␀, ESC -> ␛, DEL -> ␡ (the Control Pictures block); C1 -> �."""
    code = ord(match.group())
    return chr(0x2400 + code) if code < 0x20 else "\u2421" if code == 0x7F else "\ufffd"


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def is_spreadsheet(path: Path) -> bool:
    with path.open("rb") as fh:
        head = fh.read(8)
    return head.startswith(b"PK\x03\x04") or head.startswith(b"\xd0\xcf\x11\xe0")


def open_sheet(path: Path) -> Sheet:
    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES or is_spreadsheet(path):
        from congvu.registers.guard import check_workbook

        check_workbook(path)  # sizes and dimensions, before calamine reads a cell
        return _open_workbook(path)
    return _open_csv(path)


def _open_workbook(path: Path) -> Sheet:
    try:
        book = CalamineWorkbook.from_path(str(path))
        names = [
            m.name for m in book.sheets_metadata if m.visible == SheetVisibleEnum.Visible
        ] or book.sheet_names
        sheet = book.get_sheet_by_name(names[0])
    except Exception as exc:  # calamine raises several types for a corrupt or foreign file
        raise UnreadableFile(f"Không đọc được tệp Excel: {exc}") from None
    start = sheet.start

    def rows() -> Iterator[tuple[int, list]]:
        # iter_rows starts at the sheet's first row but at its first used column.
        search, note = CONTROL.search, result.note_problems
        for rowno, cells in enumerate(sheet.iter_rows(), start=1):
            # One search over the row's text (about 4 µs a row), the cells only when it finds one.
            if search("".join([c for c in cells if c.__class__ is str])):
                cells = note(rowno, cells)
            yield rowno, cells
        book.close()

    result = Sheet(
        rows=rows(),
        estimated_rows=sheet.total_height or sheet.height,
        column_offset=start[1] if start else 0,
        kind="xlsx",
    )
    return result


def _lines(path: Path, newline: bytes = b"\n") -> int:
    with path.open("rb") as fh:
        return sum(chunk.count(newline) for chunk in iter(lambda: fh.read(CHUNK), b""))


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)()
    try:
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(CHUNK), b""):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _scan(path: Path) -> tuple[int, bool, bool]:
    """One pass over the bytes: (lines, UTF-8?, may hold a control character?)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    lines, utf8, control, last = 0, True, False, b""
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            lines += chunk.count(b"\n")
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            if not control:
                seam = last + chunk if last == b"\xc2" else chunk  # a C1 pair split between chunks
                control = bool(chunk.translate(None, _NOT_CONTROL_BYTES)) or (
                    b"\xc2" in seam and _C1_UTF8.search(seam) is not None
                )
            last = chunk[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return lines, utf8, control


def _detect_encoding(path: Path) -> tuple[str, int, bool]:
    """(encoding, line count, may hold control characters): UTF-16 when the file starts with its BOM;
    UTF-8 (with or without BOM) when every byte decodes as such; else Windows-1258 or Windows-1252,
    whichever reads as Vietnamese (`_legacy_code_page`); else Latin-1, which decodes anything."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", _lines(path, b"\n\x00"), True
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", _lines(path, b"\x00\n"), True
    lines, utf8, control = _scan(path)
    if utf8:
        return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), lines, control
    if not _decodes(path, "cp1252"):
        return "latin-1", lines, True
    return _legacy_code_page(path), lines, control


# Bytes that Windows-1258 and Windows-1252 read differently: in 1258, Ă Đ Ơ Ư ă đ ơ ư ₫ and the five
# combining tone marks (0xCC 0xD2 0xDE 0xEC 0xF2); in 1252, Latin-1 letters (which TCVN3 and VNI use).
_CP1258_BYTES = re.compile(b"[\x8a\x8e\x9a\x9e\xc3\xcc\xd0\xd2\xd5\xdd\xde\xe3\xec\xf0\xf2\xf5\xfd\xfe]")
_FIELD_SPLIT = re.compile("([,;\t|])")
SCORE_LINES = 5000  # lines that read differently, scored to decide


def _read_legacy(line: str) -> str:
    """A line read as Windows-1252, each field repaired as the importer would (TCVN3, VNI)."""
    parts = _FIELD_SPLIT.split(line)  # fields at even places, the delimiters between them
    return "".join(part if i % 2 else repair_legacy(part) for i, part in enumerate(parts))


def _legacy_code_page(path: Path) -> str:
    """'cp1258' or 'cp1252' for a CSV that is not UTF-8, by how Vietnamese each reading is: the
    words of the lines that read differently are counted as Vietnamese syllables or not, after the
    1258 reading's tone marks are composed (NFC) and the 1252 reading's TCVN3/VNI fields repaired.
    UnreadableFile names the lines when the two score alike (save the file as UTF-8)."""
    if not _decodes(path, "cp1258"):
        return "cp1252"
    score = {"cp1258": 0, "cp1252": 0}
    words = 0
    differing: list[tuple[int, str, str]] = []
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            if not _CP1258_BYTES.search(raw):
                continue
            vietnamese = unicodedata.normalize("NFC", raw.decode("cp1258")).rstrip("\r\n")
            western = _read_legacy(raw.decode("cp1252").rstrip("\r\n"))
            good_vn, total_vn = vietnamese_words(vietnamese)
            good_w, total_w = vietnamese_words(western)
            score["cp1258"] += good_vn
            score["cp1252"] += good_w
            words += max(total_vn, total_w)
            differing.append((number, vietnamese, western))
            if len(differing) >= SCORE_LINES:
                break
    if not differing:
        return "cp1252"
    margin = score["cp1258"] - score["cp1252"]
    if abs(margin) >= max(1, words / 10):
        return "cp1258" if margin > 0 else "cp1252"
    raise UnreadableFile(_undecided(differing))


def _undecided(differing: list[tuple[int, str, str]]) -> str:
    shown = []
    for number, vietnamese, western in differing[:5]:
        a = vietnamese.split()
        b = western.split()
        pairs = [(x, y) for x, y in zip(a, b, strict=False) if x != y][:2]
        words = "; ".join(f"“{x}” hay “{y}”" for x, y in pairs)
        shown.append(f"dòng {number}" + (f" ({words})" if words else ""))
    more = f" và {len(differing) - 5} dòng khác" if len(differing) > 5 else ""
    return (
        "Không xác định được bảng mã của tệp CSV: đọc theo Windows-1258 (tiếng Việt) hay theo Windows-1252 "
        f"(phông TCVN3, VNI) đều ra chữ Việt nhưng khác nhau ở {', '.join(shown)}{more}. Hãy mở tệp bằng "
        "Excel, lưu lại dạng “CSV UTF-8 (Comma delimited)” rồi nhập lại."
    )


def _detect_delimiter(sample: str) -> str:
    """The delimiter that splits the first lines most consistently: comma, semicolon or tab."""
    lines = [line for line in sample.splitlines()[:30] if line.strip()]
    best, best_score = ",", -1
    for candidate in (",", ";", "\t", "|"):
        counts = [len(next(csv.reader([line], delimiter=candidate))) for line in lines]
        # Many columns on the widest lines (the header and data), not on the title lines.
        score = sorted(counts)[len(counts) // 2] if counts else 0
        if score > best_score:
            best, best_score = candidate, score
    return best


def _open_csv(path: Path) -> Sheet:
    encoding, lines, control = _detect_encoding(path)
    fh = path.open("r", encoding=encoding, newline="")
    sample = fh.read(64 * 1024)
    fh.seek(0)
    delimiter = _detect_delimiter(sample)

    def rows() -> Iterator[tuple[int, list]]:
        with fh:
            # Windows-1258 writes tone marks apart (combining): composed here, before any cell is read.
            lines_in = (unicodedata.normalize("NFC", line) for line in fh) if encoding == "cp1258" else fh
            reader = csv.reader(lines_in, delimiter=delimiter)
            try:
                if not control:  # the bytes hold none: the rows go through untouched
                    yield from enumerate(reader, start=1)
                    return
                search, note = CONTROL.search, result.note_problems
                for rowno, cells in enumerate(reader, start=1):
                    yield rowno, (note(rowno, cells) if search("".join(cells)) else cells)
            except csv.Error as exc:
                limit = f"{csv.field_size_limit():,}".replace(",", ".")
                reason = (
                    f"một ô dài hơn {limit} ký tự, tệp không phải sổ dữ liệu hợp lệ"
                    if "field limit" in str(exc)
                    else f"không đọc được dòng CSV ({exc})"
                )
                raise UnreadableFile(f"Dòng {reader.line_num}: {reason}.") from None

    result = Sheet(rows=rows(), estimated_rows=lines + 1, encoding=encoding, kind="csv")
    return result


def sniff_rows(path: Path) -> int:
    """A quick estimate of the data rows of an upload, to decide whether it runs in the background."""
    path = Path(path)
    if path.suffix.lower() in XLSX_SUFFIXES or is_spreadsheet(path):
        from congvu.registers.guard import check_workbook

        try:
            return check_workbook(path).rows  # never calamine: a hostile file is refused by the import
        except UnreadableFile:
            return 0
    with path.open("rb") as fh:
        return sum(chunk.count(b"\n") for chunk in iter(lambda: fh.read(CHUNK), b""))
