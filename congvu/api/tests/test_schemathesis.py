"""schemathesis against the OpenAPI document, as every role, on the small world of conftest.py:
no server error, and every answer (status code, content type, body) is the one the document gives.

Bounded: a few examples per operation and role, derandomized (the same cases on every run, so a
failure reproduces), no example database. Writes go through for real: a generated finding or
import is validated and refused, or stored, exactly as from a client."""

import hypothesis
import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from congvu.api.tests.conftest import ROLES

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
EXAMPLES = 4


def _exercise(operation, headers) -> int:
    calls = []

    @given(case=operation.as_strategy())
    @hypothesis.settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
    )
    def run(case):
        response = case.call(headers=headers)
        calls.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    run()
    return len(calls)


@pytest.fixture
def wsgi_app():
    """The project's WSGI application, calling views in this thread inside the test's transaction.
    As Django's test client does, the connection is not closed at the end of each request (on
    PostgreSQL that would close the test's own connection in the middle of its transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield get_wsgi_application()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_schemathesis_finds_no_server_error_and_no_schema_mismatch_as_any_role(world, wsgi_app):
    """One world for every role (building it is most of the cost); a failure names its role."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", wsgi_app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 18
    for role in ROLES:
        headers = {"Authorization": f"Bearer {world.tokens[role]}"}
        try:
            calls = sum(_exercise(operation, headers) for operation in operations)
        except BaseException as exc:
            exc.add_note(f"as {role}")
            raise
        assert calls >= len(operations), role  # every operation was called at least once
