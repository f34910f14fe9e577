"""The filters of the document list as a FilterSet: it narrows the documents the selector let the
user see (a unit: the issued ones addressed to it), never more."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import SearchFilter, YearFilter
from congvu.core.text import fold
from congvu.documents.kinds import KINDS
from congvu.documents.models import DocumentStatus


class DocumentFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")
    kind = django_filters.ChoiceFilter(
        label=_("Loại văn bản"),
        choices=[(k.code, k.label) for k in KINDS.values()],
        empty_label=_("Mọi loại văn bản"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=DocumentStatus.choices, empty_label=_("Mọi trạng thái")
    )
    year = YearFilter(label=_("Năm"), method="filter_year")

    def filter_text(self, qs, name, value):
        return qs.filter(
            Q(title__icontains=value)
            | Q(code__icontains=value)
            | Q(addressed_unit__name__icontains=value)
            | Q(addressed_unit__name_folded__contains=fold(value))
        )

    def filter_year(self, qs, name, year):
        """The year of its number, or of its creation while it has none (a draft)."""
        return qs.filter(Q(number_year=year) | Q(number_year__isnull=True, created_at__year=year))
