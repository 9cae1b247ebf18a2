"""The level-4 findings with what their latest run found: for `primi quality findings`.

Each finding is listed with its state, countries and series ranges, and the discrepancies of the
latest run that touched it (keys, periods, both values, relative difference, where each value
came from), so a script or a meeting can read the same facts the thread quotes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import Max

from primi.findings.models import Finding
from primi.quality.models import Discrepancy
from primi.standard.comparisons import load_comparisons


def latest_discrepancies(finding_ids: Iterable[int]) -> dict[int, list[Discrepancy]]:
    """Each finding's discrepancies from the latest run that found any, by period: what the
    finding is about now. Two queries, whatever the number of findings."""
    latest = dict(
        Discrepancy.objects.filter(finding_id__in=list(finding_ids))
        .values("finding")
        .annotate(run=Max("run"))
        .values_list("finding", "run")
    )
    found: dict[int, list[Discrepancy]] = defaultdict(list)
    rows = Discrepancy.objects.filter(
        finding_id__in=list(latest), run_id__in=set(latest.values())
    ).order_by("period_a", "pk")
    for gap in rows:
        if latest[gap.finding_id] == gap.run_id:
            found[gap.finding_id].append(gap)
    return found


def level4_findings(
    state: str | None = None, rule: str | None = None, country: str | None = None
) -> list[dict[str, Any]]:
    """Level-4 findings (optionally of one state, rule or country involved), newest first, as
    plain data."""
    rules = load_comparisons().rules()
    findings = Finding.objects.filter(origin__in=[rule] if rule else rules)
    if state:
        findings = findings.filter(state=state)
    if country:
        findings = findings.filter(countries__country=country)
    findings = list(findings.prefetch_related("keys", "countries").order_by("-created_at", "-pk"))
    gaps = latest_discrepancies(f.pk for f in findings)
    return [_as_data(f, gaps.get(f.pk, [])) for f in findings]


def _as_data(finding: Finding, gaps: list[Discrepancy]) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "rule": finding.origin,
        "state": finding.state,
        "title": finding.title,
        "opened": finding.created_at.isoformat(),
        "countries": [c.country for c in finding.countries.all()],
        "keys": [
            {"key": k.series_key, "start_period": k.start_period, "end_period": k.end_period}
            for k in finding.keys.all()
        ],
        "run": gaps[0].run_id if gaps else None,
        "discrepancies": [
            {
                "a": _side(d.source_a, d.key_a, d.period_a, d.value_a, d.revision_a, d.reference_a),
                "b": _side(d.source_b, d.key_b, d.period_b, d.value_b, d.revision_b, d.reference_b),
                "relative_difference": round(d.relative_difference, 6),
            }
            for d in gaps
        ],
    }


def _side(
    source: str, key: str, period: str, value: float, revision: int | None, reference: int | None
) -> dict[str, Any]:
    side = {"source": source, "key": key, "period": period, "value": value}
    if revision is not None:
        side["revision"] = revision
    if reference is not None:
        side["reference_row"] = reference
    return side
