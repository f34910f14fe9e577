"""The sampling review form's deviation follows its answers: a failing answer is a deviation of the
type it shows; a type no answer shows is refused, except the ones no answer asks about."""

import pytest
from django.urls import reverse

from congvu.sampling.forms import ReviewForm, deviations_from_answers
from congvu.sampling.models import Review

IN_ORDER = {
    "on_time": "yes",
    "complete": "yes",
    "legal_basis_correct": "yes",
    "apology_slip": "not_needed",
    "quality": "passed",
}


def _item(sample):
    return sample.items.order_by("stratum__field_code", "rank").first()


def _post(client, sample, **answers):
    item = _item(sample)
    data = {**IN_ORDER, "deviation": "no", **answers}
    return client.post(reverse("sampling:review", args=[sample.pk, item.pk]), data), item


@pytest.mark.parametrize(
    ("answer", "value", "kind"),
    [
        ("on_time", "no", "late"),
        ("complete", "no", "incomplete"),
        ("legal_basis_correct", "no", "legal_basis"),
        ("apology_slip", "missing", "no_apology"),
        ("quality", "failed", "quality"),
    ],
)
def test_a_failing_answer_is_a_deviation_of_its_type_even_if_the_flag_says_no(answer, value, kind):
    form = ReviewForm({**IN_ORDER, answer: value, "deviation": "no"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["deviation"] is True
    assert form.cleaned_data["deviation_type"] == kind


def test_answers_in_order_show_no_deviation():
    assert deviations_from_answers(IN_ORDER) == []
    form = ReviewForm({**IN_ORDER, "deviation": "no"})
    assert form.is_valid()
    assert form.cleaned_data["deviation"] is False and form.cleaned_data["deviation_type"] == ""


def test_saved_review_follows_the_answers(client, personas, drawn):
    client.force_login(personas.inspector)
    response, item = _post(client, drawn, on_time="no", apology_slip="missing", deviation="no")
    assert response.status_code == 302
    review = Review.objects.get(item=item)
    assert review.deviation is True and review.deviation_type == "late"


def test_the_team_may_name_which_shown_deviation_it_is(client, personas, drawn):
    client.force_login(personas.inspector)
    _, item = _post(client, drawn, on_time="no", apology_slip="missing", deviation_type="no_apology")
    assert Review.objects.get(item=item).deviation_type == "no_apology"


def test_a_type_the_answers_contradict_is_refused_and_nothing_stored(client, personas, drawn):
    client.force_login(personas.inspector)
    response, _ = _post(client, drawn, deviation="yes", deviation_type="late")
    assert response.status_code == 200
    body = response.content.decode()
    assert "không khớp các câu trả lời" in body and "Giải quyết quá hạn" in body
    assert not Review.objects.exists()
    response, _ = _post(client, drawn, complete="no", deviation="yes", deviation_type="late")
    assert "Hồ sơ không đầy đủ" in response.content.decode()  # names what the answers do show
    assert not Review.objects.exists()


def test_a_deviation_no_answer_asks_about_is_kept(client, personas, drawn):
    client.force_login(personas.inspector)
    _, item = _post(client, drawn, deviation="yes", deviation_type="procedure")
    review = Review.objects.get(item=item)
    assert review.deviation is True and review.deviation_type == "procedure"


def test_outsider_gets_404_on_the_review_form(client, personas, drawn):
    client.force_login(personas.outsider)
    response, _ = _post(client, drawn, on_time="no")
    assert response.status_code == 404
    assert not Review.objects.exists()
