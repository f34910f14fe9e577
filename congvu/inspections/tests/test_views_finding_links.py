"""Findings link to dossiers and tasks through a searchable picker (the inspected unit's registers,
accent-insensitive, by code or title), and a finding has one number everywhere."""

import pytest
from django.urls import reverse

from congvu.core.text import fold
from congvu.inspections import services
from congvu.inspections.models import Finding
from congvu.inspections.tests.conftest import move
from congvu.registers.models import Dossier, Task


def _on_site(personas, surprise):
    move(personas.lead, surprise, "decided")
    return move(personas.inspector, surprise, "on_site")


def _task(unit, code, content):
    return Task.objects.create(
        source="t",
        external_code=code,
        content=content,
        content_folded=fold(content),
        authority="ppc",
        unit=unit,
        received_on="2025-02-01",
    )


def _dossier(unit, field, code, procedure):
    return Dossier.objects.create(
        source="t",
        external_code=code,
        unit=unit,
        field=field,
        procedure=procedure,
        procedure_folded=fold(procedure),
        received_on="2025-02-01",
    )


@pytest.fixture
def records(personas, leaders):
    return {
        "task": _task(personas.unit, "NV-17", "Xây dựng đề án chuyển đổi số"),
        "dossier": _dossier(personas.unit, leaders["construction"], "HS-0042", "Cấp giấy phép xây dựng"),
        "foreign": _dossier(
            personas.other_unit, leaders["construction"], "HS-9042", "Cấp giấy phép xây dựng"
        ),
    }


def _search(client, inspection, q, **chosen):
    url = reverse("inspections:finding_records", args=[inspection.pk])
    return client.get(url, {"q": q, **chosen})


def test_picker_finds_the_units_records_without_diacritics(client, personas, surprise, records):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    body = _search(client, surprise, "giay phep xay").content.decode()
    assert "HS-0042" in body
    assert "HS-9042" not in body  # another unit's dossier, however well it matches
    body = _search(client, surprise, "chuyen doi so").content.decode()
    assert "NV-17" in body and "HS-0042" not in body


def test_picker_finds_by_code_and_leaves_out_what_is_already_chosen(client, personas, surprise, records):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    assert "HS-0042" in _search(client, surprise, "hs-00").content.decode()
    body = _search(client, surprise, "hs-00", dossiers=[records["dossier"].pk]).content.decode()
    assert "HS-0042" not in body
    assert "khớp" in body  # says nothing matched, rather than an empty box


def test_outsider_gets_404_from_the_picker(client, personas, surprise, records):
    _on_site(personas, surprise)
    client.force_login(personas.outsider)
    assert _search(client, surprise, "hs").status_code == 404


def test_unit_focal_point_cannot_use_the_picker(client, personas, surprise, records):
    _on_site(personas, surprise)
    client.force_login(personas.focal)
    assert _search(client, surprise, "hs").status_code == 403


def test_finding_form_saves_the_picked_task_and_dossier(client, personas, surprise, records):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:finding_add", args=[surprise.pk]),
        {
            "description": "Chậm cấp phép",
            "category": "shortcoming",
            "severity": "medium",
            "tasks": [records["task"].pk],
            "dossiers": [records["dossier"].pk],
        },
    )
    finding = Finding.objects.get()
    assert list(finding.dossiers.all()) == [records["dossier"]]
    assert list(finding.tasks.all()) == [records["task"]]
    page = client.get(reverse("inspections:detail", args=[surprise.pk]), {"tab": "findings"})
    assert "HS-0042" in page.content.decode()


def test_another_units_dossier_posted_to_the_form_is_refused_and_nothing_stored(
    client, personas, surprise, records
):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    response = client.post(
        reverse("inspections:finding_add", args=[surprise.pk]),
        {
            "description": "Chậm cấp phép",
            "category": "shortcoming",
            "severity": "medium",
            "dossiers": [records["foreign"].pk],
        },
        follow=True,
    )
    assert not Finding.objects.exists()
    assert "Hồ sơ liên quan" in response.content.decode()  # the message names the field


def test_edit_keeps_and_changes_the_links(client, personas, surprise, records):
    _on_site(personas, surprise)
    finding = services.finding_record(
        actor=personas.inspector,
        inspection=surprise,
        description="Chậm",
        category="shortcoming",
        severity="medium",
        dossiers=[records["dossier"]],
    )
    client.force_login(personas.inspector)
    url = reverse("inspections:finding_edit", args=[finding.pk])
    page = client.get(url).content.decode()
    assert f'name="dossiers" value="{records["dossier"].pk}" checked' in page
    client.post(
        url,
        {
            "description": "Chậm",
            "category": "shortcoming",
            "severity": "medium",
            "tasks": [records["task"].pk],
            "version": finding.version,
        },
    )
    finding.refresh_from_db()
    assert list(finding.tasks.all()) == [records["task"]]
    assert not finding.dossiers.exists()  # unticked in the picker: unlinked


def _record(personas, inspection, text):
    return services.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description=text,
        category="limitation",
        severity="low",
    )


def test_findings_are_numbered_per_inspection_and_a_withdrawn_number_is_not_reused(personas, surprise):
    _on_site(personas, surprise)
    first = _record(personas, surprise, "Một")
    second = _record(personas, surprise, "Hai")
    services.finding_withdraw(actor=personas.inspector, finding=second, note="trùng")
    third = _record(personas, surprise, "Ba")
    assert [first.display_number, second.display_number, third.display_number] == ["1", "2", "3"]


def test_the_findings_tab_and_its_export_show_the_same_number(client, personas, surprise):
    from congvu.core.testing import xlsx_rows

    _on_site(personas, surprise)
    _record(personas, surprise, "Một")
    withdrawn = _record(personas, surprise, "Hai")
    services.finding_withdraw(actor=personas.inspector, finding=withdrawn, note="trùng")
    third = _record(personas, surprise, "Ba")
    client.force_login(personas.inspector)
    url = reverse("inspections:detail", args=[surprise.pk])
    page = client.get(url, {"tab": "findings"}).content.decode()
    row = page.split(f'data-testid="finding-{third.pk}"')[1]
    assert '<td data-testid="finding-number">3</td>' in row.split("</td>")[0] + "</td>"
    rows = xlsx_rows(client.get(url, {"tab": "findings", "format": "xlsx"}))
    numbers = {r[4]: r[1] for r in rows[1:] if r[0] == "Phát hiện"}
    assert numbers["Ba"] == "3"


def test_picker_ignores_chosen_ids_that_are_not_whole_numbers_in_range(client, personas, surprise, records):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    for bad in ("²", "٣", "9" * 30, "-1"):
        response = _search(client, surprise, "hs-00", dossiers=[bad, records["dossier"].pk], tasks=[bad])
        assert response.status_code == 200, bad
        assert "HS-0042" not in response.content.decode(), bad  # the valid id still leaves it out
