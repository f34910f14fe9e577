"""Showing exact figures ("p/q" text): two decimals, in the active language (94,33 / 94.33)."""

from decimal import Decimal
from fractions import Fraction

from django import template

from congvu.core import numbers

register = template.Library()


@register.filter
def exact(value, places: int = 2) -> str:
    """ "283/3" → "94,33"; whole numbers without decimals; anything else unchanged."""
    if value in (None, ""):
        return "—"
    try:
        number = Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        return str(value)
    if number.denominator == 1:
        return numbers.number(number.numerator)
    scaled = round(number * 10 ** int(places))  # exact rounding (half to even), no binary float
    text = (
        f"{scaled / 10 ** int(places):.{int(places)}f}"
        if scaled % 10 ** int(places)
        else str(scaled // 10 ** int(places))
    )
    # the exact digits, shown with the active language's separators (94,33 / 94.33)
    return numbers.number(Decimal(text.rstrip("0").rstrip(".") if "." in text else text))
