"""Findings: recorded by the team, sent for explanation, explained by the unit (approved by its head),
confirmed or withdrawn; optimistic locking on edits; outsiders get 404."""

from django.urls import reverse

from congvu.inspections import services
from congvu.inspections.models import Finding
from congvu.inspections.tests.conftest import move


def _on_site(personas, surprise):
    move(personas.lead, surprise, "decided")
    return move(personas.inspector, surprise, "on_site")


def _finding(personas, inspection, **extra):
    return services.finding_record(
        actor=personas.inspector,
        inspection=inspection,
        description="Công chức một cửa vắng mặt",
        category="violation",
        severity="medium",
        **extra,
    )


def test_team_records_a_finding_naming_the_deputy(client, personas, surprise, leaders):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    client.post(
        reverse("inspections:finding_add", args=[surprise.pk]),
        {
            "description": "Chậm tham mưu",
            "category": "shortcoming",
            "severity": "high",
            "responsible": leaders["deputy"].pk,
        },
    )
    finding = Finding.objects.get()
    assert finding.responsible == leaders["deputy"]
    assert finding.status == "draft"


def test_the_responsible_must_be_a_head_or_deputy_of_the_unit(personas, surprise):
    import pytest
    from django.core.exceptions import ValidationError

    from congvu.org.models import Official

    _on_site(personas, surprise)
    stranger = Official.objects.create(code="O-X", full_name="Người ngoài")
    with pytest.raises(ValidationError, match="không phải người đứng đầu hoặc cấp phó"):
        _finding(personas, surprise, responsible=stranger)


def test_finding_record_links_tasks_and_dossiers_of_the_unit_only(personas, surprise, leaders):
    import pytest
    from django.core.exceptions import ValidationError

    from congvu.registers.models import Dossier, Task

    _on_site(personas, surprise)
    task = Task.objects.create(
        source="t",
        external_code="NV-1",
        content="x",
        authority="ppc",
        unit=personas.unit,
        received_on="2025-02-01",
    )
    dossier = Dossier.objects.create(
        source="t",
        external_code="HS-1",
        unit=personas.unit,
        field=leaders["construction"],
        procedure="Cấp phép",
        received_on="2025-02-01",
    )
    foreign = Dossier.objects.create(
        source="t",
        external_code="HS-2",
        unit=personas.other_unit,
        field=leaders["construction"],
        procedure="x",
        received_on="2025-02-01",
    )
    finding = _finding(personas, surprise, tasks=[task], dossiers=[dossier], source="Chọn mẫu #1")
    assert list(finding.dossiers.all()) == [dossier]
    assert list(finding.tasks.all()) == [task]
    with pytest.raises(ValidationError, match="không thuộc đơn vị được kiểm tra"):
        _finding(personas, surprise, dossiers=[foreign])


def test_unit_sees_a_finding_only_once_sent_and_explains_it(client, personas, surprise):
    _on_site(personas, surprise)
    finding = _finding(personas, surprise)
    url = reverse("inspections:detail", args=[surprise.pk])
    client.force_login(personas.focal)
    assert "Công chức một cửa vắng mặt" not in client.get(url, {"tab": "findings"}).content.decode()
    client.force_login(personas.inspector)
    client.post(reverse("inspections:finding_action", args=[finding.pk, "send"]))
    finding.refresh_from_db()
    assert finding.status == "sent"
    client.force_login(personas.focal)
    assert "Công chức một cửa vắng mặt" in client.get(url, {"tab": "findings"}).content.decode()
    explanation = finding.explanation
    client.post(
        reverse("inspections:response_action", args=["explanation", explanation.pk, "save"]),
        {"response_text": "Công chức đi họp có giấy mời", "version": explanation.version},
    )
    client.post(reverse("inspections:response_action", args=["explanation", explanation.pk, "submit"]))
    client.force_login(personas.unit_head)
    client.post(reverse("inspections:response_action", args=["explanation", explanation.pk, "approve"]))
    client.force_login(personas.inspector)
    assert "Công chức đi họp có giấy mời" in client.get(url, {"tab": "findings"}).content.decode()
    client.post(
        reverse("inspections:finding_action", args=[finding.pk, "withdraw"]), {"note": "Giải trình hợp lý"}
    )
    finding.refresh_from_db()
    assert finding.status == "withdrawn"


def test_withdrawing_needs_a_reason(client, personas, surprise):
    _on_site(personas, surprise)
    finding = _finding(personas, surprise)
    client.force_login(personas.inspector)
    body = client.post(
        reverse("inspections:finding_action", args=[finding.pk, "withdraw"]), follow=True
    ).content
    assert "Phải ghi lý do rút phát hiện." in body.decode()
    finding.refresh_from_db()
    assert finding.status == "draft"


def test_a_stale_finding_edit_shows_what_changed_and_keeps_the_newer_text(client, personas, surprise):
    _on_site(personas, surprise)
    finding = _finding(personas, surprise)
    url = reverse("inspections:finding_edit", args=[finding.pk])
    client.force_login(personas.lead)
    client.post(
        url, {"description": "Bản của trưởng đoàn", "category": "violation", "severity": "high", "version": 1}
    )
    client.force_login(personas.inspector)
    response = client.post(
        url, {"description": "Bản của thành viên", "category": "limitation", "severity": "low", "version": 1}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Không lưu được" in body
    assert "Bản của trưởng đoàn" in body  # what changed, old → new
    assert "Nghiêm trọng" in body
    finding.refresh_from_db()
    assert finding.description == "Bản của trưởng đoàn"
    assert finding.version == 2


def test_unit_users_cannot_edit_or_move_findings(client, personas, surprise):
    _on_site(personas, surprise)
    finding = _finding(personas, surprise)
    services.finding_send(actor=personas.inspector, finding=finding)
    client.force_login(personas.unit_head)
    assert client.get(reverse("inspections:finding_edit", args=[finding.pk])).status_code == 403
    assert client.post(reverse("inspections:finding_action", args=[finding.pk, "confirm"])).status_code == 403


def test_outsider_gets_404_on_findings(client, personas, surprise):
    _on_site(personas, surprise)
    finding = _finding(personas, surprise)
    services.finding_send(actor=personas.inspector, finding=finding)
    client.force_login(personas.outsider)
    assert client.get(reverse("inspections:finding_edit", args=[finding.pk])).status_code == 404
    assert client.post(reverse("inspections:finding_action", args=[finding.pk, "confirm"])).status_code == 404
    assert client.post(reverse("inspections:finding_add", args=[surprise.pk]), {}).status_code == 404
    explanation = finding.explanation
    url = reverse("inspections:response_action", args=["explanation", explanation.pk, "save"])
    assert client.post(url, {"response_text": "x", "version": 1}).status_code == 404


def test_discipline_proposal_names_the_official_and_goes_to_the_chairman(client, personas, surprise, leaders):
    _on_site(personas, surprise)
    client.force_login(personas.inspector)
    url = reverse("inspections:recommendation_add", args=[surprise.pk])
    body = client.post(
        url,
        {"kind": "warning", "addressee": "Chủ tịch UBND tỉnh", "content": "Đề nghị cảnh cáo"},
        follow=True,
    ).content.decode()
    assert "Đề nghị kỷ luật phải nêu cán bộ bị đề nghị." in body
    client.post(
        url,
        {
            "kind": "warning",
            "addressee": "Chủ tịch UBND tỉnh",
            "content": "Đề nghị cảnh cáo",
            "official": leaders["deputy"].pk,
        },
    )
    rec = surprise.recommendations.get()
    assert rec.status == "proposed"
    assert rec.is_discipline
