from django.db.models import QuerySet

from congvu.core.models import AuditEvent


def audit_event_list(*, fetched_by, object_type: str = "") -> QuerySet:
    """The audit events the user may read, of one object type when given; the history page narrows
    them with `core.filters.AuditEventFilter`."""
    qs = AuditEvent.objects.visible_to(fetched_by)
    if object_type:
        qs = qs.filter(object_type=object_type)
    return qs
