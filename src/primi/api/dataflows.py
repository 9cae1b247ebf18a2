"""GET /api/dataflows: what can be asked for, with names, units and counting bases."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Query, Router

from primi.api import output
from primi.api.languages import answer_language
from primi.api.parameters import Language
from primi.api.schemas import DataflowList, ErrorOut
from primi.standard.catalogue import load_standard

router = Router(tags=["dataflows"])


@router.get(
    "/dataflows",
    response={200: DataflowList, 400: ErrorOut},
    summary="Dataflows and their indicators",
)
def list_dataflows(request: HttpRequest, response: HttpResponse, params: Query[Language]) -> dict:
    """Every dataflow of the standard with its indicators: names in es/en/fr, unit, counting
    basis (events or persons: the comparability trap of administrative registers), frequencies
    and the breakdowns each indicator allows."""
    lang = answer_language(request, params.lang, response)
    return {
        "lang": lang,
        "dataflows": [output.dataflow(flow, lang) for flow in load_standard().dataflows],
    }
