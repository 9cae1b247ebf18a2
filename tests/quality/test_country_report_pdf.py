"""The country report in PDF: a real PDF whose text holds the country, its measures written in
the reader's language, the trend and the open level-4 findings; only for the country's people."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from region_people import client_for

from primi.findings.models import Finding
from primi.quality.report_pdf import latin1, write_report
from primi.quality.scorecards import scorecards

YEARS = [2021, 2022, 2023, 2024]
NAMES = {"es": "Guatemala", "en": "Guatemala", "fr": "Guatemala"}
WORDS = {
    "es": ("Completitud", "Cómo se calcula cada medida", "Hallazgos abiertos de nivel 4"),
    "en": ("Completeness", "How each measure is computed", "Open findings of level 4"),
    "fr": ("Complétude", "Comment chaque mesure est calculée", "Constats ouverts de niveau 4"),
}


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() for page in reader.pages)


def _flat(text: str) -> str:
    """Text with its line breaks and no-break spaces as plain spaces: a table cell may wrap."""
    return " ".join(text.replace("\xa0", " ").split())


@pytest.mark.parametrize(
    ("lang", "agreement", "completeness"),
    [
        ("es", "10 de 12 (83,3 %)", "11 de 12 (91,7 %)"),
        ("en", "10 of 12 (83.3%)", "11 of 12 (91.7%)"),
        ("fr", "10 sur 12 (83,3 %)", "11 sur 12 (91,7 %)"),
    ],
)
def test_the_report_holds_the_scores_in_the_language(scored, lang, agreement, completeness):
    (card,) = scorecards(["GTM"], YEARS)
    by_year = {s.year: s for s in card.years}
    assert (by_year[2023].agreement.part, by_year[2023].completeness.part) == (10, 11)
    response = client_for(scored.steward).get(f"/{lang}/quality/GTM/report.pdf", {"year": "2024"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'inline; filename="primi-quality-GTM-2024-{lang}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    text = _flat(_text(response.content))
    assert NAMES[lang] in text
    assert agreement in text and completeness in text
    for word in WORDS[lang]:
        assert word in text, word
    finding = Finding.objects.get(state="open", countries__country="GTM")
    assert finding.title in text
    assert str(card.run.pk) in text
    for year in YEARS:
        assert str(year) in text


def test_the_findings_show_both_values_and_the_difference(scored):
    text = _flat(_text(write_report("GTM", YEARS, "es")))
    finding = Finding.objects.get(state="open", countries__country="GTM")
    gap = finding.discrepancies.order_by("period_a").first()
    assert "diferencia relativa" in text
    assert f"{gap.period_a}" in text
    assert f"{gap.relative_difference * 100:.1f}".replace(".", ",") + " %" in text
    assert "México" in text  # the partner country, accents kept


def test_the_report_says_when_there_is_no_run_and_nothing_to_measure(people):
    text = _flat(_text(write_report("CRI", [2023, 2024], "fr")))
    assert "Costa Rica" in text
    assert "Aucune exécution complète de niveau 4" in text
    assert "Aucun constat de niveau 4" in text


def test_only_the_country_s_people_get_its_report(scored):
    focal = client_for(scored.focal)
    assert focal.get("/es/quality/GTM/report.pdf").status_code == 200
    assert focal.get("/es/quality/HND/report.pdf").status_code == 404
    assert client_for(scored.hnd_coordinator).get("/en/quality/GTM/report.pdf").status_code == 404
    assert client_for(scored.hnd_coordinator).get("/en/quality/HND/report.pdf").status_code == 200


def test_characters_outside_latin1_are_replaced_not_lost():
    assert latin1("1\u202f234 – «ñ» “x” …") == '1\xa0234 - «ñ» "x" ...'
    assert latin1("中") == "?"
