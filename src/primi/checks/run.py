"""All checks of one submission, in order: level 1, level 2 and (with a provider) level 3.

Every finding comes back with its rule's definition quoted in both languages and the sheet it
belongs to, so a report needs nothing else to be read.
"""

from __future__ import annotations

import dataclasses

import pyarrow as pa

from primi.checks.consistency import check_time_sums
from primi.checks.findings import Finding
from primi.checks.hierarchy import check_hierarchies
from primi.checks.history import check_history, fetch_history
from primi.checks.structure import check_structure
from primi.standard.catalogue import Standard


def run_checks(
    table: pa.Table,
    std: Standard,
    *,
    dataflow: str,
    file: str,
    provider: str | None = None,
    sheet: str | None = None,
) -> list[Finding]:
    """Levels 1 and 2 always; level 3 when `provider` is given (its history read from the store)."""
    history = None
    if provider is not None:
        history = fetch_history(table, std, dataflow=dataflow, provider=provider)
    return [
        *check_level_1(table, std, dataflow=dataflow, file=file, sheet=sheet),
        *check_levels_2_3(table, std, file=file, history=history, sheet=sheet),
    ]


def check_level_1(
    table: pa.Table, std: Standard, *, dataflow: str, file: str, sheet: str | None = None
) -> list[Finding]:
    """Level 1 alone: a frame without level-1 errors holds only what the store can take."""
    findings = check_structure(table, std, dataflow, file)
    return [dataclasses.replace(f, sheet=sheet) for f in findings]


def check_levels_2_3(
    table: pa.Table,
    std: Standard,
    *,
    file: str,
    history: pa.Table | None,
    sheet: str | None = None,
) -> list[Finding]:
    """Levels 2 and 3 against a `history` already read (`fetch_history`); no level 3 when None.

    They read no database, so they can run in another thread while the file loads.
    """
    findings = [
        *check_hierarchies(table, std, file, sheet),
        *check_time_sums(table, std, file, sheet),
    ]
    if history is not None:
        findings += check_history(table, file, history, sheet)
    return findings
