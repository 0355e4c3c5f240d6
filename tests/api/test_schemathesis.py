"""Schemathesis against the OpenAPI schema (issue 12 §4): generated requests to every operation,
with an organiser's token, answer no 5xx and nothing the schema does not describe.

The schema is the one the application serves at ``/api/v1/openapi.json`` (a test holds the two
equal), and requests go to the application in process (WSGI, on the test database). A bounded number of examples per operation keeps the
run under a minute; the examples are derandomised, so a failure replays.

Every check runs but one, by decision: ``negative_data_rejection`` also calls a request with a
query parameter the operation does not name "invalid" and wants it refused. The API ignores
unknown query parameters, as the web does and as HTTP clients (cache-busting, tracing) expect;
every other invalid input is refused with 4xx, which the same negative examples exercise
(``not_a_server_error``, ``status_code_conformance``) and ``test_reports`` tries by hand.
"""

from __future__ import annotations

import json

import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings
from schemathesis import checks

from saima.api.v1.api import api

EXAMPLES = 15
SCHEMA_URL = "/api/v1/openapi.json"


def _served_schema() -> dict:
    return json.loads(json.dumps(api.get_openapi_schema()))


schema = schemathesis.openapi.from_dict(_served_schema())
schema.app = get_wsgi_application()
schema.location = SCHEMA_URL


def test_the_schema_checked_is_the_schema_served(client, db):
    assert client.get(SCHEMA_URL).json() == _served_schema()


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
def test_generated_requests_find_no_error_and_no_schema_violation(
    case, world, keep_test_connection
):
    case.call_and_validate(
        headers={"Authorization": f"Bearer {world.tokens['organiser']}"},
        excluded_checks=[checks.negative_data_rejection],
    )
