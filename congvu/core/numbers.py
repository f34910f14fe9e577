"""Numbers shown in the active language (issue #15 item 10): Vietnamese 4.000 and 81,5%, English
4,000 and 81.5%. Django's `number_format` with the format modules in `congvu/formats/`, grouping
forced here rather than by `USE_THOUSAND_SEPARATOR`, which would also group every bare integer a
template prints — years (2.025) and ids in URLs included."""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def number(value, digits: int | None = None, *, trim: bool = False) -> str:
    """`value` with `digits` decimals (None: as it is; an int has none), thousands grouped;
    `trim` drops trailing zeros of the decimals ("2,50" → "2,5", "3,00" → "3"). None is "—"."""
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        value = Decimal(repr(value)) if digits is None else value
    text = number_format(value, decimal_pos=digits, use_l10n=True, force_grouping=True)
    if trim and digits:
        from django.utils.formats import get_format

        separator = get_format("DECIMAL_SEPARATOR")
        if separator in text:
            text = text.rstrip("0").removesuffix(separator)
    return text


def percent(rate, digits: int = 1) -> str:
    """A rate (0..1) as a percentage in the active language: 0.815 → "81,5%" / "81.5%"."""
    if rate is None or rate == "":
        return "—"
    return number(float(rate) * 100, digits) + "%"
