"""A dataflow's published data, as now or as published at an earlier instant, in an SDMX format.

Only published revisions reach here (the store's public queries), and cells flagged confidential
or suppressed for disclosure control leave with no value.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path

import pyarrow as pa
from django.utils.dateparse import parse_datetime

from primi.standard.catalogue import load_standard
from primi.standard.frame import DIMENSIONS
from primi.store.queries import WITHHELD_CONF_STATUS, Revision, current_value_batches

FORMATS = ("sdmx-csv",)


class ExportError(ValueError):
    """A request the exporter cannot answer (unknown dataflow, bad instant, unknown format)."""


def parse_instant(text: str | None) -> dt.datetime | None:
    """An ISO 8601 instant; a date alone means its start, and no zone means UTC."""
    if not text:
        return None
    value = parse_datetime(text) or parse_datetime(f"{text}T00:00:00")
    if value is None:
        raise ExportError(
            f"'{text}' no es una fecha u hora ISO 8601 / is not an ISO 8601 date or time"
        )
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def revisions_table(revisions: list[Revision]) -> pa.Table:
    """The canonical columns of a list of revisions, suppressed cells without a value."""
    keys = [r.series_key.split(".") for r in revisions]
    columns: dict[str, list] = {d: [k[i] for k in keys] for i, d in enumerate(DIMENSIONS)}
    columns["TIME_PERIOD"] = [r.time_period for r in revisions]
    columns["OBS_VALUE"] = [
        None if r.conf_status in WITHHELD_CONF_STATUS else r.obs_value for r in revisions
    ]
    for name in ("obs_status", "conf_status", "unit_measure", "unit_mult", "counting_basis",
                 "source_inst", "comment_obs", "decimals"):  # fmt: skip
        columns[name.upper()] = [getattr(r, name) for r in revisions]
    return pa.table(columns)


def export_flow(
    flow: str,
    *,
    fmt: str = "sdmx-csv",
    as_of: str | None = None,
    out: str | Path | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Write the published data of one dataflow; return the number of observations.

    `progress` gets the number of observations read so far, batch by batch.
    """
    from primi.sdmx.sdmx_csv import write_sdmx_csv

    if fmt not in FORMATS:
        raise ExportError(f"format {fmt!r}: use one of {', '.join(FORMATS)}")
    try:
        load_standard().dataflow(flow)
    except KeyError:
        raise ExportError(
            f"{flow} no es un flujo de datos de PRIMI / is not a PRIMI dataflow"
        ) from None
    tables = []
    for batch in current_value_batches(dataflow=flow, as_of=parse_instant(as_of)):
        tables.append(revisions_table(batch))
        if progress is not None:
            progress(sum(t.num_rows for t in tables))
    table = pa.concat_tables(tables) if tables else revisions_table([])
    target = Path(out) if out else sys.stdout.buffer
    return write_sdmx_csv(table, target, dataflow=flow)
