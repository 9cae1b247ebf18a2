"""The series page publishes settled findings with their resolution, never open ones or threads."""

import datetime as dt
import html

import pyarrow as pa
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from primi.findings.keys import SeriesRange
from primi.findings.models import Finding
from primi.findings.threads import open_or_update, post, settle
from primi.portal.formatting import date
from primi.standard.frame import conform
from primi.store.loading import load_frame
from primi.workflow.models import Role

pytestmark = pytest.mark.django_db

KEY = "M.GTM.ENTRY.MEX._T._T._T"
OTHER = "M.MEX.EXIT.GTM._T._T._T"


def _publish(key: str) -> int:
    freq, ref, indicator, counterpart, sex, age, group = key.split(".")
    rows = [
        {"FREQ": freq, "REF_AREA": ref, "INDICATOR": indicator, "COUNTERPART_AREA": counterpart,
         "SEX": sex, "AGE": age, "POP_GROUP": group, "TIME_PERIOD": period, "OBS_VALUE": value,
         "UNIT_MEASURE": "EV", "COUNTING_BASIS": "EVENTS", "SOURCE_INST": f"{ref}_IGM",
         "SOURCE_ROW": n}
        for n, (period, value) in enumerate([("2024-01", 100.0), ("2024-02", 120.0)], start=1)
    ]  # fmt: skip
    table = conform(pa.table({name: [r[name] for r in rows] for name in rows[0]}))
    notes = {"explanations": {"L3_OUTLIER": "A new border post opened."}}
    published = dt.datetime(2026, 1, 5, tzinfo=dt.UTC)
    result = load_frame(table, provider=f"{ref}_IGM", dataflow="DF_FLOWS", file_name="f.csv",
                        publish=True, published_at=published, notes=notes)  # fmt: skip
    return result.submission.pk


def _section(client: Client, lang: str, key: str = KEY) -> str:
    response = client.get(f"/{lang}/series/{key}/")
    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    return page[page.index('id="findings-title"') : page.index('id="history-title"')]


def test_settled_findings_are_public_open_ones_and_threads_never(client: Client) -> None:
    _publish(KEY)
    _publish(OTHER)
    steward = get_user_model().objects.create_user("steward")
    Role.objects.create(user=steward, kind=Role.Kind.STEWARD)
    settled = open_or_update(
        [SeriesRange(KEY, "2024-01", "2024-02"), OTHER], "L3_OUTLIER", "Secret thread opening."
    )
    post(settled, steward, "Internal: ask the GTM focal point by phone.")
    resolution = "Mexico counts exits by date of departure, Guatemala entries by date of record."
    settle(settled, steward, Finding.State.EXPLAINED, resolution)
    still_open = open_or_update([KEY], "L3_REVISION", "Open question on January.")
    text = _section(client, "en")
    assert "Discrepancies settled between countries" in text
    assert resolution in text
    assert settled.title in text
    assert "explained" in text and "2024-01 – 2024-02" in text
    settled.refresh_from_db()
    assert date(settled.resolved_at, "en") in text
    assert "Secret thread opening." not in text
    assert "Internal: ask the GTM focal point" not in text
    assert still_open.title not in text and "Open question" not in text
    # Check results shown before keep working beside them.
    assert "A new border post opened." in text
    # The other series of the finding shows it for its own (unlimited) periods.
    other = _section(client, "en", OTHER)
    assert resolution in other and "every period" in other
    # Reopened: gone from the public page.
    settle(settled, steward, Finding.State.OPEN, "New data from Mexico.")
    assert resolution not in _section(client, "en")


def test_no_settled_finding_says_so_in_spanish(client: Client) -> None:
    _publish(KEY)
    open_or_update([KEY], "L3_REVISION", "Open.")
    text = _section(client, "es")
    assert "Open." not in text
    assert "Discrepancias resueltas entre países" in text
