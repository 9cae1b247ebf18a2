"""SDMX-REST 2.x data queries (/rest/v2/data/...): the 2.x parser, then the 1.5 answer.

Only the reading of the URL and the formats differ from 1.5: the size limit (413), the empty
answer (404), conditional requests and streaming are `data_views.data_response`'s.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponseBase

from primi.sdmx.data_v2_query import parse_data_query_v2
from primi.sdmx.data_views import WRITERS, data_response
from primi.sdmx.negotiation import (
    DATA_OFFERS_V2,
    SDMX_CSV_DATA_20,
    SDMX_JSON_DATA_20,
    STRUCTURE_SPECIFIC_DATA_30,
)
from primi.sdmx.views_base import sdmx_view
from primi.sdmx.writers.sdmx30_structure_specific import write_structure_specific_data_30
from primi.sdmx.writers.sdmx_csv20 import write_sdmx_csv20_data
from primi.sdmx.writers.sdmx_json20_data import write_sdmx_json20_data

WRITERS_V2 = {
    **WRITERS,
    STRUCTURE_SPECIFIC_DATA_30: write_structure_specific_data_30,
    SDMX_JSON_DATA_20: write_sdmx_json20_data,
    SDMX_CSV_DATA_20: write_sdmx_csv20_data,
}


@sdmx_view
def data_v2(
    request: HttpRequest,
    context: str = "*",
    agency: str = "*",
    resource_id: str = "*",
    version: str = "*",
    key: str | None = None,
) -> HttpResponseBase:
    """/rest/v2/data/{context}/{agencyID}/{resourceID}/{version}/{key}: published data."""
    query = parse_data_query_v2(
        context or "*", agency or "*", resource_id or "*", version or "*", key, request.GET
    )
    return data_response(request, query, offers=DATA_OFFERS_V2, writers=WRITERS_V2)
