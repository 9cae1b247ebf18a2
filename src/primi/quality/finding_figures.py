"""The figures behind a level-4 finding, each traced to where it came from.

For the latest run that touched the finding: every disagreeing pair with both values, the
relative difference, and for each value its source: an official revision (submission, provider,
file and row, and whether it is published yet) or a reference row (source, file and line). The
countries in the finding read it to see exactly which figures to check.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone

from primi.findings.models import Finding
from primi.quality.listing import latest_discrepancies
from primi.quality.models import ReferenceValue, Run
from primi.quality.runs import latest_full_run
from primi.standard.comparisons import OFFICIAL
from primi.store.models import Observation


@dataclass(frozen=True)
class Origin:
    """Where one value of a pair came from."""

    source: str
    file_name: str
    row: int
    provider: str = ""
    submission_id: int | None = None
    published: bool = False


@dataclass(frozen=True)
class Side:
    key: str
    period: str
    value: float
    origin: Origin | None

    @property
    def official(self) -> bool:
        return self.origin is not None and self.origin.source == OFFICIAL


@dataclass(frozen=True)
class Pair:
    a: Side
    b: Side
    relative_difference: float


@dataclass(frozen=True)
class FindingFigures:
    """The pairs found by run `run_id`; `agreed_since`: a later full run that found them within
    tolerance (the countries may settle the finding)."""

    run_id: int | None
    run_at: object
    pairs: tuple[Pair, ...]
    agreed_since: Run | None = None


def finding_figures(finding: Finding) -> FindingFigures:
    """The latest run's disagreeing pairs of `finding`, traced (empty if no run found any)."""
    gaps = latest_discrepancies([finding.pk]).get(finding.pk, [])
    if not gaps:
        return FindingFigures(None, None, ())
    latest = gaps[0]
    revisions = {
        o.pk: o
        for o in Observation.objects.filter(
            pk__in=[r for g in gaps for r in (g.revision_a, g.revision_b) if r]
        ).select_related("submission")
    }
    references = {
        v.pk: v
        for v in ReferenceValue.objects.filter(
            pk__in=[r for g in gaps for r in (g.reference_a, g.reference_b) if r]
        ).select_related("load")
    }

    now = timezone.now()

    def origin(source: str, revision: int | None, reference: int | None) -> Origin | None:
        if revision in revisions:
            obs = revisions[revision]
            return Origin(
                source=OFFICIAL,
                file_name=obs.submission.file_name,
                row=obs.source_row,
                provider=obs.submission.provider,
                submission_id=obs.submission_id,
                published=obs.submission.published_at is not None
                and obs.submission.published_at <= now,
            )
        if reference in references:
            value = references[reference]
            return Origin(source=source, file_name=value.load.file_name, row=value.source_row)
        return None  # a nationality the stage did not report: counted as zero

    pairs = tuple(
        Pair(
            a=Side(g.key_a, g.period_a, g.value_a, origin(g.source_a, g.revision_a, g.reference_a)),
            b=Side(g.key_b, g.period_b, g.value_b, origin(g.source_b, g.revision_b, g.reference_b)),
            relative_difference=g.relative_difference,
        )
        for g in gaps
    )
    full = latest_full_run()
    later = full if full is not None and full.pk > latest.run_id else None
    return FindingFigures(latest.run_id, latest.run.finished_at, pairs, later)
