"""Reading a register file as a stream of rows: CSV (any of the encodings and delimiters that
spreadsheets produce) or XLSX (python-calamine). Rows are numbered as the user sees them in the file."""

from __future__ import annotations

import codecs
import csv
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from python_calamine import CalamineWorkbook, SheetVisibleEnum

CHUNK = 1 << 20
XLSX_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".ods"}


class UnreadableFile(Exception):
    """The file cannot be read as a spreadsheet; the message is for the user."""


@dataclass
class Sheet:
    rows: Iterator[tuple[int, list]]  # (row number in the file, cells)
    estimated_rows: int  # lines (CSV) or rows (XLSX), header and title lines included
    column_offset: int = 0  # the sheet's first column (XLSX sheets may start at column B or later)
    encoding: str = ""
    kind: str = "csv"


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
        yield from enumerate(sheet.iter_rows(), start=1)
        book.close()

    return Sheet(
        rows=rows(),
        estimated_rows=sheet.total_height or sheet.height,
        column_offset=start[1] if start else 0,
        kind="xlsx",
    )


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


def _detect_encoding(path: Path) -> tuple[str, int]:
    """(encoding, line count): UTF-16 when the file starts with its BOM; UTF-8 (with or without BOM)
    when every byte decodes as such; else Windows-1252 (legacy exports); else Latin-1, which decodes
    anything."""
    with path.open("rb") as fh:
        head = fh.read(4)
    if head.startswith(codecs.BOM_UTF16_LE):
        return "utf-16", _lines(path, b"\n\x00")
    if head.startswith(codecs.BOM_UTF16_BE):
        return "utf-16", _lines(path, b"\x00\n")
    lines = _lines(path)
    if _decodes(path, "utf-8"):
        return ("utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"), lines
    return ("cp1252" if _decodes(path, "cp1252") else "latin-1"), lines


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
    encoding, lines = _detect_encoding(path)
    fh = path.open("r", encoding=encoding, newline="")
    sample = fh.read(64 * 1024)
    fh.seek(0)
    delimiter = _detect_delimiter(sample)

    def rows() -> Iterator[tuple[int, list]]:
        with fh:
            reader = csv.reader(fh, delimiter=delimiter)
            try:
                yield from enumerate(reader, start=1)
            except csv.Error as exc:
                limit = f"{csv.field_size_limit():,}".replace(",", ".")
                reason = (
                    f"một ô dài hơn {limit} ký tự, tệp không phải sổ dữ liệu hợp lệ"
                    if "field limit" in str(exc)
                    else f"không đọc được dòng CSV ({exc})"
                )
                raise UnreadableFile(f"Dòng {reader.line_num}: {reason}.") from None

    return Sheet(rows=rows(), estimated_rows=lines + 1, encoding=encoding, kind="csv")


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
