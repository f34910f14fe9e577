"""Whole-number parameters of a page's query string (?year=, ?unit=, ?inspection=), parsed by one
validated form, so that a hand-edited URL never reaches the database: a value that is not a whole
number within range (year=-1, unit=99999999999999999999999999, inspection=²) is ignored, and the page
lists as if it were absent.

`str.isdigit()` is not such a check: it accepts "²" and "٣", and any length.

The list pages' filters are FilterSets built from `core.filters` (which shares these bounds); what
is left here are the parameters that are not filters: the calendar's year picker, a document's
target, the ids a finding's record picker leaves out."""

from __future__ import annotations

from django import forms

MAX_ID = 2**63 - 1  # the largest primary key SQLite and PostgreSQL (bigint) hold
FIRST_YEAR, LAST_YEAR = 1900, 2200


class _Params(forms.Form):
    id = forms.IntegerField(min_value=1, max_value=MAX_ID, required=False)
    year = forms.IntegerField(min_value=FIRST_YEAR, max_value=LAST_YEAR, required=False)


def _clean(kind: str, raw) -> int | None:
    if raw is None or raw == "":
        return None
    form = _Params({kind: raw})
    return form.cleaned_data.get(kind) if form.is_valid() else None


def parse_ids(values) -> list[int]:
    """The values that are positive 64-bit whole numbers (`?tasks=3&tasks=²` gives [3])."""
    return [pk for pk in (_clean("id", value) for value in values) if pk is not None]


def query_id(request, name: str) -> int | None:
    """A primary key from `?name=`; None when absent or not a positive 64-bit whole number."""
    return _clean("id", request.GET.get(name))


def query_year(request, name: str = "year") -> int | None:
    """A year from `?name=`; None when absent or outside 1900–2200."""
    return _clean("year", request.GET.get(name))
