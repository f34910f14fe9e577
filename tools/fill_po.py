"""Fill English msgstr entries of congvu/locale/en from tools/en_translations.tsv.

Run by `make messages` between makemessages and compilemessages. Untranslated strings stay Vietnamese
(the source language) and are listed on stderr, ready to be pasted into the TSV.

The TSV, one entry a line (blank lines and lines starting with "#" are ignored):

    msgid<TAB>English                 an ordinary string
    msgid<TAB>singular|plural         a plural string (ngettext, {% blocktranslate count %})
    msgctxt<TAB>msgid<TAB>English     a string with a context (pgettext, {% translate ... context %})

Both columns may use the PO escapes \\n, \\t, \\" and \\\\ (a literal backslash must be written \\\\);
a plain " needs no escape. A msgid that spans lines in the template (a {% blocktranslate %} without
`trimmed`) can be written on one line: when there is no exact match, keys are compared with runs of
whitespace collapsed, and the msgid's own leading and trailing whitespace is put back on the translation.

Guarantees: the .po is parsed entry by entry and only msgstr lines, the flags of filled entries
("fuzzy" is removed, other flags kept) and their "#|" previous-msgid lines are changed; a translation
whose %-placeholders, {}-placeholders or HTML tags differ from its msgid is refused and reported; the
result is checked with `msgfmt --check-format` before it replaces the .po, which is left untouched on
any error.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PO = ROOT / "congvu/locale/en/LC_MESSAGES/django.po"
TSV = ROOT / "tools/en_translations.tsv"

_UNESCAPE = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_KEYWORD = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[(\d+)\])?)\s+"(.*)"\s*$')
_CONTINUATION = re.compile(r'^"(.*)"\s*$')
# Python %-format conversions (named or not); "%%" is a literal percent sign.
_PERCENT = re.compile(r"%(?:\((?P<name>[^)]*)\))?[-#0 +]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[hlL]?(?P<conv>[diouxXeEfFgGcrsa%])")
_BRACE = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+|\[[^\]]*\])*(?:![rsa])?(?::[^{}]*)?)\}(?!\})")


class PoError(Exception):
    pass


def unescape(s: str) -> str:
    def repl(m: re.Match[str]) -> str:
        c = m.group(1)
        if c in _UNESCAPE:
            return _UNESCAPE[c]
        if c.isdigit():  # octal escape
            return chr(int(m.group(0)[1:], 8))
        return m.group(0)

    return re.sub(r"\\([0-7]{1,3}|.)", repl, s)


def escape(s: str) -> str:
    return s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")


def po_string_lines(keyword: str, value: str) -> list[str]:
    """The lines gettext writes with --no-wrap: one line, or "" then one line per embedded newline."""
    if "\n" not in value[:-1]:
        return [f'{keyword} "{escape(value)}"']
    parts = re.findall(r"[^\n]*\n|[^\n]+$", value)
    return [f'{keyword} ""'] + [f'"{escape(p)}"' for p in parts]


@dataclass
class Entry:
    lines: list[str]  # the block's lines, verbatim
    obsolete: bool = False
    msgctxt: str | None = None
    msgid: str | None = None
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)  # plain msgstr has index -1
    flags: list[str] = field(default_factory=list)

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def fuzzy(self) -> bool:
        return "fuzzy" in self.flags

    def translated(self) -> bool:
        return bool(self.msgstr) and all(self.msgstr.values()) and not self.fuzzy


def parse_block(block: str) -> Entry:
    lines = block.split("\n")
    entry = Entry(lines=lines)
    if all(not ln.strip() or ln.startswith("#") for ln in lines):
        entry.obsolete = any(ln.startswith("#~") for ln in lines)
        return entry
    current: tuple[str, int] | None = None
    values: dict[tuple[str, int], list[str]] = {}
    for ln in lines:
        if ln.startswith("#,"):
            entry.flags += [f.strip() for f in ln[2:].split(",") if f.strip()]
            continue
        if ln.startswith("#") or not ln.strip():
            continue
        m = _KEYWORD.match(ln)
        if m:
            kw, idx, text = m.group(1), m.group(2), m.group(3)
            key = ("msgstr", int(idx)) if idx is not None else (kw, -1)
            if key in values:
                raise PoError(f"duplicate {kw} in entry:\n{block}")
            values[key] = [text]
            current = key
            continue
        m = _CONTINUATION.match(ln)
        if m and current is not None:
            values[current].append(m.group(1))
            continue
        raise PoError(f"cannot parse line {ln!r} in entry:\n{block}")
    joined = {k: unescape("".join(v)) for k, v in values.items()}
    if ("msgid", -1) not in joined:
        raise PoError(f"entry without msgid:\n{block}")
    entry.msgctxt = joined.get(("msgctxt", -1))
    entry.msgid = joined[("msgid", -1)]
    entry.msgid_plural = joined.get(("msgid_plural", -1))
    entry.msgstr = {k[1]: v for k, v in joined.items() if k[0] == "msgstr"}
    if not entry.msgstr:
        raise PoError(f"entry without msgstr:\n{block}")
    return entry


def set_msgstr(entry: Entry, forms: dict[int, str]) -> None:
    """Rewrite the entry's msgstr lines and flags; every other line is kept as it is."""
    out: list[str] = []
    skipping = False
    for ln in entry.lines:
        if skipping and _CONTINUATION.match(ln):
            continue
        skipping = False
        if ln.startswith("#|"):
            continue  # previous msgid of a fuzzy match: meaningless once filled
        if ln.startswith("#,"):
            flags = [f.strip() for f in ln[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if flags:
                out.append("#, " + ", ".join(flags))
            continue
        m = _KEYWORD.match(ln)
        if m and m.group(1).startswith("msgstr"):
            skipping = True
            if out and out[-1] == "\0msgstr":
                continue
            out.append("\0msgstr")
            continue
        out.append(ln)
    result: list[str] = []
    for ln in out:
        if ln == "\0msgstr":
            for idx in sorted(forms):
                result += po_string_lines("msgstr" if idx == -1 else f"msgstr[{idx}]", forms[idx])
        else:
            result.append(ln)
    entry.lines = result
    entry.msgstr = dict(forms)
    entry.flags = [f for f in entry.flags if f != "fuzzy"]


def placeholders(s: str) -> tuple[Counter, list[str], Counter]:
    named: Counter = Counter()
    positional: list[str] = []
    for m in _PERCENT.finditer(s):
        if m.group("conv") == "%":
            continue
        if m.group("name") is not None:
            named[m.group(0)] += 1
        else:
            positional.append(m.group("conv"))
    return named, positional, Counter(_BRACE.findall(s))


def tags(s: str) -> Counter:
    return Counter(m.group(1) + m.group(2).lower() for m in re.finditer(r"<(/?)([A-Za-z][A-Za-z0-9]*)\b", s))


def problems(source: str, target: str, flags: list[str]) -> list[str]:
    """Placeholder and markup differences. %-placeholders are compared for python-format strings and
    whenever the msgid has some; {}-fields for python-brace-format strings and whenever the msgid has
    some (a "50% and" in a plain string is text, not a "% a" conversion)."""
    found = []
    sn, sp, sb = placeholders(source)
    tn, tp, tb = placeholders(target)
    percent = "python-format" in flags or bool(sn) or bool(sp)
    brace = "python-brace-format" in flags
    if percent and set(sn) != set(tn):
        found.append(f"%-placeholders {sorted(sn)} != {sorted(tn)}")
    if percent and sp != tp:
        found.append(f"positional %-placeholders {sp} != {tp}")
    if (brace or sb) and set(sb) != set(tb):
        found.append(f"{{}}-placeholders {sorted(sb)} != {sorted(tb)}")
    st, tt = tags(source), tags(target)
    if st != tt:
        found.append(f"HTML tags {sorted(st.elements())} != {sorted(tt.elements())}")
    return found


def normalise(s: str) -> str:
    return " ".join(s.split())


def read_table() -> tuple[dict[tuple[str | None, str], str], dict[tuple[str | None, str], str], list[str]]:
    table: dict[tuple[str | None, str], str] = {}
    warnings: list[str] = []
    for n, raw in enumerate(TSV.read_text(encoding="utf-8").splitlines(), 1):
        if not raw.strip() or raw.startswith("#"):
            continue
        cols = raw.split("\t")
        if len(cols) == 2:
            ctx, src, dst = None, cols[0], cols[1]
        elif len(cols) == 3:
            ctx, src, dst = unescape(cols[0]), cols[1], cols[2]
        else:
            warnings.append(f"{TSV.name}:{n}: expected 2 or 3 tab-separated columns, got {len(cols)}; ignored")
            continue
        key, dst = (ctx, unescape(src)), unescape(dst)
        if not dst.strip():
            warnings.append(f"{TSV.name}:{n}: empty translation; ignored")
            continue
        if key in table and table[key] != dst:
            warnings.append(f"{TSV.name}:{n}: {src!r} translated twice, differently; the later line wins")
        table[key] = dst
    loose = {(k[0], normalise(k[1])): v for k, v in table.items()}
    return table, loose, warnings


def lookup(entry: Entry, table, loose) -> tuple[str | None, tuple[str | None, str]]:
    """The translation and the normalised key it was found under."""
    key = (entry.msgctxt, entry.msgid)
    if key in table:
        return table[key], (entry.msgctxt, normalise(entry.msgid))
    key = (entry.msgctxt, normalise(entry.msgid))
    value = loose.get(key)
    if value is None:
        return None, key
    lead = entry.msgid[: len(entry.msgid) - len(entry.msgid.lstrip())]
    trail = entry.msgid[len(entry.msgid.rstrip()) :]
    if "|" in value and entry.msgid_plural is not None:
        return "|".join(lead + v.strip() + trail for v in value.split("|", 1)), key
    return lead + value.strip() + trail, key


def forms_for(entry: Entry, value: str, nplurals: int) -> dict[int, str]:
    if entry.msgid_plural is None:
        return {-1: value}
    singular, sep, plural = value.partition("|")
    if not sep:
        plural = singular
    return {0: singular, **{i: plural for i in range(1, nplurals)}}


def fill_header(entry: Entry) -> None:
    header = entry.msgstr.get(-1, "")
    new = re.sub(r"^Language: *$", "Language: en", header, flags=re.M)
    if new != header or entry.fuzzy:
        set_msgstr(entry, {-1: new})


def check_with_msgfmt(path: Path) -> str | None:
    msgfmt = shutil.which("msgfmt")
    if not msgfmt:
        return None
    proc = subprocess.run([msgfmt, "--check-format", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    return proc.stderr.strip() if proc.returncode else None


def label(entry: Entry) -> str:
    text = escape(entry.msgid or "")
    return f"{escape(entry.msgctxt)}\t{text}" if entry.msgctxt is not None else text


def main() -> int:
    table, loose, warnings = read_table()
    text = PO.read_text(encoding="utf-8")
    blocks = re.split(r"\n[ \t]*\n", text.rstrip("\n"))
    try:
        entries = [parse_block(b) for b in blocks]
    except PoError as exc:
        print(f"fill_po: {PO} not changed: {exc}", file=sys.stderr)
        return 1
    nplurals = 2
    for e in entries:
        if e.is_header:
            m = re.search(r"nplurals\s*=\s*(\d+)", e.msgstr.get(-1, ""))
            nplurals = int(m.group(1)) if m else 2
            fill_header(e)
    filled = refused = 0
    missing: list[Entry] = []
    used: set[tuple[str | None, str]] = set()
    for e in entries:
        if e.msgid is None or e.is_header:
            continue
        value, key = lookup(e, table, loose)
        if value is not None:
            used.add(key)
            forms = forms_for(e, value, nplurals)
            sources = [e.msgid] if e.msgid_plural is None else [e.msgid] + [e.msgid_plural] * (nplurals - 1)
            issues = [p for src, dst in zip(sources, [forms[k] for k in sorted(forms)]) for p in problems(src, dst, e.flags)]
            if issues:
                refused += 1
                warnings.append(f"refused {label(e)!r}: " + "; ".join(dict.fromkeys(issues)))
            else:
                if forms != e.msgstr or e.fuzzy:
                    set_msgstr(e, forms)
                    filled += 1
        if not e.translated():
            missing.append(e)
    out = "\n\n".join("\n".join(e.lines) for e in entries) + "\n"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".po", dir=PO.parent, delete=False) as tmp:
        tmp.write(out)
    tmp_path = Path(tmp.name)
    error = check_with_msgfmt(tmp_path)
    if error:
        tmp_path.unlink()
        print(f"fill_po: msgfmt rejects the result, {PO} not changed:\n{error}", file=sys.stderr)
        return 1
    tmp_path.replace(PO)
    total = sum(1 for e in entries if e.msgid and not e.obsolete)
    stale = [k for k in loose if k not in used]
    for w in warnings:
        print(f"fill_po: {w}", file=sys.stderr)
    if stale:
        print(f"fill_po: {len(stale)} TSV lines match no current msgid (kept for strings that may come back)", file=sys.stderr)
    print(f"fill_po: {total} strings, {filled} updated, {total - len(missing)} translated, {len(missing)} without English", file=sys.stderr)
    if missing:
        print(f"{len(missing)} strings without English:", file=sys.stderr)
        for e in missing:
            print(f"  {label(e)}" + ("  [fuzzy]" if e.fuzzy else ""), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
