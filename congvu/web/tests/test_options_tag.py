"""`{% options %}`: a filter's <option>s from Python, the query's value selected, labels escaped; and the
register list's unit and field selects keep the chosen value."""

import pytest
from django import forms
from django.template import Context, Template
from django.urls import reverse

pytestmark = pytest.mark.django_db


class _Filter(forms.Form):
    unit = forms.ChoiceField(choices=[("", "Mọi đơn vị"), (1, "Sở <Xây dựng>"), (12, "Sở Tư pháp")])


def _render(selected) -> str:
    template = Template("{% load congvu_tags %}{% options form.unit selected %}")
    return template.render(Context({"form": _Filter(), "selected": selected}))


def test_the_querys_value_is_selected_and_labels_are_escaped():
    assert _render("12") == (
        '<option value="">Mọi đơn vị</option>'
        '<option value="1">Sở &lt;Xây dựng&gt;</option>'
        '<option value="12" selected>Sở Tư pháp</option>'
    )


def test_no_value_selects_the_empty_choice_and_a_prefix_selects_nothing():
    assert _render(None).startswith('<option value="" selected>')
    assert " selected" not in _render("1 ") and _render("1").count(" selected") == 1


def test_the_register_list_keeps_the_chosen_unit_and_field(client, personas):
    from congvu.org.models import Field

    field = Field.objects.order_by("pk").first()
    client.force_login(personas.inspector)
    body = client.get(
        reverse("registers:dossiers"), {"unit": personas.unit.pk, "field": field.pk}
    ).content.decode()
    assert f'<option value="{personas.unit.pk}" selected>{personas.unit.name}</option>' in body
    assert f'<option value="{field.pk}" selected>' in body
    filters = body[body.index('data-testid="register-filters"') :]
    assert filters[: filters.index("</form>")].count(" selected>") == 2
