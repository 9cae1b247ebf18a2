"""Rate limits through real HTTP: a well-behaved client is always served, a flood gets 429 with
Retry-After and is served again once it has waited, clients are counted apart, sign-in floods
are limited per address, and nobody can lock a user out from another address.

The limiter's clock is replaced by one the test moves, so windows pass without sleeping; the
counts live in the shared cache of production (a table on PostgreSQL, files on SQLite).
"""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import caches
from django.test import Client
from region_people import PASSWORD

from primi.operations import rate_limits
from primi.operations.rate_limits import Limit, check

pytestmark = pytest.mark.django_db

REST = "/rest/no-such-resource"
API = "/api/no-such-resource"
LOGIN = "/es/accounts/login/"
WINDOW = 10


class FakeClock:
    def __init__(self) -> None:
        self.now = 1_000_000.0 * WINDOW  # a window's start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock(monkeypatch, settings) -> FakeClock:
    """The fake clock, and no counts left by an earlier test (on SQLite they are files in
    PRIMI_HOME, which outlive the database's flush)."""
    caches[settings.PRIMI_RATE_LIMIT_CACHE].clear()
    fake = FakeClock()
    monkeypatch.setattr(rate_limits, "clock", fake)
    return fake


@pytest.fixture
def limited(settings, clock) -> FakeClock:
    settings.PRIMI_RATE_LIMIT_MACHINE = f"5/{WINDOW}"
    settings.PRIMI_RATE_LIMIT_LOGIN = f"3/{WINDOW}"
    return clock


def client_at(address: str, **headers: str) -> Client:
    return Client(REMOTE_ADDR=address, headers=headers)


def test_steady_client_under_the_rate_gets_every_answer(limited):
    client = client_at("10.0.0.1")
    for _ in range(40):  # one request every 2.5 s: 4 per 10 s window, the limit is 5
        assert client.get(REST).status_code != 429
        limited.advance(2.5)


def test_flood_gets_429_with_retry_after_and_is_served_after_waiting(limited):
    client = client_at("10.0.0.2")
    statuses = [client.get(REST).status_code for _ in range(5)]
    assert 429 not in statuses
    refused = client.get(REST)
    assert refused.status_code == 429
    wait = int(refused["Retry-After"])
    assert 1 <= wait <= 2 * WINDOW
    assert refused["Content-Type"].startswith("text/plain")
    text = refused.content.decode()
    assert "Demasiadas solicitudes" in text and "Too many requests" in text
    assert f"{wait} s" in text
    # Still flooding: still refused, and the refusals did not lengthen the wait.
    for _ in range(20):
        assert client.get(REST).status_code == 429
    assert int(client.get(REST)["Retry-After"]) == wait
    limited.advance(wait - 1)
    assert client.get(REST).status_code == 429
    limited.advance(1)
    assert client.get(REST).status_code != 429


def test_client_that_honours_retry_after_is_always_served_in_the_end(limited):
    client = client_at("10.0.0.3")
    served = refusals = 0
    while served < 30:
        answer = client.get(REST)
        if answer.status_code == 429:
            refusals += 1
            limited.advance(int(answer["Retry-After"]))
            assert client.get(REST).status_code != 429, "waited Retry-After and was refused"
            served += 1
        else:
            served += 1
    # 30 answers at 5 per 10 s took about a minute of waits: never a lasting ban.
    assert refusals >= 1
    assert limited.now - 1_000_000.0 * WINDOW <= 30 / 5 * WINDOW + 2 * WINDOW


def test_two_clients_are_limited_apart(limited):
    first, second = client_at("10.0.0.4"), client_at("10.0.0.5")
    for _ in range(5):
        first.get(REST)
    assert first.get(REST).status_code == 429
    assert second.get(REST).status_code != 429
    # A token is its own client, wherever it comes from; its address's count is untouched.
    token = client_at("10.0.0.4", authorization="Bearer primi_abc123_secretsecret")
    assert token.get(API).status_code != 429
    other_token = client_at("10.0.0.4", authorization="Bearer primi_zzz999_secret")
    for _ in range(5):
        other_token.get(API)
    assert other_token.get(API).status_code == 429
    assert token.get(API).status_code != 429


def test_api_refusal_is_json_in_the_clients_language(limited):
    client = client_at("10.0.0.6", accept_language="en-GB,en;q=0.9")
    for _ in range(5):
        client.get(API)
    refused = client.get(API)
    assert refused.status_code == 429
    assert refused["Content-Type"].startswith("application/json")
    body = json.loads(refused.content)
    assert body["detail"] == body["en"] and body["en"].startswith("Too many requests")
    assert body["es"].startswith("Demasiadas solicitudes")
    assert int(refused["Retry-After"]) >= 1
    spanish = client_at("10.0.0.6").get(API)
    assert json.loads(spanish.content)["detail"].startswith("Demasiadas")


def test_other_pages_are_not_limited(limited):
    client = client_at("10.0.0.7")
    for _ in range(12):
        assert client.get("/es/").status_code != 429
        assert client.get(LOGIN).status_code == 200  # reading the sign-in page is not a POST


def test_limits_can_be_turned_off(settings, clock):
    settings.PRIMI_RATE_LIMIT_MACHINE = "0"
    client = client_at("10.0.0.8")
    assert all(client.get(REST).status_code != 429 for _ in range(30))


def test_sign_in_flood_is_limited_per_address(limited):
    get_user_model().objects.create_user("ana", password=PASSWORD)
    attacker = client_at("10.0.1.1")
    for n in range(3):
        assert attacker.post(LOGIN, {"username": f"x{n}", "password": "bad"}).status_code == 200
    refused = attacker.post(LOGIN, {"username": "ana", "password": PASSWORD})
    assert refused.status_code == 429 and int(refused["Retry-After"]) >= 1
    assert "Demasiados intentos" in refused.content.decode()
    english = client_at("10.0.1.1").post("/en/accounts/login/", {"username": "ana"})
    assert english.status_code == 429 and "Too many sign-in attempts" in english.content.decode()
    french = client_at("10.0.1.1").post("/fr/accounts/login/", {"username": "ana"})
    assert french.status_code == 429 and "Trop de tentatives" in french.content.decode()
    # Another address signs in at once; the attacker's address is served after the wait.
    user = client_at("10.0.1.2")
    assert user.post(LOGIN, {"username": "ana", "password": PASSWORD}).status_code == 302
    limited.advance(int(refused["Retry-After"]))
    assert attacker.post(LOGIN, {"username": "ana", "password": PASSWORD}).status_code == 302


def test_failures_from_another_address_do_not_lock_the_user_out(settings, clock):
    """django-axes locks user name + address: five failures from the attacker's address leave
    the real user's address free."""
    settings.PRIMI_RATE_LIMIT_LOGIN = "0"
    get_user_model().objects.create_user("berta", password=PASSWORD)
    attacker = client_at("10.0.2.1")
    for _ in range(6):
        attacker.post(LOGIN, {"username": "berta", "password": "wrong"})
    locked = attacker.post(LOGIN, {"username": "berta", "password": PASSWORD})
    assert locked.status_code != 302  # the attacker's address is locked for berta
    user = client_at("10.0.2.2")
    assert user.post(LOGIN, {"username": "berta", "password": PASSWORD}).status_code == 302


def test_behind_the_proxy_a_forged_forwarded_address_locks_out_nobody(settings, clock):
    """Behind the trusted proxy every request comes from the proxy's address; the client is the
    last X-Forwarded-For entry (the proxy's own), so an attacker who writes the user's address
    first in the header is still counted, and locked, as himself."""
    settings.PRIMI_TRUSTED_PROXY = True
    settings.PRIMI_RATE_LIMIT_LOGIN = "0"
    get_user_model().objects.create_user("carla", password=PASSWORD)
    attacker = client_at("127.0.0.1", x_forwarded_for="10.0.3.2, 10.0.3.1")
    for _ in range(6):
        attacker.post(LOGIN, {"username": "carla", "password": "wrong"})
    user = client_at("127.0.0.1", x_forwarded_for="10.0.3.2")
    assert user.post(LOGIN, {"username": "carla", "password": PASSWORD}).status_code == 302


def test_behind_the_proxy_clients_are_told_apart_by_forwarded_address(settings, limited):
    settings.PRIMI_TRUSTED_PROXY = True
    first = client_at("127.0.0.1", x_forwarded_for="10.0.4.1")
    second = client_at("127.0.0.1", x_forwarded_for="10.0.4.2")
    for _ in range(5):
        first.get(REST)
    assert first.get(REST).status_code == 429
    assert second.get(REST).status_code != 429
    settings.PRIMI_TRUSTED_PROXY = False  # untrusted: the header is ignored, both are the proxy
    assert second.get(REST).status_code != 429
    for _ in range(5):
        second.get(REST)
    assert first.get(REST).status_code == 429


@pytest.mark.parametrize("requests,seconds", [(1, 1), (5, 10), (60, 300), (150, 60)])
def test_retry_after_is_exact_to_the_second(requests, seconds):
    """Waiting Retry-After always admits the next request, one second less never does
    (the whole-second rounding aside), from any point of a window."""
    limit = Limit(requests, seconds)
    for offset in (0.0, 0.3 * seconds, 0.99 * seconds):
        now = 5_000_000.0 * seconds + offset
        client = f"exact-{requests}-{seconds}-{offset}"
        while (verdict := check("t", client, limit, now)).allowed:
            now += 0.01
        assert not check("t", client, limit, now + verdict.retry_after - 1).allowed or (
            verdict.retry_after == 1
        )
        assert check("t", client, limit, now + verdict.retry_after).allowed


def test_limit_forms():
    assert Limit.parse("600/60") == Limit(600, 60)
    assert Limit.parse("") is None and Limit.parse("0") is None and Limit.parse("off") is None
    with pytest.raises(ValueError):
        Limit.parse("5/0")


def test_a_forwarded_header_that_names_no_address_falls_back_to_the_peer(settings, clock):
    """axes keeps the address in a column PostgreSQL checks: garbage must never reach it."""
    settings.PRIMI_TRUSTED_PROXY = True
    get_user_model().objects.create_user("dora", password=PASSWORD)
    client = client_at("127.0.0.1", x_forwarded_for="10.0.5.1, not-an-address<script>")
    assert client.post(LOGIN, {"username": "dora", "password": "wrong"}).status_code == 200
    assert client.post(LOGIN, {"username": "dora", "password": PASSWORD}).status_code == 302
    assert rate_limits.client_address(client.get(LOGIN).wsgi_request) == "127.0.0.1"
