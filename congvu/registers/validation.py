"""Cell converters and in-memory lookups for imports.

Each converter turns one raw cell (a CSV string, or a calamine value: str, float, bool, date, datetime)
into a plain value — an ISO date string, an id, a choice value — or a `Bad` carrying the Vietnamese
reason. The importer caches converters per distinct raw value, so a million rows with a thousand
distinct dates parse a thousand dates. Units, fields, officials and appointments are loaded once per
import into dicts; resolving who was in charge is a scan of a few appointments, never a query."""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import date, datetime, timedelta

from congvu.core.text import detect_legacy, fold, legacy_scores, repair_legacy
from congvu.org.models import Appointment, AppointmentRole, Field, Official, Unit
from congvu.registers.models import ResponsibleResolution


class Bad:
    """A cell that failed validation."""

    __slots__ = ("message",)

    def __init__(self, message: str):
        self.message = message

    def __repr__(self) -> str:
        return f"Bad({self.message!r})"


MIN_YEAR, MAX_YEAR = 1990, 2100
_EXCEL_EPOCH = date(1899, 12, 30)  # serial 1 = 1 Jan 1900, with Excel's 1900 leap-year quirk
_SERIAL_MIN = (date(MIN_YEAR, 1, 1) - _EXCEL_EPOCH).days
_SERIAL_MAX = (date(MAX_YEAR, 12, 31) - _EXCEL_EPOCH).days
_DMY = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})(?:[ T,].*)?$")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T].*)?$")
_SERIAL = re.compile(r"\d{4,6}(?:[.,]\d+)?$")

DATE_FORMAT = (
    "Ngày không đúng định dạng: cần dd/mm/yyyy (ví dụ 31/01/2025), yyyy-mm-dd hoặc ô ngày của Excel."
)
MISSING = "Thiếu giá trị bắt buộc."
_TRUE = frozenset({"x", "co", "1", "true", "yes", "y", "dung", "v", "c"})
_FALSE = frozenset({"", "khong", "0", "false", "no", "n", "k", "sai", "-"})


def cell_text(raw) -> str:
    """The cell as the user reads it: 123.0 -> '123', a date -> '31/01/2025'."""
    if raw.__class__ is str:
        return raw
    if raw is None:
        return ""
    if isinstance(raw, bool):
        return "x" if raw else ""
    if isinstance(raw, float):
        return str(int(raw)) if raw.is_integer() else repr(raw)
    if isinstance(raw, datetime):
        return raw.strftime("%d/%m/%Y %H:%M") if (raw.hour or raw.minute) else raw.strftime("%d/%m/%Y")
    if isinstance(raw, date):
        return raw.strftime("%d/%m/%Y")
    return str(raw)


def _checked(day: date) -> str | Bad:
    if not MIN_YEAR <= day.year <= MAX_YEAR:
        return Bad(f"Năm {day.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}.")
    return day.isoformat()


def _from_serial(serial: float) -> str | Bad:
    if not _SERIAL_MIN <= serial <= _SERIAL_MAX:
        return Bad(DATE_FORMAT)
    return _checked(_EXCEL_EPOCH + timedelta(days=int(serial)))


def parse_date(raw) -> str | None | Bad:
    """An ISO date string from dd/mm/yyyy, yyyy-mm-dd (a time after it is ignored), an Excel serial
    number, or a date cell; None for an empty cell."""
    if raw.__class__ is str:
        text = raw.strip()
        if not text:
            return None
        if m := _DMY.match(text):
            d, mo, y = int(m[1]), int(m[2]), int(m[3])
        elif m := _YMD.match(text):
            y, mo, d = int(m[1]), int(m[2]), int(m[3])
        elif _SERIAL.match(text):
            return _from_serial(float(text.replace(",", ".")))
        else:
            return Bad(DATE_FORMAT)
        try:
            return _checked(date(y, mo, d))
        except ValueError:
            return Bad(f"Ngày {text} không tồn tại (ngày/tháng/năm).")
    if isinstance(raw, datetime):
        return _checked(raw.date())
    if isinstance(raw, date):
        return _checked(raw)
    if isinstance(raw, bool) or raw is None:
        return None if not raw else Bad(DATE_FORMAT)
    if isinstance(raw, (int, float)):
        return _from_serial(float(raw))
    return Bad(DATE_FORMAT)


def parse_bool(raw) -> bool | Bad:
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, (int, float)) and raw in (0, 1):
        return bool(raw)
    key = fold(cell_text(raw))
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    return Bad("Cần ghi x (có) hoặc để trống (không).")


def parse_count(raw) -> int | Bad:
    text = cell_text(raw).strip()
    if not text:
        return 0
    if text.isdigit() and int(text) <= 32767:
        return int(text)
    return Bad("Cần một số nguyên không âm (0, 1, 2…).")


class TextCleaner:
    """Strips, repairs TCVN3/VNI text and normalises to NFC. Once the file shows one legacy encoding
    clearly (three cells), it also converts cells too short to decide alone ('tèt')."""

    def __init__(self) -> None:
        self.repaired: dict[str, int] = {"tcvn3": 0, "vni": 0}
        self.hint: str | None = None

    def __call__(self, raw) -> str:
        text = cell_text(raw).strip()
        if not text or text.isascii():
            return text
        encoding = detect_legacy(text)
        if encoding is None and self.hint is not None:
            scores = legacy_scores(text)
            if scores is not None and scores[0 if self.hint == "tcvn3" else 1] >= 0:
                encoding = self.hint
        if encoding:
            self.repaired[encoding] += 1
            if self.hint is None and self.repaired[encoding] >= 3 and not self.repaired[_other(encoding)]:
                self.hint = encoding
            return repair_legacy(text, encoding)
        if not unicodedata.is_normalized("NFC", text):
            text = unicodedata.normalize("NFC", text)
        return text


def _other(encoding: str) -> str:
    return "vni" if encoding == "tcvn3" else "tcvn3"


_OPEN_END = "9999-12-31"
# Plain strings (not enum members): they go straight into COPY and executemany.
FROM_FILE = ResponsibleResolution.FROM_FILE.value
FIELD_DEPUTY = ResponsibleResolution.FIELD_DEPUTY.value
HEAD = ResponsibleResolution.HEAD.value
UNRESOLVED = ResponsibleResolution.UNRESOLVED.value


class Lookups:
    """Units, fields, officials and the head/deputy appointments, loaded once per import."""

    def __init__(self) -> None:
        self.unit_by_code: dict[str, int] = {}
        self.units_by_name: dict[str, list[tuple[int, str, str]]] = defaultdict(list)
        self.unit_names: dict[int, str] = {}
        for pk, code, name, valid_from, valid_to in Unit.objects.values_list(
            "id", "code", "name", "valid_from", "valid_to"
        ):
            self.unit_by_code[fold(code)] = pk
            start = valid_from.isoformat() if valid_from else "0000-01-01"
            end = valid_to.isoformat() if valid_to else _OPEN_END
            self.units_by_name[fold(name)].append((pk, start, end))
            self.unit_names[pk] = name
        fields = list(Field.objects.values_list("id", "code", "name"))
        self.field_by_key: dict[str, int] = {fold(name): pk for pk, _code, name in fields}
        self.field_by_key.update({fold(code): pk for pk, code, _name in fields})  # a code wins
        self.official_by_code: dict[str, int] = {}
        self.officials_by_name: dict[str, list[int]] = defaultdict(list)
        for pk, code, full_name in Official.objects.values_list("id", "code", "full_name"):
            self.official_by_code[fold(code)] = pk
            self.officials_by_name[fold(full_name)].append(pk)
        self._load_appointments()

    def _load_appointments(self) -> None:
        """heads[unit] and deputies[(unit, field)]: [(start, end, official)], most recent start first —
        the order `congvu.org.selectors.official_in_charge` picks in."""
        portfolio: dict[int, list[int]] = defaultdict(list)
        through = Appointment.fields.through
        for appointment_id, field_id in through.objects.values_list("appointment_id", "field_id"):
            portfolio[appointment_id].append(field_id)
        heads: dict[int, list] = defaultdict(list)
        deputies: dict[tuple[int, int], list] = defaultdict(list)
        self.official_units: dict[int, set[int]] = defaultdict(set)
        rows = Appointment.objects.values_list("id", "official_id", "unit_id", "role", "start", "end")
        for pk, official_id, unit_id, role, start, end in rows:
            self.official_units[official_id].add(unit_id)
            entry = (start.isoformat(), end.isoformat() if end else _OPEN_END, official_id, pk)
            if role == AppointmentRole.HEAD:
                heads[unit_id].append(entry)
            elif role == AppointmentRole.DEPUTY:
                for field_id in portfolio.get(pk, ()):
                    deputies[(unit_id, field_id)].append(entry)
        key = lambda e: (e[0], e[3])  # noqa: E731 - start, then the later appointment
        self.heads = {u: sorted(v, key=key, reverse=True) for u, v in heads.items()}
        self.deputies = {k: sorted(v, key=key, reverse=True) for k, v in deputies.items()}

    # --- converters (the importer caches them per raw value) ----------------------------------

    def unit(self, text: str) -> int | tuple | Bad | None:
        """An id, or a tuple of (id, from, to) when several units share the name (decided by date)."""
        if not text:
            return None
        key = fold(text)
        pk = self.unit_by_code.get(key)
        if pk is not None:
            return pk
        candidates = self.units_by_name.get(key)
        if not candidates:
            return Bad(f"Không có đơn vị nào có mã hoặc tên “{text}”.")
        if len(candidates) == 1:
            return candidates[0][0]
        return tuple(candidates)

    def field(self, text: str) -> int | Bad | None:
        if not text:
            return None
        pk = self.field_by_key.get(fold(text))
        if pk is None:
            return Bad(f"Không có lĩnh vực nào có mã hoặc tên “{text}” trong danh mục lĩnh vực.")
        return pk

    def official(self, text: str) -> int | tuple | Bad | None:
        if not text:
            return None
        key = fold(text)
        pk = self.official_by_code.get(key)
        if pk is not None:
            return pk
        candidates = self.officials_by_name.get(key)
        if not candidates:
            return Bad(f"Không có cán bộ nào có mã hoặc họ tên “{text}”.")
        if len(candidates) == 1:
            return candidates[0]
        return tuple(candidates)

    # --- row-level decisions -----------------------------------------------------------------

    def unit_on(self, candidates: tuple, day: str | None, text: str) -> int | Bad:
        """Among units sharing a name, the one that existed on the record's date."""
        valid = [pk for pk, start, end in candidates if day and start <= day <= end]
        if len(valid) == 1:
            return valid[0]
        return Bad(f"Có {len(candidates)} đơn vị cùng tên “{text}”; hãy ghi mã đơn vị.")

    def official_at(self, candidates: tuple, unit_id: int | None, text: str) -> int | Bad:
        """Among officials sharing a name, the one ever appointed at the record's unit."""
        at_unit = [pk for pk in candidates if unit_id in self.official_units.get(pk, ())]
        if len(at_unit) == 1:
            return at_unit[0]
        return Bad(f"Có {len(candidates)} cán bộ cùng họ tên “{text}”; hãy ghi mã cán bộ.")

    def in_charge(self, unit_id: int, field_id: int | None, day: str) -> tuple[int | None, str]:
        """The deputy whose portfolio holds the field on `day`, else the head, else nobody."""
        if field_id is not None:
            for start, end, official_id, _pk in self.deputies.get((unit_id, field_id), ()):
                if start <= day <= end:
                    return official_id, FIELD_DEPUTY
        for start, end, official_id, _pk in self.heads.get(unit_id, ()):
            if start <= day <= end:
                return official_id, HEAD
        return None, UNRESOLVED
