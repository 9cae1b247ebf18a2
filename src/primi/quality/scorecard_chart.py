"""A country's trend: each measure's share by year as one line, on a fixed 0-100 % scale so
countries and years compare at a glance; the same figures as a table behind the chart."""

from __future__ import annotations

from django.utils.translation import gettext as _

from primi.portal.charts import Chart, Column, formatted_rows, spec
from primi.quality.scorecard_text import measures, shares_of
from primi.quality.scorecards import Scorecard

HEIGHT = 170


def trend_chart(card: Scorecard, name: str, lang: str) -> Chart:
    """One line per measure over the card's years; a year with nothing to measure has no point."""
    labels = [m.label for m in measures()]
    rows = [
        {"year": str(score.year), "measure": label, "share": round(100 * value.value, 1)}
        for score in card.years
        for label, value in zip(labels, shares_of(score), strict=True)
        if value.value is not None
    ]
    columns = (
        Column("year", _("Year")),
        Column("measure", _("Measure")),
        Column("share", _("Share (%)"), numeric=True, decimals=1),
    )
    title = _("Trend of the measures: %(country)s") % {"country": name}
    description = _(
        "Line chart: the share of each quality measure of %(country)s by year, from 0 to 100 %%."
    ) % {"country": name}
    body = {
        "height": HEIGHT,
        "mark": {"type": "line", "point": True},
        "encoding": {
            "x": {
                "field": "year",
                "type": "ordinal",
                "title": None,
                "sort": [str(s.year) for s in card.years],
                "scale": {"domain": [str(s.year) for s in card.years]},
                "axis": {"labelAngle": 0},
            },
            "y": {
                "field": "share",
                "type": "quantitative",
                "title": "%",
                "scale": {"domain": [0, 100]},
            },
            "color": {
                "field": "measure",
                "type": "nominal",
                "title": None,
                "scale": {"domain": labels},
                "legend": {"orient": "bottom", "columns": 1, "labelLimit": 300},
            },
            "tooltip": [
                {"field": "year", "title": columns[0].header},
                {"field": "measure", "title": columns[1].header},
                {"field": "share", "title": columns[2].header, "format": ",.1f"},
            ],
        },
    }
    return Chart(
        id=f"trend-{card.country}",
        title=title,
        description=description,
        spec=spec(body, rows, description),
        columns=columns,
        table_rows=formatted_rows(rows, columns, lang),
    )
