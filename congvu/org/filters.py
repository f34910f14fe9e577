"""The search boxes of the organisation lists (the unit tree, officials, fields) as FilterSets. Each
narrows the queryset its selector scoped to the user, never more; the `?date=` of the unit tree is
the page's day, not a filter (`views._day`)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import SearchFilter
from congvu.org.selectors import field_text_q, official_text_q, unit_text_q


class UnitFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")

    def filter_text(self, qs, name, value):
        return qs.filter(unit_text_q(value))


class OfficialFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")

    def filter_text(self, qs, name, value):
        return qs.filter(official_text_q(value))


class FieldFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm lĩnh vực"), method="filter_text")

    def filter_text(self, qs, name, value):
        return qs.filter(field_text_q(value))
