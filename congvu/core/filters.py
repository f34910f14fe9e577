"""The pieces every list page's FilterSet (django-filter) is built from, and the one way a view
applies one.

A FilterSet only narrows the queryset it is given, and the view always gives it the selector's
queryset, already scoped to what the user may see (`visible_to`): a filter cannot widen a list.
Each value of the query string is validated by a form field before it reaches the database: a value
that is not valid (year=-1, unit=99999999999999999999999999, inspection=²) is left out of the
filtering and named as a form error, as if that one filter were absent — never a 500.

`str.isdigit()` is not such a check: it accepts "²" and "٣", and any length; these fields use
`forms.IntegerField` with bounds."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from congvu.core.params import FIRST_YEAR, LAST_YEAR, MAX_ID
from congvu.core.text import fold


class WholeNumberFilter(django_filters.Filter):
    """A whole number within `min_value`..`max_value` (`forms.IntegerField`), else a form error."""

    field_class = forms.IntegerField


class IdFilter(WholeNumberFilter):
    """A primary key (`?run=12`): a positive 64-bit whole number, else a form error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class YearFilter(WholeNumberFilter):
    """A year (`?year=2025`) between 1900 and 2200, else a form error."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", FIRST_YEAR)
        kwargs.setdefault("max_value", LAST_YEAR)
        super().__init__(*args, **kwargs)


class SearchFilter(django_filters.CharFilter):
    """The free-text box (`?q=`): trimmed, at most 200 characters; an empty box filters nothing.
    The page's FilterSet says what it matches with `method=`."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 200)
        super().__init__(*args, **kwargs)


class _FlagField(forms.CharField):
    def to_python(self, value):
        return True if super().to_python(value) == "1" else None


class FlagFilter(django_filters.Filter):
    """A check box sent as `?name=1`: on when the value is "1"; any other value is off, as the page
    always read it. The FilterSet says what "on" keeps with `method=`."""

    field_class = _FlagField


class _ListedChoiceIterator(django_filters.fields.ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.rows()) + (self.field.empty_label is not None)


class _ListedModelChoiceField(django_filters.fields.ModelChoiceField):
    """Reads its choices once per form and checks a value against them: a `{% for %}` over
    `field.choices` asks their length first, which Django's iterator answers with a COUNT, and its
    validation is another SELECT."""

    iterator = _ListedChoiceIterator
    _listed = None

    def _set_queryset(self, queryset):
        self._listed = None
        super()._set_queryset(queryset)

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def rows(self) -> list:
        if self._listed is None:
            self._listed = list(self.queryset)
        return self._listed

    def to_python(self, value):
        if value in self.empty_values:
            return None
        self.validate_no_null_characters(value)
        for obj in self.rows():
            if str(obj.pk) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")


class ListedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A choice among a short list of objects (the units a user may see) that the page shows anyway:
    one query for the list, the validation and the `<select>` together."""

    field_class = _ListedModelChoiceField


class AuditEventFilter(django_filters.FilterSet):
    """The audit history: who or what (`?q=`), the action's prefix (`?action=inspection.`), the
    object type (`?type=`)."""

    q = SearchFilter(label=_("Tìm"), method="filter_text")
    action = django_filters.CharFilter(label=_("Hành động"), lookup_expr="startswith", max_length=100)
    type = django_filters.CharFilter(label=_("Loại đối tượng"), field_name="object_type", max_length=100)

    def filter_text(self, qs, name, value):
        return qs.filter(
            Q(actor_label__icontains=value)
            | Q(object_repr__icontains=value)
            | Q(object_id=value)
            | Q(object_repr__icontains=fold(value))
        )


def filter_list(filterset_class, request, queryset, **kwargs) -> django_filters.FilterSet:
    """The page's FilterSet bound to its query string (unbound when there is none, so an empty form
    shows no errors). `filterset.qs` is the narrowed queryset; `filterset.form` the filter form."""
    return filterset_class(request.GET or None, queryset=queryset, request=request, **kwargs)
