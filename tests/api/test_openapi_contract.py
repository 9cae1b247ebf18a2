"""The OpenAPI document is valid and the API keeps every promise it makes (schemathesis)."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, settings

from primi.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application)


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
def test_every_operation_keeps_its_contract(case, api, wsgi_requests_in_test_transaction):
    case.call_and_validate(headers={"Accept-Encoding": "identity"})
