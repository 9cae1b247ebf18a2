"""How a data message groups the selected rows into data sets, series and observations.

Every SDMX data format writes the same hierarchy, so the grouping is done once here: the rows
arrive sorted (see `Layout.order`), and `data_events` turns them into a stream of `DataSet`,
`Series` and `END_OF_DATA_SET` that holds at most one series in memory. Without series
(dimensionAtObservation=AllDimensions) observations come in bounded chunks of key-less series.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.sdmx.sdmx_csv import number_text
from primi.standard.frame import (
    DIMENSIONS,
    MEASURE,
    OBS_ATTRIBUTES,
    SERIES_ATTRIBUTES,
    TIME_DIMENSION,
)

ALL_DIMENSIONS = "AllDimensions"
BARE_CHUNK = 1_000


@dataclass(frozen=True)
class Layout:
    """The message's shape: which dimension is at the observation, how much detail, history."""

    dimension_at_observation: str = TIME_DIMENSION
    detail: str = "full"
    history: bool = False

    @property
    def flat(self) -> bool:
        return self.dimension_at_observation == ALL_DIMENSIONS

    @property
    def series_dimensions(self) -> tuple[str, ...]:
        if self.flat:
            return ()
        every = (*DIMENSIONS, TIME_DIMENSION)
        return tuple(d for d in every if d != self.dimension_at_observation)

    @property
    def observation_dimensions(self) -> tuple[str, ...]:
        return (*DIMENSIONS, TIME_DIMENSION) if self.flat else (self.dimension_at_observation,)

    @property
    def series_attributes(self) -> tuple[str, ...]:
        """Attributes written once per series: the series-level ones, when the series is a
        time series (they depend on every dimension but time)."""
        if self.dimension_at_observation == TIME_DIMENSION and self.detail in ("full", "nodata"):
            return SERIES_ATTRIBUTES
        return ()

    @property
    def observation_attributes(self) -> tuple[str, ...]:
        if self.detail != "full":
            return ()
        if self.dimension_at_observation == TIME_DIMENSION:
            return OBS_ATTRIBUTES
        return (*SERIES_ATTRIBUTES, *OBS_ATTRIBUTES)

    @property
    def attributes(self) -> tuple[str, ...]:
        return (*self.series_attributes, *self.observation_attributes)

    @property
    def with_observations(self) -> bool:
        return self.detail in ("full", "dataonly")

    @property
    def order(self) -> tuple[str, ...]:
        """The row order that keeps each series' rows together, in key then time order."""
        return (*self.series_dimensions, *self.observation_dimensions)


@dataclass(frozen=True, slots=True)
class Observation:
    key: tuple[str, ...]
    value: str | None
    """The number as text (see sdmx_csv.number_text); None when missing or withheld."""
    attributes: dict[str, str]


@dataclass(slots=True)
class Series:
    key: tuple[str, ...]
    """Values of `Layout.series_dimensions`; () for the observations of a flat data set."""
    attributes: dict[str, str] = field(default_factory=dict)
    observations: list[Observation] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class DataSet:
    """The start of a data set; in a history, the publication whose revisions it holds."""

    published_at: dt.datetime | None = None
    submission: int | None = None


class EndOfDataSet:
    """Marks the end of the data set opened last."""


END_OF_DATA_SET = EndOfDataSet()
_CLOSED = object()
Event = DataSet | Series | EndOfDataSet


def data_events(batches: Iterable[pa.RecordBatch], layout: Layout) -> Iterator[Event]:
    """Group sorted rows; a series' attributes are those of its last published observation.

    Always yields at least one (possibly empty) data set, so every message is well formed.
    Where a series or a data set may begin is found per batch with Arrow; Python only looks at
    a key where it changed.
    """
    series_dims, obs_dims = layout.series_dimensions, layout.observation_dimensions
    series_attrs, obs_attrs = layout.series_attributes, layout.observation_attributes
    opened: object = _CLOSED
    series: Series | None = None
    series_published = -1
    for batch in batches:
        rows = _columns(batch, layout)
        published_at, submissions = rows["PUBLISHED_AT"], rows["SUBMISSION"]
        changes = _changes(batch, (*series_dims, *(("SUBMISSION",) if layout.history else ())))
        for i in range(batch.num_rows):
            if changes[i]:
                data_set = submissions[i] if layout.history else None
                if opened is _CLOSED or data_set != opened:
                    if series is not None:
                        yield series
                        series = None
                    if opened is not _CLOSED:
                        yield END_OF_DATA_SET
                    yield DataSet(_instant(published_at[i]) if layout.history else None, data_set)
                    opened = data_set
                key = tuple(rows[d][i] for d in series_dims)
                if series is None or key != series.key:
                    if series is not None:
                        yield series
                    series, series_published = Series(key), -1
            elif layout.flat and len(series.observations) >= BARE_CHUNK:  # type: ignore[union-attr]
                yield series  # type: ignore[misc]
                series = Series(())
            if series_attrs and published_at[i] >= series_published:
                series.attributes = _present(rows, series_attrs, i)  # type: ignore[union-attr]
                series_published = published_at[i]
            if layout.with_observations:
                series.observations.append(  # type: ignore[union-attr]
                    Observation(
                        tuple(rows[d][i] for d in obs_dims),
                        rows[MEASURE][i],
                        _present(rows, obs_attrs, i),
                    )
                )
    if series is not None:
        yield series
    if opened is _CLOSED:
        yield DataSet()
    yield END_OF_DATA_SET


def _changes(batch: pa.RecordBatch, names: tuple[str, ...]) -> list[bool]:
    """Whether a row's values of `names` may differ from the row before (always for row 0)."""
    n = batch.num_rows
    changed = np.zeros(n, dtype=bool)
    if n:
        changed[0] = True
    for name in names:
        column = batch.column(name)
        if n > 1:
            differs = pc.not_equal(column.slice(1), column.slice(0, n - 1))
            changed[1:] |= differs.to_numpy(zero_copy_only=False)
    return changed.tolist()


def _instant(microseconds: int) -> dt.datetime:
    return _EPOCH + dt.timedelta(microseconds=microseconds)


_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _present(rows: dict[str, list], names: tuple[str, ...], i: int) -> dict[str, str]:
    return {name: rows[name][i] for name in names if rows[name][i] is not None}


def _columns(batch: pa.RecordBatch, layout: Layout) -> dict[str, list]:
    """The columns a layout reads, as Python lists of text (numbers formatted once, in Arrow);
    PUBLISHED_AT as microseconds since the epoch."""
    names = {*layout.series_dimensions, *layout.observation_dimensions, *layout.attributes}
    rows: dict[str, list] = {
        "PUBLISHED_AT": _list(batch.column("PUBLISHED_AT").cast(pa.int64())),
        "SUBMISSION": _list(batch.column("SUBMISSION")),
        MEASURE: _list(number_text(batch.column(MEASURE))),
    }
    for name in names:
        column = batch.column(name)
        if not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        rows[name] = _list(column)
    return rows


def _list(column: pa.Array) -> list:
    """Arrow to Python values (None for null) by way of numpy, several times faster than
    to_pylist for text."""
    if column.null_count and not pa.types.is_string(column.type):
        return column.to_pylist()
    return column.to_numpy(zero_copy_only=False).tolist()
