"""What the API tests load: demo series for three countries and Belize's hand-written files.

Belize's files exercise what the API must hide or trace: a resubmission that revises values, a
cell withheld from the start (C), a cell whose current revision is suppressed (D), a draft and
an embargoed release (each with a series of its own) that must never show.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from primi.demo.generator import generate

DEMO_COUNTRIES = ("GTM", "HND", "MEX")
DEMO_LAST_YEAR = 2017
BLZ_ENTRY = "M.BLZ.ENTRY._T._T._T._T"
BLZ_EXIT = "M.BLZ.EXIT._T._T._T._T"
DRAFT_ONLY = "M.BLZ.ENTRY.GTM._T._T._T"
EMBARGOED_ONLY = "M.BLZ.ENTRY.MEX._T._T._T"
HIDDEN_VALUES = {999_999.0, 555.0, 777_777.0}  # only in the draft and the embargoed release
HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,"
    "OBS_VALUE,UNIT_MEASURE,COUNTING_BASIS,OBS_STATUS,CONF_STATUS"
)


@dataclass
class Published:
    """What the module's store holds, as the tests need to know it."""

    demo_frames: dict[str, pa.Table]
    files: dict[str, Path] = field(default_factory=dict)
    submissions: dict[str, int] = field(default_factory=dict)


def months(first: int, last: int) -> list[str]:
    return [f"{y}-{m:02d}" for y in range(first, last + 1) for m in range(1, 13)]


def blz_value(period: str, revision: int = 1) -> float:
    """Belize's entries in a month: distinct per month and per revision, easy to recompute."""
    year, month = int(period[:4]), int(period[5:])
    return float(1000 * (year - 2010) + 10 * month + (revision - 1) * 5)


def _line(key: str, period: str, value: float | str, conf: str = "F", status: str = "A") -> str:
    unit = "EV,EVENTS"
    return f"PRIMI:DF_FLOWS(1.0),{key.replace('.', ',')},{period},{value},{unit},{status},{conf}"


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def belize_files(folder: Path) -> dict[str, Path]:
    """The four Belize files: first release, revision, draft, embargoed release."""
    first = [_line(BLZ_ENTRY, p, blz_value(p)) for p in months(2015, 2017) if p != "2017-05"]
    first.append(_line(BLZ_ENTRY, "2017-05", blz_value("2017-05"), conf="C"))
    first += [_line(BLZ_EXIT, p, 7.0) for p in months(2016, 2016)]
    revised = [_line(BLZ_ENTRY, p, blz_value(p, 2)) for p in ("2016-03", "2016-04")]
    revised.append(_line(BLZ_EXIT, "2016-06", 8.0, conf="D"))
    draft = [_line(BLZ_ENTRY, "2016-03", 999_999.0)]
    draft += [_line(BLZ_ENTRY, p, 555.0) for p in months(2018, 2018)]
    draft += [_line(DRAFT_ONLY, p, 555.0) for p in months(2016, 2016)]
    embargoed = [_line(BLZ_ENTRY, "2016-05", 777_777.0), _line(BLZ_EXIT, "2016-01", 777_777.0)]
    embargoed += [_line(EMBARGOED_ONLY, p, 777_777.0) for p in months(2016, 2016)]
    return {
        "first": _write(folder / "blz_first.csv", first),
        "revised": _write(folder / "blz_revised.csv", revised),
        "draft": _write(folder / "blz_draft.csv", draft),
        "embargoed": _write(folder / "blz_embargoed.csv", embargoed),
    }


@functools.cache
def demo_frames() -> dict[str, pa.Table]:
    """The demo generator's frames cut to three countries (all of their dataflows); generated
    once per session, loaded by each module."""
    frames = {}
    for flow, table in generate(last_year=DEMO_LAST_YEAR):
        mine = table.filter(pc.is_in(table.column("REF_AREA"), pa.array(DEMO_COUNTRIES)))
        if mine.num_rows:
            frames[flow] = mine
    return frames


def demo_year_totals(frames: dict[str, pa.Table], ref_area: str) -> dict[str, dict[str, float]]:
    """Year figures of one demo country's headline series, by indicator and year, computed
    from the generated frames with pyarrow: the annual value, or a complete year of counts."""
    totals: dict[str, dict[str, float]] = {}
    for table in frames.values():
        mask = pc.and_(
            pc.equal(table.column("REF_AREA"), ref_area),
            pc.is_in(table.column("COUNTERPART_AREA"), pa.array(["_T", "_Z"])),
        )
        for dim in ("SEX", "AGE", "POP_GROUP"):
            mask = pc.and_(mask, pc.equal(table.column(dim), "_T"))
        rows = table.filter(mask)
        years = pc.utf8_slice_codeunits(rows.column("TIME_PERIOD"), 0, 4)
        rows = rows.append_column("YEAR", years)
        grouped = rows.group_by(["INDICATOR", "FREQ", "UNIT_MEASURE", "YEAR"]).aggregate(
            [("OBS_VALUE", "sum"), ("OBS_VALUE", "count")]
        )
        for row in grouped.to_pylist():
            needed = {"A": 1, "Q": 4, "M": 12}[row["FREQ"]]
            summable = row["UNIT_MEASURE"] in ("EV", "PS", "USD")
            if row["OBS_VALUE_count"] == needed and (needed == 1 or summable):
                by_year = totals.setdefault(row["INDICATOR"], {})
                by_year[row["YEAR"]] = row["OBS_VALUE_sum"]
    return totals


def blz_entry_total(year: int) -> float:
    """Belize's published entries in a year: the revision of March and April counts."""
    revised = {f"{year}-03", f"{year}-04"} if year == 2016 else set()
    return sum(blz_value(p, 2 if p in revised else 1) for p in months(year, year))
