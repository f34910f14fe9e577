"""Template tags other pages may use: the overdue-recommendations block for the home page."""

from django import template
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from congvu.inspections.selectors import (
    overdue_document_requests,
    overdue_explanations,
    overdue_recommendations,
)

register = template.Library()


def overdue_context(user, today, limit: int = 10) -> dict:
    """Everything overdue the user may see, oldest deadline first: recommendations, document
    requests (self-reports included) and explanations; for `_overdue.html`."""
    if user is None or not user.is_authenticated:
        return {
            "overdue": [],
            "overdue_count": 0,
            "overdue_items": [],
            "overdue_items_count": 0,
            "today": today,
        }
    qs = overdue_recommendations(user, today)
    requests = overdue_document_requests(user, today)
    explanations = overdue_explanations(user, today)
    items = [
        {
            "kind": _("Báo cáo tự kiểm tra") if r.is_self_report else _("Yêu cầu tài liệu"),
            "due": r.due_on,
            "days": (today - r.due_on).days,
            "text": r.title,
            "unit": r.inspection.unit.name,
            "url": f"{reverse('inspections:detail', args=[r.inspection_id])}?tab=documents#request-{r.pk}",
        }
        for r in requests[:limit]
    ] + [
        {
            "kind": _("Giải trình"),
            "due": e.due_on,
            "days": (today - e.due_on).days,
            "text": e.finding.description,
            "unit": e.finding.inspection.unit.name,
            "url": f"{reverse('inspections:detail', args=[e.finding.inspection_id])}"
            f"?tab=findings#explanation-{e.pk}",
        }
        for e in explanations[:limit]
    ]
    items.sort(key=lambda i: i["due"])
    return {
        "overdue": list(qs[:limit]),
        "overdue_count": qs.count(),
        "overdue_items": items[:limit],
        "overdue_items_count": requests.count() + explanations.count(),
        "today": today,
    }


@register.inclusion_tag("inspections/_overdue.html", takes_context=True)
def overdue_block(context, limit: int = 10):
    """`{% load inspection_tags %}{% overdue_block %}`: what the user may see that is overdue
    (scoped: a unit sees its own) — recommendations, document requests and self-reports,
    explanations — oldest deadline first; renders nothing when there is none.
    Needs only `request` (or `user`) in the context."""
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    return overdue_context(user, timezone.localdate(), limit)


@register.simple_tag
def record_url(register_name: str, pk: int) -> str:
    """The register page of a task ('tasks') or dossier ('dossiers'); empty when not built yet."""
    from congvu.inspections.views import record_url as resolve

    return resolve(register_name, pk) or ""
