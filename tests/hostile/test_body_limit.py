"""A body declared larger than any upload is refused from its Content-Length, before a byte is
read (so before the CSRF check and the multipart parser would spool it to disk), in the
sender's language: a page on the site, JSON on the API, text on SDMX."""

from __future__ import annotations

import pytest
from django.test import Client
from region_people import client_for

from primi.workflow.models import Upload

pytestmark = pytest.mark.django_db

HUGE = str(10 * 1024**3)  # 10 GB declared; the body itself is a few bytes and never read


@pytest.mark.parametrize(
    ("lang", "title", "said"),
    [
        (
            "es",
            "El archivo es demasiado grande",
            "tiene 10,0 GB; se aceptan archivos de hasta 200,0 MB",
        ),
        ("en", "The file is too large", "is 10.0 GB; files of at most 200.0 MB are accepted"),
    ],
)
def test_the_sending_form_refuses_a_huge_body_in_the_page_language(people, lang, title, said):
    answer = client_for(people.focal).post(
        f"/{lang}/submissions/new/", {"x": "y"}, CONTENT_LENGTH=HUGE
    )
    text = answer.content.decode()
    assert answer.status_code == 413
    assert title in text and said in text
    assert f'lang="{lang}"' in text
    assert not Upload.objects.exists()


def test_the_api_refuses_a_huge_body_as_json():
    answer = Client().post(
        "/api/submissions", {"x": "y"}, CONTENT_LENGTH=HUGE, HTTP_ACCEPT_LANGUAGE="es"
    )
    assert answer.status_code == 413
    body = answer.json()
    assert body["detail"] == body["es"] and "10,0 GB" in body["es"] and "10.0 GB" in body["en"]


def test_sdmx_paths_get_text_and_small_bodies_pass(settings):
    answer = Client().post("/rest/data/DF_FLOWS", "x", content_type="text/plain",
                           CONTENT_LENGTH=HUGE)  # fmt: skip
    assert answer.status_code == 413 and answer["Content-Type"].startswith("text/plain")
    assert b"files of at most" in answer.content
    assert Client().post("/rest/data/DF_FLOWS", "x", content_type="text/plain").status_code != 413
