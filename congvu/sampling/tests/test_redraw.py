"""A further draw over a population the inspection already drew needs a recorded reason, shown to the
team, the unit and leadership, every draw listed (issue #14 item 11)."""

import io
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from congvu.core.models import AuditEvent
from congvu.sampling import services
from congvu.sampling.models import SampleItem, SampleStatus
from congvu.sampling.tests.conftest import PERIOD, make_sample

pytestmark = pytest.mark.django_db

REASON = "Sổ hồ sơ được bổ sung 200 hồ sơ sau lần rút đầu tiên"


def _second(personas, inspection, **kwargs):
    params = {"title": "Mẫu rút lại", "fixed_size": 12}
    params.update(kwargs)
    return make_sample(personas, inspection, **params)


def test_a_second_draw_over_the_same_population_is_refused_without_a_reason(personas, inspection, drawn):
    second = _second(personas, inspection)
    for reason in ("", "   ", "vì thích"):
        with pytest.raises(ValidationError, match=rf"Lý do rút mẫu lại.*#{drawn.pk}.*ít nhất 20 ký tự"):
            services.sample_draw(actor=personas.inspector, sample=second, reason=reason)
    second.refresh_from_db()
    assert second.status == SampleStatus.COMMITTED and second.seed == "" and second.seed_sealed
    assert not SampleItem.objects.filter(sample=second).exists()
    assert not AuditEvent.objects.filter(action__startswith="sample.redraw").exists()


def test_a_period_sharing_one_day_is_the_same_population(personas, inspection, drawn):
    shifted = _second(personas, inspection, period_from=PERIOD[1], period_to=date(2025, 12, 31))
    with pytest.raises(ValidationError, match="Lý do rút mẫu lại"):
        services.sample_draw(actor=personas.inspector, sample=shifted)


def test_another_register_or_a_disjoint_period_is_a_first_draw(personas, inspection, drawn):
    tasks = _second(personas, inspection, register="tasks", fixed_size=1)
    tasks = services.sample_draw(actor=personas.inspector, sample=tasks)
    assert tasks.is_drawn and tasks.draw_reason == ""
    later = _second(personas, inspection, period_from=date(2025, 7, 1), period_to=date(2025, 7, 31))
    assert not services.same_population_draws(later).exists()


def test_the_reason_is_stored_and_audited_with_the_earlier_draws(personas, inspection, drawn):
    second = services.sample_draw(
        actor=personas.lead, sample=_second(personas, inspection), reason=f"  {REASON} "
    )
    assert second.is_drawn and second.draw_reason == REASON and second.is_redraw
    event = AuditEvent.objects.get(action="sample.redraw", object_id=str(second.pk))
    assert event.after["draw_reason"] == REASON and event.after["earlier_draws"] == [drawn.pk]
    assert not AuditEvent.objects.filter(action="sample.redraw", object_id=str(drawn.pk)).exists()


def test_the_draw_command_takes_the_reason(personas, inspection, drawn):
    second = _second(personas, inspection)
    with pytest.raises(CommandError, match="Lý do rút mẫu lại"):
        call_command("sample", "draw", str(second.pk), "--user", personas.lead.username)
    call_command("sample", "draw", str(second.pk), "--user", personas.lead.username, "--reason", REASON)
    second.refresh_from_db()
    assert second.is_drawn and second.draw_reason == REASON


def test_the_draw_page_asks_for_the_reason_and_refuses_the_draw_without_it(
    client, personas, inspection, drawn
):
    second = _second(personas, inspection)
    client.force_login(personas.inspector)
    page = client.get(reverse("sampling:detail", args=[second.pk])).content.decode()
    assert 'data-testid="draw-reason"' in page and 'data-testid="draws-table"' in page
    response = client.post(reverse("sampling:draw", args=[second.pk]), {"reason": "ngắn"}, follow=True)
    assert "Lý do rút mẫu lại" in response.content.decode()
    second.refresh_from_db()
    assert second.status == SampleStatus.COMMITTED
    client.post(reverse("sampling:draw", args=[second.pk]), {"reason": REASON})
    second.refresh_from_db()
    assert second.is_drawn and second.draw_reason == REASON


def test_a_first_draw_page_has_no_reason_field(client, personas, inspection, records):
    sample = make_sample(personas, inspection)
    client.force_login(personas.inspector)
    page = client.get(reverse("sampling:detail", args=[sample.pk])).content.decode()
    assert 'data-testid="draw-reason"' not in page and 'data-testid="draws-table"' not in page


@pytest.mark.parametrize("who", ["lead", "inspector", "leadership", "focal", "unit_head"])
def test_the_team_the_unit_and_leadership_see_the_reason_and_every_draw(
    client, personas, inspection, drawn, who
):
    second = services.sample_draw(actor=personas.lead, sample=_second(personas, inspection), reason=REASON)
    client.force_login(getattr(personas, who))
    for sample in (drawn, second):
        response = client.get(reverse("sampling:detail", args=[sample.pk]))
        assert response.status_code == 200
        page = response.content.decode()
        assert [d.pk for d in response.context["draws"]] == [drawn.pk, second.pk]
        assert REASON in page and 'data-testid="draws-table"' in page
    assert 'data-testid="redraw-reason"' in page


def test_the_outsider_gets_404_on_a_redrawn_sample(client, personas, inspection, drawn):
    second = services.sample_draw(actor=personas.lead, sample=_second(personas, inspection), reason=REASON)
    client.force_login(personas.outsider)
    for sample in (drawn, second):
        assert client.get(reverse("sampling:detail", args=[sample.pk])).status_code == 404
        assert client.post(reverse("sampling:draw", args=[sample.pk]), {"reason": REASON}).status_code == 404


def test_the_list_marks_a_repeated_draw_and_exports_its_reason(client, personas, inspection, drawn):
    second = services.sample_draw(actor=personas.lead, sample=_second(personas, inspection), reason=REASON)
    client.force_login(personas.leadership)
    page = client.get(reverse("sampling:list")).content.decode()
    assert page.count('data-testid="redraw-badge"') == 1
    response = client.get(reverse("sampling:list"), {"format": "xlsx"})
    rows = CalamineWorkbook.from_filelike(io.BytesIO(response.content)).get_sheet_by_index(0).to_python()
    reasons = {int(row[0]): row[-1] for row in rows[1:]}
    assert reasons == {second.pk: REASON, drawn.pk: ""}
