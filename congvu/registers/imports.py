"""Imports of the registers (nhập dữ liệu sổ nhiệm vụ, hồ sơ) from CSV and XLSX files.

The API others call::

    import_file(*, actor, register="tasks"|"dossiers", path, file_name=None, dry_run=False,
                unit=None, source="import", progress=None) -> ImportRun

Two phases (STYLE §12). Phase 1 streams the file, finds the header row (title lines above it and a
total row below the data are skipped), validates every row with cached per-cell converters and
in-memory lookups, and writes the normalised rows into a staging table, collecting every error with
its row, column and reason. If there is any error, nothing is stored. Phase 2, in one short
transaction, counts created / updated / unchanged rows and upserts them from the staging table
(`staging.Stage`), writes the ImportRun and one audit event. Re-importing the same file writes no row.

Columns absent from the file keep the values already stored (new rows get the defaults), so a file
with fewer columns updates only what it carries. Who was responsible, when the file names nobody, is
the deputy in charge of the field, else the head, on the assignment date (`Lookups.in_charge`).
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Callable
from contextlib import suppress
from itertools import chain
from operator import call, itemgetter
from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from congvu.core.audit import audit_record
from congvu.core.text import fold
from congvu.metrics.cache import data_version_bump
from congvu.org.models import Unit
from congvu.registers.columns import EXAMPLE_CODE, REGISTERS, Column, Register, header_key
from congvu.registers.detection import wrong_register
from congvu.registers.models import Dossier, ImportRun, Task
from congvu.registers.notes import effect as notes_effect
from congvu.registers.notes import parse as parse_notes
from congvu.registers.official import SCAN as OFFICIAL_SCAN
from congvu.registers.official import Catalogue, OfficialForm, adapt
from congvu.registers.readers import UnreadableFile, column_letter, open_sheet
from congvu.registers.rollups import RollupDelta, rollup_lock_valid, rollup_rebuild
from congvu.registers.staging import Stage, StageColumn
from congvu.registers.validation import (
    FIELD_DEPUTY,
    FROM_FILE,
    HEAD,
    MISSING,
    UNRESOLVED,
    Bad,
    Lookups,
    TextCleaner,
    cell_text,
    parse_bool,
    parse_count,
    parse_date,
)

# Who may import (DESIGN "Who uses it"): the administrator, and a unit's focal point for its unit.
IMPORT_ROLES = ("admin", "focal")
MAX_ERRORS = 100_000  # stored on the run; every error is still counted
BATCH = 20_000  # rows per staging write and per progress report
HEADER_SCAN = 20  # rows searched for the header row
_CACHE_LIMIT = 200_000  # distinct raw values remembered per column
_ABSENT: dict = {}  # the getter of a column the file does not have: {}.get(raw) is None
_BAD_TYPE = frozenset({Bad})


class _Cache(dict):
    """raw cell -> converted value, filled on first sight (__missing__); bounded."""

    __slots__ = ("convert",)

    def __init__(self, convert):
        super().__init__()
        self.convert = convert

    def __missing__(self, raw):
        value = self.convert(raw)
        if len(self) < _CACHE_LIMIT:
            self[raw] = value
        return value


class _ByName(int):
    """An official's id found by a unique full name rather than by code: counted apart for the result
    page's explanation (`ImportRun.resolutions`); stored as the plain id."""

    __slots__ = ()


# How the responsible official of the file's rows was found, beyond `ResponsibleResolution` (which is
# stored per row): the file named them by code, by a unique full name, or by a full name several
# officials share, decided by who was ever appointed at the row's unit.
BY_NAME, BY_NAME_AT_UNIT = "file_name", "file_name_at_unit"


_NUMBERS_ROW = re.compile(r"\(?\d{1,3}\)?")
_DIGIT = re.compile(r"\d")
# "Tổng cộng", "Tổng số …", "Tổng: 150", "Cộng", "Cộng 125", "Cộng: 125 hồ sơ" — but not "Công văn …"
# nor "Công văn 12" (folded text: words may follow a number, never stand where the number goes).
_TOTAL = re.compile(r"(tong cong|tong so)\b.*|(tong|cong)\s*[:.]?\s*(\(?[\d.,]+\)?(\s+\D*)?)?")
# A cheap first look at a cell that carries digits, before the full check above: "T…ng"/"C…ng" as
# typed in Unicode (composed or not) or in a legacy font (TCVN3 "Tæng céng"). Codes rarely begin so.
_TOTAL_HINT = re.compile(r"\s*[TtCc]\S{1,6}?ng")

Status = ImportRun.Status
# Columns every row must fill (when the column is missing, the header check says so once).
REQUIRED = {
    "tasks": ("code", "content", "authority", "unit", "received_on"),
    "dossiers": ("code", "field", "procedure", "unit", "received_on"),
}

DOSSIER_STAGE = (
    StageColumn("unit_id", "bigint", "unit"),
    StageColumn("field_id", "bigint", "field"),
    StageColumn("procedure", "text", "procedure"),
    StageColumn("procedure_folded", "text", "procedure", compare=False),
    StageColumn("handler_id", "bigint", None),
    StageColumn("responsible_resolution", "text", None),
    StageColumn("received_on", "date", "received_on"),
    StageColumn("due_on", "date", "due_on"),
    StageColumn("completed_on", "date", "completed_on"),
    StageColumn("returned_on", "date", "returned_on"),
    StageColumn("status", "text", "status"),
    StageColumn("apology_slip", "boolean", "apology_slip"),
    StageColumn("channel", "text", "channel"),
    StageColumn("ending", "text", "notes"),
    StageColumn("ended_on", "date", "notes"),
    StageColumn("waiting_since", "date", "notes"),
    StageColumn("waiting_until", "date", "notes"),
)
TASK_STAGE = (
    StageColumn("content", "text", "content"),
    StageColumn("content_folded", "text", "content", compare=False),
    StageColumn("authority", "text", "authority"),
    StageColumn("document_number", "text", "document_number"),
    StageColumn("document_date", "date", "document_date"),
    StageColumn("unit_id", "bigint", "unit"),
    StageColumn("field_id", "bigint", "field"),
    StageColumn("product_type", "text", "product_type"),
    StageColumn("responsible_id", "bigint", None),
    StageColumn("responsible_resolution", "text", None),
    StageColumn("received_on", "date", "received_on"),
    StageColumn("handled_on", "date", "handled_on"),
    StageColumn("advised_on", "date", "advised_on"),
    StageColumn("due_on", "date", "due_on"),
    StageColumn("completed_on", "date", "completed_on"),
    StageColumn("quality", "text", "quality"),
    StageColumn("returned_count", "integer", "returned_count"),
    StageColumn("proactive", "boolean", "proactive"),
)


def _iso(value) -> str | None:
    """A date from the database (a date, or text on SQLite raw queries) as ISO text."""
    if value is None:
        return None
    return value if isinstance(value, str) else value.isoformat()


def _vn(iso: str) -> str:
    return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"


def file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    with Path(path).open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


# --- the API ---------------------------------------------------------------------------------


def import_scope(*, actor, unit: Unit | int | None) -> Unit | None:
    """The unit an import is confined to. A unit user imports only for their own unit (or a unit
    they can see); a province-wide user may name one; a system actor (a string) is not checked."""
    if isinstance(unit, int):
        unit = Unit.objects.get(pk=unit)
    if not getattr(actor, "is_authenticated", False):
        return unit
    if not actor.has_role(*IMPORT_ROLES):
        raise PermissionDenied("Vai trò của bạn không được nhập dữ liệu.")
    if actor.is_unit_role:
        from congvu.core.scoping import visible_unit_ids

        if unit is None:
            return actor.unit
        if unit.pk not in visible_unit_ids(actor):
            raise PermissionDenied("Bạn chỉ được nhập dữ liệu của đơn vị mình.")
    return unit


def import_run_create(
    *,
    actor,
    register: str,
    path: Path,
    file_name: str,
    source: str = "import",
    unit: Unit | None = None,
    status: str = Status.PENDING,
) -> ImportRun:
    """Record an import about to run (lần nhập). Its one audit event is written when it ends."""
    if register not in REGISTERS:
        raise ValueError(f"register must be one of {sorted(REGISTERS)}, not {register!r}")
    sha256, size = file_sha256(path)
    run = ImportRun(
        register=register,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
        unit=unit,
        file_name=file_name[:255],
        file_size=size,
        sha256=sha256,
        source=source,
        status=status,
    )
    run.full_clean(exclude=["file"])
    run.save()
    return run


def import_file(
    *,
    actor,
    register: str,
    path,
    file_name: str | None = None,
    dry_run: bool = False,
    unit: Unit | int | None = None,
    source: str = "import",
    progress: Callable[[int, int], None] | None = None,
) -> ImportRun:
    """Validate and store a register file; see the module docstring. Returns the ImportRun, whose
    status says what happened: stored, rejected (errors, nothing stored) or dry_run."""
    path = Path(path)
    unit = import_scope(actor=actor, unit=unit)
    run = import_run_create(
        actor=actor,
        register=register,
        path=path,
        file_name=file_name or path.name,
        source=source,
        unit=unit,
        status=Status.RUNNING,
    )
    return import_run_execute(run=run, path=path, actor=actor, dry_run=dry_run, progress=progress)


def import_run_execute(
    *, run: ImportRun, path, actor=None, dry_run: bool = False, progress=None
) -> ImportRun:
    """Run a recorded import (inline, or from the background job)."""
    if actor is None:
        actor = run.created_by or "system"
    if run.status != Status.RUNNING:
        run.status = Status.RUNNING
        run.save(update_fields=["status"])
    importer = _Importer(run=run, actor=actor, progress=progress)
    try:
        importer.execute(Path(path), dry_run=dry_run)
    except Exception as exc:
        # Recorded when the connection still works; inside a broken transaction the caller reports it.
        with suppress(DatabaseError):
            importer.finish(
                Status.FAILED, errors=[_error(None, None, "", "", f"Lỗi hệ thống khi nhập: {exc}")]
            )
        raise
    return run


def _error(row, col, header, value, message, offset: int = 0) -> dict:
    return {
        "row": row,
        "column": header,
        "letter": column_letter(col + offset) if col is not None else "",
        "value": value,
        "message": message,
    }


def format_error(error: dict) -> str:
    """'Dòng 12, cột "Hạn xử lý" (F): … (giá trị: "…")' — as the CLI and the export print it."""
    parts = []
    if error.get("row"):
        parts.append(f"Dòng {error['row']}")
    if error.get("column"):
        letter = f" ({error['letter']})" if error.get("letter") else ""
        parts.append(f'cột "{error["column"]}"{letter}')
    text = ", ".join(parts)
    text = f"{text}: {error['message']}" if text else error["message"]
    if error.get("value"):
        text += f' (giá trị: "{error["value"]}")'
    return text


# --- the engine --------------------------------------------------------------------------------


class _Importer:
    def __init__(self, *, run: ImportRun, actor, progress) -> None:
        self.run = run
        self.actor = actor
        self.progress = progress
        self.spec: Register = REGISTERS[run.register]
        self.errors: list[tuple] = []  # (row, col, header, value, message)
        self.error_count = 0
        self.notes: list[str] = []
        self.clean = TextCleaner()
        self.resolutions: Counter = Counter()
        self.column_offset = 0
        self.suspects: set[str] = set()
        self._folded: dict[str, str] = {}  # procedure -> folded procedure
        self.allowed: frozenset[int] | None = None
        self.official: OfficialForm | None = None  # the dossier register in its official form
        self.catalogue: Catalogue | None = None
        self.events: list[tuple] = []  # (code, events) of the rows whose notes record events
        self.unreadable: list[tuple] = []  # (row, text, reason)
        self.unreadable_count = 0
        if run.unit_id:
            from congvu.org.selectors import unit_with_predecessor_ids

            self.allowed = frozenset(unit_with_predecessor_ids(run.unit_id))

    # --- errors and the end of a run ---------------------------------------------------------

    def error(self, row, col, header, value, message) -> None:
        self.error_count += 1
        if len(self.errors) < MAX_ERRORS:
            self.errors.append((row, col, header, cell_text(value)[:200], message))

    def finish(self, status: str, *, errors: list[dict] | None = None, counts=(0, 0, 0)) -> None:
        run = self.run
        if errors is None:
            self.errors.sort(key=lambda e: (e[0] or 0, -1 if e[1] is None else e[1]))
            errors = [_error(*e, offset=self.column_offset) for e in self.errors]
            if self.error_count > len(errors):
                errors.append(
                    _error(
                        None, None, "", "", f"… và {self.error_count - len(errors)} lỗi khác (không lưu hết)."
                    )
                )
        run.status = status
        run.errors = errors
        run.error_count = max(self.error_count, len(errors))
        run.created_count, run.updated_count, run.unchanged_count = counts
        run.notes = self.notes
        run.resolutions = self._resolution_counts()
        run.finished_at = timezone.now()
        with transaction.atomic():
            run.save()
            audit_record(
                actor=self.actor,
                action=f"import_run.{status}",
                obj=run,
                after={
                    "register": run.register,
                    "file_name": run.file_name,
                    "sha256": run.sha256,
                    "source": run.source,
                    "status": status,
                    "rows": run.rows_total,
                    "created": run.created_count,
                    "updated": run.updated_count,
                    "unchanged": run.unchanged_count,
                    "errors": run.error_count,
                },
            )

    def _resolution_counts(self) -> dict[str, int]:
        """Rows per way the responsible official was found (`ImportRun.resolutions`)."""
        found = self.resolutions
        by_name, at_unit = found[BY_NAME], found[BY_NAME_AT_UNIT]
        counts = {
            "code": found[FROM_FILE] - by_name - at_unit,
            "name": by_name,
            "name_at_unit": at_unit,
            "field_deputy": found[FIELD_DEPUTY],
            "head": found[HEAD],
            "unresolved": found[UNRESOLVED],
        }
        return {key: n for key, n in counts.items() if n}

    def _report(self, stage: Stage, done: int, total: int) -> None:
        """Progress for the page's bar (committed at once) and for the caller's callback."""
        total = max(total, done)
        self.run.rows_done, self.run.rows_total = done, total
        table = ImportRun._meta.db_table
        stage.report(
            f'UPDATE "{table}" SET rows_done = %s, rows_total = %s WHERE id = %s', [done, total, self.run.pk]
        )
        if self.progress:
            self.progress(done, total)

    # --- phase 1 and 2 -----------------------------------------------------------------------

    def execute(self, path: Path, *, dry_run: bool) -> None:
        try:
            sheet = open_sheet(path)
        except (UnreadableFile, UnicodeError, OSError) as exc:
            self.error(
                None,
                None,
                "",
                "",
                str(exc) if isinstance(exc, UnreadableFile) else f"Không đọc được tệp: {exc}",
            )
            self.finish(Status.REJECTED)
            return
        self.column_offset = sheet.column_offset
        if sheet.encoding == "cp1258":
            self.notes.append("Tệp CSV được đọc theo bảng mã Windows-1258 (tiếng Việt).")
        if self._wrong_register(sheet):
            return
        if self.spec.name == "dossiers":
            try:
                sheet, self.official = adapt(sheet)  # reads the first rows
            except UnreadableFile as exc:
                self.error(None, None, "", "", str(exc))
                self.finish(Status.REJECTED)
                return
        stage = Stage(
            table=(Task if self.spec.name == "tasks" else Dossier)._meta.db_table,
            columns=TASK_STAGE if self.spec.name == "tasks" else DOSSIER_STAGE,
            stamp_column="updated_at" if self.spec.name == "tasks" else None,
        )
        try:
            found = self._header(sheet.rows)
            if found is None:
                self._sheet_problems(sheet, 0, [])
                self.finish(Status.REJECTED)
                return
            header_row, header_cells, rows = found
            groups = self._plan(header_row, header_cells)
            stage.create()
            self._validate(rows, stage, header_row, sheet.estimated_rows)
            self._sheet_problems(sheet, header_row, header_cells)
            stage.finish()
            self._set_checks(stage)
            self._write_notes()
            if self.error_count:
                self.finish(Status.REJECTED)
                return
            if dry_run:
                self.finish(Status.DRY_RUN, counts=stage.counts(source=self.run.source, groups=groups))
                return
            with transaction.atomic():
                stage.lock()
                calendar = rollup_lock_valid(self.spec.name)  # before anything is written
                counts = stage.counts(source=self.run.source, groups=groups)
                if counts[0] or counts[1]:
                    self._merge(stage, groups, counts, calendar)
                if "notes" in groups:
                    self._store_events(stage)
                self.finish(Status.STORED, counts=counts)
            stage.vacuum(written=counts[0] + counts[1])  # after the commit
        except UnreadableFile as exc:  # a row the reader cannot take (a CSV field over the limit)
            self.error(None, None, "", "", str(exc))
            self.finish(Status.REJECTED)
        finally:
            with suppress(DatabaseError):  # the temporary table dies with the session anyway
                stage.drop()

    def _merge(self, stage: Stage, groups: set[str], counts: tuple[int, int, int], calendar: str | None):
        """Write the staged rows into the register, bump its data version and bring its rollups up to
        date, all in the caller's transaction. While the rollups are valid (`calendar`, from
        `rollup_lock_valid`) only the difference the import makes goes into them — the changed rows
        taken out as they were and put back as they are, the new rows added: the cost of the file, not
        of the register; otherwise they are rebuilt in full."""
        model = Task if self.spec.name == "tasks" else Dossier
        delta = RollupDelta(self.spec.name, calendar) if calendar else None
        changed = last_id = None
        if delta is not None:
            if counts[1]:
                ids = stage.changed_ids(source=self.run.source, groups=groups)
                changed = model.objects.filter(pk__in=RawSQL(f'SELECT id FROM "{ids}"', []))
                delta.subtract(changed)
            last_id = model.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        stage.merge(
            source=self.run.source,
            groups=groups,
            import_run_id=self.run.pk,
            stamp=connection.ops.adapt_datetimefield_value(timezone.now()),
            bulk=stage.wants_bulk_load(),
            all_new=counts[0] == stage.rows,
        )
        data_version_bump(register=self.spec.name)  # cached figures: new key, same commit
        if delta is None:
            rollup_rebuild(register=self.spec.name)  # the ranking's rollups, same commit
            return
        if changed is not None:
            delta.add(changed)
        if counts[0]:  # the new rows: ids after the last one before the merge, written by this run
            delta.add(model.objects.filter(pk__gt=last_id, import_run_id=self.run.pk))
        delta.apply()

    def _wrong_register(self, sheet) -> bool:
        """Stop, before any row is validated, a file whose headers are the other register's (a
        dossier file sent to the tasks register); the first rows are put back for the import."""
        rows = iter(sheet.rows)
        buffer = []
        failure = None
        try:
            for item in rows:
                buffer.append(item)
                if len(buffer) >= max(HEADER_SCAN, OFFICIAL_SCAN):
                    break
        except UnreadableFile as exc:  # a row the reader refuses: raised where the import reaches it
            failure = exc

        def again():
            yield from buffer
            if failure is not None:
                raise failure
            yield from rows

        sheet.rows = again()
        found = wrong_register(self.spec.name, buffer)
        if found is None:
            return False
        self.error_count = 1
        error = _error(None, None, "", "", found.message(self.spec.name))
        self.finish(Status.REJECTED, errors=[{**error, "register": found.register}])
        return True

    def _header(self, rows):
        """Find the header row among the first rows: the one matching the most known headers."""
        aliases = self.spec.aliases
        buffer = []
        for item in rows:
            buffer.append(item)
            if len(buffer) >= HEADER_SCAN:
                break
        best, best_score = None, 1
        for i, (_rowno, cells) in enumerate(buffer):
            score = 0
            for cell in cells:
                text = cell_text(cell).strip()
                if text and isinstance(aliases.get(header_key(self.clean(text))), Column):
                    score += 1
            if score > best_score:
                best, best_score = i, score
        if best is None:
            headers = ", ".join(f"“{c.header}”" for c in self.spec.columns if c.required)
            self.error(
                None,
                None,
                "",
                "",
                f"Không tìm thấy dòng tiêu đề cột trong {HEADER_SCAN} dòng đầu của tệp. Tệp nhập "
                f"{str(self.spec.label).lower()} cần một dòng tiêu đề có các cột {headers} (xem tệp mẫu).",
            )
            return None
        header_row, header_cells = buffer[best]
        if best:
            self.notes.append(f"Dòng tiêu đề cột là dòng {header_row}; bỏ qua {best} dòng phía trên.")
        return header_row, header_cells, chain(buffer[best + 1 :], rows)

    def _plan(self, header_row: int, header_cells: list) -> set[str]:
        """Map the file's columns to the register's, report unknown, repeated and missing ones."""
        aliases = self.spec.aliases
        at: dict[str, int] = {}
        self.header_names: dict[str, str] = {c.key: c.header for c in self.spec.columns}
        for idx, cell in enumerate(header_cells):
            text = self.clean(cell_text(cell)).strip()
            if not text:
                continue
            key = header_key(text)
            if key not in aliases:
                self.error(
                    header_row,
                    idx,
                    text,
                    "",
                    f"Cột “{text}” không có trong mẫu nhập {str(self.spec.label).lower()}: "
                    "đổi tên cột theo tệp mẫu hoặc xoá cột này.",
                )
                continue
            column = aliases[key]
            if column is None:
                continue
            if column.key in at:
                first = column_letter(at[column.key] + self.column_offset)
                self.error(
                    header_row, idx, text, "", f"Cột “{column.header}” có hai lần (cột {first} và cột này)."
                )
                continue
            at[column.key] = idx
            self.header_names[column.key] = text
        if self.official is not None:
            self._plan_official(at)
        for column in self.spec.columns:
            if column.required and column.key not in at:
                self.error(header_row, None, column.header, "", f"Thiếu cột bắt buộc “{column.header}”.")
        absent = [c.header for c in self.spec.columns if not c.required and c.key not in at]
        if absent:
            self.notes.append(
                "Tệp không có các cột: "
                + ", ".join(absent)
                + " — giữ nguyên giá trị đã lưu của các dòng đã có."
            )
        self.at = at
        self.slot = {c.key: i for i, c in enumerate(self.spec.columns)}
        groups = set(at)
        if "notes" in at:
            groups.add("apology_slip")  # an apology in the notes sets the flag
        return groups

    def _plan_official(self, at: dict[str, int]) -> None:
        """The official register: the field is read from the procedure (or its TTHC code) through the
        catalogue, the return date is the completion date when no column says otherwise, and the
        errors name the file's own headers."""
        form = self.official
        self.notes.append(
            "Tệp là Sổ theo dõi hồ sơ theo mẫu (Mẫu 06 TT 01/2018/TT-VPCP, Mẫu 07 TT 03/2025/TT-VPCP): "
            "lĩnh vực lấy theo danh mục thủ tục hành chính."
        )
        for key in ("procedure_code", "procedure"):
            if key in form.at:
                at["field"] = form.at[key]
                self.header_names["field"] = form.labels[key]
                break
        if "completed_on" not in at and "returned_on" in at:
            at["completed_on"] = at["returned_on"]
            self.notes.append("Sổ không có cột ngày có kết quả: ngày hoàn thành là ngày trả kết quả.")
        for key, label in form.labels.items():
            if key in self.header_names:
                self.header_names[key] = label
        if form.unknown:
            self.notes.append("Bỏ qua các cột không dùng đến: " + "; ".join(form.unknown) + ".")
        self.catalogue = Catalogue()

    def _converter(self, column: Column):
        """(function, cached?) for a column."""
        clean, lookups = self.clean, self.lookups
        kind = column.kind
        if kind == "field" and self.catalogue is not None:
            return self.catalogue.field_of, True
        if kind == "notes":
            return (lambda raw: parse_notes(clean(raw)) if raw else None), True
        if kind == "code":
            limit = column.max_length

            def code(raw):
                text = raw.strip() if raw.__class__ is str else cell_text(raw).strip()
                if not text.isascii():
                    text = clean(text)
                if limit and len(text) > limit:
                    return Bad(f"Dài {len(text)} ký tự; tối đa {limit} ký tự.")
                return text or None

            return code, False
        if kind in ("text", "longtext"):
            limit = column.max_length

            def text(raw):
                value = clean(raw)
                if limit and len(value) > limit:
                    return Bad(f"Dài {len(value)} ký tự; tối đa {limit} ký tự.")
                return value or None

            return text, kind == "text"
        if kind == "date":
            return parse_date, True
        if kind == "bool":
            return parse_bool, True
        if kind == "int":
            return parse_count, True
        if kind == "choice":
            choices = column.choices
            labels = "; ".join(sorted({str(v) for v in self._choice_labels(column)}))

            def choice(raw):
                value = clean(raw)
                if not value:
                    return None
                found = choices.get(fold(value))
                return found if found is not None else Bad(f"Giá trị không hợp lệ; chấp nhận: {labels}.")

            return choice, True
        if kind == "unit":
            return (lambda raw: lookups.unit(clean(raw))), True
        if kind == "field":
            return (lambda raw: lookups.field(clean(raw))), True
        if kind == "official":
            by_code = lookups.official_by_code

            def official(raw):
                text = clean(raw)
                value = lookups.official(text)
                if value.__class__ is int and fold(text) not in by_code:
                    return _ByName(value)
                return value

            return official, True
        raise ValueError(kind)

    def _choice_labels(self, column: Column) -> list[str]:
        from congvu.registers.models import AssigningAuthority, Channel, ProductType, Quality

        enum = {
            "authority": AssigningAuthority,
            "product_type": ProductType,
            "quality": Quality,
            "channel": Channel,
        }[column.key]
        return [str(label) for _value, label in enum.choices]

    def _validate(self, rows, stage: Stage, header_row: int, estimated: int) -> None:
        self.lookups = Lookups()
        columns = self.spec.columns
        # One getter per register column, in column order: a cache lookup (C speed on a hit, the
        # converter on a miss), the converter itself for unique values, or "absent" (always None).
        getters, indexes = [], []
        for column in columns:
            idx = self.at.get(column.key)
            if idx is None:
                getters.append(_ABSENT.get)
                indexes.append(0)
                continue
            function, cached = self._converter(column)
            getters.append(_Cache(function).__getitem__ if cached else function)
            indexes.append(idx)
        pick = itemgetter(*indexes)
        width = max(indexes) + 1
        assemble = self._row_builder()
        code_idx = self.at.get("code", 0)
        total_rows = max(estimated - header_row, 0)
        batch: list[tuple] = []
        done = blank = footer = 0
        totals: list[int] = []
        after_total = False
        errors_before = self.error_count
        # Repeated codes: a set of hashes is a fraction of the memory of the codes themselves; a code
        # seen twice (or a hash collision) is checked exactly against the staging table afterwards.
        seen: set[int] = set()
        seen_add = seen.add
        suspects = self.suspects = set()
        last_code = ""
        in_order = True
        first_data_row = header_row + 1
        for rowno, cells in rows:
            if len(cells) < width:
                cells = [*cells, *[""] * (width - len(cells))]
            code_raw = cells[code_idx]
            code_text = code_raw if code_raw.__class__ is str else cell_text(code_raw)
            # Codes carry digits; a row without one may be blank, a total or a footer line, and the
            # row under the header may number the columns: (1) (2) (3)…
            # A total row carries numbers too ("Tổng cộng: 25 hồ sơ", "Cộng 125" in the code column, or
            # the words in the first column and a count in the code column): its words decide.
            if (
                not code_text
                or not _DIGIT.search(code_text)
                or rowno == first_data_row
                or _TOTAL_HINT.match(code_text)
                or (code_idx and cells[0].__class__ is str and _TOTAL_HINT.match(cells[0]))
            ):
                if code_text.strip().upper() == EXAMPLE_CODE:
                    self.error(
                        rowno,
                        None,
                        "",
                        "",
                        f"Dòng {rowno} là dòng ví dụ của tệp mẫu (mã {EXAMPLE_CODE}); hãy xóa dòng này.",
                    )
                    continue
                kind = self._special_row(cells, rowno == first_data_row)
                if kind == "blank":
                    blank += 1
                    continue
                if kind == "total":
                    totals.append(rowno)
                    after_total = True
                    continue
                if kind == "numbers" or (after_total and not code_text.strip()):
                    footer += kind != "numbers"
                    continue
            values = list(map(call, getters, pick(cells)))
            bad = None if _BAD_TYPE.isdisjoint(map(type, values)) else self._bad_cells(rowno, values, cells)
            row = assemble(rowno, values, cells, bad)
            batch.append(row)
            code = row[1]
            if code is not None:
                key = hash(code)
                if key in seen:
                    suspects.add(code)
                else:
                    seen_add(key)
                if in_order:
                    in_order = last_code <= code
                    last_code = code
            done += 1
            if len(batch) >= BATCH:
                stage.write(batch)
                batch = []
                self._report(stage, done, total_rows)
        stage.write(batch)
        stage.sorted = in_order
        del seen, seen_add
        self._report(stage, done, done)
        if totals:
            self.notes.append("Bỏ qua dòng tổng cộng: " + ", ".join(map(str, totals[:10])) + ".")
        if footer:
            self.notes.append(f"Bỏ qua {footer} dòng chân trang (chữ ký, ghi chú) sau dòng tổng cộng.")
        if blank:
            self.notes.append(f"Bỏ qua {blank} dòng trống.")
        if self.unreadable_count:
            listed = "; ".join(
                f"dòng {row}: “{text}” ({reason})" for row, text, reason in self.unreadable[:30]
            )
            more = f"; … và {self.unreadable_count - 30} đoạn khác" if self.unreadable_count > 30 else ""
            self.notes.append(
                f"Không đọc được {self.unreadable_count} đoạn ghi chú nêu sự kiện (chưa ghi nhận, cần sửa "
                f"ghi chú rồi nhập lại): {listed}{more}."
            )
        if self.official is not None and self.official.footer_rows:
            self.notes.append(
                f"Bỏ qua {self.official.footer_rows} dòng chân sổ (tổng số, nơi lập, người lập sổ)."
            )
        if self.catalogue is not None and self.catalogue.unknown:
            names = sorted(self.catalogue.unknown.values(), key=fold)
            self.run.unknown_procedures = names
            self.notes.append(
                f"{len(names)} thủ tục chưa có trong danh mục TTHC (chưa biết lĩnh vực): "
                + "; ".join(names[:20])
                + ("…" if len(names) > 20 else "")
                + ". Gắn lĩnh vực cho các thủ tục này rồi nhập lại tệp."
            )
        if done == 0 and self.error_count == errors_before:
            self.error(header_row, None, "", "", "Tệp không có dòng dữ liệu nào dưới dòng tiêu đề cột.")

    def _bad_cells(self, rowno: int, values: list, cells: list) -> set[int]:
        """Record the row's failed cells; they become None, and their slots are returned."""
        bad = set()
        for slot, value in enumerate(values):
            if value.__class__ is Bad:
                key = self.spec.columns[slot].key
                idx = self.at[key]
                self.error(rowno, idx, self.header_names[key], cells[idx], value.message)
                values[slot] = None
                bad.add(slot)
        return bad

    def _sheet_problems(self, sheet, header_row: int, header_cells: list) -> None:
        """The cells the reader refused whatever their column (a control character), as errors."""
        for p in sheet.problems:
            named = p.row >= header_row and p.column < len(header_cells)
            header = cell_text(header_cells[p.column]).strip() if named else ""
            letter = column_letter(p.column + self.column_offset)
            self.error(
                p.row, p.column, header, p.value, p.message if header else f"Cột {letter}: {p.message}"
            )
        self.error_count += sheet.problem_count - len(sheet.problems)

    def _special_row(self, cells, after_header: bool) -> str | None:
        texts = [t for t in (cell_text(c).strip() for c in cells) if t]
        if not texts:
            return "blank"
        if _TOTAL.fullmatch(fold(self.clean(texts[0]))):
            return "total"
        if after_header and len(texts) >= 3 and all(_NUMBERS_ROW.fullmatch(t) for t in texts):
            return "numbers"  # the (1) (2) (3) row that numbers the columns of report templates
        return None

    # --- rows --------------------------------------------------------------------------------

    def _row_builder(self):
        """The register's row function with every slot, index and check bound once: this is the hot
        path, run once per row, so it does dict and tuple work only."""
        slot, at, names, error = self.slot, self.at, self.header_names, self.error
        lookups, allowed, resolutions = self.lookups, self.allowed, self.resolutions
        in_charge = lookups.in_charge
        tasks = self.spec.name == "tasks"
        required_keys = REQUIRED[self.spec.name]
        required = []
        for k in required_keys:
            # One message per cell: the official register reads the field from the procedure's cell.
            if k in at and all(at[k] != r[1] for r in required):
                required.append((slot[k], at[k], names[k]))
        required_get = itemgetter(*[r[0] for r in required]) if len(required) > 1 else None
        first_day = "received_on"
        orders = (
            [(k, first_day, "ngày nhận") for k in ("due_on", "handled_on", "advised_on", "completed_on")]
            + [("advised_on", "handled_on", "ngày xử lý")]
            if tasks
            else [(k, first_day, "ngày tiếp nhận") for k in ("due_on", "completed_on", "returned_on")]
        )
        # Dates that may not precede another, grouped by the earlier one: one min() per group.
        order_groups: dict[int, list] = {}
        for later, earlier, label in orders:
            if later in at and earlier in at:
                message = self.spec.column(later).header + " ({}) trước " + label + " ({})."
                order_groups.setdefault(slot[earlier], []).append(
                    (slot[later], at[later], names[later], message)
                )
        order_checks = [
            (earlier, itemgetter(*[i[0] for i in items], items[0][0]), items)
            for earlier, items in order_groups.items()
        ]
        unit_idx = at.get("unit")
        who = "responsible" if tasks else "handler"
        who_idx = at.get(who)
        out_of_scope = (
            "Đơn vị này không thuộc phạm vi của bạn: chỉ được nhập dữ liệu của đơn vị mình "
            "(và các đơn vị tiền thân)."
        )

        def raw_of(cells, idx):
            return cells[idx] if idx is not None and idx < len(cells) else ""

        def check(rowno, v, cells, bad):
            if required_get is None or None in required_get(v):
                for s_, idx, header in required:
                    if v[s_] is None and (bad is None or s_ not in bad):
                        error(rowno, idx, header, "", MISSING)
            for earlier, later_get, items in order_checks:
                b = v[earlier]
                if b and min(filter(None, later_get(v)), default=b) < b:
                    for later, idx, header, message in items:
                        a = v[later]
                        if a and a < b:
                            error(rowno, idx, header, raw_of(cells, idx), message.format(_vn(a), _vn(b)))

        def unit_of(rowno, value, day, cells):
            if value.__class__ is not int:
                if value is None:
                    return None
                value = lookups.unit_on(value, day, cell_text(raw_of(cells, unit_idx)).strip())
                if value.__class__ is Bad:
                    error(rowno, unit_idx, names["unit"], raw_of(cells, unit_idx), value.message)
                    return None
            if allowed is not None and value not in allowed:
                error(rowno, unit_idx, names["unit"], raw_of(cells, unit_idx), out_of_scope)
                return None
            return value

        def person(rowno, value, unit, field, day, cells):
            if value is None:
                if unit is None or not day:
                    return None, UNRESOLVED
                official, how = in_charge(unit, field, day)
                resolutions[how] += 1
                return official, how
            if value.__class__ is not int:
                if value.__class__ is tuple:
                    value = lookups.official_at(value, unit, cell_text(raw_of(cells, who_idx)).strip())
                    if value.__class__ is Bad:
                        error(rowno, who_idx, names[who], raw_of(cells, who_idx), value.message)
                        return None, UNRESOLVED
                    resolutions[BY_NAME_AT_UNIT] += 1
                else:  # _ByName
                    value = int(value)
                    resolutions[BY_NAME] += 1
            resolutions[FROM_FILE] += 1
            return value, FROM_FILE

        s = slot
        code_s, unit_s, field_s, received_s, due_s, completed_s = (
            s["code"],
            s["unit"],
            s["field"],
            s["received_on"],
            s["due_on"],
            s["completed_on"],
        )
        who_s = s[who]
        if tasks:
            content_s, authority_s, number_s, doc_date_s = (
                s["content"],
                s["authority"],
                s["document_number"],
                s["document_date"],
            )
            product_s, handled_s, advised_s, quality_s = (
                s["product_type"],
                s["handled_on"],
                s["advised_on"],
                s["quality"],
            )
            returned_count_s, proactive_s = s["returned_count"], s["proactive"]

            def task_row(rowno, v, cells, bad):
                check(rowno, v, cells, bad)
                received = v[received_s]
                assigned = v[doc_date_s] or received
                unit = unit_of(rowno, v[unit_s], assigned, cells)
                field = v[field_s]
                responsible, how = person(rowno, v[who_s], unit, field, assigned, cells)
                content = v[content_s] or ""
                return (
                    rowno,
                    v[code_s],
                    content,
                    fold(content),
                    v[authority_s],
                    v[number_s] or "",
                    v[doc_date_s],
                    unit,
                    field,
                    v[product_s] or "other",
                    responsible,
                    how,
                    received,
                    v[handled_s],
                    v[advised_s],
                    v[due_s],
                    v[completed_s],
                    v[quality_s] or "",
                    v[returned_count_s] or 0,
                    v[proactive_s] is True,
                )

            return task_row

        procedure_s, returned_s, status_s, apology_s, channel_s, notes_s = (
            s["procedure"],
            s["returned_on"],
            s["status"],
            s["apology_slip"],
            s["channel"],
            s["notes"],
        )
        folded_cache = self._folded
        events_add, unreadable = self.events.append, self.unreadable
        no_effect = notes_effect(())

        def noted(rowno, code, notes):
            """The clock changes a row's notes record (and the events to store with it)."""
            events, bad = notes
            for item in bad:
                self.unreadable_count += 1
                if len(unreadable) < MAX_ERRORS:
                    unreadable.append((rowno, item.text, item.reason))
            if not events:
                return no_effect
            events_add((code, events))
            return notes_effect(events)

        def dossier_row(rowno, v, cells, bad):
            check(rowno, v, cells, bad)
            received = v[received_s]
            unit = unit_of(rowno, v[unit_s], received, cells)
            field = v[field_s]
            handler, how = person(rowno, v[who_s], unit, field, received, cells)
            procedure = v[procedure_s] or ""
            folded = folded_cache.get(procedure)
            if folded is None:
                folded = folded_cache[procedure] = fold(procedure)
            notes = v[notes_s]
            clock = no_effect if notes is None else noted(rowno, v[code_s], notes)
            return (
                rowno,
                v[code_s],
                unit,
                field,
                procedure,
                folded,
                handler,
                how,
                received,
                clock.due_on or v[due_s],
                v[completed_s],
                v[returned_s],
                v[status_s] or "",
                v[apology_s] is True or clock.apology,
                v[channel_s] or "",
                clock.ending,
                clock.ended_on,
                clock.waiting_since,
                clock.waiting_until,
            )

        return dossier_row

    # --- after phase 1 -------------------------------------------------------------------------

    def _store_events(self, stage: Stage) -> None:
        """Replace the events of the file's dossiers whose notes changed (read from the notes column),
        inside the merge's transaction. Unchanged events are not rewritten: re-importing the same file
        writes nothing."""
        from congvu.registers.models import DossierEvent

        event_table = DossierEvent._meta.db_table
        q = connection.ops.quote_name
        # The events already stored for the file's dossiers (a join with the staging table).
        sql = f"""
            SELECT d.external_code, e.dossier_id, e.kind, e."on", e.new_due_on, e.text
            FROM {q(event_table)} e JOIN {q(Dossier._meta.db_table)} d ON d.id = e.dossier_id
            JOIN {q(stage.name)} s ON s.code = d.external_code
            WHERE d.source = %s ORDER BY e.id"""
        stored: dict[str, list] = {}
        ids: dict[str, int] = {}
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.run.source])
            for code, dossier_id, kind, on, due, text in cursor.fetchall():
                ids[code] = dossier_id
                stored.setdefault(code, []).append((kind, _iso(on), _iso(due), text))
        wanted = {
            code: [(e.kind, e.on, e.new_due_on, e.text) for e in events] for code, events in self.events
        }
        changed = [c for c in stored.keys() | wanted.keys() if stored.get(c) != wanted.get(c)]
        if not changed:
            return
        missing = [c for c in changed if c not in ids]
        for start in range(0, len(missing), 500):
            chunk = missing[start : start + 500]
            ids.update(
                Dossier.objects.filter(source=self.run.source, external_code__in=chunk).values_list(
                    "external_code", "id"
                )
            )
        for start in range(0, len(changed), 500):
            chunk = [ids[c] for c in changed[start : start + 500]]
            DossierEvent.objects.filter(dossier_id__in=chunk).delete()
        DossierEvent.objects.bulk_create(
            (
                DossierEvent(
                    dossier_id=ids[code],
                    kind=kind,
                    on=on,
                    new_due_on=due,
                    text=text,
                    import_run_id=self.run.pk,
                )
                for code in changed
                for kind, on, due, text in wanted.get(code, ())
            ),
            batch_size=2000,
        )

    def _set_checks(self, stage: Stage) -> None:
        """Checks over the whole file, done by the database on the staging table."""
        code_idx = self.at.get("code")
        header = self.header_names["code"]
        for rowno, code, first in stage.duplicates(self.suspects, MAX_ERRORS):
            self.error(rowno, code_idx, header, code, f"Mã trùng với dòng {first} trong cùng tệp.")
        if self.allowed is not None:
            for rowno, code in stage.owned_elsewhere(
                source=self.run.source, allowed_unit_ids=sorted(self.allowed), limit=MAX_ERRORS
            ):
                self.error(
                    rowno,
                    code_idx,
                    header,
                    code,
                    # Never say whose register holds the code: that would tell a unit of another
                    # unit's records (#14 item 6).
                    "Không dùng được mã này (cùng nguồn dữ liệu): hãy dùng mã khác.",
                )

    def _write_notes(self) -> None:
        for encoding, label in (("tcvn3", "TCVN3 (ABC)"), ("vni", "VNI")):
            if self.clean.repaired[encoding]:
                self.notes.append(
                    f"Đã chuyển {self.clean.repaired[encoding]} giá trị gõ bằng phông {label} sang Unicode."
                )
        if self.resolutions:
            from congvu.registers.models import ResponsibleResolution

            parts = [
                f"{label}: {self.resolutions[value]}"
                for value, label in ResponsibleResolution.choices
                if self.resolutions[value]
            ]
            who = "Người phụ trách" if self.spec.name == "tasks" else "Người xử lý"
            self.notes.append(f"{who} — " + "; ".join(parts) + ".")
