import datetime

import pytest
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_pages_need_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


@pytest.mark.django_db
def test_home_shows_a_to_do_list_not_the_build_status_panel(client, personas):
    client.force_login(personas.inspector)
    body = client.get(reverse("home")).content.decode()
    assert 'data-testid="todo"' in body
    assert 'data-testid="areas"' not in body
    assert "Tình trạng xây dựng các chức năng" not in body


@pytest.mark.django_db
def test_english_switch(client, personas):
    client.force_login(personas.inspector)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    response = client.get(reverse("home"))
    assert response.headers["Content-Language"] == "en"
    assert "Public-service inspection system" in response.content.decode()


@pytest.mark.django_db
def test_404_page_is_vietnamese(client, personas):
    client.force_login(personas.focal)
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "Không tìm thấy" in response.content.decode()


@pytest.mark.django_db
def test_outsider_gets_404_on_another_units_page(client, personas):
    client.force_login(personas.outsider)
    assert client.get(reverse("org:unit", args=[personas.unit.code])).status_code == 404
    client.force_login(personas.focal)
    assert client.get(reverse("org:unit", args=[personas.unit.code])).status_code == 200


def test_dates_are_dd_mm_yyyy():
    with translation.override("vi"):
        rendered = Template('{{ d|date:"SHORT_DATE_FORMAT" }} {{ d }}').render(
            Context({"d": datetime.date(2025, 1, 31)})
        )
    assert rendered == "31/01/2025 31/01/2025"


def test_static_files_are_vendored(client):
    from django.contrib.staticfiles import finders

    for path in [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "django_htmx/htmx-2.min.js",
        "vendor/chartjs/chart.umd.min.js",
    ]:
        assert finders.find(path), path


@pytest.mark.django_db
def test_base_template_loads_no_cdn(client, personas):
    client.force_login(personas.inspector)
    body = client.get(reverse("home")).content.decode()
    assert "/static/vendor/bootstrap/bootstrap.min.css" in body
    assert "https://" not in body.replace("https://www.w3.org", "")


def test_browser_language_does_not_override_vietnamese(client):
    response = client.get(reverse("login"), headers={"accept-language": "en-US,en;q=0.9"})
    assert response.headers["Content-Language"] == "vi"


@pytest.mark.django_db
def test_home_dashboard_lists_only_the_users_own_inspections(client, personas):
    from datetime import date

    from congvu.inspections.models import Inspection

    for unit in (personas.unit, personas.other_unit):
        Inspection.objects.create(
            kind="surprise",
            unit=unit,
            title=f"Kiểm tra {unit.name}",
            period_from=date(2025, 1, 1),
            period_to=date(2025, 12, 31),
            status="on_site",
        )
    client.force_login(personas.lead)
    body = client.get(reverse("home")).content.decode()
    assert "Kiểm tra Sở Xây dựng" in body and "Kiểm tra Sở Tư pháp" in body
    client.force_login(personas.outsider)
    body = client.get(reverse("home")).content.decode()
    assert "Kiểm tra Sở Tư pháp" in body
    assert "Kiểm tra Sở Xây dựng" not in body
    assert reverse("metrics:unit", args=[personas.other_unit.code]) in body
