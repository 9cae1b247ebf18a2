"""The scorecards' five measures in words: their names, what each means, each figure written as
"12 of 15 (80.0 %)" in the reader's language. The pages and the PDF report share them, so a
meeting reads the same sentence on paper as on screen."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from primi.deadlines.presentation import share as percent
from primi.portal.formatting import number
from primi.quality.scorecards import Share, YearScore

NOTHING = "–"


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    definition: str


def measures() -> tuple[Measure, ...]:
    """The five measures in the order every page and the report show them, in the active
    language."""
    return (
        Measure(
            "completeness",
            _("Completeness"),
            _(
                "Of the submissions the country's calendar expected in the year (due that year, "
                "up to today), the share received."
            ),
        ),
        Measure(
            "timeliness",
            _("Timeliness"),
            _("Of the same submissions, the share received by their due date."),
        ),
        Measure(
            "consistency",
            _("Internal consistency"),
            _(
                "Of the country's published observations for the year's periods, the share no "
                "level-2 check catches (totals against their parts, months against their quarter "
                "and year)."
            ),
        ),
        Measure(
            "agreement",
            _("Agreement with mirrors and references"),
            _(
                "Of the pairs of figures the latest full level-4 run compared for the year's "
                "periods with the country on one side (mirror statistics, reference sources, "
                "the transit route), the share within the rule's tolerance."
            ),
        ),
        Measure(
            "revisions",
            _("Revisions"),
            _(
                "Of the observations whose latest revision was published in the year, the share "
                "first published with another value, and the median relative size of the "
                "change. Lower is steadier."
            ),
        ),
    )


def shares_of(score: YearScore) -> tuple[Share, ...]:
    """The year's five shares, in the order of `measures()`."""
    return (
        score.completeness,
        score.timeliness,
        score.consistency,
        score.agreement,
        score.revisions.republished,
    )


def share_text(value: Share, lang: str) -> str:
    """'12 of 15 (80.0 %)' in `lang`; a dash when there was nothing to measure."""
    if not value.whole:
        return NOTHING
    return _("%(part)s of %(whole)s (%(share)s)") % {
        "part": number(value.part, lang),
        "whole": number(value.whole, lang),
        "share": percent(value.value, lang),
    }


def median_change_text(median: float | None, lang: str) -> str:
    """'median change 10.0 %', or nothing when no value changed."""
    if median is None:
        return ""
    return _("median change %(share)s") % {"share": percent(median, lang)}
