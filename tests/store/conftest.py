"""Builders for small canonical frames and a fingerprint of everything the store holds."""

import hashlib
from collections.abc import Callable, Iterable

import pyarrow as pa
import pytest
from django.apps import apps
from django.db import connection

from primi.standard.frame import DIMENSIONS, conform

Row = tuple  # (series key, period, value) with optional trailing dict of attributes


def build_frame(rows: Iterable[Row], **series_attributes: object) -> pa.Table:
    """A canonical frame from (key, period, value[, attrs]) tuples; SOURCE_ROW counts from 2."""
    columns: dict[str, list] = {d: [] for d in DIMENSIONS}
    extra = ("OBS_STATUS", "CONF_STATUS", "COMMENT_OBS", "DECIMALS")
    columns |= {"TIME_PERIOD": [], "OBS_VALUE": [], "SOURCE_ROW": []}
    columns |= {name: [] for name in extra}
    for number, row in enumerate(rows, start=2):
        key, period, value, *rest = row
        attrs = rest[0] if rest else {}
        for dim, code in zip(DIMENSIONS, key.split("."), strict=True):
            columns[dim].append(code)
        columns["TIME_PERIOD"].append(period)
        columns["OBS_VALUE"].append(value)
        columns["SOURCE_ROW"].append(number)
        for name in extra:
            columns[name].append(attrs.get(name))
    table = pa.table(
        {
            **{k: pa.array(v, pa.string()) for k, v in columns.items() if k not in _TYPED},
            "OBS_VALUE": pa.array(columns["OBS_VALUE"], pa.float64()),
            "SOURCE_ROW": pa.array(columns["SOURCE_ROW"], pa.int64()),
            "DECIMALS": pa.array(columns["DECIMALS"], pa.int8()),
        }
    )
    for name, value in series_attributes.items():
        table = table.append_column(name, pa.array([value] * table.num_rows))
    return conform(table)


_TYPED = {"OBS_VALUE", "SOURCE_ROW", "DECIMALS"}


def store_fingerprint() -> tuple[dict[str, int], str]:
    """Row counts and a hash of every row of the store's tables, in id order."""
    counts: dict[str, int] = {}
    digest = hashlib.sha256()
    with connection.cursor() as cursor:
        for model in apps.get_app_config("store").get_models():
            table = model._meta.db_table
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            rows = cursor.fetchall()
            counts[table] = len(rows)
            for row in rows:
                digest.update(repr(row).encode())
    return counts, digest.hexdigest()


@pytest.fixture
def make_frame() -> Callable[..., pa.Table]:
    return build_frame


@pytest.fixture
def fingerprint() -> Callable[[], tuple[dict[str, int], str]]:
    return store_fingerprint
