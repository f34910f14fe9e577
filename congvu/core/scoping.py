"""The one place that decides what a user may see (STYLE §7).

Every unit-owned model uses `ScopedQuerySet` and names the path to its owning unit in
`scope_unit_field`. `Model.objects.visible_to(user)` returns everything for province-wide roles and
only the user's unit (with the units it absorbed) for unit roles; anything else — anonymous users,
inactive users, unit roles without a unit, unknown roles — sees nothing (fails closed).
Another unit's object is a 404 through `get_visible_or_404`, never a 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models
from django.http import Http404

if TYPE_CHECKING:
    from congvu.accounts.models import User


def visible_unit_ids(user: User | None) -> frozenset[int] | None:
    """The unit ids a user may see; None means every unit. The rule itself is the user's
    (`User.visible_unit_ids`); this module is only the mechanism and imports no app."""
    if user is None or not user.is_authenticated:
        return frozenset()
    return user.visible_unit_ids()


class ScopedQuerySet(models.QuerySet):
    def visible_to(self, user: User) -> ScopedQuerySet:
        field = getattr(self.model, "scope_unit_field", None)
        if not field:
            raise TypeError(f"{self.model.__name__} declares no scope_unit_field")
        ids = visible_unit_ids(user)
        if ids is None:
            return self.all()
        if not ids:
            return self.none()
        if getattr(self.model, "scope_unit_many", False):
            # The path crosses a to-many relation (an official's appointments): an EXISTS-style
            # subquery keeps each row once.
            owned = self.model._base_manager.filter(**{f"{field}__in": ids}).values("pk")
            return self.filter(pk__in=owned)
        return self.filter(**{f"{field}__in": ids})


def get_visible_or_404(queryset_or_model: Any, user: User, **lookup: Any) -> Any:
    """Fetch one object through the scope; missing and invisible are the same 404."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs.objects.all()
    # Outside the try: a model that declares no scope is a programming error, never a silent 404.
    visible = qs.visible_to(user)
    try:
        return visible.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        # ValueError/TypeError: a lookup value of the wrong type ("abc" for a number) finds nothing.
        raise Http404 from None
