"""With the database down, pages answer with a clear Vietnamese 503 page, not a traceback or the
generic error page (issue #14 item 10). Django hands any unhandled exception, from a view or from a
middleware (the session read is usually the first query), to `handler500`, which recognises a
database error."""

from unittest import mock

import pytest
from django.db import InterfaceError, OperationalError, connection
from django.test import Client
from django.urls import reverse

REFUSED = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'


@pytest.mark.parametrize("error", [OperationalError, InterfaceError])
@pytest.mark.parametrize("who", ["focal", "outsider", "lead"])
def test_pages_answer_503_in_vietnamese_when_the_database_is_down(personas, error, who):
    client = Client(raise_request_exception=False)
    client.force_login(getattr(personas, who))
    responses = {}
    with mock.patch.object(connection, "cursor", side_effect=error(REFUSED)):
        for url in (reverse("home"), "/registers/tasks/", "/inspections/"):
            responses[url] = client.get(url)
    for url, response in responses.items():
        body = response.content.decode()
        assert response.status_code == 503, url
        assert "không truy cập được cơ sở dữ liệu" in body
        assert response["Retry-After"] == "60"
        assert "Traceback" not in body and "Connection refused" not in body
    # Back up: the same session works again.
    assert client.get(reverse("home")).status_code == 200


def test_another_error_still_gets_the_generic_500_page(rf):
    from congvu.web.views import error_500

    try:
        raise ValueError("a bug")
    except ValueError:
        response = error_500(rf.get("/"))
    assert response.status_code == 500
    assert "Lỗi hệ thống (500)" in response.content.decode()
