"""Malicious and malformed uploads through the real doors: the upload form of a signed-in
provider and POST /api/submissions with the institution's token.

Whatever arrives, the answer is a report or a refusal in the sender's language (es, en), never
a 500 or a traceback; the store is unchanged; a kept file lies under MEDIA_ROOT whatever name
it was sent with. (The readers' handling of broken content is tests/ingest/test_hostile_files;
here the files travel over HTTP.)
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from region_people import client_for
from store.conftest import store_fingerprint

from primi.tokens import credentials
from primi.workflow.models import Upload

pytestmark = pytest.mark.django_db

HEADER = (
    "STRUCTURE,STRUCTURE_ID,ACTION,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,"
    "POP_GROUP,TIME_PERIOD,OBS_VALUE,UNIT_MEASURE,COUNTING_BASIS\n"
)
ROW = "dataflow,PRIMI:DF_FLOWS(1.0),I,M,GTM,ENTRY,{area},_T,_T,_T,2024-{month:02d},12,EV,EVENTS\n"
AREAS = ["MEX", "USA", "HND", "SLV", "NIC", "CRI", "PAN", "BLZ", "COL", "ECU"]
GOOD = HEADER + "".join(ROW.format(area=a, month=1) for a in AREAS[:2])
REFUSED = {"es": "rechazado", "en": "refused"}


@pytest.fixture
def door(request, people):
    """Send a file through the form (`form`) or the API (`api`); the answer's text, status and
    the upload made, if any."""
    token = credentials.issue(people.gtm, "hostile", [], people.focal)[1]
    browser = client_for(people.focal)

    def send(name: str, content: bytes, lang: str = "es", **extra) -> tuple[int, str]:
        sent = SimpleUploadedFile(name, content, content_type="application/octet-stream")
        if request.param == "form":
            data = {"institution": people.gtm.pk, "file": sent, "check_only": "on", **extra}
            answer = browser.post(f"/{lang}/submissions/new/", data, follow=True)
        else:
            answer = Client().post(
                "/api/submissions",
                {"file": sent, "check_only": "true", **extra},
                headers={"Authorization": f"Bearer {token}", "Accept-Language": lang},
            )
            if answer["Content-Type"].startswith("application/json"):
                return answer.status_code, json.dumps(answer.json(), ensure_ascii=False)
        return answer.status_code, answer.content.decode("utf-8", "replace")

    send.kind = request.param
    send.token = token
    send.browser = browser
    return send


both_doors = pytest.mark.parametrize("door", ["form", "api"], indirect=True)


def assert_clean(status: int, text: str) -> None:
    assert status < 500, text[:2000]
    assert "Traceback" not in text and 'File "/' not in text


def upload_report(lang: str) -> str:
    """What the sender reads of the one upload made: its refusal or outcome message."""
    upload = Upload.objects.get()
    report = upload.report or {}
    said = report.get("refused") or report.get("outcome") or {}
    return said.get(lang, "")


def stored_files(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


@both_doors
@pytest.mark.parametrize("lang", ["es", "en"])
def test_oversized_file_is_refused_in_the_senders_language_and_not_kept(door, settings, lang):
    settings.PRIMI_UPLOAD_MAX_BYTES = 200
    before = store_fingerprint()
    status, text = door("datos.csv", GOOD.encode() + b"#" * 500, lang)
    assert_clean(status, text)
    limit = {"es": "el límite es 200", "en": "the limit is 200"}[lang]
    assert limit in text
    assert not Upload.objects.exists()
    assert stored_files(Path(settings.MEDIA_ROOT)) == []
    assert store_fingerprint() == before


@both_doors
def test_too_many_rows_is_refused_and_changes_nothing(door, settings):
    settings.PRIMI_UPLOAD_MAX_ROWS = 3
    before = store_fingerprint()
    many = HEADER + "".join(ROW.format(area=a, month=1) for a in AREAS)
    status, text = door("datos.csv", many.encode(), "en")
    assert_clean(status, text)
    upload = Upload.objects.get()
    assert upload.state == Upload.State.FAILED
    assert "the limit is 3" in upload_report("en")
    assert "el límite es 3" in upload_report("es")
    assert store_fingerprint() == before


NAMES = [
    "../../etc/passwd.csv",
    "..\\..\\windows\\system32\\datos.csv",
    "/etc/cron.d/datos.csv",
    "datos\x00.exe.csv",
    "d" * 400 + ".csv",
    "informe\u202ecsv.exe",  # right-to-left override: shows as "informeexe.csv"
    "données été ñandú 数据.csv",
]


@both_doors
@pytest.mark.parametrize("name", NAMES, ids=range(len(NAMES)))
def test_file_names_are_stored_safely_under_media_root(door, settings, name):
    status, text = door(name, GOOD.encode(), "en")
    assert_clean(status, text)
    upload = Upload.objects.get()
    root = Path(settings.MEDIA_ROOT).resolve()
    stored = Path(upload.file.path).resolve()
    assert stored.is_relative_to(root) and stored.is_file()
    assert stored.read_bytes() == GOOD.encode()
    assert all(c not in upload.original_name for c in "/\\\x00")
    assert ".." not in Path(upload.file.name).parts
    assert len(upload.original_name) <= 255
    assert all(c not in upload.file.name for c in "\x00\u202e")


EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200)
HTML = b"<html><body><script>alert('x')</script><img src=x onerror=alert(1)></body></html>\n"
ELF = b"\x7fELF\x02\x01\x01" + bytes(100)


@both_doors
@pytest.mark.parametrize(
    "name,content",
    [
        ("datos.xlsx", EXECUTABLE),
        ("datos.csv", EXECUTABLE),
        ("datos.xlsx", HTML),
        ("datos.csv", HTML),
        ("datos.csv", ELF),
        ("datos.json", HTML),
    ],
    ids=["exe-xlsx", "exe-csv", "html-xlsx", "html-csv", "elf-csv", "html-json"],
)
def test_disguised_files_are_refused_in_both_languages(door, name, content):
    before = store_fingerprint()
    status, text = door(name, content, "es")
    assert_clean(status, text)
    assert "<script>alert" not in text and "onerror=alert" not in text
    upload = Upload.objects.get()
    assert upload.state == Upload.State.FAILED
    assert upload_report("es") and upload_report("en")
    assert store_fingerprint() == before


def zip_bomb() -> bytes:
    """A workbook-shaped zip whose sheet inflates a thousandfold."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b"0" * (8 << 20))
    return out.getvalue()


def bad_name_zip() -> bytes:
    """A zip whose member name is flagged UTF-8 but is not (zipfile raised UnicodeDecodeError)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/\u00e9.xml", "<x/>")
    return out.getvalue().replace("xl/\u00e9.xml".encode(), b"xl/\xec\x01.xml")


BILLION_LAUGHS = (
    b'<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + b"".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'.encode()
        for i in range(1, 10)
    )
    + b']>\n<mes:StructureSpecificData xmlns:mes="m">&lol9;</mes:StructureSpecificData>\n'
)
EXTERNAL_ENTITY = (
    b'<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>\n'
    b"<x>&xxe;</x>\n"
)

# Found by the detect harness: pyarrow cannot look up a column whose name is given twice.
DOUBLED_HEADER = b"REF_AREA,INDICATOR,TIME_PERIOD,OBS_VALUE,TIME_PERIOD\nGTM,ENTRY,2024-01,1,x\n"


@both_doors
@pytest.mark.parametrize(
    "name,content,said",
    [
        ("bomba.xlsx", zip_bomb(), "inflates to"),
        ("nombre.xlsx", bad_name_zip(), "damaged"),
        ("risas.xml", BILLION_LAUGHS, "DOCTYPE"),
        ("xxe.xml", EXTERNAL_ENTITY, "DOCTYPE"),
        ("doble.csv", DOUBLED_HEADER, "Two columns claim to be TIME_PERIOD"),
    ],
    ids=["zip-bomb", "zip-bad-name", "billion-laughs", "external-entity", "doubled-header"],
)
def test_dangerous_files_are_refused_with_the_reason(door, name, content, said):
    before = store_fingerprint()
    status, text = door(name, content, "en")
    assert_clean(status, text)
    assert "root:" not in text
    upload = Upload.objects.get()
    assert upload.state == Upload.State.FAILED
    assert said in upload_report("en"), upload.report
    assert upload_report("es")
    assert store_fingerprint() == before


def many_fields(people) -> dict:
    return {
        "institution": people.gtm.pk,
        "file": SimpleUploadedFile("datos.csv", GOOD.encode()),
        **{f"f{i}": "x" for i in range(3000)},
    }


def test_thousands_of_multipart_fields_on_the_form_are_a_400(people):
    before = store_fingerprint()
    answer = client_for(people.focal).post("/es/submissions/new/", many_fields(people))
    assert answer.status_code == 400
    assert_clean(answer.status_code, answer.content.decode())
    assert not Upload.objects.exists()
    assert store_fingerprint() == before


def test_the_400_page_is_in_the_users_language(people):
    answer = client_for(people.focal).post("/es/submissions/new/", many_fields(people))
    assert "Bad Request" not in answer.content.decode()


def test_thousands_of_multipart_fields_on_the_api_are_a_400(people):
    token = credentials.issue(people.gtm, "hostile", [], people.focal)[1]
    fields = many_fields(people)
    answer = Client().post("/api/submissions", fields, headers={"Authorization": f"Bearer {token}"})
    assert not Upload.objects.exists()
    assert answer.status_code == 400


def test_api_body_that_is_not_multipart_is_refused_in_the_senders_language(people):
    token = credentials.issue(people.gtm, "hostile", [], people.focal)[1]
    for lang, words in (("es", "multipart/form-data"), ("en", "multipart/form-data")):
        answer = Client().post(
            "/api/submissions",
            GOOD,
            content_type="text/csv",
            headers={"Authorization": f"Bearer {token}", "Accept-Language": lang},
        )
        assert answer.status_code == 400
        body = answer.json()
        assert words in body["detail"] and body["es"].startswith("Envíe")
    broken = Client().generic(
        "POST",
        "/api/submissions",
        b"--x\r\nContent-Disposition: form-data; name=file; filename=a.csv\r\n\r\nabc",
        content_type="multipart/form-data; boundary=x",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert broken.status_code == 400
    assert not Upload.objects.exists()


def test_form_post_that_is_not_multipart_shows_the_form_again(people):
    browser = client_for(people.focal)
    for lang in ("es", "en"):
        answer = browser.post(f"/{lang}/submissions/new/", GOOD, content_type="text/csv")
        assert answer.status_code == 200
        assert_clean(answer.status_code, answer.content.decode())
        assert f'lang="{lang}"' in answer.content.decode()
    assert not Upload.objects.exists()
