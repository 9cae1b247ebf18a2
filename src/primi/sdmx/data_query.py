"""An SDMX-REST 1.5 data query read from its URL: the dataflow, the key, the providers and the
parameters, checked and turned into the store's `Selection`.

Every refusal is an `SdmxError` that names what is wrong in English and Spanish: 400 for a query
that is not well formed, 404 for a dataflow, version or agency that does not exist.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import ClassVar

from django.db import connection
from django.utils.dateparse import parse_datetime

from primi.sdmx.errors import NOT_XML_TEXT, SdmxError, not_found
from primi.standard.artefacts import DATA_STRUCTURE, DATAFLOW
from primi.standard.catalogue import load_standard
from primi.standard.frame import AGENCY, DIMENSIONS, TIME_DIMENSION
from primi.standard.models import Artefact
from primi.store.keys import KeyPatternError, parse_key
from primi.store.queries import Selection

ALL_DIMENSIONS = "AllDimensions"
DETAILS = ("full", "dataonly", "serieskeysonly", "nodata")
DEFAULT_VERSION = "1.0"
LATEST = ("latest", "~")
ANY = ("all", "*")
_ID = re.compile(r"^[A-Za-z0-9_@$\-]+$")
_AGENCY = re.compile(r"^[A-Za-z][A-Za-z0-9_\-]*(\.[A-Za-z][A-Za-z0-9_\-]*)*$")
_VERSION = re.compile(r"^[0-9]+(\.[0-9]+){0,2}$")
_CODE = re.compile(r"^[A-Za-z0-9_@$\-]*$")


def bad_request(message_en: str, message_es: str) -> SdmxError:
    return SdmxError(400, f"Bad query: {message_en}.", f"Consulta mal formada: {message_es}.")


def refuse_unprintable(*texts: str | None, params: Mapping[str, str] | None = None) -> None:
    """A 400 that echoes nothing for a query whose path or parameters hold control characters."""
    params = params or {}
    pieces = [*texts, *params.keys(), *params.values()]
    if any(text and NOT_XML_TEXT.search(text) for text in pieces):
        raise bad_request(
            "the query holds control characters (such as NUL), which no SDMX id or parameter has",
            "la consulta contiene caracteres de control (como NUL), que ningún identificador ni "
            "parámetro SDMX tiene",
        )


@dataclass(frozen=True)
class _Ref:
    """A maintainable artefact of the standard at one version, named by its URN's class."""

    agency: str
    id: str
    version: str
    urn_class: ClassVar[str]

    @property
    def urn(self) -> str:
        return (
            f"urn:sdmx:org.sdmx.infomodel.datastructure.{self.urn_class}="
            f"{self.agency}:{self.id}({self.version})"
        )


@dataclass(frozen=True)
class FlowRef(_Ref):
    """A dataflow of the standard and the version the query named (resolved when `latest`)."""

    urn_class: ClassVar[str] = "Dataflow"

    @property
    def structure_id(self) -> str:
        """The message-local id that ties a data set to the header's structure."""
        return f"{self.agency}_{self.id}_{self.version.replace('.', '_')}"


@dataclass(frozen=True)
class StructureRef(_Ref):
    """The data structure definition, for the schema of data sent against it (no dataflow)."""

    urn_class: ClassVar[str] = "DataStructure"


@dataclass(frozen=True)
class DataQuery:
    """What a data query asks for: the rows (`selection`) and how the message lays them out."""

    flow: FlowRef
    selection: Selection
    dimension_at_observation: str = TIME_DIMENSION
    detail: str = "full"


def resolve_flow(flow_ref: str) -> FlowRef:
    """`DF_FLOWS`, `PRIMI,DF_FLOWS`, `PRIMI,DF_FLOWS,1.0` or `...,latest` -> a known dataflow."""
    refuse_unprintable(flow_ref)
    parts = [p.strip() for p in flow_ref.split(",")]
    if len(parts) > 3 or not all(parts):
        raise bad_request(
            f"flowRef '{flow_ref}' must be 'DATAFLOW', 'AGENCY,DATAFLOW' or "
            "'AGENCY,DATAFLOW,VERSION'",
            f"flowRef '{flow_ref}' debe ser 'FLUJO', 'AGENCIA,FLUJO' o 'AGENCIA,FLUJO,VERSIÓN'",
        )
    agency, flow_id, version = {
        1: lambda: ("all", parts[0], "latest"),
        2: lambda: (parts[0], parts[1], "latest"),
        3: lambda: tuple(parts),
    }[len(parts)]()
    if not (_AGENCY.match(agency) or agency in ANY) or not _ID.match(flow_id):
        raise bad_request(
            f"'{flow_ref}' holds characters not allowed in SDMX ids",
            f"'{flow_ref}' contiene caracteres no permitidos en identificadores SDMX",
        )
    _check_version(version)
    if agency not in (AGENCY, *ANY):
        raise not_found(f"agency {agency} maintains no dataflow here (only {AGENCY})",
                        f"la agencia {agency} no mantiene flujos aquí (solo {AGENCY})")  # fmt: skip
    try:
        load_standard().dataflow(flow_id)
    except KeyError:
        raise not_found(f"{flow_id} is not a dataflow of {AGENCY}",
                        f"{flow_id} no es un flujo de datos de {AGENCY}") from None  # fmt: skip
    return FlowRef(AGENCY, flow_id, _known_version(DATAFLOW, flow_id, version))


def resolve_structure(agency: str, structure_id: str, version: str) -> StructureRef:
    """The standard's data structure named by a schema query, at a stored version."""
    refuse_unprintable(agency, structure_id, version)
    if agency not in (AGENCY, *ANY) or structure_id != load_standard().structure_id:
        raise not_found(
            f"{agency}:{structure_id} is not a data structure of {AGENCY}",
            f"{agency}:{structure_id} no es una estructura de datos de {AGENCY}",
        )
    _check_version(version)
    return StructureRef(AGENCY, structure_id, _known_version(DATA_STRUCTURE, structure_id, version))


def _check_version(version: str) -> None:
    if not (_VERSION.match(version) or version in LATEST):
        raise bad_request(
            f"version '{version}' must be like 1.0 or 'latest'",
            f"la versión '{version}' debe ser como 1.0 o 'latest'",
        )


def _known_version(kind: str, artefact_id: str, version: str) -> str:
    """The stored versions of the artefact (1.0 before the standard was ever synced).

    Read with plain SQL: every data query asks, and building the ORM's query cost about as
    much as a small answer's rows.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT version FROM {Artefact._meta.db_table} WHERE kind = %s AND artefact_id = %s"
            " ORDER BY major, minor",
            [kind, artefact_id],
        )
        stored = [version for (version,) in cursor.fetchall()]
    known = stored or [DEFAULT_VERSION]
    if version in LATEST:
        return known[-1]
    if version not in known:
        raise not_found(
            f"{artefact_id} has no version {version} (versions: {', '.join(known)})",
            f"{artefact_id} no tiene la versión {version} (versiones: {', '.join(known)})",
        )
    return version


def parse_providers(provider_ref: str | None) -> tuple[str, ...]:
    """`all`, `GTM_IGM`, `PRIMI,GTM_IGM` or several joined by `+` -> provider ids (() = all)."""
    if provider_ref is None or provider_ref.strip() in ("", *ANY):
        return ()
    providers = []
    for part in provider_ref.split("+"):
        pieces = [p.strip() for p in part.split(",")]
        if len(pieces) > 2 or not all(_ID.match(p) for p in pieces):
            raise bad_request(
                f"providerRef '{provider_ref}' must be 'PROVIDER' or 'AGENCY,PROVIDER'",
                f"providerRef '{provider_ref}' debe ser 'PROVEEDOR' o 'AGENCIA,PROVEEDOR'",
            )
        providers.append(pieces[-1])
    return tuple(dict.fromkeys(providers))


def parse_data_query(
    flow_ref: str,
    key: str | None,
    provider_ref: str | None,
    params: Mapping[str, str],
    *,
    as_of: dt.datetime | None = None,
) -> DataQuery:
    """The whole query, or the first thing wrong with it as an SdmxError."""
    refuse_unprintable(flow_ref, key, provider_ref, params=params)
    flow = resolve_flow(flow_ref)
    pattern = _key(key)
    selection = Selection(
        key_pattern=pattern,
        dataflow=flow.id,
        providers=parse_providers(provider_ref),
        start=_period_param(params, "startPeriod", first=True),
        end=_period_param(params, "endPeriod", first=False),
        as_of=as_of,
        updated_after=instant_param(params, "updatedAfter"),
        first_n=_count_param(params, "firstNObservations"),
        last_n=_count_param(params, "lastNObservations"),
        history=_boolean_param(params, "includeHistory"),
    )
    if selection.start and selection.end and selection.start > selection.end:
        raise bad_request("startPeriod is after endPeriod", "startPeriod es posterior a endPeriod")
    dimension = params.get("dimensionAtObservation", TIME_DIMENSION)
    if dimension not in (TIME_DIMENSION, *DIMENSIONS, ALL_DIMENSIONS):
        choices = ", ".join((TIME_DIMENSION, *DIMENSIONS, ALL_DIMENSIONS))
        raise bad_request(
            f"dimensionAtObservation '{dimension}' is none of {choices}",
            f"dimensionAtObservation '{dimension}' no es ninguno de {choices}",
        )
    detail = params.get("detail", "full")
    if detail not in DETAILS:
        raise bad_request(
            f"detail '{detail}' is none of {', '.join(DETAILS)}",
            f"detail '{detail}' no es ninguno de {', '.join(DETAILS)}",
        )
    if detail in ("serieskeysonly", "nodata") and dimension == ALL_DIMENSIONS:
        raise bad_request(
            f"detail={detail} lists series, and dimensionAtObservation=AllDimensions has none",
            f"detail={detail} lista series, y dimensionAtObservation=AllDimensions no tiene",
        )
    if detail == "serieskeysonly" and dimension == TIME_DIMENSION and not selection.history:
        # One observation per series says the series exists; the rest would be read for nothing.
        selection = replace(selection, first_n=1, last_n=None)
    return DataQuery(flow, selection, dimension, detail)


def _key(key: str | None):
    text = key or "all"
    if not all(_CODE.match(code) or code == "*" for code in re.split(r"[.+]", text)):
        raise bad_request(
            f"key '{text}' holds characters not allowed in codes",
            f"la clave '{text}' contiene caracteres no permitidos en códigos",
        )
    try:
        return parse_key(text)
    except KeyPatternError:
        count = len(text.split("."))
        raise bad_request(
            f"key '{text}' has {count} positions; {len(DIMENSIONS)} expected "
            f"({'.'.join(DIMENSIONS)})",
            f"la clave '{text}' tiene {count} posiciones; se esperan {len(DIMENSIONS)} "
            f"({'.'.join(DIMENSIONS)})",
        ) from None


# Period forms SDMX-REST accepts for startPeriod/endPeriod: ISO 8601 year, month or date, and the
# SDMX reporting periods (A1, S, T, Q, M, W, D); each becomes the first or last day it covers.
_PERIODS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^(\d{4})(?:-A1)?$"), "year"),
    (re.compile(r"^(\d{4})-S([12])$"), "semester"),
    (re.compile(r"^(\d{4})-T([1-3])$"), "trimester"),
    (re.compile(r"^(\d{4})-Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-M?(0[1-9]|1[0-2])$"), "month"),
    (re.compile(r"^(\d{4})-W(0[1-9]|[1-4]\d|5[0-3])$"), "week"),
    (re.compile(r"^(\d{4})-D(\d{3})$"), "day_of_year"),
    (re.compile(r"^(\d{4}-\d{2}-\d{2})(?:T[\d:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$"), "date"),
)


def period_range(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of a startPeriod/endPeriod value (ValueError if none of the forms)."""
    text = text.strip()
    for pattern, kind in _PERIODS:
        m = pattern.match(text)
        if m:
            return _range(kind, m)
    raise ValueError(text)


def _range(kind: str, m: re.Match) -> tuple[dt.date, dt.date]:
    if kind == "date":
        day = dt.date.fromisoformat(m.group(1))
        return day, day
    year = int(m.group(1))
    if kind == "week":
        start = dt.date.fromisocalendar(year, int(m.group(2)), 1)
        return start, start + dt.timedelta(days=6)
    if kind == "day_of_year":
        day = dt.date(year, 1, 1) + dt.timedelta(days=int(m.group(2)) - 1)
        if day.year != year:
            raise ValueError(m.group(0))
        return day, day
    months = {"year": 12, "semester": 6, "trimester": 4, "quarter": 3, "month": 1}[kind]
    first_month = 1 if kind == "year" else (int(m.group(2)) - 1) * months + 1
    last_month = first_month + months - 1
    last_day = calendar.monthrange(year, last_month)[1]
    return dt.date(year, first_month, 1), dt.date(year, last_month, last_day)


def _period_param(params: Mapping[str, str], name: str, *, first: bool) -> dt.date | None:
    text = params.get(name)
    if text is None:
        return None
    try:
        bounds = period_range(text)
    except ValueError:
        raise bad_request(
            f"{name} '{text}' is not a period (2020, 2020-Q1, 2020-01, 2020-01-15...)",
            f"{name} '{text}' no es un periodo (2020, 2020-Q1, 2020-01, 2020-01-15...)",
        ) from None
    return bounds[0] if first else bounds[1]


def instant_param(params: Mapping[str, str], name: str) -> dt.datetime | None:
    """An ISO 8601 instant parameter (updatedAfter, asOf), UTC when it names no zone."""
    text = params.get(name)
    if text is None:
        return None
    # An unencoded "+" of a time zone reaches us as a space.
    value = text.strip().replace(" ", "+")
    try:
        parsed = parse_datetime(value) or parse_datetime(f"{value}T00:00:00")
    except ValueError:
        parsed = None
    if parsed is None:
        raise bad_request(
            f"{name} '{text}' is not an ISO 8601 date-time (2024-05-01T00:00:00Z)",
            f"{name} '{text}' no es una fecha y hora ISO 8601 (2024-05-01T00:00:00Z)",
        )
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def _count_param(params: Mapping[str, str], name: str) -> int | None:
    text = params.get(name)
    if text is None:
        return None
    if not text.strip().isdigit() or int(text) < 1:
        raise bad_request(
            f"{name} '{text}' must be a positive whole number",
            f"{name} '{text}' debe ser un número entero positivo",
        )
    return int(text)


def _boolean_param(params: Mapping[str, str], name: str) -> bool:
    text = params.get(name, "false").strip().lower()
    if text not in ("true", "false"):
        raise bad_request(
            f"{name} '{text}' must be true or false", f"{name} '{text}' debe ser true o false"
        )
    return text == "true"
