"""The filters of the register lists (tasks, dossiers, import runs) as FilterSets. Each narrows the
queryset its selector scoped to the user; the units offered are those the user may see, so a unit
outside them is an invalid choice (a form error), not a filter."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.filters import IdFilter, SearchFilter
from congvu.core.text import fold
from congvu.org.models import Field
from congvu.org.selectors import unit_with_predecessor_ids
from congvu.registers.columns import REGISTERS
from congvu.registers.models import AssigningAuthority, ImportRun, ProductType
from congvu.registers.selectors import officials_matching, register_units, text_q


def _visible_units(request):
    return register_units(fetched_by=request.user)


class RecordFilter(django_filters.FilterSet):
    """What the task and dossier lists share: text, unit (with the units it absorbed), field,
    official, and the import run that added or last changed the row (`?run=`)."""

    official_field = ""  # the official a row names: the task's responsible, the dossier's handler

    q = SearchFilter(label=_("Tìm"), method="filter_text")
    unit = django_filters.ModelChoiceFilter(
        label=_("Đơn vị"), queryset=_visible_units, empty_label=_("Mọi đơn vị"), method="filter_unit"
    )
    field = django_filters.ModelChoiceFilter(
        label=_("Lĩnh vực"), queryset=Field.objects.order_by("name"), empty_label=_("Mọi lĩnh vực")
    )
    official = SearchFilter(label=_("Cán bộ"), method="filter_official")
    run = IdFilter(field_name="import_run_id")

    def filter_text(self, qs, name, value):
        return qs.filter(text_q(qs.model, value))

    def filter_unit(self, qs, name, unit):
        return qs.filter(unit_id__in=unit_with_predecessor_ids(unit.pk))

    def filter_official(self, qs, name, value):
        return qs.filter(**{f"{self.official_field}__in": officials_matching(value)})


class DossierFilter(RecordFilter):
    official_field = "handler"


class TaskFilter(RecordFilter):
    official_field = "responsible"

    authority = django_filters.ChoiceFilter(
        label=_("Cơ quan giao"), choices=AssigningAuthority.choices, empty_label=_("Mọi cơ quan giao")
    )
    product_type = django_filters.ChoiceFilter(
        label=_("Loại sản phẩm"), choices=ProductType.choices, empty_label=_("Mọi loại sản phẩm")
    )


class ImportRunFilter(django_filters.FilterSet):
    """The import history: file name or SHA-256 prefix, register, status."""

    q = SearchFilter(label=_("Tìm"), method="filter_text")
    register = django_filters.ChoiceFilter(
        label=_("Sổ"),
        choices=[(r.name, r.label) for r in REGISTERS.values()],
        empty_label=_("Mọi sổ"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Trạng thái"), choices=ImportRun.Status.choices, empty_label=_("Mọi trạng thái")
    )

    def filter_text(self, qs, name, value):
        return qs.filter(Q(file_name__icontains=value) | Q(sha256__startswith=value.lower()))


class ProcedureFilter(django_filters.FilterSet):
    """The procedure catalogue (not unit-owned): name with or without diacritics, or code."""

    q = SearchFilter(label=_("Tìm"), method="filter_text")

    def filter_text(self, qs, name, value):
        return qs.filter(Q(name_folded__contains=fold(value)) | Q(code__icontains=value))
