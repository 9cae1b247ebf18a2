"""What the checks said about one series, as far as anything is kept of it.

The store keeps no finding per series: a submission keeps, in `Submission.notes`, the
submitter's explanation of each warning rule ("explanations") and whether a steward accepted
the warnings ("override"). A file sent through the site also keeps its whole report with its
`workflow.Upload`, whose findings may name a series key. Both are read here for the published
submissions of a series. Messages are not shown: a finding's message may quote a cell's value,
and the cell may since have been withheld; the rule's definition says what was checked.

Discrepancies discussed between countries (`primi.findings`) are shown once settled, with their
resolution and its date: never while open, and never their discussion, which stays between the
countries involved.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from primi.checks.rules import rules
from primi.findings.models import STEWARD_ORIGIN, Finding
from primi.portal.formatting import date
from primi.workflow.models import Upload


@dataclass(frozen=True)
class SeriesFinding:
    """A rule that a published submission of the series broke (or explained) for it."""

    submission: int
    rule: str
    level: int
    severity: str
    definition: str
    count: int
    explanation: str


def series_findings(
    key: str, explanations: dict[int, dict[str, str]], lang: str
) -> list[SeriesFinding]:
    """Findings on `key` kept with the uploads of these submissions, and every explained rule.

    `explanations` maps each published submission of the series to its notes' explanations.
    A warning explained for a whole file appears even when its findings are not kept.
    """
    known = rules()
    found: dict[tuple[int, str], SeriesFinding] = {}
    for submission, report in _reports(explanations):
        for item in report.get("findings") or []:
            if item.get("series_key") != key or item.get("rule") not in known:
                continue
            rule = known[item["rule"]]
            at = (submission, rule.id)
            count = item.get("count") or 1
            if at in found:
                count += found[at].count
            found[at] = SeriesFinding(
                submission=submission,
                rule=rule.id,
                level=rule.level,
                severity=rule.severity,
                definition=rule.definition["es" if lang == "es" else "en"],
                count=count,
                explanation=explanations[submission].get(rule.id, ""),
            )
    for submission, texts in explanations.items():
        for rule_id, text in texts.items():
            if (submission, rule_id) in found or rule_id not in known or not text.strip():
                continue
            rule = known[rule_id]
            found[(submission, rule_id)] = SeriesFinding(
                submission=submission,
                rule=rule_id,
                level=rule.level,
                severity=rule.severity,
                definition=rule.definition["es" if lang == "es" else "en"],
                count=0,
                explanation=text,
            )
    return sorted(found.values(), key=lambda f: (f.submission, f.level, f.rule))


def _reports(submissions: Iterable[int]) -> list[tuple[int, dict]]:
    uploads = Upload.objects.filter(submission_id__in=list(submissions))
    return [(pk, report or {}) for pk, report in uploads.values_list("submission_id", "report")]


@dataclass(frozen=True)
class SettledFinding:
    """A discrepancy on the series that the countries involved have settled, as published."""

    title: str
    state: str
    origin: str
    periods: str
    resolution: str
    resolved: str


def settled_findings(key: str, lang: str) -> list[SettledFinding]:
    """The settled findings on `key`, latest resolution first: only what may be public."""
    settled = (
        Finding.objects.filter(keys__series_key=key, resolved_at__isnull=False)
        .exclude(state=Finding.State.OPEN)
        .order_by("-resolved_at", "-pk")
    )
    found = []
    for finding in settled.prefetch_related("keys"):
        own = next(k for k in finding.keys.all() if k.series_key == key)
        found.append(
            SettledFinding(
                title=finding.title,
                state=finding.get_state_display(),
                origin=_("regional steward")
                if finding.origin == STEWARD_ORIGIN
                else _("check %(rule)s") % {"rule": finding.origin},
                periods=_period_range(own.start_period, own.end_period),
                resolution=finding.resolution,
                resolved=date(finding.resolved_at, lang),
            )
        )
    return found


def _period_range(start: str, end: str) -> str:
    if not start and not end:
        return _("every period")
    if start == end:
        return start
    return f"{start or '…'} – {end or '…'}"
