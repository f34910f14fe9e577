import pytest
from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.core.testing import xlsx_rows, xlsx_text


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("lead", 200),
        ("inspector", 403),
        ("leadership", 403),
        ("focal", 403),
        ("outsider", 403),
    ],
)
def test_audit_history_is_for_admin_and_lead_only(client, personas, who, status):
    client.force_login(getattr(personas, who))
    assert client.get(reverse("audit:list")).status_code == status


@pytest.mark.django_db
def test_audit_history_per_object_and_export(client, personas):
    client.force_login(personas.lead)
    unit = personas.unit
    response = client.get(reverse("audit:object", args=["org.unit", unit.pk]))
    assert response.status_code == 200
    assert "unit.create" in response.content.decode()
    event = AuditEvent.objects.get(object_type="org.unit", object_id=str(unit.pk))
    assert client.get(reverse("audit:detail", args=[event.pk])).status_code == 200
    header, *rows = xlsx_rows(client.get(reverse("audit:list"), {"format": "xlsx"}))
    assert header == [
        "#",
        "Thời điểm",
        "Người thực hiện",
        "Hành động",
        "Loại đối tượng",
        "Mã",
        "Đối tượng",
        "Mã băm",
    ]
    # Every event, newest first, with the hash that chains it.
    assert [(row[0], row[3], row[6], row[7]) for row in rows] == list(
        AuditEvent.objects.order_by("-id").values_list("id", "action", "object_repr", "hash")
    )
    assert ("unit.create", "Sở Tư pháp") in {(row[3], row[6]) for row in rows}
    # The per-object history exports that object's events only.
    header, *rows = xlsx_rows(
        client.get(reverse("audit:object", args=["org.unit", unit.pk]), {"format": "xlsx"})
    )
    assert [(row[0], row[3], row[4], row[5], row[6]) for row in rows] == [
        (event.pk, "unit.create", "org.unit", str(unit.pk), "Sở Xây dựng")
    ]
    assert "Sở Tư pháp" not in xlsx_text(rows) and "p-outsider" not in xlsx_text(rows)


@pytest.mark.django_db
def test_audit_history_filters_narrow_the_list_and_its_export(client, personas):
    client.force_login(personas.lead)
    url = reverse("audit:list")

    def exported(params):
        response = client.get(url, {**params, "format": "xlsx"})
        return {(row[3], row[4], row[6]) for row in xlsx_rows(response)[1:]}

    assert exported({"q": "tư pháp"}) == {("unit.create", "org.unit", "Sở Tư pháp")}
    assert exported({"action": "unit.", "type": "org.unit", "q": "xây dựng"}) == {
        ("unit.create", "org.unit", "Sở Xây dựng")
    }
    assert exported({"type": "no.such"}) == set()
    assert exported({"action": "no.such."}) == set()
    # A value beyond the column's length is named as a form error and left out, never a 500.
    response = client.get(url, {"action": "x" * 500, "type": "y" * 500, "q": "tư pháp"})
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="filter-errors"' in body and "Sở Tư pháp" in body and "Sở Xây dựng" not in body
