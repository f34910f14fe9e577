"""Process control slips (Phiếu kiểm soát quá trình giải quyết hồ sơ, TT 03/2025 Mẫu 06): the import
of hand-overs, one row per hand-over, and what they tell about a dossier — each side's share of the
time and the step that made it late (`shared/domain/official-forms.md` §3).

File columns (matched by header text, accents, case and spacing ignored): Mã hồ sơ, Bên giao, Bên
nhận, Thời gian giao nhận, Người giao, Người nhận, Kết quả (Trước hạn / Đúng hạn / Quá hạn), Ghi chú.
Two phases: every row is checked first and every error names its row and column; then, in one
transaction, each dossier in the file gets exactly the file's hand-overs (a slip is the whole chain:
it replaces the one stored), with one audit event. Nothing is stored when any row is wrong."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction

from congvu.core.audit import audit_record
from congvu.core.text import fold
from congvu.registers.columns import header_key
from congvu.registers.readers import UnreadableFile, column_letter, open_sheet
from congvu.registers.validation import MISSING, TextCleaner, cell_text

COLUMNS = {
    "code": ("Mã hồ sơ", "Mã số hồ sơ", "Số hồ sơ"),
    "from_side": ("Bên giao", "Giao", "Đơn vị giao", "Cơ quan giao", "Bộ phận giao"),
    "to_side": ("Bên nhận", "Nhận", "Đơn vị nhận", "Cơ quan nhận", "Bộ phận nhận", "Tên cơ quan"),
    "handed_at": ("Thời gian giao nhận", "Thời gian giao, nhận hồ sơ", "Thời gian", "Ngày giờ giao nhận"),
    "sender": ("Người giao",),
    "receiver": ("Người nhận",),
    "mark": ("Kết quả", "Kết quả giải quyết hồ sơ", "Đánh giá", "Kết quả giải quyết"),
    "note": ("Ghi chú",),
}
REQUIRED = ("code", "from_side", "to_side", "handed_at")
LABELS = {key: names[0] for key, names in COLUMNS.items()}
_ALIASES = {header_key(name): key for key, names in COLUMNS.items() for name in names}
_ALIASES[header_key("STT")] = _ALIASES[header_key("TT")] = None
MARKS = {
    "truoc han": "early",
    "som han": "early",
    "dung han": "on_time",
    "trong han": "on_time",
    "qua han": "late",
    "tre han": "late",
    "cham": "late",
}
# "08 giờ 30 phút, ngày 06/01/2025", "8h30 06/01/2025", "06/01/2025 08:30(:00)", "2025-01-06 08:30".
_VN = re.compile(
    r"(\d{1,2})\s*(?:gio|h|:)\s*(\d{1,2})?\s*(?:phut)?\D*?(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
)
_DMY = re.compile(
    r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:\D+(\d{1,2})\s*[:h]\s*(\d{1,2})(?:\s*:\s*(\d{1,2}))?)?"
)
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{1,2})(?::(\d{1,2}))?)?")
TIME_FORMAT = "Thời gian không đúng định dạng: cần “08 giờ 30 phút, ngày 06/01/2025” hoặc “06/01/2025 08:30”."


def parse_datetime(raw) -> datetime | str:
    """An aware datetime (local time of the province), or the Vietnamese reason it is not one."""
    zone = ZoneInfo(settings.TIME_ZONE)
    if isinstance(raw, datetime):
        return raw.replace(tzinfo=zone) if raw.tzinfo is None else raw
    text = fold(cell_text(raw))
    try:
        if m := _VN.search(text):
            hour, minute, d, mo, y = int(m[1]), int(m[2] or 0), int(m[3]), int(m[4]), int(m[5])
            return datetime(y, mo, d, hour, minute, tzinfo=zone)
        if m := _ISO.fullmatch(text):
            return datetime(
                int(m[1]), int(m[2]), int(m[3]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0), tzinfo=zone
            )
        if m := _DMY.fullmatch(text):
            return datetime(
                int(m[3]), int(m[2]), int(m[1]), int(m[4] or 0), int(m[5] or 0), int(m[6] or 0), tzinfo=zone
            )
    except ValueError:
        return f"Thời gian “{cell_text(raw)}” không tồn tại."
    return TIME_FORMAT


@dataclass
class SlipImport:
    rows: int = 0
    dossiers: int = 0
    errors: list[dict] = field(default_factory=list)
    stored: bool = False


def _error(result: SlipImport, row, col, column, value, message) -> None:
    result.errors.append(
        {
            "row": row,
            "column": column,
            "letter": column_letter(col) if col is not None else "",
            "value": cell_text(value)[:200],
            "message": message,
        }
    )


def slips_import(*, actor, path, source: str = "import", unit=None, dry_run: bool = False) -> SlipImport:
    """Import a file of hand-overs; see the module docstring. A unit user imports only slips of
    their unit's dossiers (a dossier of another unit is reported as unknown, never confirmed)."""
    from congvu.registers.imports import import_scope
    from congvu.registers.models import Dossier, HandOver

    unit = import_scope(actor=actor, unit=unit)
    result = SlipImport()
    clean = TextCleaner()
    try:
        sheet = open_sheet(Path(path))
    except (UnreadableFile, UnicodeError, OSError) as exc:
        _error(result, None, None, "", "", str(exc))
        return result
    at: dict[str, int] = {}
    header_row = None
    buffer = []
    for rowno, cells in sheet.rows:
        if header_row is None:
            buffer.append((rowno, cells))
            keys = {_ALIASES.get(header_key(clean(c))) for c in cells if cell_text(c).strip()}
            if {"code", "from_side", "to_side"} <= keys:
                header_row = rowno
                for idx, cell in enumerate(cells):
                    key = _ALIASES.get(header_key(clean(cell)), "?")
                    if key and key != "?" and key not in at:
                        at[key] = idx
                    elif key == "?" and cell_text(cell).strip():
                        _error(result, rowno, idx, clean(cell), "", "Cột không có trong mẫu phiếu kiểm soát.")
                for key in REQUIRED:
                    if key not in at:
                        _error(result, rowno, None, LABELS[key], "", f"Thiếu cột bắt buộc “{LABELS[key]}”.")
                if result.errors:
                    return result
                continue
            if len(buffer) >= 20:
                break
            continue
        item = _row(result, rowno, cells, at, clean)
        if item is not None:
            buffer.append(item)
    for p in sheet.problems:  # control characters, in any column
        name = next((LABELS[k] for k, i in at.items() if i == p.column), "")
        message = p.message if name else f"Cột {column_letter(p.column)}: {p.message}"
        _error(result, p.row, p.column, name, p.value, message)
    if header_row is None:
        _error(
            result, None, None, "", "", "Không tìm thấy dòng tiêu đề có các cột Mã hồ sơ, Bên giao, Bên nhận."
        )
        return result
    parsed = [r for r in buffer if isinstance(r, dict)]
    result.rows = len(parsed)
    if not parsed and not result.errors:
        _error(result, header_row, None, "", "", "Tệp không có dòng bàn giao nào.")
    by_code: dict[str, list[dict]] = defaultdict(list)
    for item in parsed:
        by_code[item["code"]].append(item)
    dossiers = Dossier.objects.filter(source=source)
    if unit is not None:
        from congvu.org.selectors import unit_with_predecessor_ids

        dossiers = dossiers.filter(unit_id__in=unit_with_predecessor_ids(unit.pk))
    ids: dict[str, int] = {}
    codes = sorted(by_code)
    for start in range(0, len(codes), 500):
        ids.update(
            dossiers.filter(external_code__in=codes[start : start + 500]).values_list("external_code", "id")
        )
    for code, items in by_code.items():
        if code not in ids:
            for item in items:
                _error(
                    result,
                    item["row"],
                    at["code"],
                    LABELS["code"],
                    code,
                    "Không có hồ sơ mã này trong sổ hồ sơ (của đơn vị bạn).",
                )
        times = [i["handed_at"] for i in items]
        if times != sorted(times):
            first = items[0]["row"]
            _error(
                result,
                first,
                at["handed_at"],
                LABELS["handed_at"],
                "",
                f"Các lần bàn giao của hồ sơ {code} không theo thứ tự thời gian.",
            )
    result.errors.sort(key=lambda e: (e["row"] or 0, e["letter"]))
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        HandOver.objects.filter(dossier_id__in=[ids[c] for c in by_code]).delete()
        objects = []
        for code, items in by_code.items():
            for seq, item in enumerate(items, start=1):
                handover = HandOver(
                    dossier_id=ids[code], seq=seq, **{k: item[k] for k in COLUMNS if k != "code"}
                )
                handover.full_clean(exclude=["dossier"])
                objects.append(handover)
        HandOver.objects.bulk_create(objects, batch_size=2000)
        audit_record(
            actor=actor,
            action="handovers.import",
            object_type="registers.handover",
            object_repr=Path(path).name[:300],
            unit_id=unit.pk if unit else None,
            after={"file": Path(path).name, "rows": len(objects), "dossiers": len(by_code), "source": source},
        )
    result.dossiers = len(by_code)
    result.stored = True
    return result


def _row(result: SlipImport, rowno: int, cells: list, at: dict[str, int], clean) -> dict | None:
    def get(key):
        idx = at.get(key)
        return cells[idx] if idx is not None and idx < len(cells) else ""

    if not any(cell_text(c).strip() for c in cells):
        return None
    if re.fullmatch(r"\(?\d{1,2}\)?", cell_text(get("code")).strip()) and not cell_text(
        get("from_side")
    ).strip("() 0123456789"):
        return None  # the (1) (2) (3) row
    item = {"row": rowno}
    ok = True
    for key in ("code", "from_side", "to_side", "sender", "receiver", "note"):
        value = clean(get(key))
        limit = 100 if key == "code" else 500 if key == "note" else 200
        if key in REQUIRED and not value:
            _error(result, rowno, at.get(key), LABELS[key], "", MISSING)
            ok = False
        elif len(value) > limit:
            _error(result, rowno, at.get(key), LABELS[key], value, f"Dài {len(value)} ký tự; tối đa {limit}.")
            ok = False
        item[key] = value
    raw = get("handed_at")
    when = parse_datetime(raw) if cell_text(raw).strip() else MISSING
    if isinstance(when, str):
        _error(result, rowno, at.get("handed_at"), LABELS["handed_at"], raw, when)
        ok = False
    item["handed_at"] = when
    mark_text = fold(clean(get("mark")))
    mark = next((v for k, v in MARKS.items() if k in mark_text), None) if mark_text else ""
    if mark is None:
        _error(
            result,
            rowno,
            at.get("mark"),
            LABELS["mark"],
            get("mark"),
            "Cần Trước hạn, Đúng hạn hoặc Quá hạn.",
        )
        ok = False
    item["mark"] = mark or ""
    return item if ok else None


# --- what the slip tells ----------------------------------------------------------------------


@dataclass
class Step:
    holder: str  # the side that held the dossier during the step
    start: datetime
    end: datetime
    working_days: int | None  # count(start + 1, end) on the calendar; None outside it
    hours: float
    mark: str  # the mark the next side gave when it received the dossier
    mark_label: str


def dossier_steps(*, dossier) -> dict:
    """Each side's holding steps (between receiving and handing on), their working days and hours,
    each side's share of the total time, and the late step: the first hand-over whose receiving side
    marked the step just ended "Quá hạn" (the slip's own record, never inferred from durations)."""
    from django.utils import timezone

    from congvu.workdays.selectors import CalendarRangeError, working_days_count

    handovers = list(dossier.handovers.all())
    steps: list[Step] = []
    for previous, current in zip(handovers, handovers[1:], strict=False):
        start, end = timezone.localtime(previous.handed_at), timezone.localtime(current.handed_at)
        try:  # DESIGN: durations between stages are count(start + 1 day, end)
            days = (
                working_days_count(start.date() + timedelta(days=1), end.date())
                if end.date() > start.date()
                else 0
            )
        except CalendarRangeError:
            days = None
        steps.append(
            Step(
                holder=previous.to_side,
                start=start,
                end=end,
                working_days=days,
                hours=round((end - start).total_seconds() / 3600, 1),
                mark=current.mark,
                mark_label=current.get_mark_display() if current.mark else "",
            )
        )
    shares: dict[str, dict] = {}
    total_hours = sum(s.hours for s in steps)
    for s in steps:
        share = shares.setdefault(s.holder, {"holder": s.holder, "hours": 0.0, "working_days": 0, "steps": 0})
        share["hours"] += s.hours
        share["steps"] += 1
        share["working_days"] = (
            None
            if s.working_days is None or share["working_days"] is None
            else share["working_days"] + s.working_days
        )
    for share in shares.values():
        share["hours"] = round(share["hours"], 1)
        share["percent"] = round(100 * share["hours"] / total_hours, 1) if total_hours else None
    late = next((s for s in steps if s.mark == "late"), None)
    return {"handovers": handovers, "steps": steps, "shares": list(shares.values()), "late_step": late}


def late_steps(*, dossier_ids) -> dict[int, str]:
    """dossier id -> the side whose step the next receiver marked "Quá hạn" first (the slip's own
    record), for the dossiers that have one: one query for a page of records."""
    from congvu.registers.models import HandOver

    found: dict[int, str] = {}
    rows = (
        HandOver.objects.filter(dossier_id__in=list(dossier_ids), mark=HandOver.Mark.LATE)
        .order_by("dossier_id", "seq")
        .values_list("dossier_id", "from_side")
    )
    for dossier_id, side in rows:
        found.setdefault(dossier_id, side)
    return found
