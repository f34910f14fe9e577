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


def visible_unit_ids(user: User) -> frozenset[int] | None:
    """The unit ids a user may see; None means every unit. Cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_visible_unit_ids", False)
    if cached is not False:
        return cached
    if user.is_province_wide:
        result: frozenset[int] | None = None
    elif user.is_unit_role and user.unit_id:
        from congvu.org.selectors import unit_with_predecessor_ids

        result = frozenset(unit_with_predecessor_ids(user.unit_id))
    else:
        result = frozenset()
    user._visible_unit_ids = result
    return result


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
        return self.filter(**{f"{field}__in": ids})


def get_visible_or_404(queryset_or_model: Any, user: User, **lookup: Any) -> Any:
    """Fetch one object through the scope; missing and invisible are the same 404."""
    qs = queryset_or_model
    if isinstance(qs, type) and issubclass(qs, models.Model):
        qs = qs.objects.all()
    try:
        return qs.visible_to(user).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
