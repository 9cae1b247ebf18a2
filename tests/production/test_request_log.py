"""One log line per request with its id, status, time, size, user and client; secrets in query
strings stay out of the log; an unhandled error is logged with the request's id while the user
sees the plain error page."""

import logging
import time

import pytest
from django.contrib.auth import get_user_model
from django.http import HttpResponse
from django.test import Client, RequestFactory, override_settings
from django.urls import path

from primi.operations.request_log import RequestLogMiddleware, loggable_path


def _boom(request):
    raise RuntimeError("secret-internal-detail")


urlpatterns = [
    path("boom", _boom),
    path("ok", lambda request: HttpResponse("fine")),
]


@pytest.fixture
def lines(caplog):
    caplog.set_level(logging.INFO, logger="primi.request")
    return lambda: [r for r in caplog.records if r.name == "primi.request"]


@pytest.mark.django_db
def test_each_request_leaves_one_line_and_echoes_its_id(client, lines):
    response = client.get("/en/glossary/", HTTP_X_REQUEST_ID="lb-7f3a.2")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "lb-7f3a.2"
    (line,) = lines()
    assert (line.method, line.path, line.status, line.request_id) == (
        "GET",
        "/en/glossary/",
        200,
        "lb-7f3a.2",
    )
    assert line.bytes == len(response.content)
    assert line.user == "anonymous" and line.client == "127.0.0.1"
    assert 0 < line.duration_ms < 10_000


@pytest.mark.django_db
@pytest.mark.parametrize("given", ["", "x" * 101, "a b", "id\nforged", "<script>"])
def test_an_odd_request_id_is_replaced_by_a_new_one(client, lines, given):
    response = client.get("/health", HTTP_X_REQUEST_ID=given)
    rid = response["X-Request-ID"]
    assert rid != given and len(rid) == 32 and rid.isalnum()
    assert lines()[0].request_id == rid


@pytest.mark.django_db
def test_two_requests_get_two_ids(client):
    assert client.get("/health")["X-Request-ID"] != client.get("/health")["X-Request-ID"]


def test_credentials_in_the_query_string_are_left_out():
    request = RequestFactory().get(
        "/rest/data/DF_FLOWS/M.MEX",
        {"startPeriod": "2020", "token": "s3cr3t", "api_key": "k", "Password": "p", "code": "c"},
    )
    assert loggable_path(request) == "/rest/data/DF_FLOWS/M.MEX?startPeriod=2020"
    only_secret = RequestFactory().get("/en/", {"access_token": "s3cr3t"})
    assert loggable_path(only_secret) == "/en/"


def test_a_control_character_in_the_path_cannot_forge_a_line():
    request = RequestFactory().get("/en/x%0aGET%20/admin")
    assert "\n" not in loggable_path(request) and " " not in loggable_path(request)


@pytest.mark.django_db
def test_the_signed_in_user_is_named_by_id(client, lines):
    user = get_user_model().objects.create_user("focal", password="a-long-right-password-1")
    client.post("/en/accounts/login/", {"username": "focal", "password": "a-long-right-password-1"})
    client.get("/health")
    assert lines()[-1].user == str(user.pk)


@pytest.mark.django_db
@pytest.mark.parametrize(("trusted", "expected"), [(False, "127.0.0.1"), (True, "203.0.113.9")])
def test_forwarded_for_is_believed_only_behind_a_trusted_proxy(client, lines, trusted, expected):
    with override_settings(PRIMI_TRUSTED_PROXY=trusted):
        client.get("/health", HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.9")
    assert lines()[0].client == expected


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_an_unhandled_error_is_logged_with_the_request_id_and_not_shown(caplog):
    caplog.set_level(logging.INFO)
    response = Client(raise_request_exception=False).get("/boom", HTTP_X_REQUEST_ID="rid-42")
    assert response.status_code == 500
    assert response["X-Request-ID"] == "rid-42"
    body = response.content.decode()
    assert "secret-internal-detail" not in body and "Traceback" not in body
    errors = [r for r in caplog.records if r.name == "django.request"]
    assert errors and errors[0].exc_info and errors[0].exc_info[0] is RuntimeError
    assert errors[0].request_id == "rid-42"  # set by RequestIdFilter on the handler's way
    (line,) = [r for r in caplog.records if r.name == "primi.request"]
    assert line.status == 500 and line.request_id == "rid-42"


def test_the_overhead_is_tiny(caplog):
    """The middleware's own cost per request, logging on (to a handler that keeps nothing)."""
    caplog.set_level(logging.INFO, logger="primi.request")
    logger = logging.getLogger("primi.request")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    try:
        response = HttpResponse(b"x" * 1000)
        bare = RequestLogMiddleware(lambda request: response)
        request = RequestFactory().get("/rest/data/DF_FLOWS/M.MEX", {"startPeriod": "2020"})
        rounds = 2000
        started = time.perf_counter()
        for _ in range(rounds):
            bare(request)
        per_request_us = (time.perf_counter() - started) / rounds * 1e6
    finally:
        logger.propagate = True
    print(f"RequestLogMiddleware: {per_request_us:.1f} µs per request")
    assert per_request_us < 200
