from django.db.models import QuerySet

from congvu.core.models import AuditEvent
from congvu.core.text import fold


def audit_event_list(*, fetched_by, query: str = "", action: str = "", object_type: str = "") -> QuerySet:
    qs = AuditEvent.objects.visible_to(fetched_by)
    if action:
        qs = qs.filter(action__startswith=action)
    if object_type:
        qs = qs.filter(object_type=object_type)
    if query:
        folded = fold(query)
        qs = (
            qs.filter(actor_label__icontains=query)
            | qs.filter(object_repr__icontains=query)
            | qs.filter(object_id=query)
            | qs.filter(object_repr__icontains=folded)
        )
    return qs
