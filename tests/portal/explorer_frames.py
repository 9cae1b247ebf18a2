"""Published data for the explorer and download tests: two countries' returns, a revision, a
withheld cell, a formula-like comment, a draft and an embargoed release that must never show."""

import datetime as dt

import pyarrow as pa
from django.utils import timezone

from primi.demo import DEMO_FILE_PREFIX, DEMO_FILE_SUFFIX
from primi.standard.frame import DIMENSIONS, conform
from primi.store.loading import load_frame
from primi.store.publication import publish_submission

T0 = dt.datetime(2025, 3, 1, 12, 0, tzinfo=dt.UTC)
T1 = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)
GTM = "M.GTM.RET_NAT._T._T._T._T"
HND = "M.HND.RET_NAT._T._T._T._T"
SLV = "M.SLV.RET_NAT._T._T._T._T"
FORMULA = '=HYPERLINK("http://evil.example","x")'
FIRST = {
    (GTM, "2024-01"): 1234.5,
    (GTM, "2024-02"): 2000.0,
    (GTM, "2024-03"): 1500.25,
    (HND, "2024-01"): 300.0,
    (HND, "2024-02"): 77.0,  # withheld (CONF_STATUS C) from the first publication on
    (HND, "2024-03"): -12.0,
}
REVISED = {(GTM, "2024-02"): 2100.0}
DRAFT_VALUE = 999_999.0
EMBARGO_VALUE = 888_888.0


def frame(rows: list[tuple], provider_source: str = "GTM_IGM") -> pa.Table:
    """A canonical frame of (key, period, value, attributes) rows."""
    columns: dict[str, list] = {d: [] for d in DIMENSIONS}
    columns |= {"TIME_PERIOD": [], "OBS_VALUE": [], "SOURCE_ROW": [], "CONF_STATUS": [],
                "COMMENT_OBS": [], "DECIMALS": []}  # fmt: skip
    for number, (key, period, value, attrs) in enumerate(rows, start=2):
        for dim, code in zip(DIMENSIONS, key.split("."), strict=True):
            columns[dim].append(code)
        columns["TIME_PERIOD"].append(period)
        columns["OBS_VALUE"].append(value)
        columns["SOURCE_ROW"].append(number)
        for name in ("CONF_STATUS", "COMMENT_OBS"):
            columns[name].append(attrs.get(name))
        columns["DECIMALS"].append(attrs.get("DECIMALS"))
    table = pa.table(
        {
            **{k: pa.array(v, pa.string()) for k, v in columns.items()
               if k not in ("OBS_VALUE", "SOURCE_ROW", "DECIMALS")},
            "OBS_VALUE": pa.array(columns["OBS_VALUE"], pa.float64()),
            "SOURCE_ROW": pa.array(columns["SOURCE_ROW"], pa.int64()),
            "DECIMALS": pa.array(columns["DECIMALS"], pa.int8()),
            "SOURCE_INST": pa.array([provider_source] * len(rows), pa.string()),
            "UNIT_MEASURE": pa.array(["PS"] * len(rows), pa.string()),
        }
    )  # fmt: skip
    return conform(table)


def _attrs(key: str, period: str) -> dict:
    if (key, period) == (HND, "2024-02"):
        return {"CONF_STATUS": "C", "COMMENT_OBS": "secret comment"}
    if (key, period) == (GTM, "2024-01"):
        return {"COMMENT_OBS": FORMULA, "DECIMALS": 1}
    if (key, period) == (GTM, "2024-03"):
        return {"DECIMALS": 2}
    return {}


def load_returns(provider: str = "GTM_IGM", synthetic: bool = False) -> None:
    """First publication at T0, a revision at T1, a draft and an embargoed release; named as
    the demo's files when `synthetic`."""

    def name(file_name: str) -> str:
        return f"{DEMO_FILE_PREFIX}{file_name}{DEMO_FILE_SUFFIX}" if synthetic else file_name

    first = [(k, p, v, _attrs(k, p)) for (k, p), v in FIRST.items()]
    loaded = load_frame(
        frame(first), provider=provider, dataflow="DF_RETURNS", file_name=name("a.csv")
    )
    publish_submission(loaded.submission, at=T0)
    revised = [(k, p, v, _attrs(k, p)) for (k, p), v in REVISED.items()]
    loaded = load_frame(
        frame(revised), provider=provider, dataflow="DF_RETURNS", file_name=name("b.csv")
    )
    publish_submission(loaded.submission, at=T1)
    draft = [(SLV, "2024-01", DRAFT_VALUE, {}), (GTM, "2024-03", DRAFT_VALUE, {})]
    load_frame(frame(draft), provider=provider, dataflow="DF_RETURNS", file_name=name("draft.csv"))
    embargo = [(SLV, "2024-02", EMBARGO_VALUE, {}), (GTM, "2024-01", EMBARGO_VALUE, {})]
    loaded = load_frame(
        frame(embargo), provider=provider, dataflow="DF_RETURNS", file_name=name("e.csv")
    )
    publish_submission(loaded.submission, at=timezone.now() + dt.timedelta(days=30))
