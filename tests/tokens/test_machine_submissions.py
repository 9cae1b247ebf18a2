"""POST /api/submissions and GET /api/submissions/{id} with an institution's token."""

from __future__ import annotations

import hashlib

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from region_people import client_for
from token_people import GOOD_FLOWS, HEADER

from primi.audit.models import AuditEvent
from primi.ingest.template import SHEETS, write_template
from primi.store.models import Submission
from primi.tokens.models import ApiToken
from primi.workflow import submission_file
from primi.workflow.models import Upload

pytestmark = pytest.mark.django_db

RETURNS = HEADER + "PRIMI:DF_RETURNS(1.0),M,GTM,RET_NAT,USA,_T,_T,_T,2024-01,10,PS,PERSONS\n"
REMITTANCES = HEADER + "PRIMI:DF_REMITTANCES(1.0),Q,GTM,REM_IN,USA,_T,_T,_T,2024-Q1,9,USD,_Z\n"
BAD_FLOWS = GOOD_FLOWS + "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,ZZZ,_T,_T,_T,2024-01,12,EV,EVENTS\n"


def _post(
    token: str | None,
    content: bytes,
    name: str = "datos.csv",
    lang: str = "es",
    remote_addr: str = "127.0.0.1",
    **fields: str,
):
    headers = {"Accept-Language": lang}
    if token is not None:
        headers["Authorization"] = f"Bearer {token}"
    data = {"file": SimpleUploadedFile(name, content), **fields}
    return Client().post("/api/submissions", data, headers=headers, REMOTE_ADDR=remote_addr)


def _get(token: str, upload_id: str, lang: str = "en"):
    headers = {"Authorization": f"Bearer {token}", "Accept-Language": lang}
    return Client().get(f"/api/submissions/{upload_id}", headers=headers)


def test_a_checked_csv_is_accepted_and_readable_with_the_token(people, make_token):
    token = make_token(people.focal, people.gtm)
    response = _post(token, GOOD_FLOWS.encode(), check_only="true")
    assert response.status_code == 202, response.content
    body = response.json()
    upload = Upload.objects.get(pk=body["id"])
    assert upload.user == people.focal and upload.institution == people.gtm
    assert upload.check_only and upload.original_name == "datos.csv"
    assert upload.state == Upload.State.DONE and upload.submission is None
    assert body["state"] == "done" and body["dataflow"] == "DF_FLOWS"
    assert response["Location"] == body["status_url"]
    assert body["status_url"].endswith(f"/api/submissions/{upload.pk}")
    assert body["page_url"].endswith(f"/es/submissions/{upload.pk}/")
    assert body["message"].startswith("Solo comprobación")
    state = _get(token, body["id"])
    assert state.status_code == 200
    report = state.json()["report"]
    assert report["dataflow"] == "DF_FLOWS" and report["summary"]["rows_read"] == 1
    assert state.json()["message"].startswith("Check only")
    assert ApiToken.objects.get().last_used_at is not None
    assert not Submission.objects.exists()


def test_a_sent_file_is_loaded_as_a_draft_and_recorded(people, make_token):
    token = make_token(people.coordinator, people.gtm)
    response = _post(token, GOOD_FLOWS.encode(), remote_addr="192.0.2.7")
    assert response.status_code == 202
    upload = Upload.objects.get(pk=response.json()["id"])
    assert upload.submission is not None and upload.submission.provider == "GTM_IGM"
    assert upload.user == people.coordinator
    event = AuditEvent.objects.get(action="upload.created")
    assert event.user == people.coordinator and event.institution == "GTM_IGM"
    assert event.object_type == "workflow.upload" and event.object_id == str(upload.pk)
    assert event.detail["via"] == "api" and event.detail["token"] == token.split("_")[1]
    assert event.detail["check_only"] is False and event.ip == "192.0.2.7"


def test_a_workbook_with_an_error_is_checked_and_reported(people, make_token, tmp_path):
    token = make_token(people.focal, people.gtm)
    path = tmp_path / "plantilla.xlsx"
    write_template("DF_FLOWS", "GTM", "es", path)
    book = openpyxl.load_workbook(path)
    data = book[SHEETS["es"]["data"]]
    data.append(["M", "ENTRY", "MEX", "_T", "_T", "_T", "2024-01", 10])
    data.append(["M", "ENTRY", "ZZZ", "_T", "_T", "_T", "2024-01", 12])
    book.save(path)
    response = _post(token, path.read_bytes(), name="plantilla.xlsx")
    assert response.status_code == 202
    body = _get(token, response.json()["id"], lang="es").json()
    assert body["state"] == "done" and body["report"]["summary"]["errors"] >= 1
    assert any(f["rule"] == "L1_CODE" for f in body["report"]["findings"])
    assert body["message"].startswith("No se cargó nada")
    assert not Submission.objects.exists()


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", "clave de API de la institución en la cabecera «Authorization"),
        ("en", "header 'Authorization"),
    ],
)
def test_no_token_is_401_in_the_readers_language(people, lang, words):
    response = _post(None, GOOD_FLOWS.encode(), lang=lang)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert words in response.json()["detail"]
    assert not Upload.objects.exists()


def test_wrong_tokens_are_401(people, make_token):
    token = make_token(people.focal, people.gtm)
    prefix = token.split("_")[1]
    forged = f"primi_{prefix}_{'A' * 43}"
    for wrong in (forged, token[:-1], "primi_zzzzzzzz_secret", "not-a-token", token + "x"):
        response = _post(wrong, GOOD_FLOWS.encode(), lang="en")
        assert response.status_code == 401, wrong
        assert "not valid" in response.json()["detail"]
        assert _get(wrong, "00000000-0000-0000-0000-000000000000").status_code == 401
    response = Client().post(
        "/api/submissions", {"file": SimpleUploadedFile("a.csv", b"x")},
        headers={"Authorization": f"Basic {token}"},
    )  # fmt: skip
    assert response.status_code == 401
    assert not Upload.objects.exists()


def test_a_revoked_token_is_401_and_its_use_recorded(people, make_token):
    token = make_token(people.focal, people.gtm)
    stored = ApiToken.objects.get()
    client_for(people.focal).post(f"/en/tokens/{stored.pk}/revoke/")
    response = _post(token, GOOD_FLOWS.encode(), lang="es")
    assert response.status_code == 401 and "revocada" in response.json()["detail"]
    assert response.json()["en"].startswith("This API token has been revoked")
    assert not Upload.objects.exists()
    refused = AuditEvent.objects.get(action="token.refused")
    assert refused.institution == "GTM_IGM" and refused.detail["prefix"] == stored.prefix


def test_guatemalas_token_cannot_read_mexicos_upload(people, make_token):
    gtm_token = make_token(people.focal, people.gtm)
    mex_token = make_token(people.mex_focal, people.mex)
    mexican = _post(mex_token, GOOD_FLOWS.replace(",GTM,", ",MEX,").encode(), check_only="1")
    upload_id = mexican.json()["id"]
    assert _get(mex_token, upload_id).status_code == 200
    refused = _get(gtm_token, upload_id)
    assert refused.status_code == 404
    assert "MEX" not in refused.content.decode() and "datos.csv" not in refused.content.decode()
    unknown = _get(gtm_token, "7d0c4b7e-0000-4000-8000-000000000000")
    assert unknown.status_code == 404 and unknown.json()["detail"] == refused.json()[
        "detail"
    ].replace(upload_id, "7d0c4b7e-0000-4000-8000-000000000000")


def test_an_oversize_file_is_413_and_nothing_is_kept(people, make_token, settings):
    token = make_token(people.focal, people.gtm)
    settings.PRIMI_UPLOAD_MAX_BYTES = len(GOOD_FLOWS) - 1
    response = _post(token, GOOD_FLOWS.encode(), lang="en")
    assert response.status_code == 413
    assert f"the limit is {len(GOOD_FLOWS) - 1}" in response.json()["detail"]
    assert not Upload.objects.exists()
    assert not AuditEvent.objects.filter(action="upload.created").exists()


def test_a_declared_length_far_over_the_limit_is_refused_before_reading(people, make_token):
    token = make_token(people.focal, people.gtm)
    response = Client().generic(
        "POST",
        "/api/submissions",
        b"",
        content_type="multipart/form-data; boundary=x",
        headers={"Authorization": f"Bearer {token}"},
        CONTENT_LENGTH=str(10 * 1024**3),
    )
    assert response.status_code == 413


def test_a_request_without_a_file_says_how_to_send_one(people, make_token):
    token = make_token(people.focal, people.gtm)
    response = Client().post(
        "/api/submissions", {"check_only": "true"}, headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400 and "'file'" in response.json()["en"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", "GTM_IGM no es responsable del flujo de datos DF_REMITTANCES; puede enviar: "),
        ("en", "GTM_IGM is not responsible for dataflow DF_REMITTANCES; it may send: "),
    ],
)
def test_a_dataflow_the_institution_does_not_send_is_refused(people, make_token, lang, words):
    token = make_token(people.focal, people.gtm)
    response = _post(token, REMITTANCES.encode(), name="remesas.csv", lang=lang)
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "failed" and body["dataflow"] == "DF_REMITTANCES"
    assert body["message"].startswith("remesas.csv: ") and words in body["message"]
    assert "DF_FLOWS, DF_IRREGULAR, DF_RETURNS, DF_SAFETY." in body["message"]
    report = _get(token, body["id"], lang=lang).json()["report"]
    assert report["refused"]["rule"] == "L0_INSTITUTION_DATAFLOW"
    assert report["file"] == "remesas.csv" and report["dataflow"] == "DF_REMITTANCES"
    assert not Submission.objects.exists()


def test_a_token_limited_to_a_dataflow_refuses_another_in_one_read(people, make_token, monkeypatch):
    token = make_token(people.focal, people.gtm, dataflows=("DF_FLOWS",))
    reads, checks = [], []
    real_read = submission_file.read_any
    monkeypatch.setattr(
        submission_file, "read_any", lambda *a, **k: reads.append(a) or real_read(*a, **k)
    )
    monkeypatch.setattr(submission_file, "check_level_1", lambda *a, **k: checks.append(a))
    response = _post(token, RETURNS.encode(), lang="en")
    assert response.status_code == 202
    body = response.json()
    assert body["state"] == "failed" and body["dataflow"] == "DF_RETURNS"
    assert (
        "this API token may not send dataflow DF_RETURNS; it may send: DF_FLOWS."
        in (body["message"])
    )
    assert len(reads) == 1 and not checks
    report = _get(token, body["id"]).json()["report"]
    assert report["refused"]["rule"] == "L0_TOKEN_DATAFLOW"
    assert (
        "esta clave de API no puede enviar el flujo de datos DF_RETURNS"
        in (report["refused"]["es"])
    )
    assert not Submission.objects.exists()


def test_a_tokens_limit_never_widens_its_institution(people, make_token):
    """A limit written before the institution lost a dataflow does not give it back."""
    token = make_token(people.focal, people.gtm, dataflows=("DF_RETURNS",))
    people.gtm.dataflows = ["DF_FLOWS"]
    people.gtm.save()
    body = _post(token, RETURNS.encode(), lang="en").json()
    assert body["state"] == "failed"
    assert (
        "GTM_IGM is not responsible for dataflow DF_RETURNS; it may send no dataflow."
        in (body["message"])
    )
    assert not Submission.objects.exists()


def test_a_token_limited_to_the_files_dataflow_sends_it(people, make_token):
    token = make_token(people.focal, people.gtm, dataflows=("DF_FLOWS", "DF_RETURNS"))
    response = _post(token, GOOD_FLOWS.encode())
    assert response.json()["state"] == "done"
    assert Upload.objects.get().submission is not None


def test_a_limited_tokens_unreadable_file_gets_the_usual_report(people, make_token):
    token = make_token(people.focal, people.gtm, dataflows=("DF_FLOWS",))
    response = _post(token, b"\x89PNG\r\n\x1a\n\x00\x00", name="x.csv", lang="en")
    body = _get(token, response.json()["id"]).json()
    assert body["state"] == "failed" and body["report"]["refused"]["rule"] == "L0_FORMAT"


def test_errors_are_refused_like_on_the_site(people, make_token):
    token = make_token(people.focal, people.gtm)
    response = _post(token, BAD_FLOWS.encode(), lang="en")
    body = _get(token, response.json()["id"]).json()
    assert body["report"]["summary"]["errors"] == 1 and not Submission.objects.exists()


def test_the_api_needs_no_csrf_token_but_a_bearer_one(people, make_token):
    token = make_token(people.focal, people.gtm)
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.focal)  # a session alone is not enough
    data = {"file": SimpleUploadedFile("d.csv", GOOD_FLOWS.encode())}
    assert client.post("/api/submissions", data).status_code == 401
    data = {"file": SimpleUploadedFile("d.csv", GOOD_FLOWS.encode()), "check_only": "1"}
    sent = client.post("/api/submissions", data, headers={"Authorization": f"Bearer {token}"})
    assert sent.status_code == 202


def test_the_stored_file_is_the_one_sent(people, make_token):
    token = make_token(people.focal, people.gtm)
    content = (HEADER + GOOD_FLOWS.splitlines()[1] + "\n").encode()
    upload = Upload.objects.get(pk=_post(token, content, check_only="on").json()["id"])
    with upload.file.open("rb") as fh:
        assert hashlib.sha256(fh.read()).digest() == hashlib.sha256(content).digest()
