"""The regional quality dashboard and the country scorecards: figures as `scorecards()` counts
them, written in each language, and shown only to the people whose countries they are."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from mirror_data import BEYOND, load_mirrors
from region_people import client_for

from primi.findings.models import Finding
from primi.quality.runs import run_level4
from primi.quality.scorecards import scorecards

YEARS = [2021, 2022, 2023, 2024]
# "x of y (z %)" as each language writes it (babel's percent, no-break spaces).
WRITTEN = {
    "es": lambda p, w, s: f"{p} de {w} ({s}\xa0%)",
    "en": lambda p, w, s: f"{p} of {w} ({s}%)",
    "fr": lambda p, w, s: f"{p} sur {w} ({s}\xa0%)",
}


def _text(response) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


def _written(share, lang: str) -> str:
    value = f"{100 * share.value:.1f}"
    if lang != "en":
        value = value.replace(".", ",")
    return WRITTEN[lang](share.part, share.whole, value)


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_dashboard_shows_the_scores_of_each_country_in_the_language(scored, lang):
    response = client_for(scored.steward).get(f"/{lang}/quality/", {"year": "2024"})
    assert response.status_code == 200
    text, body = _text(response), response.content.decode()
    cards = {c.country: c for c in scorecards(["GTM", "HND", "MEX", "SLV"], YEARS)}
    assert cards["HND"].latest.agreement.part == 11  # the injected gap of November 2024
    for code in ("GTM", "HND", "MEX", "SLV"):
        latest = cards[code].latest
        row = re.search(
            rf'<tr>\s*<th scope="row"><a href="[^"]*/quality/{code}/.*?</tr>', body, re.S
        )
        row = row.group(0)
        assert _written(latest.agreement, lang) in html.unescape(row)
        assert f">{cards[code].open_findings}</a>" in row
    assert _written(cards["GTM"].latest.completeness, lang) in text
    assert _written(cards["GTM"].latest.consistency, lang) in text
    assert "?state=open&amp;country=HND" in response.content.decode()
    assert response.context["run"].id == cards["GTM"].run.pk
    assert 'id="trend-GTM"' in response.content.decode()  # one trend chart per country


def test_dashboard_words_are_translated(scored):
    words = {
        "es": ("Completitud", "Puntualidad", "Hallazgos abiertos de nivel 4"),
        "en": ("Completeness", "Timeliness", "Open findings of level 4"),
        "fr": ("Complétude", "Ponctualité", "Constats ouverts de niveau 4"),
    }
    client = client_for(scored.steward)
    for lang, expected in words.items():
        text = _text(client.get(f"/{lang}/quality/", {"year": "2024"}))
        for word in expected:
            assert word in text, (lang, word)


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_scorecard_shows_every_year_the_findings_and_the_report(scored, lang):
    response = client_for(scored.steward).get(f"/{lang}/quality/GTM/", {"year": "2024"})
    assert response.status_code == 200
    body = response.content.decode()
    text = _text(response)
    (card,) = scorecards(["GTM"], YEARS)
    by_year = {s.year: s for s in card.years}
    assert _written(by_year[2023].agreement, lang) in text  # 10 of 12
    assert by_year[2023].agreement.part == 10
    assert _written(by_year[2024].agreement, lang) in text
    assert by_year[2023].completeness.part == 11  # December 2022 never came
    assert _written(by_year[2023].completeness, lang) in text
    assert _written(by_year[2024].timeliness, lang) in text  # 0 of 12: every month came late
    finding = Finding.objects.get(state="open", countries__country="GTM")
    assert f"/{lang}/findings/{finding.pk}/" in body
    assert finding.title in text
    assert f"/{lang}/quality/GTM/report.pdf?year=2024" in body
    assert 'id="trend-GTM"' in body
    assert "México" in text or "Mexico" in text or "Mexique" in text  # the partner


def test_who_sees_what(scored):
    stranger = Client()
    anonymous = stranger.get("/es/quality/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert stranger.get("/es/quality/GTM/report.pdf").status_code == 302

    focal = client_for(scored.focal)  # Guatemala's migration institute
    assert focal.get("/en/quality/GTM/").status_code == 200
    assert focal.get("/en/quality/HND/").status_code == 404
    own = focal.get("/en/quality/", {"year": "2024"})
    assert [s.country for s in own.context["scores"]] == ["GTM"]

    hnd = client_for(scored.hnd_coordinator)
    assert hnd.get("/en/quality/HND/").status_code == 200
    assert hnd.get("/en/quality/GTM/").status_code == 404
    assert [s.country for s in hnd.get("/en/quality/").context["scores"]] == ["HND"]

    steward = client_for(scored.steward)
    shown = [s.country for s in steward.get("/en/quality/").context["scores"]]
    assert set(shown) == {"GTM", "HND", "MEX", "SLV"}  # countries with obligations or figures
    for code in ("GTM", "HND", "MEX", "SLV", "CRI"):
        assert steward.get(f"/en/quality/{code}/").status_code == 200
    assert steward.get("/en/quality/XYZ/").status_code == 404  # not a country

    nobody = get_user_model().objects.create_user("nobody", password="a long passphrase 42")
    assert client_for(nobody).get("/en/quality/").status_code == 404


@pytest.mark.parametrize(
    ("lang", "year", "message"),
    [
        ("en", "1999", "Choose a year from 2000 to"),
        ("es", "dos mil", "Escriba un año como 2024."),
        ("fr", "3000", "Choisissez une année de 2000 à"),
    ],
)
def test_a_bad_year_is_told_clearly(scored, lang, year, message):
    client = client_for(scored.steward)
    for url in (f"/{lang}/quality/", f"/{lang}/quality/GTM/", f"/{lang}/quality/GTM/report.pdf"):
        response = client.get(url, {"year": year})
        assert response.status_code == 400, url
        assert message in _text(response), url
        assert response["Content-Type"].startswith("text/html")


def test_the_default_year_is_the_last_whole_year(scored):
    response = client_for(scored.steward).get("/en/quality/")
    last = dt.datetime.now(dt.UTC).year - 1
    assert response.context["year"] == last
    assert [r.year for r in response.context["scores"][0].years] == list(range(last - 3, last + 1))


def test_cards_are_counted_once_and_again_after_a_change(people, tmp_path, monkeypatch):
    from primi.quality import scorecard_cache

    counted = []
    real = scorecard_cache.scorecards

    def counting(countries, years, today=None):
        counted.append(list(countries))
        return real(countries, years, today)

    monkeypatch.setattr(scorecard_cache, "scorecards", counting)
    load_mirrors(tmp_path, BEYOND)
    client = client_for(people.steward)
    before = client.get("/en/quality/", {"year": "2024"})
    assert counted == [["GTM", "HND", "MEX", "SLV"]]
    assert all(s.latest.cells[3].text == "–" for s in before.context["scores"])  # no run yet
    client.get("/en/quality/HND/", {"year": "2024"})
    client.get("/en/quality/HND/report.pdf", {"year": "2024"})
    assert len(counted) == 1  # the scorecard and the report reuse the dashboard's cards
    run_level4()  # a full run: agreement can now be measured
    after = client.get("/en/quality/", {"year": "2024"})
    assert len(counted) == 2
    hnd = next(s for s in after.context["scores"] if s.country == "HND")
    assert hnd.latest.cells[3].text == "11 of 12 (91.7%)"
    assert hnd.open_findings == 1
