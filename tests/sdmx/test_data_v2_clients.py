"""Real SDMX clients read SDMX-REST 2.x data from the running server (pytest-django's
live_server): pysdmx's RestService at API 2.x in SDMX-ML 3.0 and SDMX-CSV 2.0, with keys,
component filters, first/last observations, updatedAfter and asOf, and sdmx1 at SDMX-REST 2.x;
the numbers equal the store's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
import sdmx
from data_store import ENTRY_MEX, from_pandas, load_known_data, pysdmx_values, store_values
from django.db.models import F
from pysdmx.api.dc.query import MultiFilter, Operator, TextFilter
from pysdmx.api.qb import ApiVersion, DataQuery, RestService
from pysdmx.api.qb.data import DataContext
from pysdmx.io.format import DataFormat

from primi.standard.catalogue import load_standard
from primi.standard.versions import sync_standard
from primi.store.models import Submission
from primi.store.queries import current_values

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def server(live_server, tmp_path) -> str:
    sync_standard(load_standard())
    return f"{live_server.url}/rest", load_known_data(tmp_path)


def service(server, data_format: DataFormat, api: ApiVersion = ApiVersion.V2_0_0) -> RestService:
    url, _ = server
    return RestService(f"{url}/v2", api, data_format=data_format, timeout=30)


@pytest.mark.parametrize("data_format", [DataFormat.SDMX_ML_3_0, DataFormat.SDMX_CSV_2_0_0])
def test_pysdmx_reads_sdmx_3_data_by_key_and_filters(server, data_format):
    rest = service(server, data_format)
    queries = [
        (
            DataQuery(
                context=DataContext.DATAFLOW,
                agency_id="PRIMI",
                resource_id="DF_FLOWS",
                version="1.0",
                key="M.GTM.ENTRY.*.*.*.*",
            ),
            store_values("M.GTM.ENTRY...."),
        ),
        (DataQuery(resource_id="DF_FLOWS"), store_values()),
        (
            DataQuery(
                resource_id="DF_FLOWS",
                components=MultiFilter(
                    filters=[
                        TextFilter(field="INDICATOR", operator=Operator.EQUALS, value="ENTRY"),
                        TextFilter(field="COUNTERPART_AREA", operator=Operator.IN, value=["MEX"]),
                        TextFilter(field="FREQ", operator=Operator.NOT_EQUALS, value="M"),
                    ]
                ),
            ),
            store_values("A+Q..ENTRY.MEX..."),
        ),
        (
            DataQuery(resource_id="DF_FLOWS", key="*.*.ENTRY.MEX", last_n_obs=1),
            {
                (k, p): v
                for (k, p), v in store_values("..ENTRY.MEX...").items()
                if p in ("2024-01", "2023-Q4", "2023")
            },
        ),
    ]
    for query, expected in queries:
        assert expected
        assert pysdmx_values(rest.data(query)) == expected, query


def test_pysdmx_time_period_filter(server):
    rest = service(server, DataFormat.SDMX_CSV_2_0_0)
    query = DataQuery(
        resource_id="DF_FLOWS",
        key=ENTRY_MEX,
        components=MultiFilter(
            filters=[
                TextFilter(field="TIME_PERIOD", operator=Operator.GREATER_THAN_OR_EQUAL,
                           value="2023-10"),
                TextFilter(field="TIME_PERIOD", operator=Operator.LESS_THAN_OR_EQUAL,
                           value="2023-12"),
            ]
        ),
    )  # fmt: skip
    got = pysdmx_values(rest.data(query))
    assert got == {
        (ENTRY_MEX, p): v
        for (_, p), v in store_values(ENTRY_MEX).items()
        if p in ("2023-10", "2023-11", "2023-12")
    }
    assert got[(ENTRY_MEX, "2023-12")] == 1111.0


def test_pysdmx_as_of_and_updated_after(server):
    _, known = server
    rest = service(server, DataFormat.SDMX_ML_3_0, ApiVersion.V2_2_0)
    # pysdmx sends instants to the second: the first publications are set ten seconds back,
    # so that a whole second lies between them and the revision.
    earlier = Submission.objects.filter(published_at__lt=known.before_revision)
    earlier.update(published_at=F("published_at") - dt.timedelta(seconds=10))
    before = known.before_revision.replace(microsecond=0) - dt.timedelta(seconds=5)
    then = pysdmx_values(rest.data(DataQuery(resource_id="DF_FLOWS", as_of=before)))
    assert then == store_values(as_of=before)
    assert then[(ENTRY_MEX, "2023-12")] == 111.0
    revision = next(r for r in current_values(ENTRY_MEX) if r.time_period == "2024-01")
    since = revision.published_at.replace(microsecond=0) - dt.timedelta(seconds=1)
    changed = pysdmx_values(rest.data(DataQuery(resource_id="DF_FLOWS", updated_after=since)))
    expected = {
        (r.series_key, r.time_period): None if r.conf_status in ("C", "D") else r.obs_value
        for r in current_values(dataflow="DF_FLOWS")
        if r.published_at > since
    }
    assert changed == expected and expected[(ENTRY_MEX, "2024-01")] == 120.0


@pytest.fixture
def sdmx1_client(server) -> Iterator[sdmx.Client]:
    """The live server's 2.x paths as sdmx1 source PRIMI (SDMX-REST 2.x URLs)."""
    url, _ = server
    sdmx.add_source(
        {"id": "PRIMI", "name": "PRIMI", "url": f"{url}/v2", "versions": ["3.0.0"]},
        override=True,
    )
    yield sdmx.Client("PRIMI")
    sdmx.source.sources.pop("PRIMI", None)


def test_sdmx1_reads_sdmx_ml30_data_from_the_2x_paths(sdmx1_client):
    message = sdmx1_client.data(
        "DF_FLOWS", key="M.GTM.ENTRY.*.*.*.*", params={"lastNObservations": 3}
    )
    assert "version=3.0.0" in message.response.headers["Content-Type"]
    got = from_pandas(sdmx.to_pandas(message.data[0]))
    stored = store_values("M.GTM.ENTRY....")
    last_three = {
        key: sorted(p for k, p in stored if k == key)[-3:] for key in {k for k, _ in stored}
    }
    expected = {(k, p): v for (k, p), v in stored.items() if p in last_three[k]}
    assert len(expected) == 3 * len(last_three)
    assert got == expected
