"""The release calendar, its Atom feed and the home page's "what changed since"."""

import datetime as dt
import xml.etree.ElementTree as ET

import pyarrow as pa
import pytest
from django.test import Client
from django.utils import timezone

from primi.portal.views import VISITS_COOKIE
from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _frame(ref_area: str, values: list[float], first_year: int = 2020) -> pa.Table:
    n = len(values)
    return conform(
        pa.table(
            {
                "FREQ": ["A"] * n,
                "REF_AREA": [ref_area] * n,
                "INDICATOR": ["ENTRY"] * n,
                "COUNTERPART_AREA": ["_T"] * n,
                "SEX": ["_T"] * n,
                "AGE": ["_T"] * n,
                "POP_GROUP": ["_T"] * n,
                "TIME_PERIOD": [str(first_year + i) for i in range(n)],
                "OBS_VALUE": values,
                "SOURCE_ROW": list(range(1, n + 1)),
            }
        )
    )


def _load(ref_area: str, values: list[float], *, at: dt.datetime | None, name: str) -> None:
    load_frame(_frame(ref_area, values), provider=f"{ref_area}_IGM", dataflow="DF_FLOWS",
               file_name=name, publish=at is not None, published_at=at)  # fmt: skip


@pytest.fixture
def history() -> dict[str, dt.datetime]:
    """GTM published twice (the second revises two values, adds one), HND scheduled, MEX draft."""
    first = dt.datetime(2026, 3, 5, 12, tzinfo=dt.UTC)
    second = dt.datetime(2026, 4, 20, 9, 30, tzinfo=dt.UTC)
    later = timezone.now() + dt.timedelta(days=3)
    _load("GTM", [10, 20, 30], at=first, name="gtm-1.csv")
    _load("GTM", [11, 21, 30, 40], at=second, name="gtm-2.csv")
    _load("HND", [5, 6], at=later, name="hnd.csv")
    _load("MEX", [7], at=None, name="mex.csv")
    return {"first": first, "second": second, "later": later}


def test_calendar_lists_published_and_announced_releases_never_drafts(
    client: Client, history: dict[str, dt.datetime]
) -> None:
    es = client.get("/es/releases/").content.decode().split("<main")[1]
    announced, published = es.split('id="past-title"')
    listed = "".join(part.split("</li>")[0] for part in es.split('<li class="release"')[1:])
    assert "Guatemala" in listed and "Honduras" in listed and "México" not in listed
    announced = announced.split('id="upcoming-title"')[1]
    assert "Honduras" in announced and "Guatemala" not in announced
    assert "2 valores" not in announced, "an announced release shows no figure"
    assert "abril de 2026" in published.lower() and "marzo de 2026" in published.lower()
    assert "20 abr 2026, 9:30 UTC" in published
    en = client.get("/en/releases/").content.decode()
    assert "Apr 20, 2026, 9:30\u202fAM UTC" in en and "4 values" in en  # CLDR: narrow space


def test_calendar_filters_and_refuses_unknown_codes(
    client: Client, history: dict[str, dt.datetime]
) -> None:
    only_hnd = client.get("/en/releases/?country=HND").content.decode()
    assert "Honduras" in only_hnd and 'href="/en/countries/GTM/"' not in only_hnd
    bad = client.get("/es/releases/?dataflow=DF_NOPE")
    assert bad.status_code == 400 and "No existe el flujo de datos DF_NOPE" in bad.content.decode()


def test_feed_is_atom_with_published_releases_only(
    client: Client, history: dict[str, dt.datetime]
) -> None:
    response = client.get("/en/releases/feed.atom")
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 2
    titles = [e.find(f"{ATOM}title").text for e in entries]
    assert all("Guatemala" in t for t in titles)
    assert entries[0].find(f"{ATOM}published").text.startswith("2026-04-20T09:30:00")
    assert "4 values published" in entries[0].find(f"{ATOM}summary").text
    links = {e.find(f"{ATOM}link").get("href") for e in entries}
    assert all("/en/releases/#release-" in link for link in links)


def test_changes_since_a_date_count_new_and_revised_values(
    client: Client, history: dict[str, dt.datetime]
) -> None:
    en = client.get("/en/?since=2026-04-01").content.decode()
    changes = en.split('id="changes-title"')[1]
    assert "Since Apr 1, 2026:" in changes
    # 2020 and 2021 revised, 2022 sent again with the same value, 2023 new
    assert "New values: 1 · revised: 2 · sent again unchanged: 1" in changes
    assert "gtm-1" not in changes and "Honduras" not in changes
    es = client.get("/es/?since=2026-01-01").content.decode()
    assert "Valores nuevos: 3 · revisados: 0 · reenviados sin cambios: 0" in es
    assert "Valores nuevos: 1 · revisados: 2 · reenviados sin cambios: 1" in es


def test_changes_since_the_previous_visit(client: Client, history) -> None:
    first = client.get("/en/")
    assert "Since your last visit" not in first.content.decode()
    cookie = first.cookies[VISITS_COOKIE]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"
    again = client.get("/en/").content.decode()
    assert "Since your last visit" not in again, "a reload is the same visit"
    last_visit = dt.datetime(2026, 4, 1, tzinfo=dt.UTC)
    client.cookies[VISITS_COOKIE] = f"|{last_visit.isoformat()}"
    back = client.get("/en/").content.decode()
    assert "Since your last visit" in back and "New values: 1 · revised: 2" in back
    client.cookies[VISITS_COOKIE] = "garbage|x"
    assert client.get("/en/").status_code == 200


def test_a_bad_date_is_explained(client: Client) -> None:
    response = client.get("/es/?since=2026-13-45")
    assert response.status_code == 400
    assert "no es una fecha" in response.content.decode()


def test_regional_figures_sum_the_latest_year_and_say_how_many_report(
    client: Client, history: dict[str, dt.datetime]
) -> None:
    en = client.get("/en/").content.decode()
    figures = en.split('id="regional-title"')[1].split("</section>")[0]
    # Latest year with data: 2023, GTM alone (40); HND is under embargo, MEX a draft.
    assert ">40<" in figures and "International entries</a>, 2023" in figures
    assert "Sum of the 1 of" in figures
