"""Links to one query's data as CSV, xlsx (the portal's downloads) and SDMX (the /rest service).

Every chart, table and explorer query offers the same three, built here so their parameters
agree: `dataflow`, an SDMX `key` (dots between the dimensions, empty for all) and the periods.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse


def query_string(dataflow: str, key: str = "", start: str | None = None,
                 end: str | None = None) -> str:  # fmt: skip
    """The portal's encoding of a query: what /data/download/ and /explorer/ both read."""
    params = {"dataflow": dataflow, "key": key}
    if start:
        params["startPeriod"] = start
    if end:
        params["endPeriod"] = end
    return urlencode(params)


def sdmx_url(dataflow: str, key: str = "", start: str | None = None,
             end: str | None = None, fmt: str = "csvfilewithlabels") -> str:  # fmt: skip
    """The /rest/data URL of the same query (SDMX-CSV with labels unless `fmt` says otherwise)."""
    params = {"format": fmt}
    if start:
        params["startPeriod"] = start
    if end:
        params["endPeriod"] = end
    path = f"/rest/data/{dataflow}/{key or 'all'}"
    return f"{path}?{urlencode(params)}"


def data_links(dataflow: str, key: str = "", start: str | None = None,
               end: str | None = None) -> dict[str, str]:  # fmt: skip
    """{"CSV": ..., "XLSX": ..., "SDMX": ...} for the query, in the active language."""
    base = reverse("portal:download") + "?" + query_string(dataflow, key, start, end)
    return {
        "CSV": base + "&format=csv",
        "XLSX": base + "&format=xlsx",
        "SDMX": sdmx_url(dataflow, key, start, end),
    }
