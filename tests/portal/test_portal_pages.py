"""The site's shell: pages in the reader's language, the language switch, the synthetic banner."""

import re
from unittest import mock

import pytest
from django.test import Client

from primi.demo import DEMO_PROVIDER
from primi.store.models import Submission
from primi.store.publication import publish_submission

DEMO_FILE = "demo/DF_FLOWS.GTM_IGM.20240115.synthetic"
BANNER_ES = "Datos sintéticos de demostración"
BANNER_EN = "Synthetic demonstration data"

pytestmark = pytest.mark.django_db


def _submission(provider: str, published: bool, file_name: str = "demo.csv") -> Submission:
    submission = Submission.objects.create(
        provider=provider, dataflow="DF_MIGRATION", file_name=file_name
    )
    if published:
        publish_submission(submission)
    return submission


def test_spanish_home(client: Client) -> None:
    response = client.get("/es/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es">' in html
    assert "Estadísticas migratorias oficiales de México, Centroamérica y el Caribe" in html
    assert "Saltar al contenido principal" in html


def test_english_home(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Official migration statistics of Mexico, Central America and the Caribbean" in html
    assert "Estadísticas" not in html


def test_french_home(client: Client) -> None:
    html = client.get("/fr/").content.decode()
    assert '<html lang="fr">' in html
    assert "Statistiques migratoires officielles" in html


@pytest.mark.parametrize("language", ["es", "en", "fr"])
def test_language_switch_links_every_language(client: Client, language: str) -> None:
    html = client.get(f"/{language}/").content.decode()
    for code in ("es", "en", "fr"):
        assert f'href="/{code}/" hreflang="{code}" lang="{code}"' in html
    assert 'aria-current="true"' in html
    assert 'class="skip-link" href="#main"' in html
    assert 'id="main"' in html


def test_root_redirects_to_browser_language(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response.status_code == 302
    assert response.headers["Location"] == "/en/"


def test_root_defaults_to_spanish(client: Client) -> None:
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="de")
    assert response.headers["Location"] == "/es/"


def test_unknown_page_switch_falls_back_to_language_home(client: Client) -> None:
    from django.template.loader import render_to_string
    from django.test import RequestFactory
    from django.utils import translation

    request = RequestFactory().get("/en/no-such-page/")
    with translation.override("en"):
        html = render_to_string("portal/home.html", request=request)
    assert 'href="/es/" hreflang="es"' in html


def test_footer_licence_and_sources(client: Client) -> None:
    html = client.get("/en/").content.decode()
    assert "Apache License 2.0" in html
    assert 'href="/en/methodology/">Methodology and sources</a>' in html
    assert 'href="/en/releases/feed.atom"' in html


def test_no_banner_without_demo_data(client: Client) -> None:
    _submission("GTM_IGM", published=True)
    _submission(DEMO_PROVIDER, published=True)  # not named as a demo file: not the demo's
    _submission("GTM_IGM", published=False, file_name=DEMO_FILE)
    assert BANNER_ES not in client.get("/es/").content.decode()
    assert BANNER_EN not in client.get("/en/").content.decode()


def test_banner_with_published_demo_data(client: Client) -> None:
    _submission("GTM_IGM", published=True, file_name=DEMO_FILE)  # a demo institution's
    es = client.get("/es/").content.decode()
    en = client.get("/en/").content.decode()
    assert "estas cifras son inventadas y no son estadísticas oficiales" in es
    assert "these figures are made up and are not official statistics" in en
    assert 'id="synthetic-banner"' in en


def test_banner_follows_demo_data_present(client: Client) -> None:
    with mock.patch("primi.portal.context_processors.demo_data_present", return_value=True):
        assert BANNER_EN in client.get("/en/").content.decode()
    with mock.patch("primi.portal.context_processors.demo_data_present", return_value=False):
        assert BANNER_EN not in client.get("/en/").content.decode()


def test_pages_load_nothing_from_other_hosts(client: Client) -> None:
    html = client.get("/es/").content.decode()
    loads = re.findall(
        r"<(?:script|link|img|iframe|source)\b[^>]*\b(?:src|href)=\"([^\"]+)\"", html
    )
    assert loads, "the page loads its stylesheet"
    assert [url for url in loads if not url.startswith("/")] == []


def test_unknown_address_gets_the_sites_404_in_the_readers_language(client: Client) -> None:
    es = client.get("/es/no-such-page/")
    assert es.status_code == 404
    text = es.content.decode()
    assert "Página no encontrada" in text and 'class="site-header"' in text
    en = client.get("/en/no-such-page/").content.decode()
    assert "Page not found" in en and 'href="/en/search/"' in en
