"""Every cell a reader cannot read, gathered column by column and reported together.

A reader that meets a value it cannot read (text where a number goes, a period that is none, an
unknown ACTION, a row with too many columns...) does not stop there: it marks the cells, reads on,
and the file is refused with one error finding per bad cell, so that a focal point corrects them
all at once instead of one per upload. Bad cells are found by Arrow or numpy over whole columns;
Python touches only the cells that are listed, which are capped per rule as the checks' findings
are (`max_findings_per_rule` in rules.yaml): the first ones one by one, in file order, the rest
summed in one finding with their count.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from primi.checks.findings import ERROR, Finding
from primi.checks.rules import max_findings_per_rule
from primi.checks.rules import rule as rule_of

# The message of one bad cell from its text: (Spanish, English).
Say = Callable[[str], tuple[str, str]]
Values = pa.Array | pa.ChunkedArray | np.ndarray


@dataclass
class _Cells:
    """Bad cells of one rule in one column: their source rows and values, and what to say."""

    rule: str
    column: str | np.ndarray | None  # one name, or one per cell
    rows: np.ndarray
    values: Values | None
    say: Say
    sheet: str | None
    at: np.ndarray | None = None  # the cells' positions in the table (None: not in it)


class BadRows:
    """The bad cells of one table (a text file, or one table of a workbook sheet).

    `source_rows` are the rows as the submitter numbers them, one per row of the table; `mask`
    says which rows hold a bad cell, so that `keep` gives the rows that were read whole.
    """

    def __init__(self, source_rows: Values, sheet: str | None = None) -> None:
        self.rows = _numpy(source_rows).astype(np.int64, copy=False)
        self.sheet = sheet
        self.mask = np.zeros(len(self.rows), dtype=bool)
        self.cells: list[_Cells] = []
        self.skipped = 0  # bad rows the table does not hold (the parser left them out)

    def add(
        self,
        rule: str,
        mask: Values,
        column: str | np.ndarray | None,
        values: Values | None,
        say: Say,
    ) -> None:
        """The cells where `mask` is true (null counts as false) are bad; `column` names their
        column, or gives one name per row of the table."""
        _check_rule(rule)
        where = np.flatnonzero(_numpy(mask, fill=False))
        if not len(where):
            return
        self.mask[where] = True
        taken = None if values is None else _take(values, where)
        columns = column[where] if isinstance(column, np.ndarray) else column
        self.cells.append(_Cells(rule, columns, self.rows[where], taken, say, self.sheet, where))

    def add_rows(
        self, rule: str, rows: Sequence[int], column: str | None, values: Values | None, say: Say
    ) -> None:
        """Rows the table does not hold (the parser skipped them, a data set's line...), by
        their source row."""
        _check_rule(rule)
        if not len(rows):
            return
        self.skipped += len(rows)
        self.cells.append(
            _Cells(rule, column, np.asarray(rows, dtype=np.int64), values, say, self.sheet)
        )

    def marked(self, column: str) -> np.ndarray:
        """Rows of the table whose cell in `column` is already bad."""
        mask = np.zeros(len(self.rows), dtype=bool)
        for cells in self.cells:
            if cells.at is not None and isinstance(cells.column, str) and cells.column == column:
                mask[cells.at] = True
        return mask

    @property
    def count(self) -> int:
        """Rows with at least one bad cell."""
        return int(self.mask.sum()) + self.skipped

    def keep(self, table: pa.Table) -> pa.Table:
        """The rows of `table` (aligned with `source_rows`) that hold no bad cell."""
        return table.filter(pa.array(~self.mask)) if self.mask.any() else table


def _check_rule(rule_id: str) -> None:
    """The rule of bad cells is checked on every call, bad cells or not, so that any reader test
    exercises it: a rule unknown to rules.yaml raises KeyError, and one that is not an error
    ValueError (the rows of bad cells are left out of the frame, so they must refuse the file)."""
    if rule_of(rule_id).severity != ERROR:
        raise ValueError(f"{rule_id} is not an error: its cells cannot be left out")


def _numpy(values: Values, fill: bool | None = None) -> np.ndarray:
    if isinstance(values, np.ndarray):
        return values
    if fill is not None:
        values = pc.fill_null(values, fill)
    if isinstance(values, pa.ChunkedArray):
        values = values.combine_chunks()
    return values.to_numpy(zero_copy_only=False)


def _take(values: Values, where: np.ndarray) -> Values:
    if isinstance(values, np.ndarray):
        return values[where]
    return values.take(pa.array(where, pa.int64()))


def shown(value: object) -> str:
    """A cell's value as the submitter typed it: 3.0 -> `3`, a date -> `2023-01-31`."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def _value(values: Values | None, i: int) -> str:
    if values is None:
        return ""
    value = values[i]
    return shown(value.as_py() if isinstance(value, pa.Scalar) else value)


def row_findings(file: str, tables: Sequence[BadRows]) -> list[Finding]:
    """One error per bad cell, in file order (tables as given, then row, then column), up to
    the rule's cap; the cells past it summed per rule in one finding that gives their count."""
    limit = max_findings_per_rule()
    by_rule: dict[str, list[tuple[int, _Cells]]] = {}
    for order, table in enumerate(tables):
        for cells in table.cells:
            by_rule.setdefault(cells.rule, []).append((order, cells))
    findings: list[Finding] = []
    for rule_id, parts in by_rule.items():
        tables_of = np.concatenate([np.full(len(c.rows), o) for o, c in parts])
        parts_of = np.concatenate([np.full(len(c.rows), k) for k, (_, c) in enumerate(parts)])
        at = np.concatenate([np.arange(len(c.rows)) for _, c in parts])
        rows = np.concatenate([c.rows for _, c in parts])
        ranked = np.lexsort((parts_of, rows, tables_of))
        for k in ranked[:limit]:
            cells = parts[parts_of[k]][1]
            es, en = cells.say(_value(cells.values, int(at[k])))
            column = cells.column
            if isinstance(column, np.ndarray):
                column = str(column[at[k]])
            findings.append(Finding(
                rule_id, file, es, en, row=int(rows[k]), column=column, sheet=cells.sheet
            ))  # fmt: skip
        rest = ranked[limit:]
        if len(rest):
            among = [parts[p][1] for p in np.unique(parts_of[rest])]
            findings.append(_more(file, rule_id, len(rest), among))
    return findings


def _more(file: str, rule_id: str, n: int, cells: list[_Cells]) -> Finding:
    """`n` cells of a rule past its cap, in one finding (column and sheet when they share one)."""
    columns = {c.column if isinstance(c.column, str | None) else None for c in cells}
    sheets = {c.sheet for c in cells}
    return Finding(
        rule_id, file,
        f"Y {n} celdas más con este mismo problema, que no se listan una por una.",
        f"And {n} more cells with this same problem, not listed one by one.",
        column=columns.pop() if len(columns) == 1 else None,
        sheet=sheets.pop() if len(sheets) == 1 else None,
        count=n,
    )  # fmt: skip
