"""Helpers for tests that read what a page really exported.

An export test that checks only the content type passes on an empty workbook or on one that leaks
another unit's rows; these helpers open the workbook (python-calamine, as the importers do) so a test
can assert its header, its rows and what must not be in it."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponseBase
from python_calamine import CalamineWorkbook

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _xlsx_bytes(response_or_bytes: HttpResponseBase | bytes) -> bytes:
    if isinstance(response_or_bytes, bytes | bytearray):
        return bytes(response_or_bytes)
    response = response_or_bytes
    # Fail on the real cause (a 404, a login redirect, an HTML page) rather than on "not a zip file".
    assert response.status_code == 200, f"expected an XLSX, got HTTP {response.status_code}"
    content_type = response.get("Content-Type", "")
    assert content_type.startswith(XLSX_CONTENT_TYPE), f"expected an XLSX, got {content_type!r}"
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def xlsx_sheet_names(response_or_bytes: HttpResponseBase | bytes) -> list[str]:
    """The workbook's sheet names, in order."""
    return list(CalamineWorkbook.from_filelike(io.BytesIO(_xlsx_bytes(response_or_bytes))).sheet_names)


def xlsx_rows(response_or_bytes: HttpResponseBase | bytes, sheet: int | str = 0) -> list[list]:
    """Every row of one sheet (by index or by name), header row first, as calamine reads it:
    numbers as float, dates as `date`/`datetime`, empty cells as "". A response must be a 200 XLSX."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(_xlsx_bytes(response_or_bytes)))
    ws = book.get_sheet_by_name(sheet) if isinstance(sheet, str) else book.get_sheet_by_index(sheet)
    return [list(row) for row in ws.to_python(skip_empty_area=False)]


def xlsx_column(rows: Sequence[Sequence[Any]], title: str) -> list:
    """The values under the header `title` (the first row is the header), data rows only."""
    header, *data = rows
    col = list(header).index(title)  # ValueError names the missing column
    return [row[col] if col < len(row) else "" for row in data]


def xlsx_text(rows: Sequence[Sequence[Any]]) -> str:
    """All cells as one text, one cell a line: for asserting that a code or a name is absent."""
    return "\n".join(str(cell) for row in rows for cell in row)


# Text that a spreadsheet writer turns into a live link or a formula unless it writes text as text.
LINK_LIKE_TEXTS = (
    "http://evil.example/a?b=1",
    "mailto:ke-gian@example.com",
    r"external:C:\Windows\System32\calc.exe",
    '=HYPERLINK("http://evil.example","Bấm vào")',
)


def xlsx_links(response_or_bytes: HttpResponseBase | bytes) -> list[str]:
    """Every hyperlink and formula of the workbook's sheets (their XML, and the relationships that
    point outside it); an export that writes text as text has none."""
    found = []
    with zipfile.ZipFile(io.BytesIO(_xlsx_bytes(response_or_bytes))) as book:
        for name in book.namelist():
            if not name.startswith("xl/worksheets/"):
                continue
            xml = book.read(name).decode("utf-8")
            found += re.findall(r"<hyperlink\b[^>]*>|<f\b[^>]*>[^<]*</f>", xml)
            found += re.findall(r"<Relationship\b[^>]*/hyperlink\"[^>]*>", xml)
    return found


def copy_test_database_to_sqlite(path, *, env: dict) -> None:
    """Give `path` what `congvu migrate` gives a fresh SQLite file (the schema, the seeded rows,
    the migration records), for tests that start the real `congvu` process on a file database.

    Migrating from scratch costs ~14 s of CPU, and the test database of this process was migrated
    from the same migrations already: on SQLite it is copied page by page (sqlite3's backup), its
    AUTOINCREMENT counters put back to what a fresh database has (the next id is the largest + 1).
    The caller must be a transactional test (`django_db(transaction=True)`): it needs the test
    database set up, and outside a test transaction. On PostgreSQL the file is migrated for
    real, by the `congvu` process with `env`."""
    import sqlite3
    import subprocess
    import sys

    from django.db import connection

    if connection.vendor != "sqlite":
        migrate = [sys.executable, "-m", "congvu.cli", "migrate", "--no-input", "-v0"]
        subprocess.run(migrate, env=env, check=True, timeout=600)
        return
    assert not connection.in_atomic_block, "copy the test database outside a test transaction"
    if connection.settings_dict["NAME"] != connection.creation._get_test_db_name():
        # No test database was set up (no selected test asked for one): the connection would open
        # the configured database itself. Mark the test `django_db(transaction=True)`.
        raise RuntimeError("no test database to copy: the test must ask for one (django_db)")
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
        target.execute("DELETE FROM sqlite_sequence")
    target.close()
