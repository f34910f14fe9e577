"""End to end in Debian's chromium: log in, navigate, log out."""

import pytest

from congvu.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_login_navigate_logout(live_server, page, personas):
    page.goto(f"{live_server.url}/")
    assert "Đăng nhập" in page.title()
    page.fill("#id_username", "p-lead")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=todo]")
    assert "Hệ thống kiểm tra công vụ" in page.content()
    page.click("text=Nhật ký")
    page.wait_for_selector("[data-testid=audit-table]")
    assert "user.create" in page.content()
    page.click("[data-testid=user-menu]")
    page.click("text=Đăng xuất")
    page.wait_for_selector("#id_username")


def test_outsider_sees_404_in_the_browser(live_server, page, personas):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "p-outsider")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("[data-testid=todo]")
    response = page.goto(f"{live_server.url}/org/units/{personas.unit.code}/")
    assert response.status == 404
    assert "Không tìm thấy" in page.content()
