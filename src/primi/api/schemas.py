"""What the API answers, as ninja schemas: the OpenAPI document is generated from these."""

from __future__ import annotations

import datetime as dt

from ninja import Field, Schema
from pydantic import field_serializer


class ErrorOut(Schema):
    detail: str = Field(description="The message in the language asked for (es, else en).")
    es: str
    en: str


class Names(Schema):
    es: str
    en: str
    fr: str | None = None


class Dimensions(Schema):
    """One value per dimension of DSD_MIGR, in its order."""

    FREQ: str
    REF_AREA: str
    INDICATOR: str
    COUNTERPART_AREA: str
    SEX: str
    AGE: str
    POP_GROUP: str


class IndicatorOut(Schema):
    id: str
    name: str
    names: Names
    description: str | None = Field(description="Glossary entry, paraphrasing its source.")
    dataflow: str
    unit_measure: str
    unit_label: str | None
    counting_basis: str | None = Field(description="EVENTS or PERSONS; none for amounts, rates.")
    counting_basis_label: str | None
    frequencies: list[str]
    counterpart_role: str
    sex: list[str]
    age: list[str]
    pop_group: list[str]
    source: str


class DataflowOut(Schema):
    id: str
    name: str
    names: Names
    indicators: list[IndicatorOut]


class DataflowList(Schema):
    lang: str
    dataflows: list[DataflowOut]


class SeriesOut(Schema):
    key: str
    dataflow: str
    dimensions: Dimensions
    labels: Dimensions
    unit_measure: str | None
    unit_label: str | None
    unit_mult: int | None
    counting_basis: str | None
    counting_basis_label: str | None
    source_inst: str | None
    first_period: str | None
    last_period: str | None
    observations: int = Field(description="Published values disclosure control lets out.")


class PageOut(Schema):
    lang: str
    total: int = Field(description="Every match, not only those of this page.")
    limit: int
    offset: int
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null last.")


class SeriesPage(PageOut):
    series: list[SeriesOut]


class Provenance(Schema):
    """Where a value comes from: the revision, the submission, the file, its sheet and row."""

    revision_id: int
    submission_id: int
    provider: str
    file_name: str
    source_sheet: str | None = Field(
        description="The workbook sheet the value is on; null for a file of one table."
    )
    source_row: int = Field(
        description="1-based row of the value in the submitted file, or in `source_sheet`."
    )
    published_at: dt.datetime = Field(
        description="To the microsecond, so that it can be passed back as `as_of`."
    )

    @field_serializer("published_at")
    def _full_precision(self, value: dt.datetime) -> str:
        return value.isoformat()


class ObservationOut(Schema):
    series_key: str
    dimensions: Dimensions
    labels: Dimensions
    period: str
    value: float | None
    obs_status: str | None
    obs_status_label: str | None
    conf_status: str | None
    comment: str | None
    decimals: int | None
    unit_measure: str | None
    unit_label: str | None
    unit_mult: int | None
    counting_basis: str | None
    source_inst: str | None
    provenance: Provenance


class ObservationPage(PageOut):
    observations: list[ObservationOut]


class RevisionOut(Schema):
    value: float | None
    obs_status: str | None
    obs_status_label: str | None
    comment: str | None
    unit_measure: str | None
    unit_mult: int | None
    provenance: Provenance


class RevisionHistory(Schema):
    lang: str
    series_key: str
    period: str
    dimensions: Dimensions
    labels: Dimensions
    revisions: list[RevisionOut] = Field(description="Oldest first; the last one is current.")


class AreaOut(Schema):
    code: str
    name: str
    names: Names


class SourceValue(Schema):
    """One published value a figure is made of, with its provenance."""

    series_key: str
    period: str
    value: float
    obs_status: str | None
    provenance: Provenance


class FigureOut(Schema):
    period: str
    value: float
    unit_measure: str | None
    unit_label: str | None
    unit_mult: int | None = Field(description="The value is in units of 10^unit_mult.")
    counting_basis: str | None
    frequency: str = Field(description="A, Q or M: the frequency of the values added up.")
    sources: list[SourceValue]


class IndicatorRef(Schema):
    id: str
    name: str
    dataflow: str


class ProfileFigureOut(Schema):
    indicator: IndicatorRef
    latest: FigureOut
    previous: FigureOut | None
    change: float | None = Field(description="latest minus previous, in the figure's unit.")
    change_percent: float | None


class CountryProfile(Schema):
    lang: str
    country: AreaOut
    figures: list[ProfileFigureOut]


class CountryFigure(Schema):
    country: AreaOut
    figure: FigureOut


class IndicatorComparison(Schema):
    lang: str
    indicator: IndicatorOut
    period: str | None = Field(description="Null when no country of the region has data.")
    regions: list[AreaOut] = Field(description="The groups of countries compared.")
    countries: list[CountryFigure]
    no_data: list[AreaOut]
