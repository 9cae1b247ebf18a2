"""The store's and the standard's objects as the API's answers, labelled in the reader's language.

One function per kind of object, so that a value, its labels and its provenance are written the
same way wherever it appears (observations, revisions, the figures of profiles and maps). A value's
provenance names the sheet and row the submitter sees (`places`, from store.provenance).
"""

from __future__ import annotations

from primi.api.labels import code_label, dimension_labels, key_dimensions
from primi.api.languages import in_language
from primi.standard.catalogue import Dataflow, Indicator, load_standard
from primi.store.period_figures import PeriodFigure
from primi.store.provenance import SourcePlaces
from primi.store.queries import Revision
from primi.store.series_search import FoundSeries


def names(names_by_lang: dict[str, str]) -> dict[str, str | None]:
    return {
        "es": names_by_lang.get("es") or names_by_lang.get("en", ""),
        "en": names_by_lang.get("en") or names_by_lang.get("es", ""),
        "fr": names_by_lang.get("fr"),
    }


def area(code: str, lang: str) -> dict:
    found = load_standard().codelist("CL_AREA").get(code)
    by_lang = found.names if found else {"es": code, "en": code}
    return {"code": code, "name": in_language(by_lang, lang), "names": names(by_lang)}


def indicator(ind: Indicator, lang: str) -> dict:
    return {
        "id": ind.id,
        "name": in_language(ind.names, lang),
        "names": names(ind.names),
        "description": in_language(ind.glossary, lang) or None,
        "dataflow": ind.dataflow,
        "unit_measure": ind.unit,
        "unit_label": code_label("UNIT_MEASURE", ind.unit, lang),
        "counting_basis": ind.counting_basis,
        "counting_basis_label": code_label("COUNTING_BASIS", ind.counting_basis, lang),
        "frequencies": list(ind.freq),
        "counterpart_role": ind.counterpart_role,
        "sex": list(ind.sex),
        "age": list(ind.age),
        "pop_group": list(ind.pop_group),
        "source": ind.source,
    }


def indicator_ref(ind: Indicator, lang: str) -> dict:
    return {"id": ind.id, "name": in_language(ind.names, lang), "dataflow": ind.dataflow}


def dataflow(flow: Dataflow, lang: str) -> dict:
    return {
        "id": flow.id,
        "name": in_language(flow.names, lang),
        "names": names(flow.names),
        "indicators": [indicator(i, lang) for i in load_standard().indicators_of(flow.id)],
    }


def provenance(rev: Revision, places: SourcePlaces) -> dict:
    sheet, row = places(rev.submission_id, rev.source_row)
    return {
        "revision_id": rev.revision_id,
        "submission_id": rev.submission_id,
        "provider": rev.provider,
        "file_name": rev.file_name,
        "source_sheet": sheet,
        "source_row": row,
        "published_at": rev.published_at,
    }


def observation(rev: Revision, lang: str, places: SourcePlaces) -> dict:
    dims = key_dimensions(rev.series_key)
    return {
        "series_key": rev.series_key,
        "dimensions": dims,
        "labels": dimension_labels(dims, lang),
        "period": rev.time_period,
        "value": rev.obs_value,
        "obs_status": rev.obs_status,
        "obs_status_label": code_label("OBS_STATUS", rev.obs_status, lang),
        "conf_status": rev.conf_status,
        "comment": rev.comment_obs,
        "decimals": rev.decimals,
        "unit_measure": rev.unit_measure,
        "unit_label": code_label("UNIT_MEASURE", rev.unit_measure, lang),
        "unit_mult": rev.unit_mult,
        "counting_basis": rev.counting_basis,
        "source_inst": rev.source_inst,
        "provenance": provenance(rev, places),
    }


def revision(rev: Revision, lang: str, places: SourcePlaces) -> dict:
    return {
        "value": rev.obs_value,
        "obs_status": rev.obs_status,
        "obs_status_label": code_label("OBS_STATUS", rev.obs_status, lang),
        "comment": rev.comment_obs,
        "unit_measure": rev.unit_measure,
        "unit_mult": rev.unit_mult,
        "provenance": provenance(rev, places),
    }


def series(found: FoundSeries, lang: str) -> dict:
    return {
        "key": found.key,
        "dataflow": found.dataflow,
        "dimensions": found.dimensions,
        "labels": dimension_labels(found.dimensions, lang),
        "unit_measure": found.unit_measure,
        "unit_label": code_label("UNIT_MEASURE", found.unit_measure, lang),
        "unit_mult": found.unit_mult,
        "counting_basis": found.counting_basis,
        "counting_basis_label": code_label("COUNTING_BASIS", found.counting_basis, lang),
        "source_inst": found.source_inst,
        "first_period": found.first_period,
        "last_period": found.last_period,
        "observations": found.observations,
    }


def figure(fig: PeriodFigure, lang: str, places: SourcePlaces) -> dict:
    return {
        "period": fig.period,
        "value": fig.value,
        "unit_measure": fig.unit_measure,
        "unit_label": code_label("UNIT_MEASURE", fig.unit_measure, lang),
        "unit_mult": fig.unit_mult,
        "counting_basis": fig.counting_basis,
        "frequency": fig.frequency,
        "sources": [
            {
                "series_key": r.series_key,
                "period": r.time_period,
                "value": r.obs_value,
                "obs_status": r.obs_status,
                "provenance": provenance(r, places),
            }
            for r in fig.sources
        ],
    }
