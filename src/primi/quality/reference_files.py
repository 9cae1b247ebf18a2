"""Reading the reference sources' files into keys of the standard, and keeping them as references.

The files are the publishers' tables as IOM's gdidata package distributes them (UN DESA's
International Migrant Stock by destination, origin and sex; UNHCR's populations by asylum
country, origin and group; the World Bank's indicators by country and year). Each is read by one
DuckDB query into the standard's columns; publishers' own codes go through the same resolver as
submissions (`ingest.codes`), and rows whose codes still name nothing in the standard are
counted and left out. Only figures of the region's countries are kept: the others are compared
with nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from primi.ingest.codes import resolve_codes
from primi.quality.models import ReferenceLoad, ReferenceValue
from primi.standard import frame
from primi.standard.catalogue import Standard, load_standard, region_countries
from primi.standard.comparisons import load_comparisons

BATCH = 5_000
KEY_COLUMNS = ("FREQ", "REF_AREA", "INDICATOR", "COUNTERPART_AREA", "SEX", "AGE", "POP_GROUP")

_STANDARD_COLUMNS = """'A' AS FREQ, {ref_area} AS REF_AREA, {indicator} AS INDICATOR,
    {counterpart} AS COUNTERPART_AREA, {sex} AS SEX, '_T' AS AGE, '_T' AS POP_GROUP,
    {period} AS TIME_PERIOD, {value} AS OBS_VALUE, SOURCE_ROW"""

# Each source: the columns its file must have, and the query from them to the standard's.
QUERIES: dict[str, tuple[tuple[str, ...], str]] = {
    # UN DESA gives women and men; the total is their sum. The same matrix read from the origin
    # is the emigrant stock. `..` is UN DESA's "not available".
    "UNDESA": (
        ("geo", "t", "from", "sex", "n"),
        """
        WITH rows AS (
            SELECT geo, "from" AS origin, t, CASE sex WHEN 'female' THEN 'F' ELSE 'M' END AS SEX,
                   CAST(n AS DOUBLE) AS n, SOURCE_ROW
            FROM src WHERE n IS NOT NULL AND n <> '..' AND sex IN ('female', 'male')
        ), both_sexes AS (
            SELECT geo, origin, t, SEX, n, SOURCE_ROW FROM rows
            UNION ALL
            SELECT geo, origin, t, '_T', sum(n), min(SOURCE_ROW) FROM rows GROUP BY geo, origin, t
        )
        SELECT """
        + _STANDARD_COLUMNS.format(
            ref_area="geo",
            indicator="'IMM_STOCK'",
            counterpart="origin",
            sex="SEX",
            period="t",
            value="n",
        )
        + """ FROM both_sexes
        UNION ALL SELECT """
        + _STANDARD_COLUMNS.format(
            ref_area="origin",
            indicator="'EMI_STOCK'",
            counterpart="geo",
            sex="SEX",
            period="t",
            value="n",
        )
        + " FROM both_sexes",
    ),
    # UNHCR writes years as floats (2011.0); stateless people, IDPs and returns have no indicator.
    "UNHCR": (
        ("geo", "t", "from", "group", "n"),
        "SELECT "
        + _STANDARD_COLUMNS.format(
            ref_area="geo",
            indicator="""CASE "group" WHEN 'refugee' THEN 'REF_STOCK'
                WHEN 'asylum' THEN 'ASY_STOCK' ELSE 'OIP_STOCK' END""",
            counterpart='"from"',
            sex="'_T'",
            period="CAST(CAST(CAST(t AS DOUBLE) AS INTEGER) AS VARCHAR)",
            value="CAST(n AS DOUBLE)",
        )
        + """ FROM src WHERE "group" IN ('refugee', 'asylum', 'other') AND n IS NOT NULL""",
    ),
    # The World Bank's personal remittances, received and paid, current USD.
    "WB": (
        ("geo", "var", "t", "v"),
        "SELECT "
        + _STANDARD_COLUMNS.format(
            ref_area="geo",
            indicator="CASE var WHEN 'remin' THEN 'REM_IN' ELSE 'REM_OUT' END",
            counterpart="'_T'",
            sex="'_T'",
            period="t",
            value="CAST(v AS DOUBLE)",
        )
        + " FROM src WHERE var IN ('remin', 'remout') AND v IS NOT NULL",
    ),
}


class ReferenceFileError(ValueError):
    """A file that is not the named source's table; the message says what was expected."""


@dataclass(frozen=True)
class ReferenceResult:
    load: ReferenceLoad
    kept: int
    outside_region: int
    unknown_codes: int


def read_reference(source: str, path: Path, std: Standard | None = None) -> tuple[pa.Table, int]:
    """The file's figures in the standard's columns (codes resolved), and rows whose codes the
    standard does not know."""
    if source not in QUERIES:
        known = ", ".join(sorted(QUERIES))
        raise ReferenceFileError(f"unknown reference source {source!r}: one of {known}")
    std = std or load_standard()
    needed, sql = QUERIES[source]
    con = duckdb.connect()
    try:
        con.execute(
            "CREATE TABLE src AS SELECT *, CAST(row_number() OVER () + 1 AS BIGINT) AS SOURCE_ROW "
            "FROM read_csv(?, all_varchar = true, header = true)",
            [str(path)],
        )
        columns = {row[0] for row in con.execute("DESCRIBE src").fetchall()}
        missing = [c for c in needed if c not in columns]
        if missing:
            raise ReferenceFileError(
                f"{path.name} is not a {source} table: it lacks the columns {', '.join(missing)}"
            )
        table = con.sql(sql).to_arrow_table()
    except duckdb.Error as error:
        raise ReferenceFileError(f"{path.name} cannot be read as CSV: {error}") from None
    finally:
        con.close()
    table, _ = resolve_codes(frame.conform(table), std, path.name)
    known = None
    for column in KEY_COLUMNS:
        codes = pa.array(std.codelist_for(column).ids())
        inside = pc.is_in(table.column(column), value_set=codes)
        known = inside if known is None else pc.and_(known, inside)
    unknown = table.num_rows - pc.sum(known).as_py() if table.num_rows else 0
    return table.filter(known) if table.num_rows else table, unknown


def load_reference(
    source: str,
    path: Path,
    by: AbstractBaseUser | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ReferenceResult:
    """Keep the file's figures of the region's countries as a new load of `source`."""
    if source not in load_comparisons().references:
        raise ReferenceFileError(f"{source!r} is not a reference source of the standard")
    std = load_standard()
    table, unknown = read_reference(source, path, std)
    region = pa.array(list(region_countries(std)))
    in_region = pc.is_in(table.column("REF_AREA"), value_set=region)
    kept = table.filter(in_region)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    columns = [*KEY_COLUMNS, "TIME_PERIOD", "OBS_VALUE", "SOURCE_ROW"]
    rows = list(zip(*(kept.column(c).to_pylist() for c in columns), strict=True))
    with transaction.atomic():
        load = ReferenceLoad.objects.create(
            source=source,
            file_name=path.name,
            file_sha256=digest,
            row_count=len(rows),
            loaded_by=by,
        )
        for start in range(0, len(rows), BATCH):
            ReferenceValue.objects.bulk_create(
                ReferenceValue(
                    load=load,
                    series_key=".".join(r[:7]),
                    freq=r[0],
                    ref_area=r[1],
                    indicator=r[2],
                    counterpart_area=r[3],
                    sex=r[4],
                    age=r[5],
                    pop_group=r[6],
                    time_period=r[7],
                    obs_value=r[8],
                    source_row=r[9],
                )
                for r in rows[start : start + BATCH]
            )
            if progress:
                progress(min(start + BATCH, len(rows)), len(rows))
    return ReferenceResult(
        load=load,
        kept=len(rows),
        outside_region=table.num_rows - len(rows),
        unknown_codes=unknown,
    )
