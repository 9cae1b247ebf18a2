"""Query parameters shared by the API's operations, with the forms they accept.

Every form is written in the OpenAPI document as a pattern or a range, so that a client (or
schemathesis) knows in advance which values the API accepts: a value outside them is a 400
that names the parameter; a value inside them is always answered.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated

from ninja import Field, Schema
from pydantic import BeforeValidator

from primi.api.languages import Lang
from primi.standard.frame import DIMENSIONS
from primi.standard.periods import canonical_period
from primi.store.keys import KeyPattern, parse_key

CODE = r"[A-Za-z0-9_]{1,32}"
CODES = rf"^{CODE}(,{CODE}){{0,49}}$"
PERIOD = r"^(19|2[0-9])[0-9]{2}(-(A1|Q[1-4]|M?(0[1-9]|1[0-2])))?$"
SERIES_KEY = rf"^{CODE}(\.{CODE}){{6}}$"
KEY_POSITION = r"[A-Za-z0-9_+* ]{0,400}"
KEY = rf"^(all|{KEY_POSITION}(\.{KEY_POSITION}){{6}})$"
OBSERVATION_CURSOR = rf"^{CODE}(\.{CODE}){{6}}/(19|2[0-9])[0-9]{{2}}(-(Q[1-4]|0[1-9]|1[0-2]))?$"
TEXT = r"^[^\x00-\x1f\x7f]*$"
MAX_OFFSET = 1_000_000_000
EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)

LANG_HELP = "Language of names and messages: es, en or fr (default: Accept-Language, else es)."
AS_OF_HELP = (
    "Answer as published at this instant (ISO 8601; no zone means UTC); default now. "
    "Releases after now are never shown."
)


# OpenAPI examples as `example`: ninja 1.7 copies a JSON Schema `examples` list onto the
# parameter, where OpenAPI wants a map, and the document would no longer be valid.
def codes_field(what: str, example: str) -> object:
    return Field(
        None,
        pattern=CODES,
        description=f"{what}: one code or several, comma-separated.",
        json_schema_extra={"example": example},
    )


def period_field(description: str, example: str = "2016") -> object:
    return Field(
        None, pattern=PERIOD, description=description, json_schema_extra={"example": example}
    )


class Language(Schema):
    lang: Lang | None = Field(None, description=LANG_HELP)


def _iso_8601_only(value: object) -> object:
    """Refuse what pydantic would otherwise read as a Unix time (`0.5`): ISO 8601 only."""
    if isinstance(value, str) and not re.match(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        raise ValueError("not an ISO 8601 date or date and time")
    return value


IsoInstant = Annotated[dt.datetime | dt.date, BeforeValidator(_iso_8601_only)]


class Instant(Schema):
    as_of: IsoInstant | None = Field(None, description=AS_OF_HELP)


class SeriesFilters(Schema):
    """The dimension filters of series and observations."""

    dataflow: str | None = codes_field("Dataflow id", "DF_FLOWS")
    ref_area: str | None = codes_field("Reporting country (REF_AREA)", "GTM,HND")
    indicator: str | None = codes_field("Indicator (INDICATOR)", "ENTRY")
    counterpart_area: str | None = codes_field("Counterpart country (COUNTERPART_AREA)", "_T")
    sex: str | None = codes_field("Sex (SEX): F, M, _T, _U", "F,M")
    age: str | None = codes_field("Age group (AGE)", "Y_LT18")
    pop_group: str | None = codes_field("Population group (POP_GROUP)", "_T")
    freq: str | None = codes_field("Frequency (FREQ): A, Q or M", "M")

    def codes(self) -> dict[str, tuple[str, ...]]:
        """The codes asked for, by dimension id."""
        return {
            dimension: split_codes(getattr(self, dimension.lower()))
            for dimension in DIMENSIONS
            if getattr(self, dimension.lower())
        }

    def dataflows(self) -> tuple[str, ...]:
        return split_codes(self.dataflow)


class Paging(Schema):
    offset: int = Field(
        0,
        ge=0,
        le=MAX_OFFSET,
        description="Results to skip; with a cursor, skipped after it (walk pages with the "
        "cursor alone).",
    )


def split_codes(text: str | None) -> tuple[str, ...]:
    """Comma-separated codes, upper-cased, each once, in the order given."""
    if not text:
        return ()
    return tuple(dict.fromkeys(c.strip().upper() for c in text.split(",") if c.strip()))


def as_period(text: str | None) -> str | None:
    """A period in the store's canonical form (the pattern has already checked its form)."""
    return canonical_period(text) if text else None


def instant(value: dt.datetime | dt.date | None) -> dt.datetime | None:
    """An instant with a zone (none given means UTC; a date means its start), no earlier than
    1900: nothing was published before, and instants near year 1 cannot be moved to UTC."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return max(value, EARLIEST)


def key_pattern(key: str | None, codes: dict[str, tuple[str, ...]]) -> KeyPattern:
    """The SDMX `key` (a space is a `+` a query string decoded) narrowed by dimension filters.

    A dimension constrained by both keeps the codes in both; none in both matches nothing.
    """
    text = (key or "").replace(" ", "+")
    base = parse_key(None if text.lower() == "all" else text.upper())
    positions = []
    for dimension, allowed in zip(DIMENSIONS, base.positions, strict=True):
        wanted = codes.get(dimension, ())
        if allowed and wanted:
            positions.append(tuple(c for c in allowed if c in wanted) or ("",))
        else:
            positions.append(allowed or wanted)
    return KeyPattern(tuple(positions))
