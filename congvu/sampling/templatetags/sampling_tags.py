from django import template

from congvu.sampling import stats

register = template.Library()


@register.filter
def upper_limit(value):
    """An upper deviation limit as the AICPA tables print it: rounded up to 0,1 %."""
    if value is None or value == "":
        return "—"
    return stats.format_limit(float(value))
