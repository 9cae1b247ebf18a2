"""Names a reader sees for a release: dataflow, institution and countries in the page language."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from primi.api.languages import in_language
from primi.demo import DEMO_PROVIDER
from primi.portal.alphabetical import sort_key
from primi.portal.formatting import moment, number
from primi.portal.releases import Release
from primi.standard.catalogue import load_standard
from primi.workflow.models import Institution


@dataclass(frozen=True)
class ShownRelease:
    """A release with its names resolved, for templates and the feed."""

    release: Release
    dataflow_name: str
    institution: str
    countries: tuple[tuple[str, str], ...]  # (code, name)
    values: str
    when: str

    @property
    def country_names(self) -> str:
        return ", ".join(name for _code, name in self.countries)


def shown(items: list[Release], lang: str) -> list[ShownRelease]:
    """Each release named in `lang`; an institution unknown to the register keeps its code."""
    std = load_standard()
    areas = std.codelist("CL_AREA")
    institutions = dict(
        Institution.objects.filter(code__in={r.provider for r in items}).values_list("code", "name")
    )
    flows = {f.id: f for f in std.dataflows}
    institutions[DEMO_PROVIDER] = _("PRIMI, synthetic demonstration data")
    out = []
    for r in items:
        flow = flows.get(r.dataflow)
        countries = []
        for code in r.ref_areas:
            found = areas.get(code)
            countries.append((code, in_language(found.names, lang) if found else code))
        out.append(
            ShownRelease(
                release=r,
                dataflow_name=in_language(flow.names, lang) if flow else r.dataflow,
                institution=institutions.get(r.provider, r.provider),
                countries=tuple(sorted(countries, key=lambda pair: sort_key(pair[1], lang))),
                values=number(r.values, lang),
                when=moment(r.published_at, lang),
            )
        )
    return out
