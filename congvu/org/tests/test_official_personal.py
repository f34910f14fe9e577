from datetime import date

import pytest
from django.urls import reverse

from congvu.core.models import AuditEvent
from congvu.org.models import Appointment, Official
from congvu.org.services import official_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def official(personas):
    person = official_create(actor="test", code="PS-1", full_name="Trần Thị Hoa")
    Appointment.objects.create(
        official=person, unit=personas.unit, role="deputy", title="Phó Giám đốc", start=date(2022, 1, 1)
    )
    return person


def url(person):
    return reverse("org:official_personal", args=[person.code])


def test_admin_records_birth_date_and_sex_audited(client, personas, official):
    client.force_login(personas.admin)
    response = client.post(url(official), {"birth_date": "10/05/1975", "sex": "nu"})
    assert response.status_code == 302
    official.refresh_from_db()
    assert (official.birth_date, official.sex) == (date(1975, 5, 10), "nu")
    event = AuditEvent.objects.filter(action="official.personal_update").latest("pk")
    assert event.before == {"birth_date": None, "sex": "", "id": official.pk}
    assert event.after["birth_date"] == "1975-05-10"
    body = client.get(reverse("org:official", args=[official.code])).content.decode()
    assert "10/05/1975" in body and "Nữ" in body


def test_outsider_gets_404_and_unit_roles_403(client, personas, official):
    client.force_login(personas.outsider)
    assert client.post(url(official), {"birth_date": "10/05/1975", "sex": "nu"}).status_code == 404
    client.force_login(personas.focal)
    assert client.post(url(official), {"birth_date": "10/05/1975", "sex": "nu"}).status_code == 403
    official.refresh_from_db()
    assert official.birth_date is None


def test_bad_date_is_refused_with_the_field_named(client, personas, official):
    client.force_login(personas.admin)
    response = client.post(url(official), {"birth_date": "31/02/1975", "sex": "nu"}, follow=True)
    assert "Ngày sinh:" in response.content.decode()
    official.refresh_from_db()
    assert official.birth_date is None and official.sex == ""


def test_new_official_form_takes_birth_date_and_sex(client, personas):
    client.force_login(personas.admin)
    data = {
        "code": "PS-2",
        "full_name": "Lê Văn Nam",
        "staff_type": "civil_servant",
        "birth_date": "01/02/1980",
        "sex": "nam",
    }
    assert client.post(reverse("org:official_new"), data).status_code == 302
    person = Official.objects.get(code="PS-2")
    assert (person.birth_date, person.sex) == (date(1980, 2, 1), "nam")
