from django import template
from django.utils.translation import gettext as _

from congvu.evaluation.scoring import BAND_LABELS
from congvu.planning.rules import FAILED, HELD, OUT_NOW

register = template.Library()


@register.filter
def band_label(code):
    return BAND_LABELS.get(code, code or "—")


@register.filter
def flag_class(flag):
    if flag.status == HELD:
        return "text-success"
    if flag.status == FAILED:
        return "text-danger fw-semibold" if flag.takes_out == OUT_NOW else "text-danger"
    return "text-warning-emphasis"


@register.filter
def flag_mark(flag):
    return {"dat": "✓", "khong_dat": "✗"}.get(flag.status, "?")


@register.filter
def takes_out_label(flag):
    if flag.status != FAILED:
        return ""
    return _("đưa ra ngay") if flag.takes_out == OUT_NOW else _("đưa ra khi rà soát")


@register.filter
def points(value):
    """An exact total shown with two decimals (Vietnamese comma); — when absent."""
    if value is None:
        return "—"
    from congvu.evaluation.scoring import fmt

    return fmt(value)
