"""The series page draws every published vintage and lists every published revision, no more."""

import datetime as dt
import html
import json
import re

import pyarrow as pa
import pytest
from django.test import Client

from primi.standard.frame import conform
from primi.store.loading import load_frame

pytestmark = pytest.mark.django_db

KEY = "M.GTM.ENTRY._T._T._T._T"
FIRST = dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)
SECOND = dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)


def _frame(cells: list[tuple], **attrs) -> pa.Table:
    """Rows of GTM's ENTRY total: (period, value[, CONF_STATUS])."""
    rows = [
        {"FREQ": "M", "REF_AREA": "GTM", "INDICATOR": "ENTRY", "COUNTERPART_AREA": "_T",
         "SEX": "_T", "AGE": "_T", "POP_GROUP": "_T", "TIME_PERIOD": cell[0],
         "OBS_VALUE": cell[1], "CONF_STATUS": cell[2] if len(cell) > 2 else None,
         "UNIT_MEASURE": "EV", "COUNTING_BASIS": "EVENTS", "SOURCE_INST": "GTM_IGM",
         "SOURCE_ROW": n, **attrs}
        for n, cell in enumerate(cells, start=1)
    ]  # fmt: skip
    return conform(pa.table({name: [r[name] for r in rows] for name in rows[0]}))


def _load(cells, file_name, published_at=None, publish=True, notes=None, **attrs):
    return load_frame(_frame(cells, **attrs), provider="GTM_IGM", dataflow="DF_FLOWS",
                      file_name=file_name, publish=publish, published_at=published_at,
                      notes=notes)  # fmt: skip


@pytest.fixture
def vintages() -> dict[str, int]:
    """Two published vintages (the second revises 2024-02, withholds 2024-03, adds 2024-04),
    a draft and an embargoed release."""
    first = _load([("2024-01", 1234), ("2024-02", 20), ("2024-03", 30)], "first.csv", FIRST)
    explained = {"explanations": {"L3_REVISION": "Late border records."}, "sheets": ["Datos"]}
    second = _load([("2024-02", 25), ("2024-03", 31, "C"), ("2024-04", 40)], "second.csv",
                   SECOND, notes=explained)  # fmt: skip
    _load([("2024-04", 999)], "draft.csv", publish=False)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    _load([("2024-01", 777)], "embargo.csv", later)
    return {"first": first.submission.pk, "second": second.submission.pk}


def _page(client: Client, lang: str, key: str = KEY):
    response = client.get(f"/{lang}/series/{key}/")
    return response, html.unescape(response.content.decode())


def _chart_rows(page: str) -> list[dict]:
    found = re.search(r'id="chart-vintages".*?<script[^>]*>(.*?)</script>', page, re.S)
    assert found, "no vintage chart"
    return json.loads(found.group(1))["data"]["values"]


def _revision_cells(page: str, period: str) -> list[str]:
    return re.findall(rf'<th scope="row">{period}</th>\s*<td class="num">(.*?)</td>', page, re.S)


def test_every_published_vintage_is_drawn_and_no_draft_or_embargo(
    client: Client, vintages: dict[str, int]
) -> None:
    response, page = _page(client, "en")
    assert response.status_code == 200
    first = f"Published Jan 10, 2026 (#{vintages['first']})"
    second = f"Published Feb 10, 2026 (#{vintages['second']})"
    rows = _chart_rows(page)
    assert {r["vintage"] for r in rows} == {first, second}
    as_first = {r["period"]: r["value"] for r in rows if r["vintage"] == first}
    as_second = {r["period"]: r["value"] for r in rows if r["vintage"] == second}
    assert as_first == {"2024-01": 1234, "2024-02": 20}, "2024-03 is withheld now"
    assert as_second == {"2024-01": 1234, "2024-02": 25, "2024-04": 40}
    assert "999" not in page and "777" not in page
    assert "draft.csv" not in page and "embargo.csv" not in page
    assert _revision_cells(page, "2024-01") == ["1,234"]
    assert _revision_cells(page, "2024-02") == ["20", "25"], "oldest publication first"
    withheld = _revision_cells(page, "2024-03")
    assert len(withheld) == 2 and all("withheld" in cell for cell in withheld)
    assert "second.csv, sheet Datos, row 3" in page and "first.csv, row 1" in page
    assert "2 publications (vintages) of this series." in page
    assert "1 period is withheld for disclosure control." in page
    assert f'href="/rest/data/DF_FLOWS/{KEY}?format=csvfilewithlabels"' in page
    assert f'href="/en/explorer/?dataflow=DF_FLOWS&key={KEY}"' in page


def test_series_page_in_spanish_with_definition_and_explained_warning(
    client: Client, vintages: dict[str, int]
) -> None:
    response, page = _page(client, "es")
    assert response.status_code == 200 and '<html lang="es">' in page
    assert "<h1>Entradas internacionales: Guatemala</h1>" in page
    assert "Movimientos de entrada al país registrados en los puntos de control" in page
    assert _revision_cells(page, "2024-01") == ["1.234"]
    assert "Publicada el 10 ene 2026" in page
    assert "reservado" in "".join(_revision_cells(page, "2024-03"))
    assert "L3_REVISION" in page and "Late border records." in page
    assert "GTM_IGM" in page and "Eventos (una persona puede contarse varias veces)" in page


def test_counting_basis_against_the_standard_is_noted(client: Client) -> None:
    _load([("2024-01", 5)], "a.csv", FIRST, COUNTING_BASIS="PERSONS")
    _, page = _page(client, "en")
    assert "Counted as Distinct persons where the standard counts Events" in page
    assert "Each event counts once" not in page


@pytest.mark.parametrize(
    ("key", "status"),
    [
        ("M.GTM.ENTRY", 404),  # too few positions
        ("M.GTM.ENTRY.ZZZ._T._T._T", 404),  # not a code of CL_AREA
        ("M.GTM.ENTRY.*._T._T._T", 404),  # a pattern, not one series
        ("M.HND.ENTRY._T._T._T._T", 404),  # valid, nothing published
    ],
)
def test_unknown_or_malformed_keys_are_404_in_the_readers_language(
    client: Client, key: str, status: int
) -> None:
    _load([("2024-04", 999)], "draft.csv", publish=False)
    response, page = _page(client, "es", key)
    assert response.status_code == status
    assert "Ninguna serie publicada tiene la clave" in page
    response, page = _page(client, "en", key)
    assert response.status_code == status and "No published series has the key" in page


def test_a_series_with_only_a_draft_is_not_found(client: Client) -> None:
    _load([("2024-04", 999)], "draft.csv", publish=False)
    response, _ = _page(client, "en")
    assert response.status_code == 404


def test_lower_case_key_redirects(client: Client) -> None:
    response = client.get("/en/series/m.gtm.entry._t._t._t._t/")
    assert response.status_code == 301 and response["Location"] == f"/en/series/{KEY}/"


def test_findings_kept_with_the_upload_are_shown_for_their_series_only(
    client: Client, vintages: dict[str, int]
) -> None:
    from django.contrib.auth import get_user_model

    from primi.workflow.models import Institution, Upload

    user = get_user_model().objects.create_user("focal")
    institution = Institution.objects.create(code="GTM_IGM", name="IGM", country="GTM")
    finding = {"rule": "L3_OUTLIER", "level": 3, "severity": "warning", "file": "second.csv",
               "sheet": None, "row": 2, "column": None, "count": 2,
               "message": {"es": "valor 31 atípico", "en": "value 31 is an outlier"}}  # fmt: skip
    other = {**finding, "rule": "L3_LEVEL_SHIFT", "series_key": "M.GTM.ENTRY.MEX._T._T._T"}
    Upload.objects.create(
        user=user, institution=institution, file="x.csv", original_name="second.csv",
        submission_id=vintages["second"],
        report={"findings": [{**finding, "series_key": KEY}, other]},
    )  # fmt: skip
    _, page = _page(client, "en")
    findings = page[page.index('id="findings-title"') : page.index('id="history-title"')]
    assert "L3_OUTLIER" in findings and "L3_REVISION" in findings
    assert "L3_LEVEL_SHIFT" not in findings, "a finding on another series"
    assert "value 31" not in page, "messages may quote a withheld value"


def test_provenance_is_the_apis(client: Client, vintages: dict[str, int]) -> None:
    """Each revision's value, file, sheet and row read as the JSON API gives them."""
    _, page = _page(client, "en")
    answer = client.get(f"/api/observations/{KEY}/2024-02/revisions?lang=en").json()
    cells = _revision_cells(page, "2024-02")
    assert len(cells) == len(answer["revisions"]) == 2
    for revision in answer["revisions"]:
        where = revision["provenance"]
        sheet = f"sheet {where['source_sheet']}, " if where["source_sheet"] else ""
        place = (
            f"#{where['submission_id']} · {where['file_name']}, {sheet}row {where['source_row']}"
        )
        assert place in page
    assert [float(c) for c in cells] == [r["value"] for r in answer["revisions"]]
