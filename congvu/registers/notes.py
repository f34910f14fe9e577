"""Dossier events read from the register's notes column ("Ghi chú"), as desks write them.

A note is split into clauses (";" and line breaks); a clause that names an event is read, the rest
of the note is plain text and stays a note. The events and their words (folded: no accents, lower case):

* supplement request (Mẫu 02): "yêu cầu bổ sung", "bổ sung hồ sơ", "phiếu bổ sung" — its date; a date
  after "hẹn", "hạn" or "hẹn trả" is the re-set due date;
* supplement received: "đã bổ sung", "nhận bổ sung", "nộp bổ sung", "công dân bổ sung" — its date,
  and the new due date when the time limit restarts;
* apology with a new appointment (Mẫu 04): "xin lỗi", "gia hạn", "hẹn lại" — its date if written,
  and the new due date after "hẹn"/"hạn"/"gia hạn đến";
* stop of handling (Mẫu 05): "dừng giải quyết", "dừng xử lý", "tạm dừng";
* withdrawal: "rút hồ sơ", "xin rút", "công dân rút";
* rejection: "từ chối giải quyết", "từ chối" (after reception: Mẫu 03 refuses reception itself).

Dates are dd/mm/yyyy (or d/m/yyyy, dd-mm-yyyy, dd.mm.yyyy). A clause that names an event without the
date that event needs is *unreadable*: `parse` returns it with its reason, and the importer reports it
with its row. Nothing is guessed: a date is never taken from another clause or another column."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from congvu.core.text import fold

SUPPLEMENT_REQUEST = "supplement_request"
SUPPLEMENT_RECEIVED = "supplement_received"
EXTENSION = "extension"
STOP = "stop"
WITHDRAWAL = "withdrawal"
REJECTION = "rejection"

# Order matters: "đã bổ sung" before "bổ sung hồ sơ"; "gia hạn"/"xin lỗi" before the others.
_KINDS = (
    (
        SUPPLEMENT_RECEIVED,
        re.compile(r"\b(da bo sung|nhan (ho so )?bo sung|nop bo sung|cong dan bo sung|da nhan bo sung)\b"),
    ),
    (EXTENSION, re.compile(r"\b(xin loi|gia han|hen lai)\b")),
    (
        SUPPLEMENT_REQUEST,
        re.compile(
            r"\b(yeu cau bo sung|bo sung ho so|phieu bo sung|bo sung, hoan thien|bo sung hoan thien)\b"
        ),
    ),
    (STOP, re.compile(r"\b(dung giai quyet|dung xu ly|tam dung)\b")),
    (WITHDRAWAL, re.compile(r"\b(rut ho so|xin rut|cong dan rut|to chuc rut|rut lai ho so)\b")),
    (REJECTION, re.compile(r"\b(tu choi)\b")),
)
_DATE = re.compile(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})")
# A date right after these words is a (new) appointment date, not the event's own date.
_DUE_WORDS = re.compile(
    r"\b(hen tra ket qua|hen tra|hen lai ngay tra|hen lai|hen|han moi|han|gia han den|den ngay)"
    r"\s*(moi|lai)?\s*(ngay|vao ngay|la)?\s*[:]?\s*$"
)
_SPLIT = re.compile(r"[;\n]")

LABELS = {
    SUPPLEMENT_REQUEST: "yêu cầu bổ sung hồ sơ",
    SUPPLEMENT_RECEIVED: "nhận hồ sơ bổ sung",
    EXTENSION: "xin lỗi và hẹn lại ngày trả",
    STOP: "dừng giải quyết",
    WITHDRAWAL: "rút hồ sơ",
    REJECTION: "từ chối giải quyết",
}


@dataclass(frozen=True)
class Event:
    kind: str
    on: str | None  # ISO date, or None when the note gives only the new appointment
    new_due_on: str | None
    text: str


@dataclass(frozen=True)
class Unreadable:
    text: str
    reason: str


def _dates(clause: str) -> tuple[list[str], list[str]]:
    """(event dates, appointment dates) of a folded clause, ISO."""
    own, due = [], []
    for m in _DATE.finditer(clause):
        try:
            day = date(int(m[3]), int(m[2]), int(m[1])).isoformat()
        except ValueError:
            return [], ["bad"]
        (due if _DUE_WORDS.search(clause[: m.start()]) else own).append(day)
    return own, due


def parse(note: str) -> tuple[tuple[Event, ...], tuple[Unreadable, ...]]:
    """The events a note records, and the clauses that name an event but cannot be read."""
    events, unreadable = [], []
    if not note:
        return (), ()
    for raw in _SPLIT.split(note):
        text = " ".join(raw.split())
        if not text:
            continue
        clause = fold(text)
        kind = next((k for k, pattern in _KINDS if pattern.search(clause)), None)
        if kind is None:
            continue
        own, due = _dates(clause)
        if due == ["bad"]:
            unreadable.append(Unreadable(text, "ngày không tồn tại"))
            continue
        if len(own) > 1 or len(due) > 1:
            unreadable.append(Unreadable(text, f"có nhiều ngày, không rõ ngày nào là ngày {LABELS[kind]}"))
            continue
        on, new_due = (own or [None])[0], (due or [None])[0]
        if kind == EXTENSION:
            if new_due is None and on is not None and not re.search(r"xin loi", clause):
                on, new_due = None, on  # "gia hạn đến 25/01/2025" without "hẹn": the date is the new one
            if new_due is None:
                unreadable.append(Unreadable(text, "không có ngày hẹn trả mới"))
                continue
        elif on is None:
            unreadable.append(Unreadable(text, f"không có ngày {LABELS[kind]}"))
            continue
        if kind not in (SUPPLEMENT_REQUEST, SUPPLEMENT_RECEIVED, EXTENSION) and new_due is not None:
            unreadable.append(Unreadable(text, f"ngày hẹn trả không áp dụng cho {LABELS[kind]}"))
            continue
        events.append(Event(kind, on, new_due, text[:500]))
    return tuple(events), tuple(unreadable)


@dataclass(frozen=True)
class Effect:
    """What a dossier's events do to its clock (the latest of each kind wins)."""

    due_on: str | None = None  # the re-set appointment date
    apology: bool = False
    ending: str = ""
    ended_on: str | None = None
    waiting_since: str | None = None
    waiting_until: str | None = None


_ENDINGS = {WITHDRAWAL: "withdrawn", REJECTION: "rejected", STOP: "stopped"}


def effect(events: tuple[Event, ...]) -> Effect:
    due = ending = ended = since = until = None
    apology = False
    for e in events:  # in the order written: a later note overrides an earlier one
        if e.new_due_on:
            due = e.new_due_on
        if e.kind == EXTENSION:
            apology = True
        elif e.kind == SUPPLEMENT_REQUEST:
            since, until = e.on, None
        elif e.kind == SUPPLEMENT_RECEIVED:
            until = e.on
        elif e.kind in _ENDINGS:
            ending, ended = _ENDINGS[e.kind], e.on
    if until is not None and since is None:
        until = None  # papers supplied without a request in the note: nothing was waiting
    return Effect(due, apology, ending or "", ended, since, until)
