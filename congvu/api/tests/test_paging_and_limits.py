"""Pagination (limit/offset with a maximum), the per-token rate limit (429 with Retry-After), the
metrics as `congvu metrics --format json` gives them, and the OpenAPI document served locally."""

import io
import json

from django.core.cache import cache
from django.core.management import call_command
from ninja.openapi.schema import get_schema as _real_get_schema

from congvu.api.services import token_create
from congvu.registers.models import Task


def _tasks(unit, count):
    from datetime import date

    Task.objects.bulk_create(
        Task(
            source="vb", external_code=f"NV-{i:03d}", content="x", authority="ppc", unit=unit,
            received_on=date(2025, 1, 1 + i % 28),
        )
        for i in range(count)
    )  # fmt: skip


def _get(client, token, path, **params):
    return client.get(f"/api/v1{path}", params, HTTP_AUTHORIZATION=f"Bearer {token}")


def test_pages_walk_the_list_without_gaps_or_repeats(client, personas):
    _tasks(personas.unit, 23)
    token = token_create(actor="test", user=personas.focal, name="t")[1]
    seen = []
    for offset in (0, 10, 20):
        page = _get(client, token, "/tasks", limit=10, offset=offset).json()
        assert (page["count"], page["limit"], page["offset"]) == (23, 10, offset)
        seen += [item["external_code"] for item in page["items"]]
    assert len(seen) == 23 and len(set(seen)) == 23
    assert _get(client, token, "/tasks", offset=100).json()["items"] == []


def test_a_limit_over_the_maximum_is_refused(client, personas, settings):
    token = token_create(actor="test", user=personas.focal, name="t")[1]
    response = _get(client, token, "/tasks", limit=settings.API_PAGE_MAX_LIMIT + 1)
    assert response.status_code == 422
    assert _get(client, token, "/tasks", limit=settings.API_PAGE_MAX_LIMIT).status_code == 200
    assert _get(client, token, "/tasks", offset=-1).status_code == 422
    assert _get(client, token, "/tasks/99999999999999999999").status_code == 422


def test_the_rate_limit_answers_429_with_retry_after(client, personas, settings):
    cache.clear()
    settings.API_RATE_LIMIT_REQUESTS = 3
    settings.API_RATE_LIMIT_WINDOW = 3600
    token = token_create(actor="test", user=personas.focal, name="t")[1]
    other = token_create(actor="test", user=personas.unit_head, name="t")[1]
    assert [_get(client, token, "/tasks").status_code for _ in range(3)] == [200, 200, 200]
    limited = _get(client, token, "/tasks")
    assert limited.status_code == 429
    assert 1 <= int(limited["Retry-After"]) <= 3600
    assert "thử lại sau" in limited.json()["detail"]
    # Per token: another token has its own window.
    assert _get(client, other, "/tasks").status_code == 200


def test_metrics_are_the_commands_json(client, personas):
    _tasks(personas.unit, 5)
    token = token_create(actor="test", user=personas.admin, name="t")[1]
    out = io.StringIO()
    args = ["--unit", personas.unit.code, "--as-of", "2025-03-31", "--by", "month", "--format", "json"]
    call_command("metrics", *args, stdout=out)
    expected = json.loads(out.getvalue())
    body = _get(client, token, "/metrics", unit=personas.unit.code, as_of="2025-03-31", by="month").json()
    assert body["rows"] == json.loads(json.dumps(expected))
    assert body["rows"] and body["rows"][0]["total"] >= 1


def test_metrics_refuse_an_empty_period_with_a_message(client, personas):
    token = token_create(actor="test", user=personas.admin, name="t")[1]
    response = _get(client, token, "/metrics", **{"from": "2025-06-01", "to": "2025-01-01"})
    assert response.status_code == 400 and "from" in response.json()["detail"]


def test_the_openapi_document_and_docs_page_are_served_without_a_cdn(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert schema["openapi"].startswith("3.1")
    assert "/api/v1/tasks" in schema["paths"] and "/api/v1/registers/{register}/imports" in schema["paths"]
    page = client.get("/api/v1/docs").content.decode()
    assert "cdn" not in page.lower() and "/static/ninja/" in page


def test_the_openapi_document_is_built_once_per_language(client, monkeypatch):
    """The document is built once and served again unchanged (ninja would rebuild it each time), and
    a language that has none yet gets its own."""
    import ninja.main

    from congvu.api.api import api

    api._schemas.clear()
    built = []
    monkeypatch.setattr(ninja.main, "get_schema", lambda **kw: built.append(kw) or _real_get_schema(**kw))
    first = client.get("/api/v1/openapi.json").content
    assert client.get("/api/v1/openapi.json").content == first
    assert len(built) == 1
    from django.utils import translation

    with translation.override("en"):
        api.get_openapi_schema(path_prefix="/api/v1/")
    assert len(built) == 2
