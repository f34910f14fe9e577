"""The engine against hand-counted figures (see conftest: the calendar, records A–K, P–S, R = 05/05/2025).

Working days are counted by hand in the comments: ✓ marks a working day, ✗ a day off."""

from datetime import date

import pytest

from congvu.metrics.engine import (
    BUCKETS,
    annotate_lateness,
    bucket_q,
    compute_buckets,
    compute_metrics,
    figure_q,
)
from congvu.metrics.selectors import filter_records
from congvu.metrics.tests.conftest import R
from congvu.registers.models import Dossier, Task

pytestmark = pytest.mark.django_db


def unit_tasks(world, with_predecessors=True):
    return filter_records(
        Task.objects.all(), register="tasks", unit=world.personas.unit, with_predecessors=with_predecessors
    )


def unit_dossiers(world):
    return filter_records(Dossier.objects.all(), register="dossiers", unit=world.personas.unit)


def test_buckets_and_lateness_across_tet_and_swapped_saturdays(world):
    (row,) = compute_metrics(register="tasks", records=unit_tasks(world), as_of=R)
    # In the report as of 05/05/2025: A B C D E F G I J K (H is received on 06/05, after R).
    assert row["total"] == 10
    # Done on time: D (completed on its due date), K (due R, completed R).
    assert row["done_on_time"] == 2
    # Done late: A, B, C, J.
    assert row["done_late"] == 4
    # Open in time: F (due on R itself: R ≤ due).
    assert row["open_in_time"] == 1
    # Open overdue: E, and G (completed 06/05, after R, so open in this report).
    assert row["open_overdue"] == 2
    # No deadline: I.
    assert row["no_deadline"] == 1
    # 2 / (2 + 4 + 2)
    assert row["on_time_rate"] == 0.25
    assert row["late_total"] == 6
    # Lateness in working days:
    # A due Fri 24/01/2025, done Tue 04/02: 25–26 weekend, 27–31/01 Tết ✗, 1–2/02 weekend, 3 ✓ 4 ✓ → 2
    # B due Fri 26/04/2024, done Mon 06/05: 27–28 weekend, 29/04 (swapped) 30/04 01/05 ✗,
    #   2 ✓ 3 ✓, Sat 4/05 worked ✓, 5 Sun, 6 ✓ → 4
    # C due Fri 25/04/2025, done Mon 28/04: Sat 26/04 worked ✓, 27 Sun, 28 ✓ → 2
    # J due Fri 02/05/2025 (a swapped day off), done Mon 05/05 = R: 3–4 weekend, 5 ✓ → 1
    # E due Tue 29/04/2025, open: overdue-by to R: 30/04 01/05 02/05 ✗, 3–4 weekend, 5 ✓ → 1
    # G due Thu 10/04/2025, open as of R: 11 ✓, 14–18 ✓×5, 21–25 ✓×5, Sat 26 ✓, 28 ✓ 29 ✓,
    #   30/04–02/05 ✗, 5 ✓ → 1 + 5 + 5 + 1 + 2 + 1 = 15
    # sorted: 1 1 2 2 4 15 → mean 25/6 = 4.17, median (2 + 2) / 2 = 2, max 15
    assert row["late_days_mean"] == 4.17
    assert row["late_days_median"] == 2
    assert row["late_days_max"] == 15
    assert row["late_days_unknown"] == 0


def test_stage_durations_count_working_days(world):
    (row,) = compute_metrics(register="tasks", records=unit_tasks(world), as_of=R)
    # A: received Mon 20/01/2025, handled Fri 24/01: 21 22 23 24 ✓ → 4
    #    handled 24/01 → advised Mon 03/02: Tết 27–31 ✗, 3/02 ✓ → 1; received → advised: 4 + 1 = 5
    # B: received Fri 26/04/2024, handled Fri 03/05: 29/04–01/05 ✗, 2 ✓ 3 ✓ → 2
    #    handled 03/05 → advised Sat 04/05 (worked) ✓ → 1; received → advised: 3
    # F: handled 06/05, after R: not yet handled in this report.
    assert row["receipt_to_handling_mean"] == 3.0  # (4 + 2) / 2
    assert row["handling_to_advice_mean"] == 1.0  # (1 + 1) / 2
    assert row["receipt_to_advice_mean"] == 4.0  # (5 + 3) / 2
    # Receipt → completion over the tasks done by R:
    # A 21/01–04/02: 4 + (3, 4/02) 2 = 6; B 27/04–06/05/2024: 4;
    # C 02/04–28/04/2025: 2 3 4 (3), 7/04 ✗, 8–11 (4), 14–18 (5), 21–25 (5), Sat 26 (1), 28 (1) = 19;
    # D 04/02–10/02: 4 5 6 7 10 = 5; J and K 22/04–05/05: 22–25 (4), Sat 26 (1), 28 29 (2), 5/05 (1) = 8
    # (6 + 4 + 19 + 5 + 8 + 8) / 6 = 50 / 6
    assert row["receipt_to_completion_mean"] == 8.33
    assert row["completion_to_return_mean"] is None  # a dossier figure


def test_quality_counts_only_verdicts_of_tasks_done_by_the_report_date(world):
    (row,) = compute_metrics(register="tasks", records=unit_tasks(world), as_of=R)
    # A D J passed, B failed, C returned; G passed too but is completed after R.
    assert (row["quality_passed"], row["quality_failed"], row["quality_returned"]) == (3, 1, 1)
    assert row["quality_pass_rate"] == 0.6  # 3 / 5
    assert row["returned_total"] == 3  # A once, C twice
    assert row["proactive_count"] == 2  # A, I
    assert row["late_with_apology"] is None  # a dossier figure


def test_dossier_figures(world):
    (row,) = compute_metrics(register="dossiers", records=unit_dossiers(world), as_of=R)
    # P due Fri 24/01/2025, done Mon 03/02 (after Tết): 3/02 ✓ → late by 1, with an apology slip.
    # Q due Mon 06/05/2024, done Sat 04/05 (a worked Saturday): on time.
    # S due Tue 29/04/2025, open: overdue by 1 (30/04–02/05 ✗, 5/05 ✓).
    assert (row["total"], row["done_on_time"], row["done_late"], row["open_overdue"]) == (3, 1, 1, 1)
    assert row["on_time_rate"] == 0.3333  # 1 / 3
    assert (row["late_days_mean"], row["late_days_median"], row["late_days_max"]) == (1.0, 1.0, 1)
    # Receipt → completion: P Thu 23/01 → Mon 03/02: 24/01 ✓, Tết ✗, 3/02 ✓ → 2; Q Fri 03/05 → Sat 04/05 → 1
    assert row["receipt_to_completion_mean"] == 1.5
    # Completion → return: P 03/02 → 04/02 → 1; Q Sat 04/05 → Mon 06/05 → 1
    assert row["completion_to_return_mean"] == 1.0
    assert row["late_with_apology"] == 1
    assert row["quality_passed"] is None and row["proactive_count"] is None


def test_report_date_boundaries(world):
    records = unit_tasks(world)
    t = world.tasks
    in_bucket = {
        b: set(records.filter(bucket_q(b, R)).values_list("external_code", flat=True)) for b in BUCKETS
    }
    assert "J" in in_bucket["done_late"] and "K" in in_bucket["done_on_time"]  # completed on R
    assert "F" in in_bucket["open_in_time"]  # due on R
    assert "G" in in_bucket["open_overdue"]  # completed after R: open in this report
    assert all("H" not in codes for codes in in_bucket.values())  # received after R
    # The day after, G is done late and H exists, still open.
    (later,) = compute_buckets(register="tasks", records=records, as_of=date(2025, 5, 6))
    assert later["total"] == 11
    assert records.filter(bucket_q("done_late", date(2025, 5, 6)), pk=t["G"].pk).exists()
    # On 06/05 F (due 05/05) is open and overdue by one working day.
    lateness = dict(annotate_lateness(records, date(2025, 5, 6)).values_list("external_code", "late_days"))
    assert lateness["F"] == 1
    # G's lateness on 06/05: done late, 11/04 … 06/05 = the 15 days to 05/05 + 06/05 → 16.
    assert lateness["G"] == 16
    assert lateness["D"] is None and lateness["I"] is None


def test_every_figure_matches_the_records_behind_it(world):
    records = unit_tasks(world)
    (row,) = compute_metrics(register="tasks", records=records, as_of=R)
    for key in ("total", *BUCKETS, "late_total", "quality_passed", "quality_failed", "quality_returned"):
        assert records.filter(figure_q(key, "tasks", R)).count() == row[key], key
    assert records.filter(figure_q("on_time_rate", "tasks", R)).count() == 8  # the rate's denominator
    assert records.filter(figure_q("proactive_count", "tasks", R)).count() == row["proactive_count"]
    dossiers = unit_dossiers(world)
    (drow,) = compute_metrics(register="dossiers", records=dossiers, as_of=R)
    assert dossiers.filter(figure_q("late_with_apology", "dossiers", R)).count() == drow["late_with_apology"]
    with pytest.raises(ValueError):
        figure_q("proactive_count", "dossiers", R)


def test_lateness_annotation_per_record(world):
    lateness = dict(annotate_lateness(unit_tasks(world), R).values_list("external_code", "late_days"))
    assert lateness == {
        "A": 2, "B": 4, "C": 2, "J": 1, "E": 1, "G": 15,
        "D": None, "K": None, "F": None, "I": None, "H": None,
    }  # fmt: skip


def test_on_time_rate_is_none_without_a_denominator(world):
    # Only I (no deadline) and F (open, in time) are in a report of the head's 'no field' and F.
    records = unit_tasks(world).filter(external_code__in=["F", "I"])
    (row,) = compute_metrics(register="tasks", records=records, as_of=R)
    assert (row["total"], row["open_in_time"], row["no_deadline"]) == (2, 1, 1)
    assert row["on_time_rate"] is None
    assert row["late_days_mean"] is None and row["late_days_median"] is None and row["late_days_max"] is None
    (empty,) = compute_metrics(register="tasks", records=Task.objects.none(), as_of=R)
    assert empty["total"] == 0 and empty["on_time_rate"] is None and empty["quality_pass_rate"] is None


def test_group_by_official(world):
    rows = {
        r["code"]: r
        for r in compute_metrics(register="tasks", records=unit_tasks(world), as_of=R, by="official")
    }
    assert set(rows) == {"T-GD", "T-PGD"}
    deputy = rows["T-PGD"]  # A B C: all late, 2 4 2
    assert (deputy["total"], deputy["done_late"], deputy["on_time_rate"]) == (3, 3, 0.0)
    assert (deputy["late_days_mean"], deputy["late_days_median"], deputy["late_days_max"]) == (2.67, 2, 4)
    assert deputy["label"] == "Trần Thị Phó" and deputy["key"] == world.deputy.pk
    head = rows["T-GD"]  # D E F G I J K: on time D K, late J (1), overdue E (1) G (15), open F, none I
    assert (head["total"], head["done_on_time"], head["done_late"], head["open_overdue"]) == (7, 2, 1, 2)
    assert (head["open_in_time"], head["no_deadline"], head["on_time_rate"]) == (1, 1, 0.4)
    assert (head["late_days_mean"], head["late_days_median"], head["late_days_max"]) == (5.67, 1, 15)


def test_group_by_field_keeps_records_without_a_field(world):
    rows = compute_metrics(register="tasks", records=unit_tasks(world), as_of=R, by="field")
    by_code = {r["code"]: r for r in rows}
    assert by_code["T-XD"]["total"] == 3 and by_code["T-QH"]["total"] == 6
    missing = by_code[None]  # I: no field, no deadline
    assert missing["key"] is None and missing["total"] == 1 and missing["on_time_rate"] is None
    assert rows[-1] is missing  # listed last


def test_group_by_month_of_receipt(world):
    rows = compute_metrics(register="tasks", records=unit_tasks(world), as_of=R, by="month")
    assert [r["key"] for r in rows] == ["2024-04", "2025-01", "2025-02", "2025-03", "2025-04"]
    assert rows[0]["label"] == "04/2024"
    april = rows[-1]  # C E F G J K: on time K; late C J; open F; overdue E G
    assert (april["total"], april["done_on_time"], april["done_late"], april["open_overdue"]) == (6, 1, 2, 2)
    assert april["on_time_rate"] == 0.2  # 1 / 5


def test_group_by_unit_and_predecessors(world):
    rows = {
        r["code"]: r for r in compute_metrics(register="tasks", records=unit_tasks(world), as_of=R, by="unit")
    }
    assert rows["T-SXD-CU"]["total"] == 1 and rows["T-SXD-CU"]["late_days_max"] == 4  # B
    assert rows["T-SXD"]["total"] == 9
    (own,) = compute_metrics(register="tasks", records=unit_tasks(world, with_predecessors=False), as_of=R)
    assert own["total"] == 9


def test_total_merged_from_the_groups_equals_the_ungrouped_figures(world):
    records = Task.objects.all()
    *units, total = compute_buckets(register="tasks", records=records, as_of=R, by="unit", with_total=True)
    (direct,) = compute_buckets(register="tasks", records=records, as_of=R)
    assert total == direct
    assert len(units) == 3 and total["total"] == 11  # A–K without H, and X of the other unit
    # X: due 02/04/2025, done 30/04 (a holiday) → 3–4/04 ✓✓, 7/04 ✗, 8–11 ✓×4, 14–18 ✓×5, 21–25 ✓×5,
    # Sat 26 ✓, 28 29 ✓✓, 30/04 ✗ → 2 + 4 + 5 + 5 + 1 + 2 = 19: the new maximum
    assert total["late_days_max"] == 19


def test_lateness_outside_the_calendar_is_unknown_not_zero(world):
    # 15/03/2026 is beyond the calendar table (it ends 31/01/2026).
    late = date(2026, 3, 15)
    (row,) = compute_metrics(register="tasks", records=unit_tasks(world), as_of=late)
    # Open overdue as of 15/03/2026: E, F, H (due 20/05/2025); their overdue-by cannot be counted.
    assert row["open_overdue"] == 3 and row["late_days_unknown"] == 3
    # Done late: A B C J G — known.
    assert row["done_late"] == 5 and row["late_days_max"] == 16


def test_unknown_register_or_grouping_is_refused(world):
    with pytest.raises(ValueError):
        compute_metrics(register="letters", records=Task.objects.all(), as_of=R)
    with pytest.raises(ValueError):
        compute_metrics(register="tasks", records=Task.objects.all(), as_of=R, by="weekday")
