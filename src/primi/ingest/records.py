"""Record-level files (one row per event or person) summed into the standard's series by DuckDB.

What each source column means is declared in a YAML mapping under `mappings/` (written by the
regional team, not uploaded by submitters: its filters are SQL):

- `columns`: dimension or attribute <- source column; `fixed`: dimension or attribute <- code;
- `period`: the source column holding a date or a `YYYY-MM` month, the frequency wanted
  (`M`, `Q` or `A`) and optionally a strptime `format` for dates written otherwise;
- `measure`: the source columns whose values are added (empty counts as 0);
- `recode`: per column, source value -> code (placeholders such as `UNK` -> `_X`);
- `multi_valued`: per column, the separators of a field that lists several codes and the code a
  row with several takes (`_X`): the split among them is unknown, and counting the row once per
  code would inflate every total;
- `filters`: SQL conditions over source columns that a row must meet.

FREQ comes from `period.freq`. Each output row's SOURCE_ROW is the first source row (file line,
header = row 1) of its group, so a figure can be traced to at least one record behind it. A
record whose measure is not a number, or whose period cannot be read, is left out of the sums
and named in an error finding (all of them, capped per rule like every reader's).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import yaml

from primi.checks.findings import Finding
from primi.ingest.bad_rows import BadRows, row_findings
from primi.ingest.errors import ReadError
from primi.ingest.sdmx_csv import FIRST_DATA_ROW
from primi.standard import frame

MAPPINGS_DIR = Path(__file__).resolve().parent / "mappings"
_ROW = "__source_row"
_PERIOD_SQL = {
    "M": "strftime({d}, '%Y-%m')",
    "Q": "strftime({d}, '%Y') || '-Q' || quarter({d})",
    "A": "strftime({d}, '%Y')",
}


@dataclass
class AggregatedRecords:
    """The canonical frame summed from the records, and what the aggregation decided."""

    table: pa.Table
    dataflow: str
    findings: list[Finding] = field(default_factory=list)


def load_mapping(mapping: str | Path) -> dict[str, Any]:
    """A mapping by file path, or by name under `mappings/` (`iom_mmp`)."""
    path = Path(mapping)
    if not path.suffix:
        path = MAPPINGS_DIR / f"{mapping}.yaml"
    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def aggregate_records(path: Path, mapping: str | Path) -> pa.Table:
    """The canonical frame of a record-level file under a declared mapping."""
    return aggregate(path, mapping).table


def aggregate(path: Path, mapping: str | Path) -> AggregatedRecords:
    """`aggregate_records` with the dataflow and the findings (rows recoded, fields split)."""
    spec = load_mapping(mapping)
    path = Path(path)
    records = _read(path)
    con = duckdb.connect()
    try:
        con.register("records", records)
        where = " AND ".join(f"({f})" for f in spec.get("filters") or []) or "TRUE"
        exprs = _expressions(spec)
        bad, unreadable = _bad_records(con, path.name, spec, where, exprs[frame.TIME_DIMENSION])
        select = ",\n".join(f"{expr} AS {col}" for col, expr in exprs.items())
        keys = ", ".join(exprs)
        measure = " + ".join(
            f"coalesce(TRY_CAST({_quote(c)} AS DOUBLE), 0)" for c in spec["measure"]
        )
        sql = f"""
            WITH rows AS (
                SELECT {select}, {measure} AS {frame.MEASURE}, {_ROW}
                FROM records WHERE {where} AND NOT ({unreadable})
            )
            SELECT {keys}, sum({frame.MEASURE}) AS {frame.MEASURE},
                   min({_ROW}) AS {frame.SOURCE_ROW}
            FROM rows GROUP BY ALL ORDER BY {keys}
        """
        try:
            table = con.sql(sql).to_arrow_table()
        except duckdb.Error as exc:
            raise ReadError(
                path.name, "L0_RECORDS",
                f"No se pudieron sumar los registros con la correspondencia declarada: {exc}",
                f"The records could not be summed with the declared mapping: {exc}",
            ) from None  # fmt: skip
        findings = _findings(con, path.name, spec, f"{where} AND NOT ({unreadable})")
        findings += row_findings(path.name, [bad])
    finally:
        con.close()
    return AggregatedRecords(frame.conform(table), str(spec["dataflow"]), findings)


def _bad_records(
    con: duckdb.DuckDBPyConnection, name: str, spec: dict[str, Any], where: str, period: str
) -> tuple[BadRows, str]:
    """The records whose measure is not a number or whose period cannot be read (one error
    each, found in SQL), and the SQL condition that leaves them out of the sums."""
    bad = BadRows(np.zeros(0, dtype=np.int64))
    source = spec["period"]["column"]
    wrong_period = f"({period}) IS NULL"
    found = con.sql(
        f"SELECT {_ROW}, {_quote(source)} FROM records WHERE ({where}) AND {wrong_period} "
        f"ORDER BY {_ROW}"
    ).to_arrow_table()
    bad.add_rows(
        "L1_PERIOD", found.column(0).to_numpy(), source, found.column(1),
        lambda value: (
            f"{source} «{value}» no es una fecha ni un mes que se pueda leer.",
            f"{source} '{value}' is not a date or month that can be read.",
        ),
    )  # fmt: skip
    wrong = [wrong_period]
    for column in spec["measure"]:
        wrong_number = (
            f"(trim(coalesce({_quote(column)}, '')) <> '' "
            f"AND TRY_CAST({_quote(column)} AS DOUBLE) IS NULL)"
        )
        wrong.append(wrong_number)
        found = con.sql(
            f"SELECT {_ROW}, {_quote(column)} FROM records WHERE ({where}) AND {wrong_number} "
            f"ORDER BY {_ROW}"
        ).to_arrow_table()
        bad.add_rows(
            "L1_NUMBER", found.column(0).to_numpy(), column, found.column(1),
            lambda value, column=column: (
                f"{column} «{value}» no es un número; el registro no se sumó.",
                f"{column} '{value}' is not a number; the record was not added up.",
            ),
        )  # fmt: skip
    return bad, " OR ".join(wrong)


def _quote(column: str) -> str:
    return '"' + column.replace('"', '""') + '"'


def _read(path: Path) -> pa.Table:
    """Every column as text, with the file line of each record."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            header = next(csv.reader(fh))
        table = pacsv.read_csv(
            path,
            read_options=pacsv.ReadOptions(column_names=header, skip_rows=1),
            convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in header}),
        )
    except (OSError, StopIteration, UnicodeDecodeError, pa.ArrowInvalid) as exc:
        raise ReadError(
            path.name, "L0_UNREADABLE",
            f"No se puede leer el archivo de registros: {exc}",
            f"The record file cannot be read: {exc}",
        ) from None  # fmt: skip
    rows = np.arange(FIRST_DATA_ROW, table.num_rows + FIRST_DATA_ROW, dtype=np.int64)
    return table.append_column(_ROW, pa.array(rows))


def _column_expr(spec: dict[str, Any], column: str, source: str) -> str:
    expr = f"trim({_quote(source)})"
    multi = (spec.get("multi_valued") or {}).get(column)
    recode = (spec.get("recode") or {}).get(column) or {}
    if recode:
        cases = " ".join(f"WHEN {expr} = '{k}' THEN '{v}'" for k, v in recode.items())
        expr = f"CASE {cases} ELSE {expr} END"
    if multi:
        seps = " OR ".join(f"contains({_quote(source)}, '{s}')" for s in multi["separators"])
        expr = f"CASE WHEN {seps} THEN '{multi['several']}' ELSE {expr} END"
    return expr


def _expressions(spec: dict[str, Any]) -> dict[str, str]:
    """SQL per output column (dimensions, period, attributes), in the frame's order."""
    period = spec["period"]
    day = f"TRY_CAST({_quote(period['column'])} AS DATE)"
    if period.get("format"):
        day = f"TRY_STRPTIME({_quote(period['column'])}, '{period['format']}')"
    else:
        day = f"coalesce({day}, TRY_CAST({_quote(period['column'])} || '-01' AS DATE))"
    sources = {
        **{c: _column_expr(spec, c, s) for c, s in (spec.get("columns") or {}).items()},
        **{c: f"'{v}'" for c, v in (spec.get("fixed") or {}).items()},
        "FREQ": f"'{period['freq']}'",
        frame.TIME_DIMENSION: _PERIOD_SQL[period["freq"]].format(d=day),
    }
    order = [*frame.DIMENSIONS, frame.TIME_DIMENSION, *frame.ATTRIBUTES]
    return {c: sources[c] for c in order if c in sources}


def _findings(
    con: duckdb.DuckDBPyConnection, name: str, spec: dict[str, Any], where: str
) -> list[Finding]:
    """One info finding per recoding and per multi-valued column: rows, first row, total."""
    measure = " + ".join(f"coalesce(TRY_CAST({_quote(c)} AS DOUBLE), 0)" for c in spec["measure"])
    findings = []
    for column, multi in (spec.get("multi_valued") or {}).items():
        source = spec["columns"][column]
        seps = " OR ".join(f"contains({_quote(source)}, '{s}')" for s in multi["separators"])
        rows, first, total = con.sql(
            f"SELECT count(*), min({_ROW}), sum({measure}) FROM records "
            f"WHERE ({where}) AND ({seps})"
        ).fetchall()[0]
        if rows:
            findings.append(Finding(
                "I_MULTI_VALUED", name,
                f"{rows} registros listan varios códigos en {source} ({column}); sus "
                f"{total:g} personas se cuentan como {multi['several']}, porque se desconoce el "
                "reparto, y no una vez por código.",
                f"{rows} records list several codes in {source} ({column}); their {total:g} "
                f"persons count as {multi['several']}, since the split is unknown, not once per "
                "code.",
                row=first, column=source, count=rows,
            ))  # fmt: skip
    for column, recode in (spec.get("recode") or {}).items():
        source = spec["columns"][column]
        for value, code in recode.items():
            rows, first = con.sql(
                f"SELECT count(*), min({_ROW}) FROM records "
                f"WHERE ({where}) AND trim({_quote(source)}) = ?",
                params=[value],
            ).fetchall()[0]
            if rows:
                findings.append(Finding(
                    "I_PLACEHOLDER", name,
                    f"«{value}» en {source} se leyó como {code} ({column}).",
                    f"'{value}' in {source} was read as {code} ({column}).",
                    row=first, column=source, count=rows,
                ))  # fmt: skip
    return findings
