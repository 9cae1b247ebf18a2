"""The figures behind a level-4 finding, for those who take part in it (404 for anyone else)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language

from primi.findings.access import visible_findings
from primi.portal.formatting import number
from primi.quality.finding_figures import finding_figures
from primi.standard.comparisons import load_comparisons


@login_required
def finding_figures_page(request: HttpRequest, finding_id: int) -> HttpResponse:
    finding = get_object_or_404(visible_findings(request.user), pk=finding_id)
    comparisons = load_comparisons()
    if finding.origin not in comparisons.rules():
        raise Http404
    lang = get_language() or "es"
    figures = finding_figures(finding)
    rows = [
        {
            "pair": pair,
            "value_a": number(pair.a.value, lang),
            "value_b": number(pair.b.value, lang),
            "difference": number(pair.relative_difference * 100, lang, 1),
            "source_a": _source(pair.a.origin, comparisons, lang),
            "source_b": _source(pair.b.origin, comparisons, lang),
        }
        for pair in figures.pairs
    ]
    context = {"finding": finding, "figures": figures, "rows": rows}
    return render(request, "quality/finding_figures.html", context)


def _source(origin, comparisons, lang: str) -> str:  # noqa: ANN001
    if origin is None or origin.source == "official":
        return ""
    return comparisons.references[origin.source].name(lang)
