"""One structured log line per request, and the request's id on every line logged meanwhile.

The line (logger `primi.request`) holds the method, the path with its query string less any
parameter that may carry a secret, the status, the time taken, the bytes of the answer when
known, the user's id (or "anonymous"), the client's address (as the rate limits read it) and
the request id. The id is the X-Request-ID the client or proxy sent when it is a plain token,
else a new one; it is echoed in the answer's X-Request-ID header, so a person reporting a
problem can quote it. An unhandled error is logged by Django (logger `django.request`) with its
traceback and, through `RequestIdFilter`, the same id; the user sees the plain error page.
For a streamed answer (SDMX data) the time is until the answer starts and its size is unknown.
"""

import logging
import os
import re
import time
from collections.abc import Callable
from contextvars import ContextVar
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.encoding import escape_uri_path
from django.utils.functional import empty

from primi.operations.rate_limits import client_address

logger = logging.getLogger("primi.request")

HEADER = "X-Request-ID"
SANE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,99}")
# Query parameters whose value may be a credential: never written to a log.
SECRET_PARAMETER = re.compile(
    r"token|key|secret|passw|pwd|auth|session|signature|^sig$|^code$|csrf|credential|ticket",
    re.IGNORECASE,
)
MAX_PATH = 1000

_request_id: ContextVar[str | None] = ContextVar("primi_request_id", default=None)


def current_request_id() -> str | None:
    """The id of the request this thread is serving, if any."""
    return _request_id.get()


class RequestIdFilter(logging.Filter):
    """Puts the current request's id on every record (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        return True


def request_id(request: HttpRequest) -> str:
    """The client's or proxy's X-Request-ID when it is a plain token, else a new one."""
    given = request.META.get("HTTP_X_REQUEST_ID", "")
    if given and SANE_ID.fullmatch(given):
        return given
    return os.urandom(16).hex()


def loggable_path(request: HttpRequest) -> str:
    """The path and query string, without the parameters that may carry a credential."""
    path = request.path
    if not (path.isascii() and path.isprintable() and " " not in path):
        path = escape_uri_path(path)
    query = request.META.get("QUERY_STRING", "")
    if query:
        if SECRET_PARAMETER.search(query):
            kept = [
                (name, value)
                for name, value in parse_qsl(query, keep_blank_values=True)
                if not SECRET_PARAMETER.search(name)
            ]
            query = urlencode(kept)
        if query:
            path = f"{path}?{query}"
    return path[:MAX_PATH]


def user_label(request: HttpRequest) -> str:
    """The signed-in user's id, or "anonymous"; costs no query unless a session cookie came and
    the view never looked at the user."""
    user = getattr(request, "user", None)
    if user is None:
        return "anonymous"
    if getattr(user, "_wrapped", None) is empty and settings.SESSION_COOKIE_NAME not in (
        request.COOKIES
    ):
        return "anonymous"
    try:
        return str(user.pk) if user.is_authenticated else "anonymous"
    except Exception:  # noqa: BLE001 - a log line must never turn an answer into an error
        return "unknown"


def response_bytes(response: HttpResponse) -> int | None:
    """The answer's size when known without reading a stream."""
    length = response.get("Content-Length")
    if length is not None and length.isdigit():
        return int(length)
    if getattr(response, "streaming", False):
        return None
    return len(response.content)


class RequestLogMiddleware:
    """Outermost middleware: its time includes every other layer's."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        rid = request_id(request)
        token = _request_id.set(rid)
        try:
            response = self.get_response(request)
            response[HEADER] = rid
            if logger.isEnabledFor(logging.INFO):
                self._log(request, response, rid, time.perf_counter() - started)
            return response
        finally:
            _request_id.reset(token)

    @staticmethod
    def _log(request: HttpRequest, response: HttpResponse, rid: str, seconds: float) -> None:
        path = loggable_path(request)
        size = response_bytes(response)
        user = user_label(request)
        client = client_address(request) or ""
        duration_ms = round(seconds * 1000, 2)
        logger.info(
            "%s %s %s %.2fms %sB user=%s client=%s",
            request.method,
            path,
            response.status_code,
            duration_ms,
            "-" if size is None else size,
            user,
            client,
            extra={
                "method": request.method,
                "path": path,
                "status": response.status_code,
                "duration_ms": duration_ms,
                "bytes": size,
                "user": user,
                "client": client,
                "request_id": rid,
            },
        )
