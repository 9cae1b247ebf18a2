"""Structure query views: parse, negotiate, select, then answer 304 or the structure message."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.urls import reverse

from primi.sdmx.errors import not_found
from primi.sdmx.http import not_modified, stamp
from primi.sdmx.negotiation import (
    STRUCTURE_21,
    STRUCTURE_30,
    STRUCTURE_OFFERS,
    STRUCTURE_OFFERS_V2,
    Offer,
    choose_format,
)
from primi.sdmx.structure_catalogue import StructureCatalogue, Version
from primi.sdmx.structure_ml30 import StructureWriter30
from primi.sdmx.structure_query import StructureQuery, parse_v1, parse_v2
from primi.sdmx.structure_selection import select
from primi.sdmx.views_base import requested_languages, sdmx_view
from primi.standard.frame import AGENCY
from primi.standard.structure_message import (
    CONTENT_CONSTRAINT,
    StructureWriter,
    write_structures,
)

WRITERS: dict[Offer, type[StructureWriter]] = {
    STRUCTURE_21: StructureWriter,
    STRUCTURE_30: StructureWriter30,
}
V2_TYPE_NAMES = {CONTENT_CONSTRAINT: "dataconstraint"}


@sdmx_view
def structure_v1(request: HttpRequest, type_name: str, rest: str = "") -> HttpResponseBase:
    query = parse_v1(type_name, rest, request.GET)
    return _answer(request, query, STRUCTURE_OFFERS, _v1_url(request))


@sdmx_view
def structure_v2(request: HttpRequest, rest: str = "") -> HttpResponseBase:
    query = parse_v2(rest, request.GET)
    return _answer(request, query, STRUCTURE_OFFERS_V2, _v2_url(request))


def _answer(
    request: HttpRequest,
    query: StructureQuery,
    offers: Sequence[Offer],
    structure_url: Callable[[Version], str],
) -> HttpResponseBase:
    offer = choose_format(request, offers).offer
    languages = requested_languages(request)
    catalogue = StructureCatalogue.load()
    if catalogue.empty:
        raise not_found(
            "no structures are stored yet (`primi demo` or `primi standard export FILE` store "
            "the standard)",
            "aún no hay estructuras guardadas (`primi demo` o `primi standard export ARCHIVO` "
            "guardan el estándar)",
        )
    selection = select(catalogue, query)
    freshness = selection.freshness(catalogue, offer.versioned_type, languages, query.detail)
    if (unchanged := not_modified(request, freshness)) is not None:
        return unchanged
    body = write_structures(
        selection.entries(catalogue, structure_url),
        catalogue.stored_versions,
        languages=languages,
        writer=WRITERS[offer],
    )
    response = HttpResponse(body, content_type=offer.versioned_type)
    response["Content-Language"] = ", ".join(languages)
    return stamp(response, freshness)


def _v1_url(request: HttpRequest) -> Callable[[Version], str]:
    def url(v: Version) -> str:
        rest = f"{AGENCY}/{v.artefact_id}/{v.version}"
        path = reverse("sdmx-structure", kwargs={"type_name": v.resource, "rest": rest})
        return request.build_absolute_uri(path)

    return url


def _v2_url(request: HttpRequest) -> Callable[[Version], str]:
    def url(v: Version) -> str:
        type_name = V2_TYPE_NAMES.get(v.resource, v.resource)
        rest = f"{type_name}/{AGENCY}/{v.artefact_id}/{v.version}"
        return request.build_absolute_uri(reverse("sdmx-structure-v2", kwargs={"rest": rest}))

    return url
