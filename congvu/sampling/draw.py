"""The verifiable draw (rút mẫu có thể kiểm chứng): seed, commitment, frozen population, ranking.

Procedure "congvu-hmac-sha256-v1", which anyone can redo without this software:

1. Before the draw the system generates a seed: 64 lower-case hexadecimal characters
   (`secrets.token_hex(32)`). Its commitment is SHA-256 over those 64 characters as ASCII text,
   written as 64 lower-case hex characters; the commitment goes into the notice or the minutes while
   the seed stays secret.
2. At the draw the population is frozen as a text: one line per record, `FIELD<TAB>CODE<LF>`, where
   FIELD is the field (lĩnh vực) code ("-" for a record without a field) and CODE the record's code
   (its external code; when two sources share a code, `CODE@SOURCE`). Lines are sorted by field code
   then record code in Unicode code-point order, which is byte order of the UTF-8 text and the order
   of `LC_ALL=C sort`. The text is UTF-8 (NFC) and every line ends with a line feed. Its SHA-256 is
   published with the sample.
3. Each record's rank value is HMAC-SHA256 with the seed's 64 hex characters as the key (ASCII) and
   the record code as the message (UTF-8), written as 64 lower-case hex characters — exactly what
   `printf '%s' "$CODE" | openssl dgst -sha256 -hmac "$SEED"` prints.
4. Within each field the records are sorted by rank value (ascending; equal values — practically
   impossible — by code) and the first n of that field form its sample. A larger n later (extension)
   takes the next records of the same ranking, so the earlier ones stay.

No random generator of any library is involved: the seed decides everything, and the commitment
proves the seed was fixed before the population was known to the draw.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

PROCEDURE = "congvu-hmac-sha256-v1"
NO_FIELD = "-"
_BAD = re.compile(r"[\t\n\r]")


class PopulationError(ValueError):
    """The population cannot be written canonically; the message names the record."""


def new_seed() -> str:
    return secrets.token_hex(32)


def seed_commitment(seed: str) -> str:
    """SHA-256 of the seed's hex text: `printf '%s' "$SEED" | sha256sum`."""
    return hashlib.sha256(seed.encode("ascii")).hexdigest()


def is_valid_seed(seed: str) -> bool:
    return len(seed) == 64 and all(ch in "0123456789abcdef" for ch in seed)


def rank_value(seed: str, code: str) -> str:
    """HMAC-SHA256(key = seed as ASCII, message = code as UTF-8), lower-case hex."""
    return hmac.new(seed.encode("ascii"), code.encode("utf-8"), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class PopulationRecord:
    field_code: str
    code: str
    record_id: int | None = None


def record_code(external_code: str, source: str, duplicated: bool) -> str:
    """The code a record is known by in the population (NFC)."""
    code = unicodedata.normalize("NFC", external_code.strip())
    return f"{code}@{unicodedata.normalize('NFC', source.strip())}" if duplicated else code


def canonical_records(records: Iterable[PopulationRecord]) -> list[PopulationRecord]:
    """Sorted, validated records: codes unique in the population, no tab or line break anywhere."""
    result = sorted(records, key=lambda r: (r.field_code, r.code))
    seen: set[str] = set()
    for record in result:
        if (
            not record.field_code
            or not record.code
            or _BAD.search(record.field_code)
            or _BAD.search(record.code)
        ):
            bad_field = not record.field_code or _BAD.search(record.field_code)
            raise PopulationError(
                _(
                    "%(what)s “%(value)s” trống hoặc chứa ký tự tab/xuống dòng: "
                    "không thể lập danh sách tổng thể."
                )
                % {
                    "what": _("Mã lĩnh vực") if bad_field else _("Mã hồ sơ"),
                    "value": record.field_code if bad_field else record.code,
                }
            )
        if record.code in seen:
            raise PopulationError(
                _("Mã “%(code)s” xuất hiện hai lần trong tổng thể.") % {"code": record.code}
            )
        seen.add(record.code)
    return result


def population_text(records: list[PopulationRecord]) -> str:
    """The canonical text of sorted records (see the module docstring)."""
    return "".join(f"{r.field_code}\t{r.code}\n" for r in records)


def population_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def parse_population_text(text: str) -> list[tuple[str, str]]:
    """(field, code) per line; raises PopulationError when the text is not canonical."""
    if text and not text.endswith("\n"):
        raise PopulationError(_("Danh sách tổng thể phải kết thúc bằng ký tự xuống dòng."))
    rows: list[tuple[str, str]] = []
    for number, line in enumerate(text.split("\n")[:-1], start=1):
        parts = line.split("\t")
        if len(parts) != 2 or not parts[0] or not parts[1]:
            raise PopulationError(_("Dòng %(n)s của danh sách tổng thể sai định dạng.") % {"n": number})
        row = (parts[0], parts[1])
        if rows and row <= rows[-1]:
            raise PopulationError(
                _("Dòng %(n)s của danh sách tổng thể không đúng thứ tự hoặc trùng dòng trước.")
                % {"n": number}
            )
        rows.append(row)
    return rows


def group_by_field(rows: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = {}
    for field_code, code in rows:
        groups.setdefault(field_code, []).append(code)
    return groups


@dataclass(frozen=True)
class Ranked:
    rank: int  # 1-based position in the field's ranking
    code: str
    value: str  # the HMAC rank value


def ranking(seed: str, codes: Iterable[str]) -> list[Ranked]:
    """All codes of one field in draw order."""
    ordered = sorted((rank_value(seed, code), code) for code in codes)
    return [Ranked(rank=i, code=code, value=value) for i, (value, code) in enumerate(ordered, start=1)]


def select(seed: str, population: dict[str, list[str]], sizes: dict[str, int]) -> dict[str, list[Ranked]]:
    """The first n records of each field's ranking."""
    return {field: ranking(seed, codes)[: sizes.get(field, 0)] for field, codes in population.items()}
