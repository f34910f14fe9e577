"""The filters of the inspection and annual-plan lists as FilterSets. Each narrows the queryset its
selector scoped to the user; the units offered are the current units the user may see, so any other
unit is an invalid choice (a form error), not a filter."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import FlagFilter, ListedModelChoiceFilter, SearchFilter, YearFilter
from congvu.inspections.forms import current_units
from congvu.inspections.models import InspectionKind, PlanStatus
from congvu.inspections.selectors import inspection_text_q, on_team_q
from congvu.inspections.workflow import STATUSES


def _units(request):
    return current_units().visible_to(request.user)


class InspectionFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=list(STATUSES.items()), empty_label=_("Mọi trạng thái")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Hình thức"), choices=InspectionKind.choices, empty_label=_("Mọi hình thức")
    )
    unit = ListedModelChoiceFilter(label=_("Đơn vị"), queryset=_units, empty_label=_("Mọi đơn vị"))
    year = YearFilter(label=_("Năm"), field_name="period_to__year")
    mine = FlagFilter(label=_("Đoàn có tôi"), method="filter_mine")

    def filter_text(self, qs, name, value):
        return qs.filter(inspection_text_q(value))

    def filter_mine(self, qs, name, value):
        return qs.filter(on_team_q(self.request.user))


class PlanFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")
    year = YearFilter(label=_("Năm"))
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=PlanStatus.choices, empty_label=_("Mọi trạng thái")
    )

    def filter_text(self, qs, name, value):
        return qs.filter(Q(title__icontains=value) | Q(number__icontains=value))
