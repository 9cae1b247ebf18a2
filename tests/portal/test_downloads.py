"""/<lang>/data/download/: published values only, as CSV (BOM, the locale's separators) and
xlsx (a METADATA sheet), each with a citation whose permanent link and vintage reproduce them."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import openpyxl
import pytest
from django.test import Client
from explorer_frames import (
    DRAFT_VALUE,
    EMBARGO_VALUE,
    FORMULA,
    GTM,
    HND,
    T0,
    T1,
    load_returns,
)

from primi.portal.citation import instant_text

pytestmark = pytest.mark.django_db

URL = "/{lang}/data/download/?dataflow=DF_RETURNS&key={key}&format={fmt}"
ALL = "M..RET_NAT._T._T._T._T"


@pytest.fixture
def returns() -> None:
    load_returns()


def _csv(client: Client, lang: str, key: str = ALL, extra: str = "") -> tuple[bytes, list]:
    response = client.get(URL.format(lang=lang, key=key, fmt="csv") + extra)
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    body = b"".join(response.streaming_content)
    delimiter = ";" if lang in ("es", "fr") else ","
    return body, list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=delimiter))


def _data(lines: list[list[str]]) -> list[dict[str, str]]:
    """The rows under the header line (the one starting with FREQ), by column name."""
    start = next(i for i, line in enumerate(lines) if line and line[0] == "FREQ")
    header = lines[start]
    return [dict(zip(header, line, strict=True)) for line in lines[start + 1 :]]


def test_spanish_csv_has_bom_semicolons_decimal_commas_and_spanish_labels(client, returns):
    body, lines = _csv(client, "es")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = _data(lines)
    values = {(r["REF_AREA"], r["TIME_PERIOD"]): r["OBS_VALUE"] for r in rows}
    assert values[("GTM", "2024-01")] == "1234,5"
    assert values[("GTM", "2024-02")] == "2100"
    assert values[("GTM", "2024-03")] == "1500,25"
    assert values[("HND", "2024-03")] == "-12"
    header = lines[next(i for i, line in enumerate(lines) if line and line[0] == "FREQ")]
    assert "Área de referencia" in header or "País informante" in header
    gtm = next(r for r in rows if r["REF_AREA"] == "GTM")
    assert "Guatemala" in gtm.values()
    assert "Personas nacionales retornadas" in gtm.values()
    assert "Personas" in gtm.values()  # UNIT_MEASURE PS named


def test_french_csv_uses_the_french_spreadsheet_separators(client, returns):
    _body, lines = _csv(client, "fr")
    values = {(r["REF_AREA"], r["TIME_PERIOD"]): r["OBS_VALUE"] for r in _data(lines)}
    assert values[("GTM", "2024-01")] == "1234,5"
    assert lines[1][0] == "Lien permanent"


def test_english_csv_has_commas_decimal_points_and_english_labels(client, returns):
    body, lines = _csv(client, "en")
    assert body.startswith(b"\xef\xbb\xbf")
    rows = _data(lines)
    values = {(r["REF_AREA"], r["TIME_PERIOD"]): r["OBS_VALUE"] for r in rows}
    assert values[("GTM", "2024-01")] == "1234.5"
    assert values[("GTM", "2024-03")] == "1500.25"
    gtm = next(r for r in rows if r["REF_AREA"] == "GTM")
    assert "Nationals returned" in gtm.values()
    assert "Personas nacionales retornadas" not in body.decode("utf-8-sig")


def test_citation_permanent_link_and_vintage(client, returns):
    _body, lines = _csv(client, "en")
    assert lines[0][0] == "Citation"
    assert "version published on" in lines[0][1] and "DF_RETURNS" in lines[0][1]
    assert lines[1][0] == "Permanent link"
    link = lines[1][1]
    assert lines[2] == ["Vintage", instant_text(T1)]
    parts = urlsplit(link)
    assert parts.scheme == "http" and parts.path == "/en/explorer/"
    query = parse_qs(parts.query)
    assert query["asOf"] == [instant_text(T1)]
    assert query["dataflow"] == ["DF_RETURNS"] and query["key"] == [ALL]
    assert link in lines[0][1]
    page = client.get(f"{parts.path}?{parts.query}")
    assert page.status_code == 200
    assert "2,100" in page.getvalue().decode()


def test_as_of_reproduces_the_older_vintage_after_a_revision(client, returns):
    _body, now = _csv(client, "en")
    _body, then = _csv(client, "en", extra=f"&asOf={instant_text(T0)}")
    current = {(r["REF_AREA"], r["TIME_PERIOD"]): r["OBS_VALUE"] for r in _data(now)}
    older = {(r["REF_AREA"], r["TIME_PERIOD"]): r["OBS_VALUE"] for r in _data(then)}
    assert current[("GTM", "2024-02")] == "2100"
    assert older[("GTM", "2024-02")] == "2000"
    assert then[2] == ["Vintage", instant_text(T0)]
    assert f"asOf={instant_text(T0).replace(':', '%3A')}" in then[1][1]


def test_drafts_and_embargoed_releases_are_never_included(client, returns):
    body, lines = _csv(client, "en")
    text = body.decode("utf-8-sig")
    assert "999999" not in text and "888888" not in text
    assert str(int(DRAFT_VALUE)) not in text and str(int(EMBARGO_VALUE)) not in text
    assert {r["REF_AREA"] for r in _data(lines)} == {"GTM", "HND"}


def test_withheld_cell_has_no_value_and_keeps_its_conf_status(client, returns):
    body, lines = _csv(client, "en")
    withheld = next(
        r for r in _data(lines) if r["REF_AREA"] == "HND" and r["TIME_PERIOD"] == "2024-02"
    )
    assert withheld["OBS_VALUE"] == ""
    assert withheld["CONF_STATUS"] == "C"
    assert withheld["COMMENT_OBS"] == ""
    text = body.decode("utf-8-sig")
    assert "secret comment" not in text
    assert not re.search(r"(^|,)77(,|$)", text, re.M)


def test_formula_like_text_is_neutralised_in_csv(client, returns):
    _body, lines = _csv(client, "en")
    cell = next(r for r in _data(lines) if r["REF_AREA"] == "GTM" and r["TIME_PERIOD"] == "2024-01")
    assert cell["COMMENT_OBS"] == "'" + FORMULA
    assert not any(v.startswith(("=", "+", "@")) for r in _data(lines) for v in r.values())


def _workbook(client: Client, lang: str) -> openpyxl.Workbook:
    response = client.get(URL.format(lang=lang, key=ALL, fmt="xlsx"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def test_xlsx_has_data_and_metadata_sheets(client, returns):
    book = _workbook(client, "en")
    assert book.sheetnames == ["Data", "METADATA"]
    data = list(book["Data"].iter_rows(values_only=True))
    header = data[0]
    rows = [dict(zip(header, row, strict=True)) for row in data[1:]]
    values = {(r["REF_AREA"], r["TIME_PERIOD"]): r["OBS_VALUE"] for r in rows}
    assert values[("GTM", "2024-02")] == 2100
    assert values[("GTM", "2024-03")] == 1500.25
    assert values[("HND", "2024-02")] is None
    meta = {row[0]: row[1] for row in book["METADATA"].iter_rows(values_only=True)}
    assert meta["Title"].startswith("Returns")
    assert meta["Dataflow"] == "Returns (DF_RETURNS)"
    assert meta["Query"] == f"DF_RETURNS/{ALL}"
    assert meta["SDMX query"].startswith("http://testserver/rest/data/DF_RETURNS/")
    assert meta["Source institutions"] == "GTM_IGM"
    assert meta["Vintage (latest publication included)"] == instant_text(T1)
    assert meta["Permanent link"] in meta["Citation"]
    assert "asOf=" in meta["Permanent link"]
    assert "CC BY 4.0" in meta["Licence"]
    assert "Note" not in meta


def test_xlsx_neutralises_formulas_as_quoted_text(client, returns):
    sheet = _workbook(client, "en")["Data"]
    header = [c.value for c in sheet[1]]
    column = header.index("COMMENT_OBS")
    cells = [row[column] for row in sheet.iter_rows(min_row=2) if row[column].value == FORMULA]
    assert len(cells) == 1
    assert cells[0].data_type == "s"
    assert cells[0].quotePrefix


def test_xlsx_in_spanish_with_the_synthetic_note_for_demo_data(client):
    load_returns(provider="GTM_IGM", synthetic=True)  # a demo institution's demo files
    book = _workbook(client, "es")
    assert book.sheetnames == ["Datos", "METADATA"]
    meta = {row[0]: row[1] for row in book["METADATA"].iter_rows(values_only=True)}
    assert "Datos sintéticos de demostración" in meta["Nota"]
    assert "Cita" in meta


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("dataflow=DF_NOPE&key=&format=csv", "dataflow"),
        ("key=&format=csv", "dataflow"),
        ("dataflow=DF_RETURNS&key=M.GTM&format=csv", "key"),
        ("dataflow=DF_RETURNS&key=M.XXX.RET_NAT._T._T._T._T&format=csv", "key"),
        ("dataflow=DF_RETURNS&key=&startPeriod=2024-13&format=csv", "startPeriod"),
        ("dataflow=DF_RETURNS&key=&startPeriod=2024&endPeriod=2023&format=csv", "endPeriod"),
        ("dataflow=DF_RETURNS&key=&asOf=yesterday&format=csv", "asOf"),
        ("dataflow=DF_RETURNS&key=&asOf=2025-01-01T00:00:00&format=csv", "asOf"),
        ("dataflow=DF_RETURNS&key=&format=pdf", "format"),
    ],
)
@pytest.mark.parametrize(("lang", "words"), [("es", "El parámetro"), ("en", "The parameter")])
def test_bad_parameters_get_a_400_page_naming_them(client, returns, query, parameter, lang, words):
    response = client.get(f"/{lang}/data/download/?{query}")
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{words} <code>{parameter}</code>" in html
    assert f'<html lang="{lang}">' in html


def test_empty_query_is_a_404_page(client, returns):
    response = client.get(URL.format(lang="en", key="M.MEX.RET_NAT._T._T._T._T", fmt="csv"))
    assert response.status_code == 404
    assert "No published data match this query." in response.content.decode()


def test_queries_above_the_limit_are_refused_with_a_page(client, returns, settings):
    settings.PRIMI_PORTAL_MAX_OBSERVATIONS = 5
    response = client.get(URL.format(lang="en", key=ALL, fmt="xlsx"))
    assert response.status_code == 413
    html = response.content.decode()
    assert "This query selects 6 observations; a download holds at most 5." in html
    assert client.get(URL.format(lang="en", key=GTM, fmt="csv")).status_code == 200
    assert client.get(URL.format(lang="en", key=HND, fmt="csv")).status_code == 200
