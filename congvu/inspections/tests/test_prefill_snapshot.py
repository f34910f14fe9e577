"""Head/deputy checklist items pre-filled by the performance engine, frozen: later imports do not
change them; an explicit, audited refresh does."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.urls import reverse

from congvu.conftest import shared_fixture
from congvu.core.models import AuditEvent
from congvu.inspections import services
from congvu.inspections.models import ChecklistItem
from congvu.inspections.tests.conftest import PERIOD, move
from congvu.metrics.engine import compute_metrics
from congvu.org.models import Appointment, Official
from congvu.registers.models import Dossier, Task


@shared_fixture
def weekdays(db):
    """A plain Monday–Friday ordinal table for 2024–2026, so lateness is in working days."""
    from congvu.workdays.models import WorkdayOrdinal

    rows, ordinal, day = [], 0, date(2024, 1, 1)
    while day <= date(2026, 12, 31):
        working = day.weekday() < 5
        ordinal += working
        rows.append(WorkdayOrdinal(date=day, ordinal=ordinal, is_working=working))
        day += timedelta(days=1)
    WorkdayOrdinal.objects.all().delete()
    WorkdayOrdinal.objects.bulk_create(rows)


def _task(unit, code, received, due=None, completed=None, **extra):
    return Task.objects.create(
        source="test",
        external_code=code,
        content=f"Nhiệm vụ {code}",
        authority=extra.pop("authority", "ppc"),
        unit=unit,
        received_on=received,
        due_on=due,
        completed_on=completed,
        **extra,
    )


@shared_fixture
def records(personas, leaders):
    unit, xd, qh = personas.unit, leaders["construction"], leaders["planning"]
    t = {
        "on_time": _task(unit, "T1", date(2025, 2, 3), date(2025, 2, 20), date(2025, 2, 18), field=xd),
        # Due Mon 10/03, completed Fri 14/03: 4 working days late.
        "late": _task(unit, "T2", date(2025, 3, 3), date(2025, 3, 10), date(2025, 3, 14), field=qh),
        "central_overdue": _task(
            unit, "T3", date(2025, 4, 1), date(2025, 5, 1), None, field=xd, authority="central"
        ),
        "party_qppl": _task(
            unit,
            "T4",
            date(2025, 5, 5),
            None,
            None,
            authority="party_standing",
            product_type="legal_normative",
            proactive=True,
        ),
        "council_failed": _task(
            unit,
            "T6",
            date(2025, 5, 2),
            date(2025, 6, 10),
            date(2025, 6, 1),
            field=xd,
            product_type="council_submission",
            quality="failed",
            returned_count=2,
        ),
        "after_period": _task(unit, "T5", date(2025, 7, 15), date(2025, 7, 20), None, field=xd),
        "other_unit": _task(personas.other_unit, "T9", date(2025, 2, 3), date(2025, 2, 4), None, field=xd),
    }
    d = {
        "late": Dossier.objects.create(
            source="test",
            external_code="D1",
            unit=unit,
            field=xd,
            procedure="Cấp giấy phép xây dựng",
            received_on=date(2025, 2, 3),
            due_on=date(2025, 2, 10),
            completed_on=date(2025, 2, 12),
        ),
        "on_time": Dossier.objects.create(
            source="test",
            external_code="D2",
            unit=unit,
            field=qh,
            procedure="Thẩm định quy hoạch",
            received_on=date(2025, 2, 3),
            due_on=date(2025, 2, 20),
            completed_on=date(2025, 2, 10),
        ),
    }
    return {"tasks": t, "dossiers": d}


@shared_fixture
def sheets(personas, surprise, leaders, records, weekdays):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    return {
        "head": surprise.checklists.get(subject="head"),
        "deputy": surprise.checklists.get(subject="deputy"),
    }


def _item(sheet, metric):
    return sheet.items.get(metric=metric)


def _group(item, key="all"):
    """The group's figures, with its frozen id lists under "ids" (they live in their own column)."""
    group = next(g for g in item.snapshot["groups"] if g["key"] == key)
    return {**group, "ids": item.snapshot_ids[key]}


def _ids(*records):
    return sorted(r.pk for r in records)


def test_a_sheet_for_the_head_and_each_deputy_in_post_during_the_period(
    personas, surprise, leaders, weekdays
):
    gone = Official.objects.create(code="O-GONE", full_name="Phó cũ")
    Appointment.objects.create(
        official=gone,
        unit=personas.unit,
        role="deputy",
        title="Phó Giám đốc",
        start=date(2019, 1, 1),
        end=date(2024, 12, 31),
    )
    newcomer = Official.objects.create(code="O-NEW", full_name="Phó mới")
    Appointment.objects.create(
        official=newcomer, unit=personas.unit, role="deputy", title="Phó Giám đốc", start=date(2025, 4, 1)
    )
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    sheets = {c.official.full_name if c.official else "unit": c for c in surprise.checklists.all()}
    assert set(sheets) == {"unit", "Nguyễn Văn Giám Đốc", "Trần Thị Phó", "Phó mới"}
    assert sheets["Phó mới"].period_from == date(2025, 4, 1)
    assert sheets["Nguyễn Văn Giám Đốc"].subject == "head"
    assert sheets["Nguyễn Văn Giám Đốc"].items.count() == 7  # the directive's in-depth content


def test_head_items_hold_the_engines_figures_and_the_ids_behind_them(sheets, records, personas):
    t = records["tasks"]
    item = _item(sheets["head"], "tasks_progress")
    assert item.snapshot_as_of == PERIOD[1]
    group = _group(item)
    in_period = Task.objects.filter(unit=personas.unit, received_on__range=PERIOD)
    expected = compute_metrics(register="tasks", records=in_period, as_of=PERIOD[1])[0]
    for name in ("total", "done_on_time", "done_late", "open_overdue", "no_deadline", "on_time_rate"):
        assert group["figures"][name] == expected[name], name
    assert group["figures"]["total"] == 5
    assert (
        group["figures"]["late_days_max"] == 4 or group["figures"]["late_days_max"] > 4
    )  # T3 overdue longer
    assert group["ids"]["done_late"] == _ids(t["late"])
    assert group["ids"]["open_overdue"] == _ids(t["central_overdue"])
    assert group["ids"]["total"] == _ids(
        t["on_time"], t["late"], t["central_overdue"], t["party_qppl"], t["council_failed"]
    )


def test_deputy_figures_cover_the_fields_of_their_portfolio(sheets, records):
    t, d = records["tasks"], records["dossiers"]
    tasks = _group(_item(sheets["deputy"], "tasks_progress"))
    assert tasks["ids"]["total"] == _ids(t["on_time"], t["central_overdue"], t["council_failed"])
    dossiers = _group(_item(sheets["deputy"], "dossiers"))
    assert dossiers["ids"]["total"] == _ids(d["late"])
    assert dossiers["figures"]["done_late"] == 1
    assert sheets["deputy"].items.get(metric="dossiers").snapshot["fields"] == ["Xây dựng"]


def test_central_and_party_tasks_are_shown_apart(sheets, records):
    item = _item(sheets["head"], "tasks_proactive")
    central = _group(item, "central")
    party = _group(item, "party_standing")
    assert central["ids"]["total"] == _ids(records["tasks"]["central_overdue"])
    assert central["figures"]["open_overdue"] == 1
    assert party["ids"]["total"] == _ids(records["tasks"]["party_qppl"])
    assert party["figures"]["proactive_count"] == 1
    assert _group(item, "party_committee")["figures"]["total"] == 0


def test_legal_documents_and_council_submissions_are_counted(sheets, records):
    item = _item(sheets["head"], "legal_documents")
    assert _group(item, "legal_normative")["ids"]["total"] == _ids(records["tasks"]["party_qppl"])
    council = _group(item, "council_submission")
    assert council["figures"]["total"] == 1
    assert council["figures"]["quality_failed"] == 1
    assert council["figures"]["returned_total"] == 2


def test_quality_and_stage_items(sheets, records):
    quality = _group(_item(sheets["head"], "tasks_quality"))
    assert quality["ids"]["quality_failed"] == _ids(records["tasks"]["council_failed"])
    stages = _group(_item(sheets["head"], "tasks_stages"))
    assert set(stages["figures"]) >= {
        "receipt_to_handling_mean",
        "handling_to_advice_mean",
        "receipt_to_advice_mean",
    }


def test_the_snapshot_stays_frozen_when_later_imports_change_the_registers(client, sheets, records, personas):
    item = _item(sheets["head"], "tasks_progress")
    frozen, frozen_ids = item.snapshot, item.snapshot_ids
    # A later import: the overdue task is now completed, a new task appears in the period, one vanishes.
    Task.objects.filter(pk=records["tasks"]["central_overdue"].pk).update(completed_on=date(2025, 6, 1))
    _task(personas.unit, "T7", date(2025, 3, 3), date(2025, 3, 4), None)
    item.refresh_from_db()
    assert item.snapshot == frozen
    assert item.snapshot_ids == frozen_ids
    client.force_login(personas.inspector)
    body = client.get(
        reverse("inspections:detail", args=[sheets["head"].inspection_id]), {"tab": "checklist"}
    )
    assert 'data-testid="figures"' in body.content.decode()
    # The records behind the frozen "open overdue" figure are still the ones the team saw.
    url = reverse("inspections:item_records", args=[item.pk, "all", "open_overdue"])
    page = client.get(url).content.decode()
    assert "T3" in page and "T7" not in page


def test_refreshing_the_snapshot_is_explicit_and_audited(sheets, records, personas):
    item = _item(sheets["head"], "tasks_progress")
    Task.objects.filter(pk=records["tasks"]["central_overdue"].pk).update(completed_on=date(2025, 6, 1))
    with pytest.raises(PermissionDenied):  # the unit may not re-freeze the team's figures
        services.checklist_snapshot_refresh(actor=personas.focal, inspection=item.checklist.inspection)
    services.checklist_snapshot_refresh(actor=personas.inspector, inspection=item.checklist.inspection)
    item.refresh_from_db()
    assert _group(item)["figures"]["open_overdue"] == 0
    event = AuditEvent.objects.filter(action="checklist_item.snapshot_refresh", object_id=str(item.pk)).get()
    before = next(g for g in event.before["groups"] if g["key"] == "all")
    after = next(g for g in event.after["groups"] if g["key"] == "all")
    assert before["figures"]["open_overdue"] == 1 and after["figures"]["open_overdue"] == 0
    assert before["counts"]["open_overdue"] == 1 and after["counts"]["open_overdue"] == 0
    assert item.snapshot_ids["all"]["open_overdue"] == []


def test_records_page_outsider_gets_404(client, sheets, personas):
    item = _item(sheets["head"], "tasks_progress")
    url = reverse("inspections:item_records", args=[item.pk, "all", "total"])
    client.force_login(personas.outsider)
    assert client.get(url).status_code == 404
    client.force_login(personas.lead)
    assert client.get(url).status_code == 200
    assert client.get(reverse("inspections:item_records", args=[item.pk, "nope", "total"])).status_code == 404


def test_records_page_exports_the_frozen_records_of_the_unit_only(client, sheets, personas):
    from congvu.core.testing import xlsx_rows, xlsx_text

    item = _item(sheets["head"], "tasks_progress")
    client.force_login(personas.lead)
    url = reverse("inspections:item_records", args=[item.pk, "all", "total"])
    header, *rows = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert header[:4] == ["#", "Mã", "Nội dung", "Cơ quan giao"]
    # The period's tasks; T5 (after the period) and T9 (another unit) are not among them.
    assert [row[1] for row in rows] == ["T1", "T2", "T3", "T4", "T6"]
    assert rows[2][1:7] == ["T3", "Nhiệm vụ T3", "Trung ương", date(2025, 4, 1), date(2025, 5, 1), ""]
    assert "T9" not in xlsx_text(rows) and "T5" not in xlsx_text(rows)
    overdue = reverse("inspections:item_records", args=[item.pk, "all", "open_overdue"])
    assert [row[1] for row in xlsx_rows(client.get(overdue, {"format": "xlsx"}))[1:]] == ["T3"]
    client.force_login(personas.outsider)
    assert client.get(url, {"format": "xlsx"}).status_code == 404


def test_observation_items_carry_no_snapshot(sheets):
    assert not ChecklistItem.objects.filter(checklist__subject="unit").exclude(snapshot=None).exists()


def test_the_records_page_links_to_the_live_drill_down_for_the_head(client, sheets, personas):
    import re

    item = _item(sheets["head"], "tasks_progress")
    client.force_login(personas.lead)
    body = client.get(
        reverse("inspections:item_records", args=[item.pk, "all", "done_late"])
    ).content.decode()
    links = re.findall(r'href="([^"]+)" data-testid="live-link"', body)
    assert len(links) == 1
    live = client.get(links[0].replace("&amp;", "&"))
    assert live.status_code == 200
    assert "T2" in live.content.decode()
    deputy_item = _item(sheets["deputy"], "tasks_progress")
    body = client.get(
        reverse("inspections:item_records", args=[deputy_item.pk, "all", "total"])
    ).content.decode()
    assert body.count('data-testid="live-link"') == 1  # one per field of the portfolio


def test_the_ids_behind_every_figure_read_at_once_are_those_of_one_query_per_figure(records, weekdays):
    """`ids_behind` reads every figure's records in one query, each figure a flag: the same ids as
    filtering the records by each figure's condition alone, for every figure of every item, before,
    inside and after the records' dates."""
    from congvu.inspections.prefill import METRIC_GROUPS, _records_behind, ids_behind

    checked = 0
    for as_of in (date(2025, 2, 1), date(2025, 3, 12), date(2025, 6, 30), date(2025, 12, 31)):
        for groups in METRIC_GROUPS.values():
            for _key, _label, register, record_filter, shown, with_ids in groups:
                model = Task if register == "tasks" else Dossier
                records_of_group = model.objects.filter(record_filter)
                figures = tuple(dict.fromkeys((*with_ids, *shown)))
                figures = tuple(f for f in figures if _behind_or_none(f, register, as_of) is not None)
                at_once = ids_behind(records_of_group, figures, register, as_of)
                for figure in figures:
                    one = records_of_group.filter(_records_behind(figure, register, as_of))
                    assert at_once[figure] == list(one.order_by("pk").values_list("pk", flat=True)), figure
                    checked += bool(at_once[figure])
    assert checked > 50


def _behind_or_none(figure, register, as_of):
    from congvu.inspections.prefill import _records_behind

    try:
        return _records_behind(figure, register, as_of)
    except ValueError:
        return None


def test_a_figure_behind_every_record_keeps_every_record_beside_a_narrower_one(records, monkeypatch):
    """An empty condition (every record) is not narrowed by another figure's: Q's `|` drops an empty Q."""
    from congvu.inspections import prefill

    late = records["tasks"]["late"]
    conditions = {"total": Q(), "done_late": Q(pk=late.pk)}
    monkeypatch.setattr(prefill, "_records_behind", lambda figure, register, as_of: conditions[figure])
    ids = prefill.ids_behind(Task.objects.all(), ("total", "done_late"), "tasks", date(2025, 12, 31))
    assert ids == {"total": sorted(Task.objects.values_list("pk", flat=True)), "done_late": [late.pk]}
