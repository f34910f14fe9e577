"""The checklist page saves as one: every sheet (unit, head, each deputy) in one form and one service
call; a stale item anywhere refuses the whole batch naming who changed what; the page lands back
where the user was and can be navigated (sections, the first item without a result)."""

from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.models import ChecklistItem, Evidence
from congvu.inspections.tests.conftest import move, pdf_file


def _sheets(personas, surprise):
    move(personas.lead, surprise, "decided")
    move(personas.inspector, surprise, "on_site")
    services.checklist_instantiate(actor=personas.inspector, inspection=surprise)
    return surprise.checklists.get(subject="unit"), surprise.checklists.filter(subject="head").first()


def _data(*rows):
    data = {}
    for item, result, notes in rows:
        data[f"version-{item.pk}"] = item.version
        data[f"result-{item.pk}"] = result
        data[f"notes-{item.pk}"] = notes
    return data


def _save(client, user, surprise, data, follow=False):
    client.force_login(user)
    return client.post(reverse("inspections:checklists_save", args=[surprise.pk]), data, follow=follow)


def test_edits_on_two_sheets_and_one_save_store_both(client, personas, surprise, leaders):
    unit_sheet, head_sheet = _sheets(personas, surprise)
    unit_item, head_item = unit_sheet.items.first(), head_sheet.items.first()
    response = _save(
        client,
        personas.inspector,
        surprise,
        _data((unit_item, "failed", "Vắng 2 người"), (head_item, "passed", "Tham mưu kịp thời")),
    )
    unit_item.refresh_from_db()
    head_item.refresh_from_db()
    assert (unit_item.result, unit_item.notes) == ("failed", "Vắng 2 người")
    assert (head_item.result, head_item.notes) == ("passed", "Tham mưu kịp thời")
    # Back where the user was working: the last item changed, with the message in the save bar.
    assert response["Location"].endswith(f"?tab=checklist#item-{head_item.pk}")
    body = client.get(response["Location"]).content.decode()
    assert "Đã lưu phiếu kiểm tra: 2 mục thay đổi, 0 tệp." in body
    assert 'data-testid="checklist-message"' in body


def test_a_stale_item_on_one_sheet_stores_nothing_and_says_who_changed_what(
    client, personas, surprise, leaders
):
    unit_sheet, head_sheet = _sheets(personas, surprise)
    unit_item, head_item = unit_sheet.items.first(), head_sheet.items.first()
    stale_head = ChecklistItem.objects.get(pk=head_item.pk)
    services.checklist_item_update(
        actor=personas.lead, item=head_item, expected_version=head_item.version, result="failed", notes="Chậm"
    )
    response = _save(
        client,
        personas.inspector,
        surprise,
        _data((unit_item, "passed", "Đúng giờ"), (stale_head, "passed", "Tốt")),
    )
    assert response["Location"].endswith(f"#item-{head_item.pk}")  # the refused item
    body = client.get(response["Location"]).content.decode()
    assert "Chưa lưu gì" in body
    assert head_sheet.title in body and f"mục {head_item.order}" in body
    assert "p-lead" in body and "Không đạt" in body and "Chậm" in body
    unit_item.refresh_from_db()
    head_item.refresh_from_db()
    assert unit_item.result == "" and unit_item.notes == ""  # nothing of the batch is stored
    assert head_item.result == "failed"
    # What the user chose is still in the boxes, marked unsaved, and the page warns before leaving.
    assert "Đúng giờ" in body and 'data-unsaved="1"' in body
    assert f'data-testid="unsaved-item-{unit_item.pk}"' in body


def test_files_chosen_on_items_are_stored_with_the_save(client, personas, surprise):
    unit_sheet, _head = _sheets(personas, surprise)
    item = unit_sheet.items.first()
    data = _data((item, "failed", "Biên bản vắng mặt")) | {f"file-{item.pk}": pdf_file("vang-mat.pdf")}
    _save(client, personas.inspector, surprise, data)
    item.refresh_from_db()
    assert item.result == "failed"
    assert Evidence.objects.get(checklist_item=item).original_name == "vang-mat.pdf"


def test_a_refused_file_stores_no_result_either(client, personas, surprise):
    from django.core.files.uploadedfile import SimpleUploadedFile

    unit_sheet, _head = _sheets(personas, surprise)
    item = unit_sheet.items.first()
    data = _data((item, "failed", "x")) | {f"file-{item.pk}": SimpleUploadedFile("a.exe", b"MZ")}
    body = _save(client, personas.inspector, surprise, data, follow=True).content.decode()
    assert "a.exe" in body
    item.refresh_from_db()
    assert item.result == "" and not Evidence.objects.exists()


def test_the_page_jumps_to_the_first_item_without_a_result(client, personas, surprise):
    unit_sheet, _head = _sheets(personas, surprise)
    first, second = list(unit_sheet.items.all()[:2])
    _save(client, personas.inspector, surprise, _data((first, "passed", "")))
    body = client.get(
        reverse("inspections:detail", args=[surprise.pk]), {"tab": "checklist"}
    ).content.decode()
    assert f'href="#item-{second.pk}" data-testid="jump-first-missing"' in body
    assert body.count('data-testid="save-checklists"') == 1  # one save for the page
    assert 'data-testid="section"' in body  # collapsible sections


def test_leadership_cannot_save_and_the_unit_does_not_see_the_working_sheets(client, personas, surprise):
    unit_sheet, _head = _sheets(personas, surprise)
    data = _data((unit_sheet.items.first(), "passed", ""))
    assert _save(client, personas.leadership, surprise, data).status_code == 403
    assert _save(client, personas.focal, surprise, data).status_code == 404


def test_outsider_gets_404_on_the_checklist_save(client, personas, surprise):
    unit_sheet, _head = _sheets(personas, surprise)
    item = unit_sheet.items.first()
    for user in (personas.outsider, personas.outsider_head):
        assert _save(client, user, surprise, _data((item, "passed", ""))).status_code == 404
    item.refresh_from_db()
    assert item.result == ""
