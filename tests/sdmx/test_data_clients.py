"""Real SDMX clients read data from the running server (pytest-django's live_server): sdmx1
through `sdmx.add_source` and pysdmx through its `RestService`, several keys and parameters, in
every format each reads; the numbers equal the store's.

`test_sdmx1_dict_key_*` also needs the structure endpoints (sdmx1 fetches the dataflow with
references=all to build the key), which the structure queries of /rest provide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import httpx
import pytest
import requests
import sdmx
from data_store import (
    ENTRY_MEX,
    GTM,
    MEX,
    from_pandas,
    load_known_data,
    pysdmx_values,
    store_values,
)
from pysdmx.api.qb import ApiVersion, DataQuery, RestService
from pysdmx.io.format import DataFormat

from primi.standard.catalogue import load_standard
from primi.standard.periods import period_bounds
from primi.standard.versions import sync_standard
from primi.store.queries import current_values

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(live_server, tmp_path) -> str:
    sync_standard(load_standard())
    load_known_data(tmp_path)
    return f"{live_server.url}/rest"


@pytest.fixture
def client(server) -> Iterator[sdmx.Client]:
    """The live server as sdmx1 source PRIMI."""
    sdmx.add_source({"id": "PRIMI", "name": "PRIMI", "url": server}, override=True)
    yield sdmx.Client("PRIMI")
    sdmx.source.sources.pop("PRIMI", None)


def within(values: dict, start: str, end: str) -> dict:
    first, last = period_bounds(start)[0], period_bounds(end)[1]
    return {
        (k, p): v
        for (k, p), v in values.items()
        if period_bounds(p)[1] >= first and period_bounds(p)[0] <= last
    }


@pytest.mark.parametrize(
    ("key", "params"),
    [
        ("M.GTM.ENTRY.MEX+USA...", {"startPeriod": "2023-03", "endPeriod": "2023-10"}),
        ("..ENTRY.MEX...", {"startPeriod": "2023-Q3"}),
        ("M.MEX+GTM.....", {}),
        ("all", {"dimensionAtObservation": "AllDimensions"}),
    ],
)
def test_sdmx1_reads_generic_data(client, key, params):
    message = client.data("DF_FLOWS", key=key, params=params)
    got = from_pandas(sdmx.to_pandas(message.data[0]))
    expected = store_values(key)
    if "startPeriod" in params:
        expected = within(expected, params["startPeriod"], params.get("endPeriod", "2100"))
    assert got == expected


def test_sdmx1_dict_key_fetches_the_structure_and_reads_the_data(client):
    message = client.data(
        "DF_FLOWS",
        key={"REF_AREA": "GTM", "INDICATOR": "ENTRY", "FREQ": "M"},
        params={"lastNObservations": 2},
    )
    got = from_pandas(sdmx.to_pandas(message.data[0]))
    assert got == {
        (ENTRY_MEX, "2023-12"): 1111.0,
        (ENTRY_MEX, "2024-01"): 120.0,
        ("M.GTM.ENTRY.USA._T._T._T", "2023-11"): 210.0,
        ("M.GTM.ENTRY.USA._T._T._T", "2023-12"): 211.0,
    }


def test_sdmx1_dict_key_reads_structure_specific_data(client):
    message = client.data(
        "DF_FLOWS",
        key={"REF_AREA": "MEX"},
        headers={"Accept": "application/vnd.sdmx.structurespecificdata+xml;version=2.1"},
    )
    got = from_pandas(sdmx.to_pandas(message.data[0]))
    assert got == store_values("M.MEX.....")


def test_sdmx1_series_keys_uses_serieskeysonly(client):
    keys = {
        ".".join(str(kv.value) for kv in key.values.values())
        for key in client.series_keys("DF_FLOWS")
    }
    assert keys == {k for k, _ in store_values()}


def test_sdmx1_gets_404_as_an_error_not_an_empty_answer(client):
    with pytest.raises(requests.HTTPError) as raised:
        client.data("DF_FLOWS", key="M.BLZ.....")
    assert "404" in str(raised.value)


@pytest.mark.parametrize(
    "data_format",
    [DataFormat.SDMX_ML_2_1_GEN, DataFormat.SDMX_ML_2_1_STR, DataFormat.SDMX_CSV_1_0_0],
)
def test_pysdmx_rest_service_reads_data_in_each_format(server, data_format):
    service = RestService(server, ApiVersion.V1_5_0, data_format=data_format, timeout=30)
    for query, expected in (
        (
            DataQuery(
                agency_id="PRIMI",
                resource_id="DF_FLOWS",
                version="1.0",
                key="M.GTM.ENTRY.MEX+USA...",
            ),
            store_values("M.GTM.ENTRY.MEX+USA..."),
        ),
        (
            DataQuery(resource_id="DF_FLOWS", key="..ENTRY.MEX...", last_n_obs=1),
            {
                (k, p): v
                for (k, p), v in store_values("..ENTRY.MEX...").items()
                if p in ("2024-01", "2023-Q4", "2023")
            },
        ),
        (DataQuery(resource_id="DF_FLOWS"), store_values()),
    ):
        assert pysdmx_values(service.data(query)) == expected, query


def test_pysdmx_updated_after_and_history(server):
    service = RestService(server, ApiVersion.V1_5_0, data_format=DataFormat.SDMX_ML_2_1_GEN)
    revision = next(r for r in current_values(ENTRY_MEX) if r.time_period == "2024-01")
    # pysdmx sends updatedAfter to the second: what was published after that second is expected.
    since = revision.published_at.replace(microsecond=0) - dt.timedelta(seconds=1)
    expected = {
        (r.series_key, r.time_period): None if r.conf_status in ("C", "D") else r.obs_value
        for r in current_values(dataflow="DF_FLOWS")
        if r.published_at > since
    }
    changed = service.data(DataQuery(resource_id="DF_FLOWS", updated_after=since))
    assert pysdmx_values(changed) == expected
    assert expected[(ENTRY_MEX, "2024-01")] == 120.0
    history = service.data(DataQuery(resource_id="DF_FLOWS", key=ENTRY_MEX, include_history=True))
    assert pysdmx_values(history) == store_values(ENTRY_MEX)
    assert history.count(b"<message:DataSet ") == 2  # the first publication and the revision


def test_provider_paths_on_the_live_server(server):
    """pysdmx's 1.5 queries name no provider: the path is sent as SDMX-REST writes it."""
    answer = httpx.get(f"{server}/data/DF_FLOWS/all/{MEX}", headers={"Accept": "text/csv"})
    assert {k for k, _ in pysdmx_values(answer.content)} == {"M.MEX.ENTRY.GTM._T._T._T"}
    answer = httpx.get(f"{server}/data/DF_FLOWS/all/{GTM}", headers={"Accept": "text/csv"})
    assert "M.MEX.ENTRY.GTM._T._T._T" not in {k for k, _ in pysdmx_values(answer.content)}
