"""The upload page's findings name the sheet of a workbook with several sheets, in ES, EN and FR;
a text file's findings have no sheet column."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from ingest.test_xlsx_tables import sheet_per_year
from region_people import MIGRATION_FLOWS

from primi.workflow.models import Institution, Membership, Upload

pytestmark = pytest.mark.django_db

SHEET = {"es": "Hoja", "en": "Sheet", "fr": "Feuille"}
ROW = {"es": "Fila", "en": "Row", "fr": "Ligne"}
RULE = {"es": "Regla", "en": "Rule", "fr": "Règle"}


@pytest.fixture
def focal(settings, tmp_path) -> Client:
    """A focal point of Mexico's migration policy unit, signed in."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    user = get_user_model().objects.create_user("upm", password="a long passphrase 42")
    Membership.objects.create(
        user=user,
        institution=Institution.objects.create(
            code="MEX_UPM", name="UPM", country="MEX", dataflows=MIGRATION_FLOWS
        ),
    )
    client = Client()
    client.force_login(user)
    return client


def two_sheet_bulletin(path: Path, real_data: Path) -> Path:
    """Mexico's bulletin, one sheet per year, with a country no code list knows on 2020's row 7."""
    sheet_per_year(path, real_data)
    book = openpyxl.load_workbook(path)
    book["2020"]["A7"] = "Atlantis"
    book.save(path)
    return path


def send(client: Client, path: Path) -> Upload:
    institution = Institution.objects.get(code="MEX_UPM")
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    client.post("/es/submissions/new/", {"institution": institution.pk, "file": upload})
    return Upload.objects.get()


def findings_table(client: Client, upload: Upload, lang: str) -> list[dict[str, str]]:
    """The rows of the page's findings table, each as {heading: cell text}."""
    page = lxml.html.fromstring(client.get(f"/{lang}/submissions/{upload.pk}/").content)
    [table] = page.xpath("//table[contains(@class, 'findings')]")
    headings = [th.text_content().strip() for th in table.xpath("thead/tr/th")]
    return [
        dict(zip(headings, (td.text_content().strip() for td in tr.xpath("td")), strict=True))
        for tr in table.xpath("tbody/tr")
    ]


@pytest.mark.parametrize("lang", ["es", "en", "fr"])
def test_a_workbooks_findings_show_their_sheet_and_row(focal, tmp_path, real_data, lang):
    upload = send(focal, two_sheet_bulletin(tmp_path / "boletin.xlsx", real_data))
    rows = findings_table(focal, upload, lang)
    [code] = [r for r in rows if r[RULE[lang]] == "L1_CODE"]
    assert (code[SHEET[lang]], code[ROW[lang]]) == ("2020", "7")
    [chart] = [r for r in rows if r[RULE[lang]] == "W_SHEET_NOT_READ"]
    assert (chart[SHEET[lang]], chart[ROW[lang]]) == ("Gráfico", "2")
    shown = {(r[SHEET[lang]], r[ROW[lang]]) for r in rows if r[ROW[lang]]}
    stored = {(f["sheet"], str(f["row"])) for f in upload.report["findings"] if f["row"]}
    assert shown == stored and all(int(row) < 1_048_576 for _, row in shown)


def test_a_text_files_findings_have_no_sheet_column(focal, tmp_path):
    path = tmp_path / "entradas.csv"
    path.write_text(
        "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE\n"
        "PRIMI:DF_FLOWS(1.0),M,MEX,ENTRY,ZZZ,_T,_T,_T,2024-01,12\n",
        encoding="utf-8",
    )
    rows = findings_table(focal, send(focal, path), "en")
    assert any(r["Rule"] == "L1_CODE" and r["Row"] == "2" for r in rows)
    assert all("Sheet" not in r for r in rows)
