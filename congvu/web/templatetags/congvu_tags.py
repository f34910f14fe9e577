from django import template
from django.template.defaulttags import querystring
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from congvu.core import numbers

register = template.Library()


@register.simple_tag
def options(bound_field, selected):
    """The <option>s of a filter's choices with the query's value (`selected`) marked: one Python loop
    instead of a template loop with a comparison per option — a list's unit or field select holds
    hundreds, and this was a third of a register list's first rendering."""
    selected = "" if selected is None else str(selected)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if str(value) == selected else "", label)
            for value, label in bound_field.field.choices
        ),
    )


@register.simple_tag(takes_context=True)
def sort_header(context, key, label):
    """A column header that sorts by `key`, toggling the direction, with an arrow on the active one.
    The link is Django's `{% querystring sort=… page=None %}`: the other parameters are kept, the
    page is dropped."""
    current = context.get("sort", "")
    active = current.lstrip("-") == key
    desc = current.startswith("-")
    target = key if (active and desc) or not active else f"-{key}"
    arrow = (" ▼" if desc else " ▲") if active else ""
    return format_html(
        '<a href="{}" class="text-reset text-decoration-none">{}{}</a>',
        querystring(context, sort=target, page=None),
        label,
        arrow,
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
