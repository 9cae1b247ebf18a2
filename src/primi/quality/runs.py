"""A level-4 run: every comparison and route of the standard, each disagreement into a finding.

The disagreeing periods of one pair of series become one finding, opened or updated through
`findings.threads.open_or_update` (so a second run does not open it again, and one the countries
already settled for these periods stays settled), and each pair of figures is kept as a
`Discrepancy` of the run, with where both figures came from. A run after a submission was
accepted compares that submission, not yet public, with what is published and accepted; it is
never shown to the public, only to the countries in the finding and the stewards.
"""

from __future__ import annotations

import os
from collections import defaultdict
from collections.abc import Callable, Iterable

import pyarrow as pa
from django.db import transaction
from django.utils import timezone

from primi.findings.keys import SeriesRange
from primi.findings.threads import open_or_update
from primi.operations.recovery import process_gone, process_started, this_host
from primi.quality.level4 import Sides, compare, compare_route
from primi.quality.messages import Gap, finding_message
from primi.quality.models import Discrepancy, Run
from primi.standard.catalogue import load_standard
from primi.standard.comparisons import OFFICIAL, Comparisons, Tolerance, load_comparisons
from primi.standard.periods import period_bounds
from primi.store.publication import PRACTICE_PREFIX
from primi.workflow.models import Review

Progress = Callable[[str, int, int], None]


def accepted_submissions() -> list[int]:
    """Submissions accepted or scheduled for release, not yet public (practice ones never)."""
    states = [Review.State.ACCEPTED, Review.State.SCHEDULED]
    return list(
        Review.objects.filter(state__in=states)
        .exclude(submission__provider__startswith=PRACTICE_PREFIX)
        .values_list("submission_id", flat=True)
    )


def latest_full_run() -> Run | None:
    """The last finished run of every comparison (by command, all rules): the one to score."""
    return Run.objects.filter(state=Run.State.DONE, trigger="command", rules=[]).first()


def close_orphaned_runs() -> int:
    """Close as failed the runs left "running" by a process of this machine that is gone (a
    `primi quality run` killed, a worker killed); how many. Runs of other machines are left to
    their workers' recovery (`signals.task_interrupted`)."""
    closed = 0
    for run in Run.objects.filter(state=Run.State.RUNNING).exclude(pid=None):
        if process_gone(run.host, run.pid, run.process_started):
            closed += Run.objects.filter(pk=run.pk, state=Run.State.RUNNING).update(
                state=Run.State.FAILED,
                finished_at=timezone.now(),
                error="Interrupted: the process running it stopped.",
            )
    return closed


def _chosen(comparisons: Comparisons, rules: Iterable[str], indicators: Iterable[str]):
    rules, indicators = set(rules), set(indicators)
    for comparison in comparisons.comparisons:
        if rules and comparison.rule not in rules:
            continue
        if indicators and not {comparison.a.indicator, comparison.b.indicator} & indicators:
            continue
        yield comparison
    for route in comparisons.routes:
        if rules and route.rule not in rules:
            continue
        if indicators and not {s.indicator for s in route.stages} & indicators:
            continue
        yield route


def run_level4(
    trigger: str = "command",
    rules: Iterable[str] = (),
    indicators: Iterable[str] = (),
    submission_id: int | None = None,
    progress: Progress | None = None,
) -> Run:
    """Run the comparisons (all, or those of `rules` / naming `indicators`); the finished run.

    A failure is recorded on the run (state failed, the error) and raised again.
    """
    rules, indicators = list(rules), list(indicators)
    comparisons = load_comparisons()
    unknown = set(rules) - comparisons.rules()
    if unknown:
        raise ValueError(f"unknown level-4 rules: {', '.join(sorted(unknown))}")
    close_orphaned_runs()
    pid = os.getpid()
    run = Run.objects.create(
        trigger=trigger,
        rules=rules,
        submission_id=submission_id,
        host=this_host(),
        pid=pid,
        process_started=process_started(pid),
    )
    std = load_standard()
    sides = Sides(also=tuple(accepted_submissions()))
    chosen = list(_chosen(comparisons, rules, indicators))
    findings: set[int] = set()
    try:
        for done, item in enumerate(chosen):
            if progress:
                progress(item.rule, done, len(chosen))
            if hasattr(item, "stages"):
                found, compared = compare_route(item, sides, std)
                sources = (OFFICIAL, OFFICIAL)
            else:
                found, compared = compare(item, sides, std)
                sources = (item.a.source, item.b.source)
            run.pairs_compared += compared.total
            for (area, year), count in compared.items():
                years = run.compared_by_country.setdefault(area, {})
                years[year] = years.get(year, 0) + count
            run.discrepancy_count += found.num_rows
            findings.update(_record(run, item.rule, sources, item.limits, found, comparisons))
        if progress:
            progress("", len(chosen), len(chosen))
    except Exception as error:
        run.state, run.error = Run.State.FAILED, f"{type(error).__name__}: {error}"
        run.finished_at = timezone.now()
        run.save()
        raise
    run.state, run.finished_at, run.finding_count = Run.State.DONE, timezone.now(), len(findings)
    run.save()
    return run


def _record(
    run: Run,
    rule: str,
    sources: tuple[str, str],
    limits: Tolerance,
    found: pa.Table,
    comparisons: Comparisons,
) -> set[int]:
    """One finding per pair of series, and the run's discrepancies under it; the findings' ids."""
    pairs: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in found.to_pylist():
        pairs[(row["KEY_A"], row["KEY_B"])].append(row)
    ids = set()
    for (key_a, key_b), rows in pairs.items():
        gaps = [
            Gap(
                r["KEY_A"],
                r["PERIOD_A"],
                r["VALUE_A"],
                r["KEY_B"],
                r["PERIOD_B"],
                r["VALUE_B"],
                r["RELATIVE_DIFFERENCE"],
            )
            for r in rows
        ]
        keys = [_range(key_a, [r["PERIOD_A"] for r in rows])]
        if key_b != key_a:
            keys.append(_range(key_b, [r["PERIOD_B"] for r in rows]))
        message = finding_message(rule, sources, limits, gaps, comparisons)
        with transaction.atomic():
            finding = open_or_update(keys, rule, message)
            Discrepancy.objects.bulk_create(
                Discrepancy(
                    run=run,
                    finding=finding,
                    rule=rule,
                    source_a=sources[0],
                    key_a=r["KEY_A"],
                    period_a=r["PERIOD_A"],
                    value_a=r["VALUE_A"],
                    revision_a=r["REVISION_A"],
                    reference_a=r["REFERENCE_A"],
                    source_b=sources[1],
                    key_b=r["KEY_B"],
                    period_b=r["PERIOD_B"],
                    value_b=r["VALUE_B"],
                    revision_b=r["REVISION_B"],
                    reference_b=r["REFERENCE_B"],
                    relative_difference=r["RELATIVE_DIFFERENCE"],
                )
                for r in rows
            )
        ids.add(finding.pk)
    return ids


def _range(key: str, periods: list[str]) -> SeriesRange:
    ordered = sorted(periods, key=lambda p: period_bounds(p)[0])
    return SeriesRange(key, ordered[0], ordered[-1])
