"""Synthetic mirror statistics with discrepancies injected at known places.

Mexico's removals of each country's citizens (RET_FOREIGN) and each country's nationals received
back from Mexico (RET_NAT) are drawn from one seeded generator, equal on both sides, then chosen
cells of side b are moved (rounded to whole persons) beyond the rule's tolerance, and some only
within it; the test knows exactly which pairs must be found.
"""

from __future__ import annotations

import random
from pathlib import Path

import pyarrow as pa

from primi.sdmx.sdmx_csv import write_sdmx_csv
from primi.standard import frame
from primi.workflow.submission_file import submit_file

COUNTRIES = ("GTM", "HND", "SLV")
# Gaps beyond the 10 % tolerance of L4_MIRROR_RETURNS: (receiving country, month) -> factor.
BEYOND = {("GTM", "2023-03"): 0.7, ("GTM", "2023-04"): 1.5, ("HND", "2024-11"): 0.5}
MONTHS = tuple(f"{y}-{m:02d}" for y in (2023, 2024) for m in range(1, 13))


def rows_of(reporter: str, indicator: str, pairs: dict[tuple[str, str], float]) -> pa.Table:
    keys = sorted(pairs)
    n = len(keys)
    return frame.conform(
        pa.table(
            {
                "FREQ": ["M"] * n,
                "REF_AREA": [reporter] * n,
                "INDICATOR": [indicator] * n,
                "COUNTERPART_AREA": [k[0] for k in keys],
                "SEX": ["_T"] * n,
                "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n,
                "TIME_PERIOD": [k[1] for k in keys],
                "OBS_VALUE": [pairs[k] for k in keys],
                "UNIT_MEASURE": ["PS"] * n,
                "COUNTING_BASIS": ["PERSONS"] * n,
                "SOURCE_ROW": list(range(2, n + 2)),
            }
        )
    )


def mirror_values(seed: int = 7) -> dict[tuple[str, str], float]:
    """(country, month) -> persons Mexico removed to that country (= received there)."""
    rng = random.Random(seed)
    return {(c, m): float(rng.randint(800, 5000)) for c in COUNTRIES for m in MONTHS}


def submit(table: pa.Table, path: Path, provider: str, *, publish: bool = True):
    write_sdmx_csv(table, path, dataflow="DF_RETURNS")
    result = submit_file(path, provider=provider, publish=publish, override=True)
    assert result.loaded, result.summary("en")
    return result


def load_mirrors(
    tmp_path: Path,
    changed: dict[tuple[str, str], float],
    *,
    seed: int = 7,
    publish_received: bool = True,
):
    """Publish Mexico's side, and each country's side with `changed` cells multiplied.

    Returns the submission results of the receiving countries by country.
    """
    values = mirror_values(seed)
    submit(rows_of("MEX", "RET_FOREIGN", values), tmp_path / "mex_ret_foreign.csv", "MEX_INM")
    results = {}
    for country in COUNTRIES:
        received = {
            ("MEX", m): float(round(values[(c, m)] * changed.get((c, m), 1.0)))
            for (c, m) in values
            if c == country
        }
        results[country] = submit(
            rows_of(country, "RET_NAT", received),
            tmp_path / f"{country.lower()}_ret_nat.csv",
            f"{country}_MIGRACION",
            publish=publish_received,
        )
    return results
