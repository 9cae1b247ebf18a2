"""HTTP as machine clients expect it under /rest and /api: CORS, Vary, gzip, conditional GET.

CORS applies to machine paths only: the site's HTML pages are not opened to other origins. Both
are gzipped (pages with Django's random padding against BREACH). Conditional GET is a pair of
helpers rather than middleware because a view must judge freshness before it builds (or
streams) an answer.
"""

from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import io
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.middleware.gzip import GZipMiddleware, re_accepts_gzip
from django.middleware.locale import LocaleMiddleware
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date
from django.utils.translation import get_language

MACHINE_PREFIXES = ("/rest/", "/api/")
VARY = ("Accept", "Accept-Encoding", "Accept-Language")
READ_METHODS = "GET, HEAD, OPTIONS"
CORS_REQUEST_HEADERS = "Accept, Accept-Language, If-None-Match, If-Modified-Since, Cache-Control"
CORS_EXPOSED_HEADERS = (
    "ETag, Last-Modified, Content-Language, Content-Disposition, Vary, Retry-After"
)
PREFLIGHT_MAX_AGE = str(24 * 3600)
CACHE_CONTROL = "public, no-cache"  # any cache may keep it, but must revalidate (ETag) first


def is_machine_path(path: str) -> bool:
    return path.startswith(MACHINE_PREFIXES) or path in ("/rest", "/api")


class PartsResponse(StreamingHttpResponse):
    """A streamed answer whose parts reach the client as each is made, gzip flushed after each.

    For a page whose head can leave before its figures are read: the browser fetches the
    stylesheets and scripts meanwhile. Django's gzip of a stream keeps small parts in the
    compressor until enough follows, which would hold the head back.
    """


def gzip_parts(parts: Iterable[bytes]) -> Iterator[bytes]:
    """`parts` gzipped, each part flushed to the output as soon as it is compressed."""
    buffer = io.BytesIO()
    # A random-length name in the gzip header varies the length, as Django does against BREACH.
    name = secrets.token_hex(1 + secrets.randbelow(GZipMiddleware.max_random_bytes // 2))
    with gzip.GzipFile(filename=name, mode="wb", compresslevel=6, fileobj=buffer, mtime=0) as out:
        for part in parts:
            out.write(part)
            out.flush()
            yield _drained(buffer)
    yield _drained(buffer)


def _drained(buffer: io.BytesIO) -> bytes:
    data = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return data


class MachineHttpMiddleware(GZipMiddleware):
    """CORS for reads, Vary and gzip on machine paths; OPTIONS answered before any view runs.

    Pages are gzipped too (a map page carries its boundaries inline: 80 KB, 25 KB gzipped);
    Django's GZipMiddleware pads each answer with random bytes against BREACH.
    """

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        if request.method != "OPTIONS" or not is_machine_path(request.path_info):
            return None
        response = HttpResponse(status=204)
        response["Allow"] = READ_METHODS
        if "Access-Control-Request-Method" in request.headers:
            response["Access-Control-Allow-Methods"] = READ_METHODS
            response["Access-Control-Allow-Headers"] = request.headers.get(
                "Access-Control-Request-Headers", CORS_REQUEST_HEADERS
            )
            response["Access-Control-Max-Age"] = PREFLIGHT_MAX_AGE
        return response

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if is_machine_path(request.path_info):
            response.headers["Access-Control-Allow-Origin"] = "*"
            response.headers["Access-Control-Expose-Headers"] = CORS_EXPOSED_HEADERS
            patch_vary_headers(response, VARY)
        if isinstance(response, PartsResponse):
            return self._gzip_parts(request, response)
        return super().process_response(request, response)

    @staticmethod
    def _gzip_parts(request: HttpRequest, response: PartsResponse) -> PartsResponse:
        patch_vary_headers(response, ("Accept-Encoding",))
        accepted = re_accepts_gzip.search(request.headers.get("Accept-Encoding", ""))
        if accepted and not response.has_header("Content-Encoding"):
            response.streaming_content = gzip_parts(response.streaming_content)
            response.headers.pop("Content-Length", None)
            response.headers["Content-Encoding"] = "gzip"
        return response


class MachinePathLocaleMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware, except that a 404 on a machine path is never redirected.

    Django retries a 404 under the language prefix (/es/...); an SDMX client asking for an
    artefact that does not exist must get the SDMX 404, not a redirect to a page.
    """

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if response.status_code == 404 and is_machine_path(request.path_info):
            patch_vary_headers(response, ("Accept-Language",))
            response.headers.setdefault("Content-Language", get_language())
            return response
        return super().process_response(request, response)


@dataclass(frozen=True)
class Freshness:
    """What a representation's validators come from: a digest of its parts, and when it changed."""

    tag: str
    modified: dt.datetime | None

    @classmethod
    def of(cls, modified: dt.datetime | None, *parts: object) -> Freshness:
        """Freshness of an answer made of `parts` (ids, versions, hashes, media type, query...)."""
        text = "\x1f".join([modified.isoformat() if modified else "", *map(str, parts)])
        return cls(hashlib.sha256(text.encode()).hexdigest()[:32], modified)

    @property
    def etag(self) -> str:
        """Weak: the bytes differ between answers (the header's Prepared time) and under gzip."""
        return f'W/"{self.tag}"'

    @property
    def timestamp(self) -> int | None:
        return int(self.modified.timestamp()) if self.modified else None


def not_modified(request: HttpRequest, freshness: Freshness) -> HttpResponseBase | None:
    """The 304 (or 412) answer when the client's copy is current, else None: build the answer.

    Call it before doing the work, then `stamp` the answer with the same freshness.
    """
    response = get_conditional_response(
        request, etag=freshness.etag, last_modified=freshness.timestamp
    )
    return stamp(response, freshness) if response is not None else None


def stamp(response: HttpResponseBase, freshness: Freshness) -> HttpResponseBase:
    """Put ETag, Last-Modified and Cache-Control on an answer (also streamed ones)."""
    response.headers["ETag"] = freshness.etag
    if freshness.timestamp is not None:
        response.headers["Last-Modified"] = http_date(freshness.timestamp)
    response.headers.setdefault("Cache-Control", CACHE_CONTROL)
    return response
