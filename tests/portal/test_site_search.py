"""The search box: indicators, countries, glossary terms and published series, accents aside."""

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db


def _load(ref_area: str, sex: str, *, publish: bool) -> None:
    table = conform(
        pa.table(
            {
                "FREQ": ["A"],
                "REF_AREA": [ref_area],
                "INDICATOR": ["RET_NAT"],
                "COUNTERPART_AREA": ["USA"],
                "SEX": [sex],
                "AGE": ["_T"],
                "POP_GROUP": ["_T"],
                "TIME_PERIOD": ["2024"],
                "OBS_VALUE": [12.0],
                "SOURCE_ROW": [1],
            }
        )  # fmt: skip
    )
    load_frame(table, provider=f"{ref_area}_X", dataflow="DF_RETURNS", file_name="r.csv",
               publish=publish)  # fmt: skip


def _main(client: Client, url: str) -> str:
    return client.get(url).content.decode().split("<main")[1]


def test_words_without_accents_find_names_with_them(client: Client) -> None:
    page = _main(client, "/es/search/?q=Mexico")
    assert 'href="/es/countries/MEX/">México</a>' in page
    glossary = _main(client, "/es/search/?q=migracion")
    assert 'href="/es/glossary/#' in glossary


def test_either_language_from_either_page(client: Client) -> None:
    en = _main(client, "/en/search/?q=retornadas")  # Spanish word on the English page
    assert 'href="/en/indicators/RET_NAT/">Nationals returned</a>' in en
    es = _main(client, "/es/search/?q=nationals+returned")
    assert 'href="/es/indicators/RET_NAT/">Personas nacionales retornadas</a>' in es


def test_series_are_found_once_published_only(client: Client) -> None:
    _load("GTM", "F", publish=True)
    _load("HND", "F", publish=False)
    page = _main(client, "/es/search/?q=mujeres+retornadas")
    assert 'href="/es/series/A.GTM.RET_NAT.USA.F._T._T/"' in page
    assert "HND" not in page
    assert "Personas nacionales retornadas · Guatemala · Estados Unidos · Mujeres" in page


def test_every_word_must_match(client: Client) -> None:
    page = _main(client, "/en/search/?q=guatemala+zzzz")
    assert "0 results" in page and "Nothing found" in page


def test_empty_and_overlong_queries_get_a_message(client: Client) -> None:
    assert "Escriba palabras" in _main(client, "/es/search/?q=")
    response = client.get("/en/search/", {"q": "x" * 201})
    assert response.status_code == 400 and "at most 200 characters" in response.content.decode()
