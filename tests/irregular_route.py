"""The real irregular-transit series by nationality along the Darien route, loaded as published.

Panama's Darien crossings (persons, IRR_TRANSIT), and the irregular arrivals of Honduras, Mexico
and the United States (events, IRR_DETECTED), each by nationality and month, from
../shared/data/real, converted the way tests/real does and submitted through `submit_file` by a
provider of each country. Cut to the months from `since` so that a test stays quick; the United
States' rows are summed over its demographic groups to one series per nationality.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from real.conversions import query, to_sdmx_csv

from primi.standard.frame import conform
from primi.store.loading import load_frame
from primi.workflow.submission_file import submit_file

SOURCES = {
    "PAN": ("irreg_darien_nat.csv", "IRR_TRANSIT", "PS", "PERSONS"),
    "HND": ("irreg_honduras_nat.csv", "IRR_DETECTED", "EV", "EVENTS"),
    "MEX": ("irreg_mexico_nat.csv", "IRR_DETECTED", "EV", "EVENTS"),
    "USA": ("irreg_usa.csv", "IRR_DETECTED", "EV", "EVENTS"),
}


def load_route(real: Path, tmp_path: Path, since: str = "2023-01", areas=tuple(SOURCES)) -> None:
    """Submit and publish each country's series by nationality from `since` (YYYY-MM)."""
    for area in areas:
        name, indicator, unit, basis = SOURCES[area]
        nat = "coalesce(nat, '_X')" if area == "USA" else "nat"
        table = query(
            real / name,
            f"""
            SELECT 'M' AS FREQ, '{area}' AS REF_AREA, '{indicator}' AS INDICATOR,
                   {nat} AS COUNTERPART_AREA, '_T' AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
                   t AS TIME_PERIOD, CAST(n AS DOUBLE) AS OBS_VALUE, '{unit}' AS UNIT_MEASURE,
                   '{basis}' AS COUNTING_BASIS, SOURCE_ROW
            FROM src WHERE t >= '{since}' AND n IS NOT NULL""",
        )
        dst = tmp_path / f"route_{area.lower()}.csv"
        to_sdmx_csv(table, dst, "DF_IRREGULAR")
        result = submit_file(dst, provider=f"{area}_ROUTE", publish=True, override=True)
        assert result.loaded, result.summary("en")


DRAFT_VALUE = 987654.0


def load_draft_darien_month() -> None:
    """An unpublished revision of Cubans crossing the Darien in June 2024, `DRAFT_VALUE`."""
    frame = conform(
        pa.table(
            {
                "FREQ": ["M"], "REF_AREA": ["PAN"], "INDICATOR": ["IRR_TRANSIT"],
                "COUNTERPART_AREA": ["CUB"], "SEX": ["_T"], "AGE": ["_T"], "POP_GROUP": ["_T"],
                "TIME_PERIOD": ["2024-06"], "OBS_VALUE": [DRAFT_VALUE],
                "COUNTING_BASIS": ["PERSONS"], "SOURCE_ROW": [2],
            }
        )
    )  # fmt: skip
    load_frame(frame, provider="PAN_DRAFT", dataflow="DF_IRREGULAR", file_name="draft.csv")
