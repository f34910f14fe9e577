"""`congvu sample verify ID` and `congvu sample draw ID`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from congvu.sampling import draw, services
from congvu.sampling.models import Sample, SampleItem
from congvu.sampling.tests.conftest import make_dossiers, make_sample

pytestmark = pytest.mark.django_db


def _verify(sample, *args):
    out = StringIO()
    call_command("sample", "verify", str(sample.pk), *args, stdout=out)
    return out.getvalue()


def test_verify_succeeds_on_an_untouched_sample(drawn):
    output = _verify(drawn)
    assert f"Mẫu #{drawn.pk} khớp" in output
    assert "Lĩnh vực ho-tich: 7/40 bản ghi khớp." in output


def test_verify_fails_when_one_record_of_the_frozen_population_changes(drawn):
    population = drawn.population
    population.text = population.text.replace("DAT-DAI-0007\n", "DAT-DAI-0007X\n")
    population.save()
    with pytest.raises(CommandError, match="danh sách tổng thể đã bị thay đổi"):
        _verify(drawn)


def test_verify_fails_when_the_seed_changes(drawn):
    Sample.objects.filter(pk=drawn.pk).update(seed="0" * 64)
    with pytest.raises(CommandError) as failure:
        _verify(drawn)
    message = str(failure.value)
    assert "hạt giống không khớp với mã cam kết" in message
    assert "mẫu rút lại khác mẫu đã lưu" in message


def test_verify_fails_when_seed_and_commitment_are_both_replaced(drawn):
    seed = "1" * 64
    Sample.objects.filter(pk=drawn.pk).update(seed=seed, seed_commitment=draw.seed_commitment(seed))
    with pytest.raises(CommandError, match="khác với nhật ký rút mẫu"):
        _verify(drawn)


def test_verify_names_the_field_whose_items_were_swapped(drawn):
    codes = draw.group_by_field(draw.parse_population_text(drawn.population.text))["ho-tich"]
    drawn_codes = set(drawn.items.values_list("record_code", flat=True))
    outsider = next(code for code in codes if code not in drawn_codes)
    item = SampleItem.objects.filter(sample=drawn, stratum__field_code="ho-tich").order_by("rank").last()
    item.record_code = outsider
    item.save()
    with pytest.raises(CommandError, match=rf"lĩnh vực ho-tich: .*thiếu .*thừa {outsider}"):
        _verify(drawn)


def test_verify_still_succeeds_after_an_extension(personas, drawn):
    services.sample_extend(actor=personas.lead, stratum=drawn.strata.get(field_code="dat-dai"), new_size=40)
    assert "Lĩnh vực dat-dai: 40/120 bản ghi khớp." in _verify(drawn)


def test_verify_against_the_registers_reports_records_imported_since_the_draw(personas, drawn):
    assert "Sổ theo dõi hiện nay vẫn cho đúng tổng thể" in _verify(drawn, "--registers")
    make_dossiers(personas.unit, "ho-tich", 2, prefix="LATE")
    with pytest.raises(CommandError, match="thêm ho-tich/LATE-0000, ho-tich/LATE-0001"):
        _verify(drawn, "--registers")


def test_verify_refuses_a_sample_not_yet_drawn(personas, inspection):
    sample = make_sample(personas, inspection)
    with pytest.raises(CommandError, match="chưa được rút"):
        _verify(sample)


def test_draw_command_draws_as_the_named_user(personas, inspection, records):
    sample = make_sample(personas, inspection)
    out = StringIO()
    call_command("sample", "draw", str(sample.pk), "--user", personas.lead.username, stdout=out)
    sample.refresh_from_db()
    assert sample.is_drawn and sample.seed in out.getvalue()


def test_draw_command_refuses_a_user_outside_the_team(personas, inspection, records):
    sample = make_sample(personas, inspection)
    with pytest.raises(CommandError):
        call_command("sample", "draw", str(sample.pk), "--user", personas.leadership.username)
    with pytest.raises(CommandError, match="không được xem"):
        call_command("sample", "draw", str(sample.pk), "--user", personas.outsider.username)
