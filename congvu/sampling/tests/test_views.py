import hashlib

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_column, xlsx_rows, xlsx_text
from congvu.inspections.models import Inspection
from congvu.sampling import sealing, services
from congvu.sampling.models import Review, Sample
from congvu.sampling.tests.conftest import make_sample

pytestmark = pytest.mark.django_db


def _item(sample):
    return sample.items.order_by("stratum__field_code", "rank").first()


def _urls(sample):
    item = _item(sample)
    stratum = sample.strata.first()
    return {
        "detail": ("get", reverse("sampling:detail", args=[sample.pk])),
        "export": ("get", reverse("sampling:detail", args=[sample.pk]) + "?format=xlsx"),
        "review": ("get", reverse("sampling:review", args=[sample.pk, item.pk])),
        "results": ("get", reverse("sampling:results", args=[sample.pk])),
        "worksheet": ("get", reverse("sampling:worksheet", args=[sample.pk])),
        "population": ("get", reverse("sampling:population", args=[sample.pk])),
        "verify": ("get", reverse("sampling:verify", args=[sample.pk])),
        "draw": ("post", reverse("sampling:draw", args=[sample.pk])),
        "extend": ("post", reverse("sampling:extend", args=[sample.pk, stratum.pk])),
        "commitment": ("post", reverse("sampling:commitment", args=[sample.pk])),
        "finding": ("post", reverse("sampling:review_finding", args=[sample.pk, item.pk])),
        "evidence": ("get", reverse("sampling:review_evidence", args=[sample.pk, item.pk])),
    }


@pytest.mark.parametrize("who", ["outsider", "outsider_head"])
def test_outsider_gets_404_on_every_page_of_another_units_sample(client, personas, drawn, who):
    client.force_login(getattr(personas, who))
    for name, (method, url) in _urls(drawn).items():
        response = getattr(client, method)(url)
        assert response.status_code == 404, name


def test_outsider_does_not_see_another_units_sample_in_the_list(client, personas, drawn):
    client.force_login(personas.outsider)
    response = client.get(reverse("sampling:list"))
    assert response.status_code == 200
    assert drawn.title not in response.content.decode()


def _review_with_deviation(personas, drawn) -> None:
    """The inspector reviews one drawn record: late, no apology slip — a deviation."""
    services.review_record(
        actor=personas.inspector,
        item=_item(drawn),
        on_time="no",
        complete="yes",
        legal_basis_correct="yes",
        apology_slip="missing",
        quality="passed",
        deviation=True,
        deviation_type="no_apology",
    )


def test_unit_users_see_no_review_counts_in_the_list_before_the_minutes(client, personas, drawn):
    _review_with_deviation(personas, drawn)
    client.force_login(personas.focal)
    row = client.get(reverse("sampling:list")).context["page"][0]
    assert (row.item_count, row.reviewed_count, row.deviation_count) == (31, None, None)
    Inspection.objects.filter(pk=drawn.inspection_id).update(status="minutes_signed")
    row = client.get(reverse("sampling:list")).context["page"][0]
    assert (row.reviewed_count, row.deviation_count) == (1, 1)


def test_unit_users_see_nothing_of_a_sample_before_the_draw(client, personas, inspection, records):
    sample = make_sample(personas, inspection)
    client.force_login(personas.focal)
    assert client.get(reverse("sampling:detail", args=[sample.pk])).status_code == 404
    assert sample.title not in client.get(reverse("sampling:list")).content.decode()


def test_unit_users_read_their_sample_after_the_draw_but_not_the_reviews_before_the_minutes(
    client, personas, drawn
):
    client.force_login(personas.unit_head)
    detail = client.get(reverse("sampling:detail", args=[drawn.pk]))
    assert detail.status_code == 200
    assert drawn.seed in detail.content.decode()
    assert client.get(reverse("sampling:results", args=[drawn.pk])).status_code == 403
    assert client.post(reverse("sampling:draw", args=[drawn.pk])).status_code == 403
    Inspection.objects.filter(pk=drawn.inspection_id).update(status="minutes_signed")
    assert client.get(reverse("sampling:results", args=[drawn.pk])).status_code == 200


def test_unit_users_do_not_see_a_surprise_inspections_sample_before_the_team_arrives(client, personas, drawn):
    Inspection.objects.filter(pk=drawn.inspection_id).update(status="decided")
    client.force_login(personas.focal)
    assert client.get(reverse("sampling:detail", args=[drawn.pk])).status_code == 404


def test_leadership_reads_but_may_not_draw_review_or_extend(client, personas, drawn):
    client.force_login(personas.leadership)
    urls = _urls(drawn)
    assert client.get(urls["detail"][1]).status_code == 200
    assert client.get(urls["results"][1]).status_code == 200
    for name in ("draw", "extend", "commitment", "finding"):
        assert client.post(urls[name][1]).status_code == 403, name
    assert client.post(urls["review"][1], {}).status_code == 403
    assert client.get(reverse("sampling:create")).status_code == 403


def test_the_seed_stays_hidden_until_the_draw(client, personas, inspection, records):
    sample = make_sample(personas, inspection)
    client.force_login(personas.lead)
    page = client.get(reverse("sampling:detail", args=[sample.pk])).content.decode()
    assert sample.seed_commitment in page
    assert sealing.unseal(sample.seed_sealed) not in page
    assert "preview-table" in page and "commitment-missing" in page
    client.post(
        reverse("sampling:commitment", args=[sample.pk]), {"commitment_reference": "Biên bản số 3/BB"}
    )
    page = client.get(reverse("sampling:detail", args=[sample.pk])).content.decode()
    assert "Biên bản số 3/BB" in page and "commitment-missing" not in page


def test_create_page_lists_the_teams_inspections_and_creates_a_sample(
    client, personas, inspection, other_inspection
):
    client.force_login(personas.inspector)
    page = client.get(reverse("sampling:create"), {"inspection": inspection.pk}).content.decode()
    assert inspection.title in page and other_inspection.title not in page  # not on that team
    response = client.post(
        reverse("sampling:create"),
        {
            "inspection": inspection.pk,
            "title": "Mẫu thử",
            "register": "dossiers",
            "period_from": "01/01/2025",
            "period_to": "31/03/2025",
            "size_method": "attribute",
            "confidence": "95",
            "tolerable_rate": "5%",
            "expected_rate": "0,5%",
            "allocation": "per_field",
            "min_per_field": "1",
            "field_sizes": "ho-tich=12\ndat-dai: 20",
        },
    )
    sample = Sample.objects.get(title="Mẫu thử")
    assert response.status_code == 302
    assert str(sample.expected_rate) == "0.0050"
    assert sample.period_to.isoformat() == "2025-03-31"
    assert sample.field_sizes == {"ho-tich": 12, "dat-dai": 20}


def test_create_form_explains_a_bad_rate_and_a_bad_field_size_line(client, personas, inspection):
    client.force_login(personas.lead)
    response = client.post(
        reverse("sampling:create"),
        {
            "inspection": inspection.pk,
            "register": "dossiers",
            "size_method": "attribute",
            "confidence": "95",
            "tolerable_rate": "abc",
            "allocation": "per_field",
            "min_per_field": "1",
            "field_sizes": "ho-tich twelve",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "không phải là một số" in page
    assert "Dòng 1" in page
    assert Sample.objects.count() == 0


def test_draw_extend_and_review_through_the_pages(client, personas, inspection, records):
    sample = make_sample(personas, inspection)
    client.force_login(personas.inspector)
    assert client.post(reverse("sampling:draw", args=[sample.pk])).status_code == 302
    sample.refresh_from_db()
    assert sample.is_drawn
    stratum = sample.strata.get(field_code="ho-tich")
    client.post(reverse("sampling:extend", args=[sample.pk, stratum.pk]), {"new_size": "9"})
    stratum.refresh_from_db()
    assert stratum.sample_size == 9
    item = _item(sample)
    form = client.get(reverse("sampling:review", args=[sample.pk, item.pk]))
    assert form.status_code == 200 and "review-form" in form.content.decode()
    response = client.post(
        reverse("sampling:review", args=[sample.pk, item.pk]),
        {
            "on_time": "no",
            "complete": "yes",
            "legal_basis_correct": "yes",
            "apology_slip": "missing",
            "quality": "passed",
            "deviation": "yes",
            "deviation_type": "no_apology",
            "notes": "Quá hạn 3 ngày, không có phiếu xin lỗi.",
            "next": "1",
        },
    )
    assert response.status_code == 302
    review = Review.objects.get(item=item)
    assert review.deviation and review.deviation_type == "no_apology"
    assert response.url != reverse("sampling:review", args=[sample.pk, item.pk])  # on to the next record
    page = client.get(reverse("sampling:review", args=[sample.pk, item.pk])).content.decode()
    assert "finding-form" in page
    client.post(
        reverse("sampling:review_finding", args=[sample.pk, item.pk]),
        {"category": "shortcoming", "severity": "low", "description": "Thiếu phiếu xin lỗi."},
    )
    review.refresh_from_db()
    assert review.finding is not None and review.finding.description == "Thiếu phiếu xin lỗi."


def test_review_form_requires_the_type_of_a_deviation(client, personas, drawn):
    client.force_login(personas.lead)
    item = _item(drawn)
    response = client.post(
        reverse("sampling:review", args=[drawn.pk, item.pk]),
        {
            "on_time": "yes",
            "complete": "yes",
            "legal_basis_correct": "yes",
            "apology_slip": "not_needed",
            "quality": "passed",
            "deviation": "yes",
        },
    )
    assert response.status_code == 200
    assert "phải chọn loại sai lệch" in response.content.decode()
    assert not Review.objects.exists()


def test_results_page_gives_limits_and_sentences_for_the_minutes(client, personas, drawn):
    for i, item in enumerate(drawn.items.filter(stratum__field_code="ho-tich")):
        services.review_record(
            actor=personas.inspector,
            item=item,
            on_time="yes",
            complete="yes",
            legal_basis_correct="yes",
            apology_slip="not_needed",
            quality="passed",
            deviation=i == 0,
            deviation_type="late" if i == 0 else "",
        )
    client.force_login(personas.lead)
    page = client.get(reverse("sampling:results", args=[drawn.pk])).content.decode()
    assert "đã kiểm tra 7/40 hồ sơ, phát hiện 1 hồ sơ có sai lệch" in page
    assert "Giải quyết quá hạn: 1" in page
    export = client.get(reverse("sampling:results", args=[drawn.pk]), {"format": "xlsx"})
    header, *rows = xlsx_rows(export)
    assert header[:5] == ["Lĩnh vực", "Số bản ghi", "Cỡ mẫu", "Đã kiểm tra", "Sai lệch"]
    assert [row[:5] for row in rows] == [
        ["Đất đai", 120, 22, 0, 0],
        ["Hộ tịch", 40, 7, 7, 1],
        ["Xây dựng", 6, 2, 0, 0],
        ["Toàn bộ (gia quyền)", 166, 31, 7, 1],
    ]
    assert "đã kiểm tra 7/40 hồ sơ, phát hiện 1 hồ sơ có sai lệch" in rows[1][-1]


def test_population_download_is_the_hashed_text(client, personas, drawn):
    client.force_login(personas.focal)
    response = client.get(reverse("sampling:population", args=[drawn.pk]))
    assert hashlib.sha256(response.content).hexdigest() == drawn.population_sha256


def test_sample_and_worksheet_exports_hold_the_drawn_items_and_no_other_units_records(
    client, personas, drawn
):
    chosen = sorted(drawn.items.values_list("record_code", flat=True))
    client.force_login(personas.inspector)
    sample = xlsx_rows(client.get(reverse("sampling:detail", args=[drawn.pk]), {"format": "xlsx"}), "Mẫu")
    assert sample[0][:4] == ["Mã lĩnh vực", "Lĩnh vực", "Thứ hạng", "Mã bản ghi"]
    assert sorted(xlsx_column(sample, "Mã bản ghi")) == chosen
    worksheet = xlsx_rows(client.get(reverse("sampling:worksheet", args=[drawn.pk])))
    assert worksheet[0][:4] == ["Mã lĩnh vực", "Lĩnh vực", "Thứ hạng", "Mã bản ghi"]
    assert sorted(xlsx_column(worksheet, "Mã bản ghi")) == chosen and len(chosen) == 31
    # The other unit's land dossiers (STP-…) and the 2024 ones share the field but not the population.
    population = xlsx_rows(
        client.get(reverse("sampling:detail", args=[drawn.pk]), {"format": "xlsx"}), "Tổng thể"
    )
    codes = xlsx_column(population, "Mã bản ghi")
    assert len(codes) == 166 and "OLD-DD-0000" in codes
    for rows in (sample, worksheet, population):
        assert "STP-" not in xlsx_text(rows) and "Y2024-" not in xlsx_text(rows)


def test_sample_list_export_is_scoped_to_the_users_unit(client, personas, drawn, other_inspection):
    other = make_sample(personas, other_inspection, actor=personas.lead, title="Mẫu của Sở Tư pháp")
    services.sample_draw(actor=personas.lead, sample=other)
    client.force_login(personas.inspector)
    header, *rows = xlsx_rows(client.get(reverse("sampling:list"), {"format": "xlsx"}))
    assert header[:3] == ["#", "Tên mẫu", "Đơn vị"]
    assert sorted(row[1:3] for row in rows) == [
        ["Mẫu của Sở Tư pháp", "Sở Tư pháp"],
        ["Mẫu hồ sơ TTHC 6 tháng đầu năm 2025", "Sở Xây dựng"],
    ]
    client.force_login(personas.focal)
    rows = xlsx_rows(client.get(reverse("sampling:list"), {"format": "xlsx"}))
    assert [(row[0], row[1], row[10]) for row in rows[1:]] == [(drawn.pk, drawn.title, 31)]
    assert "Mẫu của Sở Tư pháp" not in xlsx_text(rows) and other.seed_commitment not in xlsx_text(rows)
    client.force_login(personas.outsider)
    rows = xlsx_rows(client.get(reverse("sampling:list"), {"format": "xlsx"}))
    assert [row[1] for row in rows[1:]] == ["Mẫu của Sở Tư pháp"] and drawn.title not in xlsx_text(rows)


def test_sample_export_holds_the_population_ranking_and_the_verification_section(client, personas, drawn):
    from python_calamine import CalamineWorkbook

    client.force_login(personas.inspector)
    content = client.get(reverse("sampling:detail", args=[drawn.pk]), {"format": "xlsx"}).content
    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(content))
    assert book.sheet_names == ["Mẫu", "Lĩnh vực", "Kiểm chứng", "Tổng thể"]
    population = book.get_sheet_by_name("Tổng thể").to_python()
    assert len(population) == 1 + drawn.population_size
    chosen = {row[1] for row in population[1:] if row[4]}
    assert chosen == set(drawn.items.values_list("record_code", flat=True))
    check = book.get_sheet_by_name("Kiểm chứng").to_python()
    text = " ".join(str(cell) for row in check for cell in row)
    assert drawn.seed in text and drawn.population_sha256 in text and "openssl dgst -sha256 -hmac" in text
    assert "To verify" in text


def test_verify_page_redoes_the_draw(client, personas, drawn):
    client.force_login(personas.focal)
    page = client.get(reverse("sampling:verify", args=[drawn.pk]), {"check": "1"}).content.decode()
    assert "Khớp: rút lại từ hạt giống cho đúng mẫu đã lưu." in page
    assert f">tong-the-mau-{drawn.pk}.txt</a>" in page
    assert "To verify:" not in page  # the Vietnamese page has no English paragraph (issue #15)
    partial = client.get(reverse("sampling:verify", args=[drawn.pk]), {"check": "1"}, HTTP_HX_REQUEST="true")
    assert b"verify-report" in partial.content and b"<html" not in partial.content


def test_public_description_and_calculator_pages(client, personas):
    client.force_login(personas.focal)
    page = client.get(reverse("sampling:how_to_verify")).content.decode()
    assert "openssl dgst -sha256 -hmac" in page and "LC_ALL=C sort" in page
    calc = client.get(reverse("sampling:calculator"), {"confidence": "95", "tolerable": "5", "expected": "1"})
    assert "<strong>93</strong>" in calc.content.decode()
    calc = client.get(reverse("sampling:calculator"), {"n": "20", "deviations": "0", "confidence": "95"})
    assert "14,0%" in calc.content.decode()


def test_list_searches_sorts_and_filters(client, personas, drawn):
    client.force_login(personas.inspector)
    found = client.get(reverse("sampling:list"), {"q": "6 tháng", "sort": "-items", "status": "drawn"})
    assert drawn.title in found.content.decode()
    missing = client.get(reverse("sampling:list"), {"q": "không có mẫu này"})
    assert drawn.title not in missing.content.decode()
    by_inspection = client.get(reverse("sampling:list"), {"inspection": drawn.inspection_id + 1})
    assert drawn.title not in by_inspection.content.decode()
    assert (
        drawn.title
        in client.get(reverse("sampling:list"), {"inspection": drawn.inspection_id}).content.decode()
    )


def test_a_large_population_is_left_to_the_population_file_in_the_export(
    client, personas, drawn, monkeypatch
):
    from python_calamine import CalamineWorkbook

    from congvu.sampling import exports

    monkeypatch.setattr(exports, "POPULATION_SHEET_LIMIT", 100)
    client.force_login(personas.inspector)
    content = client.get(reverse("sampling:detail", args=[drawn.pk]), {"format": "xlsx"}).content
    book = CalamineWorkbook.from_filelike(__import__("io").BytesIO(content))
    assert "Tổng thể" not in book.sheet_names
    text = " ".join(str(c) for row in book.get_sheet_by_name("Kiểm chứng").to_python() for c in row)
    assert f"tong-the-mau-{drawn.pk}.txt" in text


# The FilterSets (sampling/filters.py): bad values are form errors; nobody filters into another unit.


def test_list_filters_ignore_bad_values_and_name_them(client, personas, drawn):
    client.force_login(personas.inspector)
    url = reverse("sampling:list")
    for params in (
        {"inspection": "9" * 30},
        {"inspection": "²"},
        {"inspection": "-1"},
        {"status": "nope"},
        {"register": "nope"},
    ):
        body = client.get(url, {**params, "q": "6 tháng"}).content.decode()
        assert 'data-testid="filter-errors"' in body and drawn.title in body, params
        body = client.get(url, {**params, "q": "không có mẫu này"}).content.decode()
        assert drawn.title not in body, params  # the valid filter beside it still applies
    assert drawn.title not in client.get(url, {"register": "tasks"}).content.decode()
    rows = xlsx_rows(client.get(url, {"register": "tasks", "format": "xlsx"}))
    assert drawn.title not in xlsx_text(rows)


def test_an_outsider_cannot_filter_into_another_units_samples(client, personas, drawn):
    client.force_login(personas.outsider)
    url = reverse("sampling:list")
    for params in ({"inspection": drawn.inspection_id}, {"q": "6 tháng"}, {"status": "drawn"}):
        assert drawn.title not in client.get(url, params).content.decode(), params
    rows = xlsx_rows(client.get(url, {"inspection": drawn.inspection_id, "format": "xlsx"}))
    assert drawn.title not in xlsx_text(rows)


def test_the_drawn_records_filter_by_field_code_and_state(client, personas, drawn):
    client.force_login(personas.inspector)
    url = reverse("sampling:detail", args=[drawn.pk])
    everything = client.get(url).context["page"].paginator.count

    def count(params):
        response = client.get(url, params)
        assert response.status_code == 200, params
        return response.context[
            "page"
        ].paginator.count, 'data-testid="filter-errors"' in response.content.decode()

    building = drawn.items.filter(stratum__field_code="xay-dung").count()
    assert 0 < building < everything
    assert count({"field": "xay-dung"}) == (building, False)
    assert count({"state": "pending"}) == (everything, False)
    assert count({"state": "reviewed"}) == (0, False)
    code = drawn.items.first().record_code
    assert count({"q": code}) == (drawn.items.filter(record_code__icontains=code).count(), False)
    assert count({"state": "nope", "field": "xay-dung"}) == (building, True)


def test_a_unit_user_cannot_filter_by_review_state_before_the_minutes(client, personas, drawn):
    _review_with_deviation(personas, drawn)
    client.force_login(personas.focal)
    response = client.get(reverse("sampling:detail", args=[drawn.pk]), {"state": "deviation"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == drawn.items.count()  # the state is not theirs
