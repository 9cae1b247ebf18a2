"""Content negotiation for the SDMX services: which format and which language to answer in.

The `format` query parameter wins over the Accept header (browsers and spreadsheets cannot set
headers); Accept is read with its q-values, a more specific range winning at equal q (RFC 9110
12.5.1, as Django's own negotiation does), and `*/*`, a missing or empty Accept, `application/*`,
`application/xml` and `text/xml` get the first offer (SDMX-ML 2.1 generic data for data queries,
SDMX-ML 2.1 structures under /rest and 3.0 under /rest/v2); `text/*` gets the first offer with a
text/ alias. Media-type parameters other than `version` (e.g. `labels=both` of SDMX-CSV) are
handed to the writer.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.http import HttpRequest
from django.utils.translation.trans_real import parse_accept_lang_header

from primi.sdmx.errors import SdmxError
from primi.sdmx.views_base import HEADER_ECHO, requested_languages

DEFAULT_LANGUAGE = "en"


@dataclass(frozen=True)
class Offer:
    """One format a resource can be answered in."""

    name: str
    media_type: str
    version: str | None
    aliases: tuple[str, ...] = ()
    """Values of the `format` parameter and other media types that ask for this offer."""

    @property
    def versioned_type(self) -> str:
        """The media type with its version parameter (structure messages' whole Content-Type)."""
        if self.version is None:
            return self.media_type
        return f"{self.media_type}; version={self.version}"

    @property
    def content_type(self) -> str:
        return f"{self.versioned_type}; charset=utf-8"

    @property
    def accept_form(self) -> str:
        """How a client names this offer in Accept."""
        if self.version is None:
            return self.media_type
        return f"{self.media_type};version={self.version}"


@dataclass(frozen=True)
class Choice:
    """The offer chosen and the media-type parameters the client added (labels, ...)."""

    offer: Offer
    parameters: dict[str, str] = field(default_factory=dict)


GENERIC_DATA_21 = Offer(
    "genericdata",
    "application/vnd.sdmx.genericdata+xml",
    "2.1",
    aliases=("genericdata", "sdmx-ml", "xml", "application/xml", "text/xml"),
)
STRUCTURE_SPECIFIC_DATA_21 = Offer(
    "structurespecificdata",
    "application/vnd.sdmx.structurespecificdata+xml",
    "2.1",
    aliases=("structurespecificdata", "compact"),
)
SDMX_JSON_DATA_10 = Offer(
    "jsondata",
    "application/vnd.sdmx.data+json",
    "1.0.0",
    aliases=("jsondata", "json", "sdmx-json", "application/json"),
)
SDMX_CSV_DATA_10 = Offer(
    "csv",
    "application/vnd.sdmx.data+csv",
    "1.0.0",
    aliases=("csv", "csvfile", "sdmx-csv", "text/csv", "csvfilewithlabels"),
)
DATA_OFFERS: tuple[Offer, ...] = (
    GENERIC_DATA_21,
    STRUCTURE_SPECIFIC_DATA_21,
    SDMX_JSON_DATA_10,
    SDMX_CSV_DATA_10,
)
STRUCTURE_SPECIFIC_DATA_30 = Offer(
    "structurespecificdata30",
    "application/vnd.sdmx.data+xml",
    "3.0.0",
    aliases=(
        "application/vnd.sdmx.structurespecificdata+xml",
        "structurespecificdata",
        "sdmx-ml",
        "xml",
        "application/xml",
        "text/xml",
    ),
)
SDMX_JSON_DATA_20 = Offer(
    "jsondata20",
    "application/vnd.sdmx.data+json",
    "2.0.0",
    aliases=("jsondata", "json", "sdmx-json", "application/json"),
)
SDMX_CSV_DATA_20 = Offer(
    "csv20",
    "application/vnd.sdmx.data+csv",
    "2.0.0",
    aliases=("csv", "csvfile", "sdmx-csv", "text/csv", "csvfilewithlabels"),
)
DATA_OFFERS_V2: tuple[Offer, ...] = (
    STRUCTURE_SPECIFIC_DATA_30,
    SDMX_JSON_DATA_20,
    SDMX_CSV_DATA_20,
    *DATA_OFFERS,
)
"""SDMX-REST 2.x data: the SDMX 3.0 formats first (SDMX-ML 3.0 for */*), then the 2.1 ones
for clients that name them with their version."""
STRUCTURE_21 = Offer(
    "structure",
    "application/vnd.sdmx.structure+xml",
    "2.1",
    aliases=("structure", "xml", "application/xml", "text/xml"),
)
STRUCTURE_30 = Offer(
    "structure30",
    "application/vnd.sdmx.structure+xml",
    "3.0.0",
    aliases=("structure", "xml", "application/xml", "text/xml"),
)
STRUCTURE_OFFERS: tuple[Offer, ...] = (STRUCTURE_21,)
STRUCTURE_OFFERS_V2: tuple[Offer, ...] = (STRUCTURE_30, STRUCTURE_21)
"""SDMX-REST 2.x structures: SDMX-ML 3.0 for */* and plain XML, 2.1 when asked by version."""
_VERSION_ALIASES = {"1.0": "1.0.0", "1": "1.0.0", "2.1.0": "2.1", "2.0": "2.0.0", "3.0": "3.0.0"}


def choose_format(request: HttpRequest, offers: Sequence[Offer]) -> Choice:
    """The offer named by `format=`, else the best Accept match; 406 when none fits."""
    requested = request.GET.get("format")
    if requested:
        return _from_format(requested, offers)
    accept = request.headers.get("Accept", "").strip() or "*/*"
    ranges = sorted(_media_ranges(accept), key=lambda r: (-r[1], -_specificity(r[0], r[2])))
    for media_type, quality, parameters in ranges:
        if quality <= 0:
            continue
        offer = _match(media_type, parameters.get("version"), offers)
        if offer is not None:
            parameters.pop("version", None)
            return Choice(offer, parameters)
    raise _not_acceptable(accept, offers)


def preferred_language(request: HttpRequest, default: str = DEFAULT_LANGUAGE) -> str:
    """The best of es/en/fr that Accept-Language names (`es-MX` is es); `default` when it names
    none of them (no header, `*`, or other languages only)."""
    header = request.headers.get("Accept-Language", "")
    named = {tag.split("-")[0].lower() for tag, q in parse_accept_lang_header(header) if q > 0}
    best = requested_languages(request)[0]
    return best if best in named else default


def _from_format(requested: str, offers: Sequence[Offer]) -> Choice:
    text = requested.strip()
    name, _, rest = text.partition(";")
    parameters = _parameters(rest)
    for offer in offers:
        if name.lower() in offer.aliases or name.lower() == offer.media_type:
            version = parameters.pop("version", None)
            if version is not None and _version(version) != offer.version:
                break
            if name.lower() == "csvfilewithlabels":
                parameters.setdefault("labels", "both")
            return Choice(offer, parameters)
    raise _not_acceptable(f"format={requested}", offers)


def _match(media_type: str, version: str | None, offers: Sequence[Offer]) -> Offer | None:
    media_type = media_type.lower()
    main, _, sub = media_type.partition("/")
    for offer in offers:
        if main == "*" or (
            sub == "*" and any(t.startswith(f"{main}/") for t in (offer.media_type, *offer.aliases))
        ):
            return offer
        named = media_type == offer.media_type or media_type in offer.aliases
        if named and (version is None or _version(version) == offer.version):
            return offer
    return None


def _specificity(media_type: str, parameters: dict[str, str]) -> int:
    """`*/*` < `type/*` < `type/sub` < `type/sub;param=...` (q already taken out)."""
    main, _, sub = media_type.partition("/")
    if main == "*":
        return 0
    if sub == "*":
        return 1
    return 3 if parameters else 2


def _version(text: str) -> str:
    return _VERSION_ALIASES.get(text.strip(), text.strip())


def _media_ranges(header: str) -> list[tuple[str, float, dict[str, str]]]:
    """`type/sub;a=b;q=0.5, ...` -> [(type/sub, q, {a: b})], malformed q counted as 0."""
    ranges = []
    for item in header.split(","):
        name, _, rest = item.strip().partition(";")
        if not name:
            continue
        parameters = _parameters(rest)
        try:
            quality = float(parameters.pop("q", "1"))
        except ValueError:
            quality = 0.0
        ranges.append((name.strip(), quality, parameters))
    return ranges


def _parameters(text: str) -> dict[str, str]:
    parameters = {}
    for piece in text.split(";"):
        key, sep, value = piece.partition("=")
        if sep:
            parameters[key.strip().lower()] = value.strip().strip('"')
    return parameters


def _not_acceptable(asked: str, offers: Sequence[Offer]) -> SdmxError:
    names = "; ".join(o.accept_form for o in offers)
    types = ", ".join(o.versioned_type for o in offers)
    asked = asked[:HEADER_ECHO]
    return SdmxError(
        406,
        f"Not acceptable: {asked}. This resource is served as: {names} (Content-Type {types}).",
        f"Formato no disponible: {asked}. Este recurso se sirve como: {names} "
        f"(Content-Type {types}).",
    )
