"""The filters of the sample list and of a sample's drawn records, as FilterSets. Each narrows the
queryset its selector scoped to the user, never more."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import IdFilter, SearchFilter
from congvu.sampling.models import Register, SampleStatus
from congvu.sampling.selectors import sample_text_q


class SampleFilter(django_filters.FilterSet):
    q = SearchFilter(label=_("Tìm"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=SampleStatus.choices, empty_label=_("Mọi trạng thái")
    )
    register = django_filters.ChoiceFilter(label=_("Sổ"), choices=Register.choices, empty_label=_("Mọi sổ"))
    # The samples of one inspection (the inspection page links here); an inspection the user may not
    # see narrows to nothing, as the samples were scoped first.
    inspection = IdFilter(field_name="inspection_id")

    def filter_text(self, qs, name, value):
        return qs.filter(sample_text_q(value))


class SampleItemFilter(django_filters.FilterSet):
    """A drawn sample's records: by code, field (stratum) and, for those who see reviews, state."""

    STATES = {
        "pending": {"review__isnull": True},
        "reviewed": {"review__isnull": False},
        "deviation": {"review__deviation": True},
    }

    q = SearchFilter(label=_("Tìm"), field_name="record_code", lookup_expr="icontains")
    field = django_filters.CharFilter(label=_("Lĩnh vực"), field_name="stratum__field_code", max_length=40)
    state = django_filters.ChoiceFilter(
        label=_("Tình trạng"),
        choices=[
            ("pending", _("Chưa kiểm tra")),
            ("reviewed", _("Đã kiểm tra")),
            ("deviation", _("Có sai lệch")),
        ],
        empty_label=_("Mọi tình trạng"),
        method="filter_state",
    )

    def __init__(self, *args, show_reviews: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if not show_reviews:  # a unit before the minutes are signed: no state to filter by
            del self.filters["state"]

    def filter_state(self, qs, name, value):
        return qs.filter(**self.STATES[value])
