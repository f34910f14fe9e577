"""The filters of the evaluation lists (year results, period sheets, discipline, conclusions) as
FilterSets. The year and the unit are the page's subject, not filters (`views._year`, `views._unit`:
a unit the user may not see is a 404); these narrow the list the selector scoped to the user."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import SearchFilter, WholeNumberFilter
from congvu.core.text import fold
from congvu.evaluation.models import Band, SheetStatus


def official_q(value: str) -> Q:
    """A row whose official's name contains `value` (with or without diacritics) or whose code it is."""
    return Q(official__name_folded__contains=fold(value)) | Q(official__code__iexact=value)


class YearResultFilter(django_filters.FilterSet):
    band = django_filters.ChoiceFilter(
        label=_("Mức"),
        choices=[*Band.choices, ("over_quota", _("Vượt tỷ lệ xuất sắc"))],
        empty_label=_("Mọi mức"),
        method="filter_band",
    )
    q = SearchFilter(label=_("Tìm"), method="filter_official")

    def filter_band(self, qs, name, value):
        """The band decided, else the band computed; or those over the excellent quota."""
        if value == "over_quota":
            return qs.filter(over_quota=True)
        return qs.filter(Q(decided_band=value) | Q(decided_band="", computed_band=value))

    def filter_official(self, qs, name, value):
        return qs.filter(official_q(value))


class SheetFilter(django_filters.FilterSet):
    period = WholeNumberFilter(label=_("Kỳ"), field_name="period_number", min_value=1, max_value=12)
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=SheetStatus.choices, empty_label=_("Mọi trạng thái")
    )
    q = SearchFilter(label=_("Tìm"), method="filter_official")

    def filter_official(self, qs, name, value):
        return qs.filter(official_q(value))


class DisciplineFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")

    def filter_text(self, qs, name, value):
        return qs.filter(official_q(value) | Q(decision_number__icontains=value))


class ConclusionFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")

    def filter_text(self, qs, name, value):
        return qs.filter(official_q(value) | Q(document_number__icontains=value))
