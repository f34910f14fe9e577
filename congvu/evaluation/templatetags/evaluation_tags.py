"""Showing exact figures ("p/q" text) the Vietnamese way: two decimals with a decimal comma."""

from fractions import Fraction

from django import template

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
        return str(number.numerator)
    scaled = round(number * 10 ** int(places))  # exact rounding (half to even), no binary float
    text = (
        f"{scaled / 10 ** int(places):.{int(places)}f}"
        if scaled % 10 ** int(places)
        else str(scaled // 10 ** int(places))
    )
    return text.rstrip("0").rstrip(".").replace(".", ",") if "." in text else text
