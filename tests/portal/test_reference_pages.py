"""Glossary and methodology: every indicator, concept and rule of the standard, in ES and EN."""

import html
import re

import pytest
from django.test import Client

from primi.checks.rules import rules
from primi.standard.catalogue import load_standard
from primi.standard.population import WPP_REVISION

pytestmark = pytest.mark.django_db


def _page(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _terms(page: str) -> list[tuple[str, str]]:
    """(anchor, name) of each glossary entry, in page order."""
    return re.findall(r'<dt id="([A-Z0-9_]+)">(.*?) <span class="term-id">', page)


@pytest.mark.parametrize("lang", ["es", "en"])
def test_glossary_lists_every_indicator_and_concept(client: Client, lang: str) -> None:
    page = _page(client, f"/{lang}/glossary/")
    std = load_standard()
    terms = dict(_terms(page))
    for indicator in std.indicators:
        assert terms.get(indicator.id) == indicator.names[lang], indicator.id
        assert indicator.glossary[lang] in page, indicator.id
    for concept in std.concepts:
        assert terms.get(concept.id) == concept.names[lang], concept.id
    assert len(terms) == len(std.indicators) + len(std.concepts)


def test_glossary_order_ignores_accents_in_spanish(client: Client) -> None:
    names = [name for _, name in _terms(_page(client, "/es/glossary/"))]
    # Unaccented "Transito" sorts before "Unidad"; by code point "Tránsito" would come after.
    assert names.index("Tasa de empleo") < names.index("Tránsito irregular")
    assert names.index("Tránsito irregular") < names.index("Unidad de medida")
    assert names.index("Edad") < names.index("Entradas internacionales")
    assert names[0] < names[-1]


def test_glossary_in_english_is_alphabetical(client: Client) -> None:
    names = [name for _, name in _terms(_page(client, "/en/glossary/"))]
    assert names == sorted(names, key=str.casefold)
    assert 'href="#letter-A"' in _page(client, "/en/glossary/")


@pytest.mark.parametrize(
    ("lang", "heading", "disclosure"),
    [
        ("es", "Niveles de validación", "Control de divulgación"),
        ("en", "Validation levels", "Disclosure control"),
    ],
)
def test_methodology_lists_rules_structure_and_sources(
    client: Client, lang: str, heading: str, disclosure: str
) -> None:
    page = _page(client, f"/{lang}/methodology/")
    assert heading in page and disclosure in page
    for rule in rules().values():
        assert f'<tr id="rule-{rule.id}">' in page
        assert rule.definition[lang] in page, rule.id
    std = load_standard()
    for reference in std.sources.values():
        assert reference in page
    for flow in std.dataflows:
        assert f'href="/rest/dataflow/PRIMI/{flow.id}/latest"' in page
    assert 'href="/rest/codelist/PRIMI/CL_AREA/latest"' in page
    assert 'href="/rest/datastructure/PRIMI/DSD_MIGR/latest"' in page
    assert WPP_REVISION in page


def test_methodology_text_is_in_the_page_language(client: Client) -> None:
    assert "Nada se sobrescribe." in _page(client, "/es/methodology/")
    en = _page(client, "/en/methodology/")
    assert "Nothing is overwritten." in en and "Nada se sobrescribe" not in en


def test_spanish_order_puts_enie_after_n_and_ignores_accents_and_case() -> None:
    from primi.portal.alphabetical import initial, sort_key

    words = ["ñandú", "Oaxaca", "Nuevo León", "Ángel", "árbol", "Haití", "Honduras", "Guyana"]
    assert sorted(words, key=lambda w: sort_key(w, "es")) == [
        "Ángel", "árbol", "Guyana", "Haití", "Honduras", "Nuevo León", "ñandú", "Oaxaca",
    ]  # fmt: skip
    assert sorted(["ñu", "nz"], key=lambda w: sort_key(w, "en")) == ["ñu", "nz"]
    assert initial("Ñandú", "es") == "Ñ" and initial("Ángel", "es") == "A"
