"""/<lang>/explorer/: filters, pivot orientation, the permanent link and the SDMX URL of a query,
server-rendered (no JavaScript needed), in Spanish and English."""

import csv
import io
from urllib.parse import parse_qs, urlsplit

import lxml.html
import pytest
from django.test import Client
from explorer_frames import GTM, T0, T1, load_returns

from primi.portal.citation import instant_text
from primi.portal.formatting import number
from primi.portal.pivot import fast_number
from primi.portal.published_codes import published_codes
from primi.store.queries import Selection, public_availability

pytestmark = pytest.mark.django_db

ALL = "M..RET_NAT._T._T._T._T"


@pytest.fixture
def returns() -> None:
    load_returns()


def _page(client: Client, url: str, status: int = 200) -> lxml.html.HtmlElement:
    response = client.get(url)
    content = response.getvalue()  # a page with data is streamed in two parts
    assert response.status_code == status, content[:400]
    return lxml.html.fromstring(content.decode())


def _table(doc: lxml.html.HtmlElement) -> tuple[list[str], list[list[str]]]:
    """The pivot table's column headers and rows (row headers then cells), as text."""
    table = doc.get_element_by_id("explorer-table")
    header = [th.text_content().strip() for th in table.xpath("./thead/tr/th")]
    rows = [[c.text_content().strip() for c in tr.xpath("./th|./td")]
            for tr in table.xpath("./tbody/tr")]  # fmt: skip
    return header, rows


def _url(lang: str, key: str = ALL, extra: str = "") -> str:
    return f"/{lang}/explorer/?dataflow=DF_RETURNS&key={key.replace('+', '%2B')}{extra}"


def test_without_a_dataflow_the_page_lists_them_in_the_page_language(client):
    es = _page(client, "/es/explorer/")
    names = es.xpath("//select[@id='explorer-dataflow']/option/text()")
    assert "Retornos" in names and "Migración irregular" in names
    en = _page(client, "/en/explorer/")
    assert "Returns" in en.xpath("//select[@id='explorer-dataflow']/option/text()")


def test_filters_change_the_rows(client, returns):
    header, rows = _table(_page(client, _url("en")))
    assert header == ["Reporting country", "2024-01", "2024-02", "2024-03"]
    assert [r[0] for r in rows] == ["Guatemala", "Honduras"]
    assert rows[0][1:] == ["1,234.5", "2,100", "1,500.25"]
    assert rows[1][1:] == ["300", "C", "-12"]
    header, rows = _table(_page(client, _url("en", GTM)))
    assert header == ["", "2024-01", "2024-02", "2024-03"]
    assert [r[1:] for r in rows] == [["1,234.5", "2,100", "1,500.25"]]
    _header, rows = _table(_page(client, _url("en", extra="&startPeriod=2024-02")))
    assert [r[1:] for r in rows] == [["2,100", "1,500.25"], ["C", "-12"]]


def test_filter_lists_offer_only_codes_with_published_data(client, returns):
    doc = _page(client, _url("en"))
    areas = doc.xpath("//select[@name='REF_AREA']/option/@value")
    assert areas == ["GTM", "HND"]  # SLV has a draft and an embargoed release only
    chosen = _page(client, _url("en", GTM)).xpath("//select[@name='REF_AREA']/option[@selected]")
    assert [o.get("value") for o in chosen] == ["GTM"]


def test_pivot_with_the_period_in_rows(client, returns):
    header, rows = _table(_page(client, _url("en", extra="&cols=REF_AREA")))
    assert header == ["Period", "Guatemala", "Honduras"]
    assert rows == [
        ["2024-01", "1,234.5", "300"],
        ["2024-02", "2,100", "C"],
        ["2024-03", "1,500.25", "-12"],
    ]


def test_form_submission_redirects_to_the_permanent_query_which_reproduces_the_view(
    client, returns
):
    response = client.get(
        "/en/explorer/?dataflow=DF_RETURNS&FREQ=M&REF_AREA=GTM&REF_AREA=HND&INDICATOR=RET_NAT"
        "&startPeriod=2024-02&cols=REF_AREA"
    )
    assert response.status_code == 302
    target = urlsplit(response["Location"])
    query = parse_qs(target.query)
    assert query["key"] == ["M.GTM+HND.RET_NAT...."]
    assert query["startPeriod"] == ["2024-02"] and query["cols"] == ["REF_AREA"]
    header, rows = _table(_page(client, response["Location"]))
    assert header == ["Period", "Guatemala", "Honduras"]
    assert rows == [["2024-02", "2,100", "C"], ["2024-03", "1,500.25", "-12"]]


def test_permanent_link_keeps_the_numbers_after_a_revision(client, returns):
    doc = _page(client, _url("en", extra=f"&asOf={instant_text(T0)}"))
    assert _table(doc)[1][0][1:] == ["1,234.5", "2,000", "1,500.25"]
    link = doc.get_element_by_id("explorer-permanent-link").get("href")
    assert parse_qs(urlsplit(link).query)["asOf"] == [instant_text(T0)]
    current = _page(client, _url("en"))
    permanent = current.get_element_by_id("explorer-permanent-link").get("href")
    assert parse_qs(urlsplit(permanent).query)["asOf"] == [instant_text(T1)]
    parts = urlsplit(permanent)
    assert _table(_page(client, f"{parts.path}?{parts.query}")) == _table(current)
    downloads = doc.xpath("//dd[@class='explorer-downloads']/a/@href")
    assert all("asOf=" in url for url in downloads if "/data/download/" in url)


def test_sdmx_url_returns_the_same_numbers(client, returns):
    doc = _page(client, _url("en"))
    sdmx = doc.get_element_by_id("explorer-sdmx-link").get("href")
    assert sdmx.startswith("/rest/data/DF_RETURNS/")
    response = client.get(sdmx)
    assert response.status_code == 200
    body = b"".join(response.streaming_content).decode()
    served = {}
    for row in csv.DictReader(io.StringIO(body)):
        area = row["REF_AREA: Reporting country"].split(":")[0]
        value = row["OBS_VALUE: Observation value"]
        served[(area, row["TIME_PERIOD: Time period"])] = float(value) if value else None
    header, rows = _table(doc)
    shown = {}
    for area_name, *cells in rows:
        area = {"Guatemala": "GTM", "Honduras": "HND"}[area_name]
        for period, text in zip(header[1:], cells, strict=True):
            shown[(area, period)] = None if text == "C" else float(text.replace(",", ""))
    assert shown == served


@pytest.mark.parametrize(
    ("lang", "texts"),
    [
        (
            "es",
            ["Explorador de datos", "País informante", "1.234,5", "2.100", "1.500,25", "Retornos"],
        ),
        ("en", ["Data explorer", "Reporting country", "1,234.5", "2,100", "1,500.25", "Returns"]),
    ],
)
def test_page_language_labels_and_numbers(client, returns, lang, texts):
    doc = _page(client, _url(lang))
    text = doc.text_content()
    header, rows = _table(doc)
    for expected in texts:
        assert expected in text
    assert doc.get("lang") == lang
    assert doc.get_element_by_id("explorer-chart") is not None


def test_fast_number_matches_the_portal_formatting():
    for lang in ("es", "en", "fr"):
        for value, decimals in [(1234.5, 1), (2100.0, None), (-12.0, 0), (1500.25, 2),
                                (1_234_567.0, None), (0.5, None), (12.0, 2)]:  # fmt: skip
            assert fast_number(value, lang, decimals) == number(value, lang, decimals)


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("dataflow=DF_NOPE", "dataflow"),
        ("dataflow=DF_RETURNS&key=M.XXX.RET_NAT._T._T._T._T", "key"),
        ("dataflow=DF_RETURNS&key=M.GTM", "key"),
        ("dataflow=DF_RETURNS&startPeriod=soon", "startPeriod"),
    ],
)
def test_unknown_dataflow_or_code_is_a_clear_400(client, returns, query, parameter):
    doc = _page(client, f"/es/explorer/?{query}", status=400)
    alert = doc.xpath("//*[@role='alert']")[0].text_content()
    assert f"El parámetro {parameter} no se puede leer." in " ".join(alert.split())


def test_too_large_queries_offer_the_downloads(client, returns, settings, monkeypatch):
    monkeypatch.setattr("primi.portal.explorer_views.EXPLORER_MAX_OBSERVATIONS", 4)
    doc = _page(client, _url("en"))
    text = " ".join(doc.text_content().split())
    assert "This query selects more than 4 observations, the most the explorer shows." in text
    assert doc.xpath("//dd[@class='explorer-downloads']/a/@data-format") == ["CSV", "XLSX", "SDMX"]


def test_unknown_code_message_names_the_dimension_in_the_page_language(client, returns):
    doc = _page(client, _url("es", "M.XXX.RET_NAT._T._T._T._T"), status=400)
    alert = " ".join(doc.xpath("//*[@role='alert']")[0].text_content().split())
    assert "«XXX» no es un código de la dimensión REF_AREA (País informante)." in alert


@pytest.mark.parametrize("as_of", [None, T0])
def test_filter_codes_are_those_the_public_availability_query_finds(returns, as_of):
    selection = Selection(dataflow="DF_RETURNS", as_of=as_of)
    assert published_codes("DF_RETURNS", as_of) == public_availability(selection).codes
    assert published_codes("DF_RETURNS", as_of)["REF_AREA"] == ("GTM", "HND")


def test_a_dataflow_alone_opens_on_its_totals_by_country(client, returns):
    response = client.get("/en/explorer/?dataflow=DF_RETURNS&cols=REF_AREA")
    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["key"] == ["M..RET_NAT._T._T._T._T"] and query["cols"] == ["REF_AREA"]
    explicit_all = client.get("/en/explorer/?dataflow=DF_RETURNS&key=")
    assert explicit_all.status_code == 200
