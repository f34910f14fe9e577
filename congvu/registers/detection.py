"""Which register a file's headers belong to (nhận biết sổ theo dòng tiêu đề).

A dossier file sent to the task register (or the converse) would otherwise be refused with a dozen
"unknown column" and "missing column" errors that do not say what went wrong. `wrong_register` reads
only the first rows, before any data row is validated, and says plainly which register the file is
for and which headers gave it away. The official Sổ theo dõi hồ sơ (Mẫu 06/07, `official.py`) counts
as a dossier file."""

from __future__ import annotations

from dataclasses import dataclass

from congvu.registers.columns import REGISTERS, Column, header_key
from congvu.registers.official import detect as detect_official_form
from congvu.registers.validation import TextCleaner, cell_text

OTHER = {"tasks": "dossiers", "dossiers": "tasks"}
CLUES_SHOWN = 5  # headers named in the message
# What each register is called in the message, and where to choose the other one.
_NAMES = {"tasks": "sổ nhiệm vụ được giao", "dossiers": "sổ theo dõi hồ sơ TTHC"}
_CHOICE = {"tasks": "Nhiệm vụ", "dossiers": "Hồ sơ"}


@dataclass(frozen=True)
class WrongRegister:
    register: str  # the register the headers belong to
    clues: tuple[str, ...]  # the file's own headers that only that register has

    def message(self, chosen: str) -> str:
        listed = ", ".join(f"“{c}”" for c in self.clues[:CLUES_SHOWN])
        more = "…" if len(self.clues) > CLUES_SHOWN else ""
        return (
            f"Tệp này có tiêu đề của {_NAMES[self.register]}, không phải {_NAMES[chosen]}. "
            f"Hãy chọn đúng sổ (“{_CHOICE[self.register]}”) rồi nhập lại. "
            f"Các cột cho thấy điều này: {listed}{more}."
        )


def _scores(cells: list, clean: TextCleaner, own: dict, other: dict) -> tuple[int, int, list[str]]:
    """(columns of the chosen register, columns of the other, headers only the other knows)."""
    mine = theirs = 0
    clues: list[str] = []
    for cell in cells:
        text = clean(cell_text(cell))
        if not text:
            continue
        key = header_key(text)
        known_here = isinstance(own.get(key), Column)
        known_there = isinstance(other.get(key), Column)
        mine += known_here
        theirs += known_there
        if known_there and key not in own:
            clues.append(" ".join(text.split()))
    return mine, theirs, clues


def wrong_register(register: str, buffer: list[tuple[int, list]]) -> WrongRegister | None:
    """The register the first rows' headers belong to, when it is not `register`; None when they fit
    `register` at least as well as the other one (the usual header checks then say the rest)."""
    other = OTHER[register]
    form = detect_official_form(buffer)
    if form is not None:
        if register == "dossiers":
            return None
        keys = ("code", "procedure", "procedure_code", "received_on", "due_on", "returned_on")
        return WrongRegister("dossiers", tuple(form.labels[k] for k in keys if k in form.labels))
    own_aliases, other_aliases = REGISTERS[register].aliases, REGISTERS[other].aliases
    clean = TextCleaner()  # its own: the importer's cleaner counts the repairs it reports
    best_own = 0
    best_other, best_clues = 0, []
    for _rowno, cells in buffer:
        mine, theirs, clues = _scores(cells, clean, own_aliases, other_aliases)
        best_own = max(best_own, mine)
        if theirs > best_other:
            best_other, best_clues = theirs, clues
    # Two known headers at least: a title line mentioning one word is not a header row.
    if best_other >= 2 and best_other > best_own and best_clues:
        return WrongRegister(other, tuple(best_clues))
    return None
