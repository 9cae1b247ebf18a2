"""SDMX-REST 1.5 data, availability and schema queries: parse, check size, then stream.

The order is fixed: the query is read (400/404), the format chosen (406), a conditional request
answered (304, before any row is counted), the selection counted (404 when empty, 413 above
PRIMI_SDMX_MAX_OBSERVATIONS; one series is read instead of counted), and only then are rows
read, as the answer is sent, and written as they arrive from the database.
The counts and the rows are read as of one instant, so a publication in between changes none.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence

import pyarrow as pa
from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBase, StreamingHttpResponse
from django.utils import timezone

from primi.sdmx.data_query import (
    DataQuery,
    bad_request,
    parse_data_query,
    resolve_flow,
    resolve_structure,
)
from primi.sdmx.errors import SdmxError, not_found, not_implemented
from primi.sdmx.http import Freshness, not_modified, stamp
from primi.sdmx.negotiation import (
    DATA_OFFERS,
    GENERIC_DATA_21,
    SDMX_CSV_DATA_10,
    SDMX_JSON_DATA_10,
    STRUCTURE_21,
    STRUCTURE_SPECIFIC_DATA_21,
    Choice,
    Offer,
    choose_format,
    preferred_language,
)
from primi.sdmx.views_base import sdmx_view
from primi.sdmx.writers.layout import Layout
from primi.sdmx.writers.message import DataMessage
from primi.sdmx.writers.sdmx21_availability import write_availability
from primi.sdmx.writers.sdmx21_generic import write_generic_data
from primi.sdmx.writers.sdmx21_structure_specific import write_structure_specific_data
from primi.sdmx.writers.sdmx21_structure_specific_schema import structure_specific_schema
from primi.sdmx.writers.sdmx_csv10 import write_sdmx_csv_data
from primi.sdmx.writers.sdmx_json10_data import write_sdmx_json_data
from primi.standard.frame import DIMENSIONS, TIME_DIMENSION
from primi.store.freshness import latest_publication
from primi.store.keys import KeyPattern
from primi.store.queries import (
    Selection,
    count_public_observations,
    count_public_revisions,
    public_availability,
    public_observation_batches,
)

DEFAULT_MAX_OBSERVATIONS = 5_000_000
BATCH_ROWS = 10_000  # rows per Arrow batch handed to the writers
Writer = Callable[[DataMessage, Iterator[pa.RecordBatch]], Iterator[bytes]]
WRITERS: dict[Offer, Writer] = {
    GENERIC_DATA_21: write_generic_data,
    STRUCTURE_SPECIFIC_DATA_21: write_structure_specific_data,
    SDMX_JSON_DATA_10: write_sdmx_json_data,
    SDMX_CSV_DATA_10: write_sdmx_csv_data,
}
AVAILABILITY_MODES = ("exact", "available")


def max_observations() -> int:
    """The largest answer served, in observations (settings.PRIMI_SDMX_MAX_OBSERVATIONS)."""
    return int(getattr(settings, "PRIMI_SDMX_MAX_OBSERVATIONS", DEFAULT_MAX_OBSERVATIONS))


@sdmx_view
def data(
    request: HttpRequest,
    flow_ref: str,
    key: str | None = None,
    provider_ref: str | None = None,
) -> HttpResponseBase:
    """/rest/data/{flowRef}/{key}/{providerRef}: the published data, streamed."""
    query = parse_data_query(flow_ref, key, provider_ref, request.GET)
    return data_response(request, query)


def data_response(
    request: HttpRequest,
    query: DataQuery,
    offers: Sequence[Offer] = DATA_OFFERS,
    writers: Mapping[Offer, Writer] = WRITERS,
) -> HttpResponseBase:
    """The answer to a parsed data query; the SDMX-REST 2.x path passes its own formats."""
    choice = choose_format(request, offers)
    labels = _labels(request, choice)
    now = timezone.now()
    selection = dataclasses.replace(query.selection, as_of=query.selection.as_of or now)
    language = preferred_language(request)
    freshness = Freshness.of(
        latest_publication([query.flow.id], as_of=selection.as_of),
        request.get_full_path(),
        choice.offer.name,
        language,
        labels,
    )
    unchanged = not_modified(request, freshness)
    if unchanged is not None:
        return unchanged
    dimension = query.dimension_at_observation
    if choice.offer.media_type == SDMX_CSV_DATA_10.media_type:
        # SDMX-CSV is flat: grouping only matters for series-only details.
        dimension = TIME_DIMENSION
    layout = Layout(dimension, query.detail, selection.history)
    message = DataMessage(query.flow, layout, now, language=language, labels=labels)
    batches = _checked_rows(query, selection, layout.order)
    response = StreamingHttpResponse(
        writers[choice.offer](message, batches), content_type=choice.offer.content_type
    )
    response["Content-Language"] = language
    return stamp(response, freshness)


def _checked_rows(
    query: DataQuery, selection: Selection, order: tuple[str, ...]
) -> Iterator[pa.RecordBatch]:
    """The selection's rows once it is known to hold some and not too many: 404 for an empty
    selection (never 204), 413 above the limit, before anything is sent.

    One series (every dimension given one code) is read before the answer starts, and its
    rows are counted as read: that spares a counting query, a round trip that cost more than
    the rows' own on a busy database. Should it fill a whole batch, it is counted as any
    other selection, after which its rows are read again.
    """
    if _one_series(selection):
        batches = public_observation_batches(selection, order=order, size=BATCH_ROWS)
        first = next(batches, None)
        if first is None or first.num_rows < BATCH_ROWS:
            _check_count(query, 0 if first is None else first.num_rows)
            return itertools.chain([] if first is None else [first], batches)
        batches.close()
    _check_size(query, selection)
    return public_observation_batches(selection, order=order, size=BATCH_ROWS)


def _one_series(selection: Selection) -> bool:
    pattern = selection.key_pattern
    return isinstance(pattern, KeyPattern) and all(len(c) == 1 for c in pattern.positions)


def _check_size(query: DataQuery, selection: Selection) -> None:
    """The count of `_checked_rows` without reading the rows.

    The exact count ranks every revision, as the rows' query does; the cheap upper bound
    (revisions, unranked) spares it unless it is above the limit or filters applied after the
    ranking (providers, updatedAfter) could leave nothing. Nothing is read from the rows' query
    here: it starts with the answer, so an answer never sent holds no database cursor.
    """
    limit = max_observations()
    count = count_public_revisions(selection)
    if count and (count > limit or selection.providers or selection.updated_after):
        count = count_public_observations(selection)
    _check_count(query, count)


def _check_count(query: DataQuery, count: int) -> None:
    limit = max_observations()
    if count == 0:
        raise _no_data(query)
    if count > limit:
        raise SdmxError(
            413,
            f"The query selects {count:,} observations; this service answers at most {limit:,} "
            "at once. Narrow the key (e.g. one REF_AREA or INDICATOR) or the period "
            "(startPeriod, endPeriod), or ask in several parts.",
            f"La consulta selecciona {count:,} observaciones; este servicio responde como "
            f"máximo {limit:,} a la vez. Acote la clave (p. ej. un REF_AREA o INDICATOR) o el "
            "periodo (startPeriod, endPeriod), o pida en varias partes.",
        )


def _no_data(query: DataQuery) -> SdmxError:
    return not_found(
        f"no published data of {query.flow.id} match this key and these parameters",
        f"ningún dato publicado de {query.flow.id} responde a esta clave y estos parámetros",
    )


def _labels(request: HttpRequest, choice: Choice) -> bool:
    """SDMX-CSV `labels=id|both`, from the query or the media type; other formats name codes
    in their own way."""
    value = request.GET.get("labels", choice.parameters.get("labels", "id")).lower()
    if value not in ("id", "both"):
        raise bad_request(f"labels '{value}' must be id or both",
                          f"labels '{value}' debe ser id o both")  # fmt: skip
    return value == "both" and choice.offer.media_type == SDMX_CSV_DATA_10.media_type


@sdmx_view
def available_constraint(
    request: HttpRequest,
    flow_ref: str,
    key: str | None = None,
    provider_ref: str | None = None,
    component_id: str | None = None,
) -> HttpResponseBase:
    """/rest/availableconstraint/...: the codes that have published data for the query."""
    query = parse_data_query(flow_ref, key, provider_ref, request.GET)
    choose_format(request, (STRUCTURE_21,))
    mode = request.GET.get("mode", "exact")
    if mode not in AVAILABILITY_MODES:
        raise bad_request(f"mode '{mode}' must be exact or available",
                          f"mode '{mode}' debe ser exact o available")  # fmt: skip
    references = request.GET.get("references", "none")
    if references != "none":
        raise not_implemented(f"references={references} on availability queries")
    components = _components(component_id)
    selection = dataclasses.replace(query.selection, as_of=timezone.now())
    exact = public_availability(selection)
    if exact.observations == 0:
        raise _no_data(query)
    codes = dict(exact.codes)
    if mode == "available":
        # Each dimension's possible codes given the other dimensions' selection, not its own.
        for dimension in components:
            if dimension != TIME_DIMENSION:
                widened = _without(selection, dimension)
                codes[dimension] = public_availability(widened).codes[dimension]
    answer = dataclasses.replace(exact, codes=codes)
    body = write_availability(query.flow, answer, components, selection.as_of)
    return HttpResponse(body, content_type=STRUCTURE_21.content_type)


def _components(component_id: str | None) -> tuple[str, ...]:
    every = (*DIMENSIONS, TIME_DIMENSION)
    if component_id in (None, "", "all", "*"):
        return every
    if component_id not in every:
        raise bad_request(
            f"componentID '{component_id}' is none of {', '.join(every)} or all",
            f"componentID '{component_id}' no es ninguno de {', '.join(every)} ni all",
        )
    return (component_id,)


def _without(selection: Selection, dimension: str) -> Selection:
    assert isinstance(selection.key_pattern, KeyPattern)
    positions = list(selection.key_pattern.positions)
    positions[DIMENSIONS.index(dimension)] = ()
    return dataclasses.replace(selection, key_pattern=KeyPattern(tuple(positions)))


@sdmx_view
def data_schema(
    request: HttpRequest, context: str, agency: str, resource_id: str, version: str = "latest"
) -> HttpResponse:
    """/rest/schema/{context}/{agency}/{id}/{version}: the XSD of structure-specific data sent
    against a dataflow or the data structure itself (the target namespace names which)."""
    version = version or "latest"
    if context == "dataflow":
        flow = resolve_flow(f"{agency},{resource_id},{version}")
    elif context == "datastructure":
        flow = resolve_structure(agency, resource_id, version)
    else:
        raise not_implemented(f"schemas in the {context} context (there are no {context}s here)")
    dimension = request.GET.get("dimensionAtObservation", TIME_DIMENSION)
    if dimension not in (TIME_DIMENSION, *DIMENSIONS, "AllDimensions"):
        raise bad_request(
            f"dimensionAtObservation '{dimension}' is not a dimension of {flow.id}",
            f"dimensionAtObservation '{dimension}' no es una dimensión de {flow.id}",
        )
    body = structure_specific_schema(flow, dimension)
    return HttpResponse(body, content_type="application/vnd.sdmx.schema+xml; version=2.1")
