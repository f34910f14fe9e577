"""Checklist sheets: saved as a whole by the team, stale saves refused naming the item and the change."""

from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.inspections import services
from congvu.inspections.models import ChecklistItem
from congvu.inspections.tests.conftest import move


def _sheet(personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    return surprise.checklists.get(subject="unit")


def _post(client, user, surprise, sheet, items, result, notes=""):
    client.force_login(user)
    data = {}
    for item in items:
        data[f"version-{item.pk}"] = item.version
        data[f"result-{item.pk}"] = result
        data[f"notes-{item.pk}"] = notes
    return client.post(reverse("inspections:checklist_save", args=[surprise.pk, sheet.pk]), data, follow=True)


def test_the_unit_sheet_holds_the_usual_annual_content(personas, surprise):
    sheet = _sheet(personas, surprise)
    texts = " ".join(sheet.items.values_list("text", flat=True))
    for words in (
        "thời giờ làm việc",
        "thẻ",
        "rượu, bia",
        "Một cửa",
        "Niêm yết",
        "Lịch công tác",
        "ngăn nắp",
        "giao tiếp",
        "Giải quyết công việc",
    ):
        assert words in texts


def test_team_saves_a_sheet_and_each_change_is_audited(client, personas, surprise):
    sheet = _sheet(personas, surprise)
    items = list(sheet.items.all()[:2])
    response = _post(client, personas.inspector, surprise, sheet, items, "passed", "Đúng giờ")
    assert "Đã lưu phiếu" in response.content.decode()
    assert set(
        ChecklistItem.objects.filter(pk__in=[i.pk for i in items]).values_list("result", flat=True)
    ) == {"passed"}
    assert AuditEvent.objects.filter(action="checklist_item.update").count() == 2


def test_a_stale_sheet_save_is_refused_naming_the_item_and_the_change(client, personas, surprise):
    sheet = _sheet(personas, surprise)
    item = sheet.items.first()
    stale_copy = ChecklistItem.objects.get(pk=item.pk)
    services.checklist_item_update(
        actor=personas.lead, item=item, expected_version=item.version, result="failed", notes="Vắng 2 người"
    )
    body = _post(client, personas.inspector, surprise, sheet, [stale_copy], "passed").content.decode()
    assert "Không lưu được" in body
    assert f"Mục {item.order}" in body
    assert "Không đạt" in body and "Vắng 2 người" in body
    assert "p-lead" in body
    item.refresh_from_db()
    assert item.result == "failed"


def test_the_unit_and_leadership_cannot_save_the_sheet(client, personas, surprise):
    sheet = _sheet(personas, surprise)
    items = list(sheet.items.all()[:1])
    assert _post(client, personas.leadership, surprise, sheet, items, "passed").status_code == 403
    # The unit does not even see the working sheet before the minutes are signed.
    assert _post(client, personas.focal, surprise, sheet, items, "passed").status_code == 404


def test_outsider_gets_404_on_checklist_actions(client, personas, surprise):
    sheet = _sheet(personas, surprise)
    items = list(sheet.items.all()[:1])
    assert _post(client, personas.outsider, surprise, sheet, items, "passed").status_code == 404
    for name in ("checklists_create", "snapshot_refresh"):
        assert client.post(reverse(f"inspections:{name}", args=[surprise.pk])).status_code == 404


def test_creating_checklists_twice_adds_nothing(client, personas, surprise):
    sheet = _sheet(personas, surprise)
    client.force_login(personas.inspector)
    client.post(reverse("inspections:checklists_create", args=[surprise.pk]))
    assert surprise.checklists.count() == 1
    assert sheet.items.count() == ChecklistItem.objects.count()
