"""What the checks said about one series, as far as anything is kept of it.

The store keeps no finding per series: a submission keeps, in `Submission.notes`, the
submitter's explanation of each warning rule ("explanations") and whether a steward accepted
the warnings ("override"). A file sent through the site also keeps its whole report with its
`workflow.Upload`, whose findings may name a series key. Both are read here for the published
submissions of a series. Messages are not shown: a finding's message may quote a cell's value,
and the cell may since have been withheld; the rule's definition says what was checked.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from primi.checks.rules import rules
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
