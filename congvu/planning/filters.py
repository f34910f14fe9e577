"""The filters of the planning list as a FilterSet: it narrows the entries the selector let the user
see (a unit: its own), never more."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import SearchFilter
from congvu.core.text import fold
from congvu.planning.models import PlanningStatus


class PlanningEntryFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_official")
    term = django_filters.CharFilter(label=_("Nhiệm kỳ"), max_length=9)  # as the model field
    status = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=[(PlanningStatus.IN, _("Trong quy hoạch")), (PlanningStatus.OUT, _("Đã đưa ra"))],
        empty_label=_("Mọi tình trạng"),
    )

    def filter_official(self, qs, name, value):
        return qs.filter(Q(official__name_folded__contains=fold(value)) | Q(official__code__iexact=value))
