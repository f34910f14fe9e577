import hashlib
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from congvu.conftest import make_user
from congvu.core.models import AuditEvent
from congvu.inspections.models import Inspection
from congvu.sampling import draw, sealing, services
from congvu.sampling.models import Review, SampleItem
from congvu.sampling.tests.conftest import PERIOD, make_dossiers, make_sample

pytestmark = pytest.mark.django_db


def test_create_commits_to_a_secret_seed_and_keeps_it_out_of_the_audit_trail(personas, inspection):
    sample = make_sample(personas, inspection, commitment_reference="Biên bản số 3/BB-ĐKT")
    seed = sealing.unseal(sample.seed_sealed)
    assert draw.is_valid_seed(seed) and sample.seed == ""
    assert sample.seed_commitment == hashlib.sha256(seed.encode()).hexdigest()
    assert sample.commitment_shown_at is not None
    assert sample.unit_id == personas.unit.pk
    assert (sample.period_from, sample.period_to) == PERIOD
    assert sample.revealed_seed == ""
    event = AuditEvent.objects.get(action="sample.create", object_id=str(sample.pk))
    assert "seed" not in event.after and "seed_sealed" not in event.after
    assert event.after["seed_commitment"] == sample.seed_commitment


@pytest.mark.parametrize("who", ["leadership", "focal", "unit_head", "admin"])
def test_only_the_inspection_team_may_create_a_sample(personas, inspection, who):
    with pytest.raises(PermissionDenied):
        make_sample(personas, inspection, actor=getattr(personas, who))


def test_an_inspector_outside_the_team_may_not_create_a_sample(personas, inspection):
    stranger = make_user("p-inspector-2", "inspector")
    with pytest.raises(PermissionDenied):
        make_sample(personas, inspection, actor=stranger)


def test_an_expected_rate_above_the_tolerable_rate_is_refused_at_creation(personas, inspection):
    with pytest.raises(ValidationError):
        make_sample(personas, inspection, size_method="attribute", tolerable_rate="5", expected_rate="6")


def test_draw_freezes_the_unit_and_its_predecessors_records_of_the_period(personas, drawn, records):
    assert drawn.is_drawn and drawn.drawn_by == personas.inspector
    strata = {s.field_code: s for s in drawn.strata.all()}
    assert {code: s.population_size for code, s in strata.items()} == {
        "dat-dai": 120,
        "ho-tich": 40,
        "xay-dung": 6,
    }
    assert drawn.population_size == 166
    rows = draw.parse_population_text(drawn.population.text)
    codes = {code for _f, code in rows}
    assert "OLD-DD-0003" in codes  # the predecessor's dossier
    assert not any(code.startswith(("STP-", "Y2024-")) for code in codes)  # other unit, other period
    assert drawn.population_sha256 == hashlib.sha256(drawn.population.text.encode("utf-8")).hexdigest()
    assert rows == sorted(rows)


def test_proportional_allocation_with_a_minimum_per_field(drawn):
    # 30 × (120, 40, 6) / 166 = 21.7, 7.2, 1.1 → 22, 7, 1; the minimum raises construction to 2.
    sizes = {s.field_code: (s.planned_size, s.sample_size) for s in drawn.strata.all()}
    assert sizes == {"dat-dai": (22, 22), "ho-tich": (7, 7), "xay-dung": (2, 2)}
    assert drawn.items.count() == 31


def test_drawn_items_are_the_first_records_of_each_fields_hmac_ranking(drawn):
    groups = draw.group_by_field(draw.parse_population_text(drawn.population.text))
    for stratum in drawn.strata.all():
        expected = sorted(groups[stratum.field_code], key=lambda c: hmac_hex(drawn.seed, c))[
            : stratum.sample_size
        ]
        got = list(stratum.items.order_by("rank").values_list("record_code", flat=True))
        assert got == expected
    item = drawn.items.select_related("dossier").first()
    assert item.dossier.external_code == item.record_code


def hmac_hex(seed, code):
    import hmac

    return hmac.new(seed.encode(), code.encode(), hashlib.sha256).hexdigest()


def test_the_draw_reveals_the_seed_in_its_audit_event(drawn):
    event = AuditEvent.objects.get(action="sample.draw", object_id=str(drawn.pk))
    assert event.after["seed"] == drawn.seed
    assert event.after["population_sha256"] == drawn.population_sha256
    assert event.after["sizes"] == {"dat-dai": 22, "ho-tich": 7, "xay-dung": 2}


def test_a_sample_is_drawn_only_once(personas, drawn):
    with pytest.raises(ValidationError, match="đã được rút"):
        services.sample_draw(actor=personas.inspector, sample=drawn)


def test_no_draw_without_records_in_the_period(personas, inspection):
    sample = make_sample(personas, inspection, period_from=date(2020, 1, 1), period_to=date(2020, 12, 31))
    with pytest.raises(ValidationError, match="không có gì để chọn mẫu"):
        services.sample_draw(actor=personas.inspector, sample=sample)


def test_no_draw_once_the_inspection_is_concluded(personas, inspection, records):
    sample = make_sample(personas, inspection)
    Inspection.objects.filter(pk=inspection.pk).update(status="concluded")
    with pytest.raises(ValidationError, match="Đã có kết luận"):
        services.sample_draw(actor=personas.inspector, sample=sample)


def test_leadership_may_not_draw(personas, inspection, records):
    sample = make_sample(personas, inspection)
    with pytest.raises(PermissionDenied):
        services.sample_draw(actor=personas.leadership, sample=sample)


def test_attribute_sampling_per_field_with_the_finite_population_correction(personas, inspection, records):
    sample = make_sample(
        personas,
        inspection,
        size_method="attribute",
        confidence="95",
        tolerable_rate="10",
        expected_rate="0",
        finite_population=True,
        allocation="per_field",
        min_per_field=0,
    )
    sample = services.sample_draw(actor=personas.inspector, sample=sample)
    sizes = {s.field_code: s.sample_size for s in sample.strata.all()}
    # Binomial: 29 for every field; hypergeometric gives fewer for 120 and 40 records, all 6 of 6.
    assert sizes["dat-dai"] < 29 and sizes["ho-tich"] < sizes["dat-dai"]
    assert sizes["xay-dung"] == 6


def test_per_field_sizes_named_by_field_code(personas, inspection, records):
    sample = make_sample(
        personas,
        inspection,
        allocation="per_field",
        fixed_size=10,
        field_sizes={"ho-tich": 15},
        min_per_field=0,
    )
    sample = services.sample_draw(actor=personas.inspector, sample=sample)
    assert {s.field_code: s.sample_size for s in sample.strata.all()} == {
        "dat-dai": 10,
        "ho-tich": 15,
        "xay-dung": 6,
    }


def test_iso_2859_sizes_from_the_total_population(personas, inspection, records):
    sample = make_sample(personas, inspection, size_method="iso2859", min_per_field=0)
    sample = services.sample_draw(actor=personas.inspector, sample=sample)
    assert sample.items.count() == 32  # 166 records: code letter G


def test_extension_keeps_the_items_and_adds_the_next_in_the_ranking(personas, drawn):
    stratum = drawn.strata.get(field_code="ho-tich")
    before = list(stratum.items.order_by("rank").values_list("record_code", flat=True))
    added = services.sample_extend(actor=personas.lead, stratum=stratum, new_size=12)
    assert len(added) == 5 and {i.extension for i in added} == {1}
    after = list(stratum.items.order_by("rank").values_list("record_code", flat=True))
    assert after[:7] == before
    codes = draw.group_by_field(draw.parse_population_text(drawn.population.text))["ho-tich"]
    assert after == [r.code for r in draw.ranking(drawn.seed, codes)[:12]]
    stratum.refresh_from_db()
    assert (stratum.planned_size, stratum.sample_size) == (7, 12)


@pytest.mark.parametrize("new_size", [7, 3, 41])
def test_extension_must_grow_and_stay_within_the_field(personas, drawn, new_size):
    stratum = drawn.strata.get(field_code="ho-tich")
    with pytest.raises(ValidationError):
        services.sample_extend(actor=personas.lead, stratum=stratum, new_size=new_size)


def test_extension_is_refused_when_the_frozen_population_was_altered(personas, drawn):
    population = drawn.population
    population.text = population.text.replace("HO-TICH-0001", "HO-TICH-9999")
    population.save()
    with pytest.raises(ValidationError, match="không còn khớp mã băm"):
        services.sample_extend(
            actor=personas.lead, stratum=drawn.strata.get(field_code="ho-tich"), new_size=10
        )


def _review(personas, item, **kwargs):
    params = {
        "actor": personas.inspector,
        "item": item,
        "on_time": "yes",
        "complete": "yes",
        "legal_basis_correct": "yes",
        "apology_slip": "not_needed",
        "quality": "passed",
        "deviation": False,
    }
    params.update(kwargs)
    return services.review_record(**params)


def test_review_is_recorded_then_corrected_with_its_history(personas, drawn):
    item = drawn.items.first()
    first = _review(personas, item)
    second = _review(
        personas, item, deviation=True, deviation_type="late", on_time="no", notes=" trễ 3 ngày "
    )
    assert first.pk == second.pk
    assert second.notes == "trễ 3 ngày"
    events = AuditEvent.objects.filter(action="sample.review").order_by("id")
    assert [e.before is None for e in events] == [True, False]
    assert events.last().after["deviation_type"] == "late"


def test_a_review_without_deviation_drops_the_type(personas, drawn):
    review = _review(personas, drawn.items.first(), deviation=False, deviation_type="late")
    assert review.deviation_type == ""


def test_a_deviation_needs_its_type(personas, drawn):
    with pytest.raises(ValidationError):
        _review(personas, drawn.items.first(), deviation=True, deviation_type="")


def test_review_keeps_evidence_with_its_sha256(personas, drawn, tmp_path, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    content = b"%PDF-1.4 minh chung"
    review = _review(personas, drawn.items.first(), evidence=SimpleUploadedFile("bien-ban.pdf", content))
    assert review.evidence_name == "bien-ban.pdf"
    assert review.evidence_sha256 == hashlib.sha256(content).hexdigest()
    with pytest.raises(ValidationError, match="không được phép"):
        _review(personas, drawn.items.last(), evidence=SimpleUploadedFile("virus.exe", b"MZ"))
    with pytest.raises(ValidationError, match="không khớp với nội dung"):
        _review(personas, drawn.items.last(), evidence=SimpleUploadedFile("virus.pdf", b"MZ\x90\x00"))


def test_a_deviation_becomes_a_finding_linked_to_its_dossier(personas, drawn):
    item = drawn.items.filter(stratum__field_code="ho-tich").first()
    review = _review(
        personas, item, deviation=True, deviation_type="no_apology", on_time="no", apology_slip="missing"
    )
    finding = services.review_to_finding(
        actor=personas.inspector, review=review, category="shortcoming", severity="low"
    )
    assert list(finding.dossiers.all()) == [item.dossier]
    assert finding.inspection_id == drawn.inspection_id
    assert item.record_code in finding.description and f"#{drawn.pk}" in finding.source
    review.refresh_from_db()
    assert review.finding_id == finding.pk
    with pytest.raises(ValidationError, match="đã được ghi thành phát hiện"):
        services.review_to_finding(
            actor=personas.inspector, review=review, category="shortcoming", severity="low"
        )


def test_a_clean_review_does_not_become_a_finding(personas, drawn):
    review = _review(personas, drawn.items.first())
    with pytest.raises(ValidationError, match="không có sai lệch"):
        services.review_to_finding(
            actor=personas.inspector, review=review, category="shortcoming", severity="low"
        )


def test_records_imported_after_the_draw_do_not_change_the_sample(personas, drawn):
    make_dossiers(personas.unit, "ho-tich", 10, prefix="LATE")
    assert drawn.population.text.count("LATE-") == 0
    assert SampleItem.objects.filter(sample=drawn, record_code__startswith="LATE-").count() == 0
    assert Review.objects.count() == 0


def test_results_treat_a_field_reviewed_in_full_as_exact(personas, inspection, records):
    from congvu.sampling.selectors import sample_results

    sample = make_sample(personas, inspection, allocation="per_field", fixed_size=6, min_per_field=0)
    sample = services.sample_draw(actor=personas.inspector, sample=sample)
    for item in sample.items.filter(stratum__field_code="xay-dung"):
        _review(personas, item)
    results = {r.stratum.field_code: r for r in sample_results(sample=sample).fields}
    construction = results["xay-dung"]
    assert construction.evaluation.census and construction.evaluation.upper_deviation_limit == 0.0
    assert "kiểm tra toàn bộ 6 hồ sơ" in construction.sentence
    assert results["ho-tich"].evaluation is None
