"""Template tags other pages may use: the overdue-recommendations block for the home page."""

from django import template
from django.utils import timezone

from congvu.inspections.selectors import overdue_recommendations

register = template.Library()


@register.inclusion_tag("inspections/_overdue.html", takes_context=True)
def overdue_block(context, limit: int = 10):
    """`{% load inspection_tags %}{% overdue_block %}`: the user's overdue recommendations (scoped:
    a unit sees its own), oldest deadline first; renders nothing when there are none.
    Needs only `request` (or `user`) in the context."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    today = timezone.localdate()
    if user is None or not user.is_authenticated:
        return {"overdue": [], "overdue_count": 0, "today": today}
    qs = overdue_recommendations(user, today)
    return {"overdue": list(qs[:limit]), "overdue_count": qs.count(), "today": today}


@register.simple_tag
def record_url(register_name: str, pk: int) -> str:
    """The register page of a task ('tasks') or dossier ('dossiers'); empty when not built yet."""
    from congvu.inspections.views import record_url as resolve

    return resolve(register_name, pk) or ""
