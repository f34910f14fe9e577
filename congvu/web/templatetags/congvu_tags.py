from django import template
from django.utils.html import format_html

from congvu.core import numbers

register = template.Library()


@register.simple_tag(takes_context=True)
def query_replace(context, **kwargs):
    """The current query string with some parameters replaced (pagination, sorting, export)."""
    query = context["request"].GET.copy()
    for key, value in kwargs.items():
        if value is None or value == "":
            query.pop(key, None)
        else:
            query[key] = value
    return query.urlencode()


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column header that sorts by `key`, toggling the direction, with an arrow on the active one."""
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    desc = current.startswith("-")
    target = key if (active and desc) or not active else f"-{key}"
    query = context["request"].GET.copy()
    query["sort"] = target
    query.pop("page", None)
    arrow = (" ▼" if desc else " ▲") if active else ""
    return format_html(
        '<a href="?{}" class="text-reset text-decoration-none">{}{}</a>', query.urlencode(), label, arrow
    )


@register.filter
def percent(value, digits=1):
    """A rate (0..1) as a percentage in the active language: 81,5% / 81.5%."""
    return numbers.percent(value, int(digits))


@register.filter
def num(value, digits=None):
    """A number in the active language, thousands grouped (4.000 / 4,000); a float with at most
    `digits` decimals (2 when not given), trailing zeros dropped; None is "—"."""
    if isinstance(value, float):
        return numbers.number(value, 2 if digits is None else int(digits), trim=True)
    if isinstance(value, str):
        return value
    return numbers.number(value, None if digits is None else int(digits))
