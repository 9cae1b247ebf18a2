"""The home page's key figures count only what is published, written the reader's way."""

import datetime as dt

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db


def _frame(n: int, ref_area: str) -> pa.Table:
    months = [f"{2015 + i // 12}-{i % 12 + 1:02d}" for i in range(n)]
    return conform(
        pa.table(
            {
                "FREQ": ["M"] * n,
                "REF_AREA": [ref_area] * n,
                "INDICATOR": ["ENTRY"] * n,
                "COUNTERPART_AREA": ["MEX"] * n,
                "SEX": ["_T"] * n,
                "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n,
                "TIME_PERIOD": months,
                "OBS_VALUE": [1.0] * n,
                "SOURCE_ROW": list(range(1, n + 1)),
            }
        )  # fmt: skip
    )


def test_no_figures_without_published_data(client: Client) -> None:
    load_frame(_frame(5, "GTM"), provider="GTM_IGM", dataflow="DF_FLOWS", file_name="d.csv")
    page = client.get("/es/").content.decode()
    assert "Las cifras clave aparecerán aquí" in page


def test_figures_count_published_only_and_format_per_language(client: Client) -> None:
    at = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
    load_frame(_frame(1234, "GTM"), provider="GTM_IGM", dataflow="DF_FLOWS", file_name="a.csv",
               publish=True, published_at=at)  # fmt: skip
    load_frame(_frame(40, "HND"), provider="HND_INM", dataflow="DF_FLOWS", file_name="b.csv")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=9)
    load_frame(_frame(7, "MEX"), provider="MEX_UPM", dataflow="DF_FLOWS", file_name="c.csv",
               publish=True, published_at=later)  # fmt: skip
    es = client.get("/es/").content.decode()
    assert "1.234" in es and "valores publicados, revisiones incluidas" in es
    assert "5 mar 2026" in es
    compact = "".join(es.split())
    assert 'figure-value">1</span><spanclass="figure-label">países' in compact  # GTM alone
    en = client.get("/en/").content.decode()
    assert "1,234" in en and "Mar 5, 2026" in en and "reporting countries" in en
    assert "1,281" not in en and "1,241" not in en  # neither the draft nor the embargo
