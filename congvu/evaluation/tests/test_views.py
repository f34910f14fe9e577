"""The evaluation pages: scoping (the outsider gets 404), who sees the actions, exports, the quota."""

from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_column, xlsx_rows, xlsx_text
from congvu.evaluation.models import CatalogueItem, PeriodSheet, RuleSetAssignment, YearResult
from congvu.evaluation.services import discipline_record, sheets_generate
from congvu.evaluation.tests.conftest import make_task

pytestmark = pytest.mark.django_db


def _client(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def generated(personas, people, nd335_2026):
    for key in ("head", "deputy", "staff", "staff2"):
        make_task(
            f"NV-{key}",
            personas.unit,
            people[key],
            received=date(2026, 1, 5),
            due=date(2026, 2, 1),
            completed=date(2026, 2, 3),
            quality="passed",
            field=people["construction"],
        )
    sheets_generate(
        actor=personas.focal,
        unit=personas.unit,
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=date(2026, 4, 10),
    )
    return {
        key: PeriodSheet.objects.get(official=people[key]) for key in ("head", "deputy", "staff", "staff2")
    }


@pytest.fixture
def result(personas, people):
    return YearResult.objects.create(
        official=people["staff"],
        year=2026,
        unit=personas.unit,
        rule_set="nd335_2025",
        total="183/2",
        total_display="91.50",
        computed_band="tot",
        band_by_score="xuat_sac",
        over_quota=True,
        quota_group="Chuyên viên",
        explanation={
            "periods": [],
            "year": [{"kind": "mean", "text": "Điểm cả năm = 91,50", "points": "183/2"}],
            "quota": [],
        },
    )


def test_outsider_gets_404_on_every_object_page(client, personas, people, generated, result):
    record = discipline_record(
        actor=personas.lead,
        official=people["staff"],
        form="khien_trach",
        effective_date=date(2026, 5, 1),
        decision_number="1/QĐ",
        decision_date=date(2026, 5, 1),
        public_duty_violation=True,
    )
    assert record
    product = generated["staff"].products.first()
    c = _client(client, personas.outsider)
    urls = [
        reverse("evaluation:sheet", args=[generated["staff"].pk]),
        reverse("evaluation:result", args=[result.pk]),
        f"{reverse('evaluation:sheets')}?unit={personas.unit.code}",
        f"{reverse('evaluation:home')}?unit={personas.unit.code}",
        f"{reverse('evaluation:catalogue')}?unit={personas.unit.code}",
    ]
    for url in urls:
        assert c.get(url).status_code == 404, url
    posts = [
        reverse("evaluation:sheet_step", args=[generated["staff"].pk, "self"]),
        reverse("evaluation:result_decide", args=[result.pk]),
        reverse("evaluation:product_excuse", args=[product.pk]),
        reverse("evaluation:product_add", args=[generated["staff"].pk]),
    ]
    for url in posts:
        assert c.post(url, {"band": "tot", "decision_document": "x"}).status_code == 404, url
    assert generated["staff"].status == PeriodSheet.objects.get(pk=generated["staff"].pk).status


def test_outsiders_lists_and_exports_hold_nothing_of_the_unit(client, personas, people, generated, result):
    c = _client(client, personas.outsider)
    assert "Lê Văn Chuyên" not in c.get(reverse("evaluation:sheets") + "?year=2026").content.decode()
    rows = xlsx_rows(c.get(reverse("evaluation:home") + "?year=2026&format=xlsx"))
    assert len(rows) == 1  # the header only
    rows = xlsx_rows(c.get(reverse("evaluation:sheets") + "?year=2026&format=xlsx"))
    assert "O-CV1" not in xlsx_text(rows)


def test_unit_exports_list_the_sheets_and_results(client, personas, people, generated, result):
    c = _client(client, personas.unit_head)
    rows = xlsx_rows(c.get(reverse("evaluation:sheets") + "?year=2026&format=xlsx"))
    assert sorted(xlsx_column(rows, "Mã")) == ["O-CV1", "O-CV2", "O-DEP", "O-HEAD"]
    assert set(xlsx_column(rows, "Kỳ")) == {"Quý 1/2026"}
    rows = xlsx_rows(c.get(reverse("evaluation:home") + "?year=2026&format=xlsx"))
    assert xlsx_column(rows, "Tổng điểm") == [91.5]
    assert xlsx_column(rows, "Vượt tỷ lệ xuất sắc") == ["Có"]
    assert xlsx_column(rows, "Mức tính được") == ["Hoàn thành tốt nhiệm vụ"]


def test_quota_page_flags_who_is_over_the_quota(client, personas, result):
    page = _client(client, personas.unit_head).get(reverse("evaluation:home") + "?year=2026").content.decode()
    assert 'data-testid="over-quota"' in page and "vượt tỷ lệ" in page
    over = _client(client, personas.unit_head).get(reverse("evaluation:home") + "?year=2026&band=over_quota")
    assert "Lê Văn Chuyên" in over.content.decode()


def test_sheet_page_explains_each_product_and_links_the_task(client, personas, generated):
    sheet = generated["staff"]
    page = _client(client, personas.focal).get(reverse("evaluation:sheet", args=[sheet.pk])).content.decode()
    task_id = sheet.products.get().task_id
    assert reverse("registers:task", args=[task_id]) in page
    assert "trễ hạn 1 lần" in page and "25%" in page
    assert 'data-testid="self-assess"' in page and 'data-testid="approve"' not in page


def test_focal_point_self_assesses_through_the_page(client, personas, generated):
    sheet = generated["staff"]
    c = _client(client, personas.focal)
    url = reverse("evaluation:sheet_step", args=[sheet.pk, "self"])
    c.post(url, {"version": sheet.version, "gp_a": "10", "gp_b": "nine", "gp_c": "9"})
    sheet.refresh_from_db()
    assert sheet.status == "draft"  # not a number: refused, nothing saved
    response = c.post(url, {"version": sheet.version, "gp_a": "10", "gp_b": "9,5", "gp_c": "9"}, follow=True)
    sheet.refresh_from_db()
    assert sheet.status == "self_assessed" and sheet.self_general_points["b"] == "19/2"
    assert response.status_code == 200


def test_decision_needs_confirmation(client, personas, result):
    c = _client(client, personas.unit_head)
    url = reverse("evaluation:result_decide", args=[result.pk])
    page = c.post(url, {"band": "xuat_sac", "decision_document": "QĐ 10/QĐ-SXD"})
    assert 'data-testid="confirm-decide"' in page.content.decode()
    result.refresh_from_db()
    assert not result.is_decided
    c.post(url, {"band": "xuat_sac", "decision_document": "QĐ 10/QĐ-SXD", "confirm": "yes"})
    result.refresh_from_db()
    assert result.decided_band == "xuat_sac"


def test_rules_page_shows_readings_and_saves_after_confirmation(client, personas):
    c = _client(client, personas.lead)
    page = c.get(reverse("evaluation:rules") + "?year=2026").content.decode()
    assert "deduction_reading" in page and "§3.5" in page
    data = {
        "year": 2026,
        "staff_type": "civil_servant",
        "unit_code": "",
        "rule_set": "nd335_2025",
        "overrides": '{"quota_ratio": "1/4"}',
        "basis": "QĐ 1/QĐ-UBND",
    }
    assert 'data-testid="confirm-rules"' in c.post(reverse("evaluation:rules"), data).content.decode()
    assert not RuleSetAssignment.objects.exists()
    c.post(reverse("evaluation:rules"), {**data, "confirm": "yes"})
    assert RuleSetAssignment.objects.get().overrides == {"quota_ratio": "1/4"}
    bad = c.post(
        reverse("evaluation:rules"),
        {**data, "overrides": '{"quota_ratio": "2"}', "confirm": "yes"},
        follow=True,
    )
    assert "quota_ratio" in bad.content.decode()
    assert RuleSetAssignment.objects.get().overrides == {"quota_ratio": "1/4"}


def test_rules_page_is_not_for_unit_users(client, personas):
    assert _client(client, personas.unit_head).get(reverse("evaluation:rules")).status_code == 403


def test_catalogue_edit_by_the_unit_head_and_export(client, personas):
    c = _client(client, personas.unit_head)
    c.post(
        reverse("evaluation:catalogue"),
        {
            "name": "Báo cáo định kỳ",
            "position": "Chuyên viên",
            "product_type": "report",
            "weight": "1,5",
            "active": "on",
        },
    )
    item = CatalogueItem.objects.get()
    assert str(item.weight) == "1.50" and item.unit == personas.unit
    rows = xlsx_rows(c.get(reverse("evaluation:catalogue") + "?format=xlsx"))
    assert xlsx_column(rows, "Hệ số quy đổi") == [1.5]
    assert (
        _client(client, personas.outsider).get(reverse("evaluation:catalogue") + "?format=xlsx").status_code
        == 200
    )
    assert (
        len(
            xlsx_rows(
                _client(client, personas.outsider).get(reverse("evaluation:catalogue") + "?format=xlsx")
            )
        )
        == 1
    )


def test_discipline_page_records_and_exports(client, personas, people):
    c = _client(client, personas.unit_head)
    c.post(
        reverse("evaluation:discipline"),
        {
            "official_code": "O-CV1",
            "form": "khien_trach",
            "effective_date": "04/05/2026",
            "decision_number": "12/QĐ-SXD",
            "decision_date": "01/05/2026",
            "public_duty_violation": "on",
        },
    )
    rows = xlsx_rows(c.get(reverse("evaluation:discipline") + "?format=xlsx"))
    assert xlsx_column(rows, "Số quyết định") == ["12/QĐ-SXD"]
    assert xlsx_column(rows, "Tính là không hoàn thành") == ["Có"]
    foreign = c.post(
        reverse("evaluation:discipline"),
        {
            "official_code": "O-STP",
            "form": "khien_trach",
            "effective_date": "04/05/2026",
            "decision_number": "13",
            "decision_date": "01/05/2026",
        },
    )
    assert "không tìm thấy" in foreign.content.decode()
    assert (
        len(
            xlsx_rows(
                _client(client, personas.outsider).get(reverse("evaluation:discipline") + "?format=xlsx")
            )
        )
        == 1
    )


def test_lead_generates_every_units_sheets_from_the_page_and_unit_users_cannot(
    client, personas, people, nd335_2026
):
    url = reverse("evaluation:sheets_generate_province")
    data = {"year": 2026, "period_kind": "quarter", "period_number": 1, "as_of": "10/04/2026"}
    assert _client(client, personas.unit_head).post(url, data).status_code == 403
    assert not PeriodSheet.objects.exists()
    page = _client(client, personas.lead).get(reverse("evaluation:sheets") + "?year=2026").content.decode()
    assert 'data-testid="generate-province-form"' in page
    client.post(url, data)
    assert PeriodSheet.objects.filter(unit=personas.unit).count() == 4
    assert PeriodSheet.objects.filter(unit=personas.other_unit).count() == 1


def test_exact_figures_are_shown_with_a_decimal_comma():
    from congvu.evaluation.templatetags.evaluation_tags import exact

    assert [exact(v) for v in ("3/2", "283/3", "2", "", "199/2")] == ["1,5", "94,33", "2", "—", "99,5"]


def test_sheet_products_export_with_their_points_and_explanations(client, personas, generated):
    sheet = generated["staff"]
    rows = xlsx_rows(
        _client(client, personas.focal).get(reverse("evaluation:sheet", args=[sheet.pk]) + "?format=xlsx")
    )
    assert xlsx_column(rows, "Mã") == ["NV-staff"]
    assert xlsx_column(rows, "Số lần chậm") == [1.0]
    assert xlsx_column(rows, "Điểm tiến độ (quy đổi)") == [0.75]
    assert "trễ hạn 1 lần" in xlsx_column(rows, "Diễn giải")[0]
    assert (
        _client(client, personas.outsider)
        .get(reverse("evaluation:sheet", args=[sheet.pk]) + "?format=xlsx")
        .status_code
        == 404
    )


def test_sheet_under_decree_90_says_it_is_rated_by_conditions(client, personas, people):
    from congvu.evaluation.models import RuleSetAssignment

    RuleSetAssignment.objects.create(year=2026, staff_type="civil_servant", rule_set="nd90_2020")
    make_task(
        "NV-90",
        personas.unit,
        people["staff"],
        received=date(2026, 1, 5),
        due=date(2026, 2, 1),
        completed=date(2026, 1, 30),
        quality="passed",
    )
    sheets_generate(
        actor=personas.focal,
        unit=personas.unit,
        year=2026,
        period_number=1,
        period_kind="quarter",
        as_of=date(2026, 4, 10),
    )
    sheet = PeriodSheet.objects.get(official=people["staff"])
    assert sheet.rule_set == "nd90_2020" and sheet.total == ""
    page = _client(client, personas.focal).get(reverse("evaluation:sheet", args=[sheet.pk])).content.decode()
    assert 'data-testid="by-conditions"' in page


# The FilterSets (evaluation/filters.py): each narrows, a bad value is a form error, never a 500.


def _shown(c, name, params, names):
    response = c.get(reverse(name), {"year": 2026, **params})
    assert response.status_code == 200, params
    body = response.content.decode()
    return [n for n in names if n in body], 'data-testid="filter-errors"' in body


def test_result_filters_narrow_by_band_and_official_and_name_bad_values(client, personas, result):
    c = _client(client, personas.unit_head)
    who = ["Lê Văn Chuyên"]
    assert _shown(c, "evaluation:home", {"band": "tot"}, who) == (who, False)  # computed band
    assert _shown(c, "evaluation:home", {"band": "xuat_sac"}, who) == ([], False)
    assert _shown(c, "evaluation:home", {"q": "O-CV1"}, who) == (who, False)
    assert _shown(c, "evaluation:home", {"q": "nobody"}, who) == ([], False)
    assert _shown(c, "evaluation:home", {"band": "nope", "q": "nobody"}, who) == ([], True)
    rows = xlsx_rows(c.get(reverse("evaluation:home"), {"year": 2026, "band": "xuat_sac", "format": "xlsx"}))
    assert len(rows) == 1  # the header only: the export follows the filter


def test_sheet_filters_narrow_by_period_status_and_official_and_name_bad_values(
    client, personas, people, generated
):
    c = _client(client, personas.unit_head)
    staff = ["Lê Văn Chuyên"]
    assert _shown(c, "evaluation:sheets", {"period": 1, "q": "O-CV1"}, staff) == (staff, False)
    assert _shown(c, "evaluation:sheets", {"period": 2}, staff) == ([], False)
    assert _shown(c, "evaluation:sheets", {"status": "approved"}, staff) == ([], False)
    for bad in ("0", "13", "-1", "9" * 30, "²", "1.5"):
        assert _shown(c, "evaluation:sheets", {"period": bad, "q": "O-CV1"}, staff) == (staff, True), bad
    assert _shown(c, "evaluation:sheets", {"status": "nope", "period": 2}, staff) == ([], True)
    rows = xlsx_rows(c.get(reverse("evaluation:sheets"), {"year": 2026, "q": "O-CV1", "format": "xlsx"}))
    assert xlsx_column(rows, "Mã") == ["O-CV1"]


def test_an_outsider_cannot_filter_into_another_units_evaluation(client, personas, people, generated, result):
    c = _client(client, personas.outsider)
    staff = ["Lê Văn Chuyên"]
    assert _shown(c, "evaluation:sheets", {"q": "O-CV1", "period": 1}, staff) == ([], False)
    assert _shown(c, "evaluation:home", {"q": "O-CV1", "band": "tot"}, staff) == ([], False)
    rows = xlsx_rows(c.get(reverse("evaluation:sheets"), {"year": 2026, "q": "O-CV1", "format": "xlsx"}))
    assert "O-CV1" not in xlsx_text(rows)


def test_discipline_and_conclusion_lists_search_by_official_and_number(client, personas, people):
    discipline_record(
        actor=personas.unit_head,
        official=people["staff"],
        form="khien_trach",
        effective_date=date(2026, 5, 4),
        decision_number="12/QĐ-SXD",
        decision_date=date(2026, 5, 1),
        public_duty_violation=True,
    )
    c = _client(client, personas.unit_head)
    staff = ["Lê Văn Chuyên"]
    for q in ("12/QĐ", "o-cv1"):  # (the fixture's officials have no folded name to match)
        assert _shown(c, "evaluation:discipline", {"q": q}, staff) == (staff, False), q
    assert _shown(c, "evaluation:discipline", {"q": "99/QĐ"}, staff) == ([], False)
    assert _shown(c, "evaluation:discipline", {"q": "x" * 300}, staff) == (staff, True)  # too long
    assert _shown(c, "evaluation:conclusions", {"q": "o-cv1"}, staff) == ([], False)
    o = _client(client, personas.outsider)
    assert _shown(o, "evaluation:discipline", {"q": "12/QĐ"}, staff) == ([], False)
