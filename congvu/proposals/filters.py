"""The filters of the report list as a FilterSet: it narrows the reports the selector let the user
open (a unit: those about it, once decided), never more."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import SearchFilter, YearFilter
from congvu.core.text import fold
from congvu.proposals.models import ReportKind, ReportStatus


class ReportFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")
    year = YearFilter(label=_("Năm"))
    kind = django_filters.ChoiceFilter(
        label=_("Loại báo cáo"), choices=ReportKind.choices, empty_label=_("Mọi loại")
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=ReportStatus.choices, empty_label=_("Mọi trạng thái")
    )

    def filter_text(self, qs, name, value):
        return qs.filter(
            Q(title__icontains=value)
            | Q(number__icontains=value)
            | Q(inspection__title__icontains=value)
            | Q(inspection__unit__name__icontains=value)
            | Q(inspection__unit__name_folded__contains=fold(value))
        )
