"""Rate limits on the machine interfaces and on signing in, shared by every process.

Requests under /rest/ and /api/ are counted per client (the API token's public prefix when one
is presented, else the client's address) and sign-in POSTs per address, each against a limit
"N/SECONDS" read from the settings (PRIMI_RATE_LIMIT_MACHINE, PRIMI_RATE_LIMIT_LOGIN; empty or
0 turns one off). The count is a sliding window: the current fixed window's count plus the
previous one's, weighted by how much of it still lies within the last SECONDS. Counts live in
the cache named by PRIMI_RATE_LIMIT_CACHE (a database table by default, so that every gunicorn
process on every machine shares them).

A request over the limit is answered 429 with Retry-After: the seconds after which the next
request is accepted. Refused requests are not counted, so a client that waits that long is
always served again: there is no lasting ban. Counting is lenient under contention (two
processes may read the same count and both write it plus one), which errs towards serving.

`client_address` is also django-axes' AXES_CLIENT_IP_CALLABLE, so sign-in lockouts and these
limits agree on who the client is behind a trusted proxy.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import math
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import caches
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation.trans_real import parse_accept_lang_header

log = logging.getLogger(__name__)

MACHINE_PREFIXES = ("/rest/", "/api/")
LOGIN_URL_NAMES = ("login", "admin:login")
_TOKEN = re.compile(r"^Bearer\s+primi_([A-Za-z0-9]+)_", re.IGNORECASE)

clock: Callable[[], float] = time.time
"""The time in seconds; tests replace it to move past a window without sleeping."""


@dataclass(frozen=True)
class Limit:
    """At most `requests` within any `seconds` (approximately: a sliding window of counts)."""

    requests: int
    seconds: int

    @classmethod
    def parse(cls, text: str | None) -> Limit | None:
        """`"600/60"` -> Limit(600, 60); empty, `0` or `off` -> None (no limit)."""
        text = (text or "").strip().lower()
        if text in ("", "0", "off"):
            return None
        requests, _, seconds = text.partition("/")
        limit = cls(int(requests), int(seconds or "60"))
        if limit.requests < 1 or limit.seconds < 1:
            raise ValueError(f"a rate limit must be N/SECONDS with both positive, not {text!r}")
        return limit


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    retry_after: int = 0


def client_address(request: HttpRequest) -> str | None:
    """The client's address: REMOTE_ADDR, or behind a trusted proxy (PRIMI_TRUSTED_PROXY) the
    last address of X-Forwarded-For, the one the proxy itself saw (earlier ones are whatever
    the client chose to send). None when there is no valid one: axes stores it in an address
    column, which PostgreSQL checks."""
    candidates = [request.META.get("REMOTE_ADDR", "")]
    if getattr(settings, "PRIMI_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        candidates.insert(0, forwarded[-1].strip())
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return None


def machine_client(request: HttpRequest) -> str:
    """The API token's public prefix when a token is presented, else the address."""
    token = _TOKEN.match(request.headers.get("Authorization", ""))
    if token:
        return f"token:{token.group(1)[:64]}"
    return f"address:{client_address(request) or 'unknown'}"


def check(scope: str, client: str, limit: Limit, now: float | None = None) -> Verdict:
    """Count one request of `client` against `limit`, or refuse it (uncounted) with the wait."""
    now = clock() if now is None else now
    window = int(now // limit.seconds)
    elapsed = now - window * limit.seconds
    name = hashlib.sha256(f"{scope}|{client}".encode()).hexdigest()[:40]
    current_key, previous_key = f"rl:{name}:{window}", f"rl:{name}:{window - 1}"
    cache = caches[settings.PRIMI_RATE_LIMIT_CACHE]
    counts = cache.get_many([current_key, previous_key])
    current, previous = counts.get(current_key, 0), counts.get(previous_key, 0)
    weight = 1 - elapsed / limit.seconds
    if previous * weight + current + 1 <= limit.requests + 1e-9:
        cache.set(current_key, current + 1, timeout=2 * limit.seconds + 1)
        return Verdict(True)
    return Verdict(False, _wait(limit, elapsed, current, previous))


def _wait(limit: Limit, elapsed: float, current: int, previous: int) -> int:
    """Whole seconds until previous*weight + current + 1 <= requests holds again."""
    room = limit.requests - 1
    if current <= room and previous > 0:
        # Within this window, as the previous window's share shrinks.
        seconds = limit.seconds * (1 - (room - current) / previous) - elapsed
    else:
        # In the next window, where this window's count is the previous one.
        left = limit.seconds - elapsed
        seconds = left + max(0.0, limit.seconds * (1 - room / current))
    return max(1, math.ceil(seconds - 1e-9))


class RateLimitMiddleware:
    """429 with Retry-After above the limits; every other request passes unchanged."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self._login_paths: frozenset[str] | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        refusal = self._refusal(request)
        return refusal if refusal is not None else self.get_response(request)

    def _refusal(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if path.startswith(MACHINE_PREFIXES):
            limit = Limit.parse(settings.PRIMI_RATE_LIMIT_MACHINE)
            scope, client, body = "machine", machine_client(request), _machine_body
        elif request.method == "POST" and path in self.login_paths():
            limit = Limit.parse(settings.PRIMI_RATE_LIMIT_LOGIN)
            scope, client, body = "login", client_address(request) or "unknown", _login_body
        else:
            return None
        if limit is None:
            return None
        try:
            verdict = check(scope, client, limit)
        except DatabaseError:
            # A missing cache table (createcachetable not run) must not take the site down.
            log.exception("rate limit store unavailable; request served unlimited")
            return None
        if verdict.allowed:
            return None
        response = body(request, verdict.retry_after)
        response["Retry-After"] = str(verdict.retry_after)
        return response

    def login_paths(self) -> frozenset[str]:
        """The sign-in pages' paths in every language (the site's and the admin's)."""
        if self._login_paths is None:
            paths = set()
            for code, _ in settings.LANGUAGES:
                with translation.override(code):
                    for name in LOGIN_URL_NAMES:
                        try:
                            paths.add(reverse(name))
                        except NoReverseMatch:
                            continue
            self._login_paths = frozenset(paths)
        return self._login_paths


def _messages(retry_after: int) -> tuple[str, str]:
    return (
        f"Demasiadas solicitudes. Vuelva a intentarlo en {retry_after} s.",
        f"Too many requests. Try again in {retry_after} s.",
    )


def _machine_body(request: HttpRequest, retry_after: int) -> HttpResponse:
    """JSON like the API's errors under /api (detail, es, en); plain text under /rest."""
    es, en = _messages(retry_after)
    if request.path_info.startswith("/api/"):
        detail = en if _prefers_english(request) else es
        body = json.dumps({"detail": detail, "es": es, "en": en}, ensure_ascii=False)
        return HttpResponse(body, status=429, content_type="application/json; charset=utf-8")
    return _text_body(request, retry_after)


def _login_body(request: HttpRequest, retry_after: int) -> HttpResponse:
    """In the sign-in page's language (its path's prefix: /es/, /en/, /fr/)."""
    prefix = request.path_info.strip("/").split("/")[0]
    language = prefix if prefix in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        text = gettext("Too many sign-in attempts from your address. Try again in %(seconds)s s.")
    body = f"{text % {'seconds': retry_after}}\n"
    return HttpResponse(body, status=429, content_type="text/plain; charset=utf-8")


def _text_body(request: HttpRequest, retry_after: int) -> HttpResponse:
    es, en = _messages(retry_after)
    return HttpResponse(f"{es}\n{en}\n", status=429, content_type="text/plain; charset=utf-8")


def _prefers_english(request: HttpRequest) -> bool:
    for tag, quality in parse_accept_lang_header(request.headers.get("Accept-Language", "")):
        language = tag.split("-")[0].lower()
        if quality > 0 and language in ("es", "en"):
            return language == "en"
    return False
