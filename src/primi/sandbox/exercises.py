"""The sandbox's exercises: files cut from the demo generator's data with faults put at known
places, and what a user must do with each.

Each file is made when it is asked for (never kept in the repository): one indicator of one
demo country from `primi.demo.generator`, faults injected into chosen rows, written as
SDMX-CSV. `Fault` says where the real checks must find each fault (the file's line, the header
being line 1; the column; the rule), and `targets` the cells a corrected file must still hold
once loaded; `primi.sandbox.judging` reads the user's practice uploads and review steps against
them.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache, reduce

import pyarrow as pa
import pyarrow.compute as pc
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from primi.demo.generator import generate
from primi.standard.frame import DIMENSIONS

COUNTRY = "GTM"  # the demo country every exercise's file is about
COLUMNS = (
    "DATAFLOW", *DIMENSIONS, "TIME_PERIOD", "OBS_VALUE", "UNIT_MEASURE", "UNIT_MULT",
    "COUNTING_BASIS", "SOURCE_INST", "OBS_STATUS", "DECIMALS", "COMMENT_OBS",
)  # fmt: skip
FIX, EXPLAIN, RELEASE, RETURN = "fix", "explain", "release", "return"
Row = dict[str, object]


@dataclass(frozen=True)
class Fault:
    """Where the checks must find an injected fault: the file's line, column and rule."""

    row: int
    column: str
    rule: str


@dataclass(frozen=True)
class Cell:
    """A value a corrected file must hold once loaded (`value` None: any value)."""

    key: str
    period: str
    value: float | None = None


@dataclass(frozen=True)
class ExerciseFile:
    name: str
    text: str
    faults: tuple[Fault, ...]
    targets: tuple[Cell, ...]


@dataclass
class Injected:
    """What an injection did: the rows it spoiled (by identity, with column and rule) and the
    cells a corrected file must hold."""

    spoiled: list[tuple[Row, str, str]] = field(default_factory=list)
    targets: list[Cell] = field(default_factory=list)


@dataclass(frozen=True)
class Exercise:
    slug: str
    kind: str
    title: Promise
    story: Promise
    goal: Promise
    dataflow: str
    indicator: str
    breakdown: bool  # the sex breakdown beside the total
    years: int | None  # the last `years` years of the demo span; None: all of it
    inject: Callable[[list[Row], int], Injected] = lambda rows, last: Injected()

    @property
    def number(self) -> int:
        return [e.slug for e in EXERCISES].index(self.slug) + 1


def series_key(row: Row) -> str:
    return ".".join(str(row[d]) for d in DIMENSIONS)


def _find(rows: list[Row], period: str, sex: str = "_T") -> Row:
    return next(r for r in rows if r["TIME_PERIOD"] == period and r["SEX"] == sex)


def _codes_and_periods(rows: list[Row], last: int) -> Injected:
    """A mistyped country code, a period written the wrong way, and a row pasted twice."""
    out = Injected()
    typo = _find(rows, f"{last}-03")
    out.targets.append(Cell(series_key(typo), f"{last}-03"))
    typo["REF_AREA"] = "GTN"
    out.spoiled.append((typo, "REF_AREA", "L1_CODE"))
    slash = _find(rows, f"{last}-07")
    out.targets.append(Cell(series_key(slash), f"{last}-07"))
    slash["TIME_PERIOD"] = f"{last}/07"
    out.spoiled.append((slash, "TIME_PERIOD", "L1_PERIOD"))
    twice = _find(rows, f"{last - 1}-11")
    out.targets.append(Cell(series_key(twice), f"{last - 1}-11"))
    rows.insert(rows.index(twice) + 1, dict(twice))
    out.spoiled.append((twice, "TIME_PERIOD", "L1_DUPLICATE"))
    return out


def _totals(rows: list[Row], last: int) -> Injected:
    """Women counted 40 too many one month, men 25 too few another: the totals do not add up."""
    out = Injected()
    for period, sex, change in ((f"{last - 1}-05", "F", 40), (f"{last}-09", "M", -25)):
        part, total = _find(rows, period, sex), _find(rows, period)
        part["OBS_VALUE"] = float(part["OBS_VALUE"]) + change
        out.spoiled.append((total, "OBS_VALUE", "L2_HIERARCHY"))
        out.targets += [Cell(series_key(total), period), Cell(series_key(part), period)]
    return out


def _spike(rows: list[Row], last: int) -> Injected:
    """One month six times its usual level: right (the story says why), but a warning."""
    period = f"{last - 1}-06"
    row = _find(rows, period)
    row["OBS_VALUE"] = float(row["OBS_VALUE"]) * 6
    return Injected(
        [(row, "OBS_VALUE", "L3_OUTLIER")], [Cell(series_key(row), period, row["OBS_VALUE"])]
    )


EXERCISES: tuple[Exercise, ...] = (
    Exercise(
        "codes", FIX,
        _("Fix codes, periods and a repeated row"),
        _("Guatemala's residence permits by sex, month by month. Someone typed the country code "
          "wrong in one row, wrote one period with a slash, and pasted one row twice."),
        _("Check the file as it is and read the report: it names each faulty row and column. "
          "Fix them (the country is GTM, periods are written 2024-07, a row appears once) and "
          "load the corrected file without errors."),
        "DF_FLOWS", "RES_PERMIT", True, 2, _codes_and_periods,
    ),
    Exercise(
        "totals", FIX,
        _("Make the totals add up"),
        _("Guatemala's nationals returned, by sex. In two months the women and men do not add "
          "up to the total: the total is right, one of the parts was keyed wrong."),
        _("Check the file and find the two months the report names. Correct the part so that "
          "women, men and unknown add up to the total, and load the file without errors."),
        "DF_RETURNS", "RET_NAT", True, 2, _totals,
    ),
    Exercise(
        "warning", EXPLAIN,
        _("Explain a warning"),
        _("Guatemala's detections of irregular entries, month by month since 2015. One June is "
          "six times the usual: the institution confirms it (a large group detected at one "
          "border post), so the figure is right."),
        _("Load the file without changing the figure: the report warns about that month. "
          "Explain the warning in a few words, then load it with your explanation."),
        "DF_IRREGULAR", "IRR_DETECTED", False, None, _spike,
    ),
    Exercise(
        "release", RELEASE,
        _("Take a submission to the practice release"),
        _("Guatemala's entries by sex, a clean file. In the sandbox you play every role: the "
          "focal point, the country's coordinator and the regional steward."),
        _("Load the file, submit it, certify it as the coordinator, accept it and schedule its "
          "release as the steward, then release it now. Nothing is published: it is practice."),
        "DF_FLOWS", "ENTRY", True, 2,
    ),
    Exercise(
        "return", RETURN,
        _("Send a submission back with a comment"),
        _("Guatemala's asylum applications by sex, a clean file. Imagine the coordinator has "
          "doubts about the latest months."),
        _("Load the file and submit it, then, as the coordinator, send it back with a comment "
          "saying what the institution should check."),
        "DF_PROTECTION", "ASY_APP", True, 2,
    ),
)  # fmt: skip
BY_SLUG = {exercise.slug: exercise for exercise in EXERCISES}


def last_year() -> int:
    """The demo's last year, as `generate` chooses it."""
    return dt.date.today().year - 1


def _base_rows(exercise: Exercise, table: pa.Table, last: int) -> list[Row]:
    """The exercise's indicator for the demo country, from its dataflow's demo table (chosen in
    Arrow first: only these few hundred rows become Python dicts)."""
    first = last - exercise.years + 1 if exercise.years else 0
    sexes = ("_T", "F", "M", "_U") if exercise.breakdown else ("_T",)
    conditions = (
        pc.equal(table["INDICATOR"], exercise.indicator),
        pc.equal(table["REF_AREA"], COUNTRY),
        pc.is_in(table["COUNTERPART_AREA"], pa.array(["_T", "_Z"])),
        pc.equal(table["AGE"], "_T"),
        pc.equal(table["POP_GROUP"], "_T"),
        pc.is_in(table["SEX"], pa.array(sexes)),
    )
    mask = reduce(pc.and_, conditions)
    rows = [
        row for row in table.filter(mask).to_pylist() if int(str(row["TIME_PERIOD"])[:4]) >= first
    ]
    for row in rows:
        row["DATAFLOW"] = f"PRIMI:{exercise.dataflow}(1.0)"
    return rows


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)


def _build(exercise: Exercise, table: pa.Table, last: int) -> ExerciseFile:
    rows = _base_rows(exercise, table, last)
    injected = exercise.inject(rows, last)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows([_cell(row.get(column)) for column in COLUMNS] for row in rows)
    line = {id(row): index + 2 for index, row in enumerate(rows)}  # header is line 1
    faults = tuple(Fault(line[id(row)], column, rule) for row, column, rule in injected.spoiled)
    name = f"PRIMI_practice_{exercise.number}_{exercise.slug}.csv"
    return ExerciseFile(name, out.getvalue(), faults, tuple(injected.targets))


@lru_cache(maxsize=2)
def _built(last: int) -> dict[str, ExerciseFile]:
    """Every exercise's file, from one run of the demo generator up to the last dataflow the
    exercises use (one run per exercise took three times as long)."""
    wanted = {exercise.dataflow for exercise in EXERCISES}
    tables: dict[str, pa.Table] = {}
    for dataflow, table in generate(last_year=last):
        if dataflow in wanted:
            tables[dataflow] = table
        if tables.keys() == wanted:
            break
    return {e.slug: _build(e, tables[e.dataflow], last) for e in EXERCISES}


def exercise_file(slug: str) -> ExerciseFile:
    """The exercise's file, built from the demo data (the same every time within a year)."""
    return _built(last_year())[slug]
