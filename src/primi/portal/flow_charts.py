"""The flows page's two charts (map and origin-destination matrix) and the words around them."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from primi.portal.charts import Chart
from primi.portal.comparability_matrix import chart_note
from primi.portal.comparison_charts import (
    country_name,
    flow_map,
    flow_matrix,
    with_comparability_note,
)
from primi.portal.data_links import data_links
from primi.portal.flow_figures import OUTBOUND, Flows
from primi.portal.formatting import number
from primi.standard.catalogue import load_standard


@dataclass(frozen=True)
class FlowCharts:
    map: Chart
    matrix: Chart
    direction: str
    unknown: str
    note: str = ""
    """Why the reporting countries' flows are not like for like (empty when they are)."""


def flow_charts(found: Flows, lang: str, matrix_url: str = "") -> FlowCharts:
    """Map and matrix of the year's flows, with their downloads and notes, in `lang`; when the
    reporting countries' flows are not like for like, both charts say so, with `matrix_url`."""
    indicator = found.indicator
    name = indicator.names.get(lang) or indicator.names["en"]
    unit = load_standard().codelist("CL_UNIT_MEASURE").get(indicator.unit)
    value_title = (unit.names.get(lang) or unit.names["en"]) if unit else indicator.unit
    triples = [(f.origin, f.destination, f.value) for f in found.flows]
    key = f".{'+'.join(found.reporters())}.{indicator.id}.._T._T._T"
    links = data_links(indicator.dataflow, key, found.period, found.period)
    words = {"indicator": name, "period": found.period}
    direction = (
        _("Each line goes from the reporting country to the country of citizenship of the "
          "persons it removed.")
        if indicator.id in OUTBOUND
        else _("Each line goes from the counterpart country to the reporting country.")
    )  # fmt: skip
    map_note = _("The matrix below holds every flow.")
    unknown = ""
    if found.unknown:
        parts = ", ".join(
            f"{country_name(c, lang)} {number(v, lang, 0)}"
            for c, v in sorted(found.unknown.items())
        )
        unknown = _("Not attributed to any country: %(parts)s.") % {"parts": parts}
    map_chart = flow_map(
        "flow-map",
        _("%(indicator)s, %(period)s: flows on the map") % words,
        _("Map of %(indicator)s in %(period)s: a line from each origin to each destination "
          "country, as wide as the flow, with an arrowhead halfway.") % words,
        triples,
        lang=lang,
        value_title=value_title,
        decimals=0,
        downloads=links,
        note=f"{direction} {map_note}",
    )  # fmt: skip
    matrix = flow_matrix(
        "flow-matrix",
        _("%(indicator)s, %(period)s: from each country to each country") % words,
        _("Matrix of %(indicator)s in %(period)s: one row per origin, one column per "
          "destination, each cell coloured by the size of the flow.") % words,
        triples,
        lang=lang,
        value_title=value_title,
        decimals=0,
        downloads=links,
        note=_("Each row is a country of origin and each column a country of destination."),
    )  # fmt: skip
    note = chart_note(indicator, found.reporters(), lang, found.bases())
    return FlowCharts(
        with_comparability_note(map_chart, note, matrix_url),
        with_comparability_note(matrix, note, matrix_url),
        direction,
        unknown,
        note,
    )
