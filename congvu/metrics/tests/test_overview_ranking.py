"""The province ranking finds the worst units fairly (issue #15 item 5): current units with their
predecessors' records (as on their scorecard), a rank by the 95 % Wilson interval so that a unit with
3 records cannot outrank one with 1,000 by chance, worst first on one click, a minimum number of
judged records below which units are listed apart, sortable columns, the Excel export, the chart."""

from datetime import date

import pytest
from django.urls import reverse

from congvu.core.testing import xlsx_rows
from congvu.metrics.selectors import _predecessor_sets, wilson_interval

pytestmark = pytest.mark.django_db

R = date(2025, 5, 5)
AS_OF = {"as_of": "05/05/2025"}


def _tasks(unit, prefix: str, *, on_time: int = 0, late: int = 0, overdue: int = 0) -> None:
    """`on_time` tasks done on time, `late` done late, `overdue` open past their deadline (all judged
    as of R), created in one statement."""
    from congvu.registers.models import Task

    spec = (
        [(date(2025, 3, 10), date(2025, 3, 5))] * on_time  # due, completed
        + [(date(2025, 3, 10), date(2025, 3, 20))] * late
        + [(date(2025, 3, 10), None)] * overdue
    )
    Task.objects.bulk_create(
        Task(
            source="test",
            external_code=f"{prefix}-{i}",
            content=f"Nhiệm vụ {prefix}-{i}",
            authority="ppc",
            unit=unit,
            received_on=date(2025, 3, 3),
            due_on=due,
            completed_on=completed,
        )
        for i, (due, completed) in enumerate(spec)
    )


def _unit(code: str, name: str, **extra):
    from congvu.org.services import unit_create

    return unit_create(actor="test", code=code, name=name, kind="commune", **extra)


def _merge(predecessor, successor) -> None:
    from congvu.org.models import UnitLineage

    UnitLineage.objects.create(
        predecessor=predecessor, successor=successor, event="merge", date=date(2025, 3, 1)
    )


def _ranked(response, table="ranked"):
    return [(line["row"]["rank"], line["row"]["code"]) for line in response.context[table]]


def _get(client, **params):
    response = client.get(reverse("metrics:overview"), {**AS_OF, **params})
    assert response.status_code == 200
    return response


def test_wilson_interval_of_hand_counted_proportions():
    low, high = wilson_interval(3, 3)
    assert (round(low, 4), high) == (0.4385, 1.0)
    low, high = wilson_interval(950, 1000)
    assert (round(low, 4), round(high, 4)) == (0.9347, 0.9619)
    low, high = wilson_interval(0, 1)
    assert (low, round(high, 4)) == (0.0, 0.7935)
    assert wilson_interval(0, 0) is None


def test_three_of_three_does_not_outrank_950_of_1000(client, personas, calendar):
    small = _unit("T-X-NHO", "Xã Nhỏ")
    big = _unit("T-X-LON", "Xã Lớn")
    _tasks(small, "NHO", on_time=3)
    _tasks(big, "LON", on_time=950, late=50)
    client.force_login(personas.lead)

    response = _get(client, min_records=1)

    # By the raw rate 3/3 = 100 % would come first; by the lower bound 0.9346 > 0.4385.
    assert _ranked(response) == [(1, "T-X-LON"), (2, "T-X-NHO")]
    rows = {line["row"]["code"]: line for line in response.context["ranked"]}
    assert rows["T-X-NHO"]["row"]["on_time_rate"] == 1.0  # the shown rate is the count ratio
    assert rows["T-X-LON"]["row"]["on_time_rate"] == 0.95
    # The interval is shown, rounded outward (0.93466 down, 0.96189 up).
    assert rows["T-X-LON"]["cells"][3]["text"] == "93,4% – 96,2%"
    assert "cận dưới của khoảng tin cậy Wilson 95%, giảm dần" in response.content.decode()


def test_worst_first_puts_the_worst_current_unit_with_enough_records_first(client, personas, calendar):
    worst = _unit("T-X-KEM", "Xã Kém")  # 10 of 40 on time: certainly bad (upper bound 0.40)
    unlucky = _unit("T-X-MOT", "Xã Một")  # 0 of 1: bad by chance only (upper bound 0.79)
    good = _unit("T-X-TOT", "Xã Tốt")  # 36 of 40, with a former commune's 0 of 1
    former = _unit("T-X-CU", "Xã Cũ", valid_to=date(2025, 2, 28))
    _merge(former, good)
    _tasks(worst, "KEM", on_time=10, late=20, overdue=10)
    _tasks(unlucky, "MOT", late=1)
    _tasks(good, "TOT", on_time=36, late=4)
    _tasks(former, "CU", late=1)
    client.force_login(personas.lead)

    with_minimum = _get(client, order="worst", min_records=20)
    assert _ranked(with_minimum) == [(1, "T-X-KEM"), (2, "T-X-TOT")]
    assert _ranked(with_minimum, "apart") == [(None, "T-X-MOT")]  # under the minimum: listed apart

    everyone = _get(client, order="worst", min_records=1)
    # The unit with one late record does not come first; the former commune has no row of its own.
    assert _ranked(everyone) == [(1, "T-X-KEM"), (2, "T-X-MOT"), (3, "T-X-TOT")]
    good_row = everyone.context["ranked"][2]["row"]
    assert (good_row["done_on_time"], good_row["judged"], good_row["absorbed"]) == (36, 41, 1)

    best = _get(client, min_records=1)
    assert _ranked(best) == [(1, "T-X-TOT"), (2, "T-X-KEM"), (3, "T-X-MOT")]


def test_a_former_units_records_count_under_its_successor_as_on_its_scorecard(client, world):
    client.force_login(world.personas.inspector)
    response = _get(client, min_records=1)
    # T-SXD: 2 on time of 7 judged, and B (done late) of the unit it absorbed, T-SXD-CU → 2/8.
    assert _ranked(response) == [(1, "T-SXD"), (2, "T-STP")]
    ranking_row = response.context["ranked"][0]["row"]
    assert (ranking_row["done_on_time"], ranking_row["judged"], ranking_row["on_time_rate"]) == (2, 8, 0.25)

    scorecard = client.get(reverse("metrics:unit", args=["T-SXD"]), AS_OF).context["summary"]
    for key in (
        "total",
        "done_on_time",
        "done_late",
        "open_in_time",
        "open_overdue",
        "no_deadline",
        "on_time_rate",
        "late_days_mean",
        "late_days_median",
        "late_days_max",
    ):
        assert ranking_row[key] == scorecard[key], key
    # The unit's link opens its scorecard with its predecessors, its figures the same records.
    line = response.context["ranked"][0]
    assert "pred=0" not in line["link"]
    records = client.get(line["cells"][0]["url"])
    assert records.context["page"].paginator.count == 8


def test_units_as_they_were_list_the_former_unit_on_its_own(client, world):
    client.force_login(world.personas.inspector)
    response = _get(client, min_records=1, pred="0")
    rows = {line["row"]["code"]: line["row"] for line in response.context["ranked"]}
    assert set(rows) == {"T-SXD", "T-STP", "T-SXD-CU"}
    assert (rows["T-SXD"]["done_on_time"], rows["T-SXD"]["judged"]) == (2, 7)
    assert (rows["T-SXD-CU"]["judged"], rows["T-SXD-CU"]["current"]) == (1, False)
    assert "đơn vị cũ" in response.content.decode()


def test_units_under_the_minimum_are_listed_apart_without_a_rank(client, world, settings):
    settings.RANKING_MIN_RECORDS = 20
    client.force_login(world.personas.lead)
    response = _get(client)
    assert _ranked(response) == []
    assert _ranked(response, "apart") == [(None, "T-STP"), (None, "T-SXD")]  # by name
    body = response.content.decode()
    assert "Chưa đủ hồ sơ để xếp hạng" in body
    assert "ít nhất 20 hồ sơ được đánh giá" in body

    assert _ranked(_get(client, min_records=8)) == [(1, "T-SXD")]  # 8 judged: enough


def test_a_bad_minimum_is_reported_and_the_default_used(client, world, settings):
    settings.RANKING_MIN_RECORDS = 1
    client.force_login(world.personas.lead)
    response = _get(client, min_records="-3")
    assert _ranked(response) == [(1, "T-SXD"), (2, "T-STP")]
    assert "Số hồ sơ tối thiểu để xếp hạng" in response.content.decode().split('role="alert"')[1]


def test_columns_sort_through_a_whitelist(client, personas, calendar):
    for code, on_time, late in (("T-X-A", 30, 10), ("T-X-B", 5, 0), ("T-X-C", 20, 30)):
        _tasks(_unit(code, f"Xã {code[-1]}"), code, on_time=on_time, late=late)
    client.force_login(personas.lead)

    assert _ranked(_get(client, min_records=1, sort="-n")) == [(3, "T-X-C"), (1, "T-X-A"), (2, "T-X-B")]
    assert _ranked(_get(client, min_records=1, sort="rate")) == [(3, "T-X-C"), (1, "T-X-A"), (2, "T-X-B")]
    assert _ranked(_get(client, min_records=1, sort="-unit")) == [(3, "T-X-C"), (2, "T-X-B"), (1, "T-X-A")]
    # Not on the whitelist (a model field, an injection attempt): ignored, the rank order stays.
    for bad in ("unit__name", "rank;DROP TABLE", "-", "label"):
        assert _ranked(_get(client, min_records=1, sort=bad)) == [(1, "T-X-A"), (2, "T-X-B"), (3, "T-X-C")]


def test_the_export_has_the_pages_columns_and_order(client, world):
    client.force_login(world.personas.lead)
    header, *lines = xlsx_rows(
        client.get(
            reverse("metrics:overview"), {**AS_OF, "min_records": 2, "order": "worst", "format": "xlsx"}
        )
    )
    assert header[:8] == [
        "Hạng",
        "Đơn vị",
        "Mã",
        "Số được đánh giá (n)",
        "Hoàn thành đúng hạn",
        "Tỷ lệ đúng hạn (%)",
        "Wilson 95%: cận dưới (%)",
        "Wilson 95%: cận trên (%)",
    ]
    assert header[-1] == "Ghi chú"
    assert [line[:8] for line in lines] == [
        # 2 of 8: Wilson 0.071478–0.590730, bounds rounded outward as on the page.
        [1, "Sở Xây dựng", "T-SXD", 8, 2, 25.0, 7.14, 59.08],
        ["", "Sở Tư pháp", "T-STP", 1, 0, 0.0, 0.0, 79.35],
    ]
    assert lines[1][-1] == "chưa đủ hồ sơ để xếp hạng"


def test_the_chart_counts_the_ranked_units_by_rate(client, personas, calendar):
    for code, on_time, late in (("T-X-A", 30, 10), ("T-X-B", 5, 0), ("T-X-C", 20, 30), ("T-X-D", 1, 0)):
        _tasks(_unit(code, f"Xã {code[-1]}"), code, on_time=on_time, late=late)
    client.force_login(personas.lead)
    response = _get(client, min_records=5)
    chart = response.context["chart"]
    # A 75 %, B 100 %, C 40 %; D (1 record) is not ranked.
    assert chart["counts"] == [0, 0, 0, 0, 1, 0, 0, 1, 0, 1]
    assert chart["labels"][0] == "0–10%"
    body = response.content.decode()
    assert 'id="ranking-data"' in body and 'id="ranking-chart"' in body
    assert "metrics/ranking" in body and "<script>" not in body


def test_outsider_sees_only_their_unit_in_the_ranking(client, world):
    client.force_login(world.personas.outsider)
    response = _get(client, min_records=1)
    assert _ranked(response) == [(1, "T-STP")]
    assert "Sở Xây dựng" not in response.content.decode()


def test_predecessor_sets_agree_with_the_scorecards_lineage_function(personas):
    from congvu.org.selectors import unit_with_predecessor_ids

    a, b, c, d = (_unit(f"T-L-{x}", f"Xã {x}") for x in "ABCD")
    _merge(a, b)  # a → b → c, and d → c
    _merge(b, c)
    _merge(d, c)
    ids = {u.pk for u in (a, b, c, d, personas.unit)}
    sets = _predecessor_sets(ids)
    assert sets == {pk: unit_with_predecessor_ids(pk) for pk in ids}
    assert sets[c.pk] == {a.pk, b.pk, c.pk, d.pk}


def test_worst_first_is_one_click_away_and_keeps_the_filters(client, world):
    client.force_login(world.personas.lead)
    body = _get(client, min_records=1, register="dossiers").content.decode()
    toggle = body.split('data-testid="ranking-order"')[1].split("</div>")[0]
    assert "order=worst" in toggle and "min_records=1" in toggle and "register=dossiers" in toggle


def test_a_split_units_records_count_under_both_successors_as_on_their_scorecards(client, personas, calendar):
    old = _unit("T-X-GOC", "Xã Gốc", valid_to=date(2025, 2, 28))
    east, west = _unit("T-X-DONG", "Xã Đông"), _unit("T-X-TAY", "Xã Tây")
    _merge(old, east)
    _merge(old, west)
    _tasks(old, "GOC", on_time=1, late=1)
    _tasks(east, "DONG", on_time=3)
    client.force_login(personas.lead)

    response = _get(client, min_records=1)
    rows = {line["row"]["code"]: line["row"] for line in response.context["ranked"]}
    assert set(rows) == {"T-X-DONG", "T-X-TAY"}
    assert (rows["T-X-DONG"]["done_on_time"], rows["T-X-DONG"]["judged"]) == (4, 5)
    assert (rows["T-X-TAY"]["done_on_time"], rows["T-X-TAY"]["judged"]) == (1, 2)
    for code in ("T-X-DONG", "T-X-TAY"):
        summary = client.get(reverse("metrics:unit", args=[code]), AS_OF).context["summary"]
        assert summary["on_time_rate"] == rows[code]["on_time_rate"]
