"""Sending a file through the site: members only, check only changes nothing, reports in ES/EN."""

import html

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from region_people import MIGRATION_FLOWS

from primi.audit.models import AuditEvent
from primi.store.models import Observation, Submission
from primi.workflow.models import Institution, Membership, Role, Upload

pytestmark = pytest.mark.django_db

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)
GOOD = HEADER + "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,EVENTS\n"
BAD = GOOD + "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,ZZZ,_T,_T,_T,2024-01,12,EV,EVENTS\n"


@pytest.fixture
def focal(settings, tmp_path) -> Client:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    user = get_user_model().objects.create_user("focal", password="a long passphrase 42")
    gtm = Institution.objects.create(
        code="GTM_IGM", name="IGM", country="GTM", dataflows=MIGRATION_FLOWS
    )
    Institution.objects.create(code="MEX_UPM", name="UPM", country="MEX", dataflows=MIGRATION_FLOWS)
    Membership.objects.create(user=user, institution=gtm)
    client = Client()
    client.force_login(user)
    return client


def _send(client: Client, text: str, check_only: bool, lang: str = "es"):
    gtm = Institution.objects.get(code="GTM_IGM")
    data = {"institution": gtm.pk, "file": SimpleUploadedFile("datos.csv", text.encode())}
    if check_only:
        data["check_only"] = "on"
    return client.post(f"/{lang}/submissions/new/", data, follow=True)


def test_sign_in_is_required():
    response = Client().get("/es/submissions/new/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_only_the_members_institutions_are_offered(focal):
    page = focal.get("/en/submissions/new/").content.decode()
    assert "GTM_IGM" in page and "MEX_UPM" not in page


def test_check_only_changes_nothing_and_reports(focal):
    response = _send(focal, GOOD, check_only=True)
    page = response.content.decode()
    assert "Solo comprobación" in page
    assert Submission.objects.count() == 0 and Observation.objects.count() == 0
    upload = Upload.objects.get()
    assert upload.state == Upload.State.DONE and upload.submission is None


def test_a_good_file_is_loaded_as_a_draft(focal):
    _send(focal, GOOD, check_only=False)
    upload = Upload.objects.get()
    assert upload.submission is not None and upload.submission.state == "draft"
    assert upload.submission.provider == "GTM_IGM" and upload.submission.file_name == "datos.csv"


def test_errors_are_reported_in_the_readers_language_and_nothing_loads(focal):
    es = _send(focal, BAD, check_only=False, lang="es").content.decode()
    assert "«ZZZ» no es un código de CL_AREA" in es and "No se cargó nada" in es
    upload = Upload.objects.get()
    en = html.unescape(focal.get(f"/en/submissions/{upload.pk}/").content.decode())
    assert "'ZZZ' is not a code of CL_AREA" in en and "Nothing was loaded" in en
    assert Observation.objects.count() == 0
    report = focal.get(f"/en/submissions/{upload.pk}/report.json").json()["report"]
    assert report["summary"]["errors"] >= 1
    assert any(f["rule"] == "L1_CODE" and f["row"] == 3 for f in report["findings"])


def test_a_refused_file_says_why(focal):
    page = _send(focal, "\x89PNG\r\n\x1a\n\x00\x00", check_only=True).content.decode()
    assert "El archivo fue rechazado" in page or "rechaz" in page
    assert "no es de texto ni un libro .xlsx" in page
    assert Upload.objects.get().state == Upload.State.FAILED


REMITTANCES = HEADER + "PRIMI:DF_REMITTANCES(1.0),Q,GTM,REM_IN,USA,_T,_T,_T,2024-Q1,9,USD,_Z\n"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        (
            "es",
            "datos.csv: el archivo es del flujo de datos DF_REMITTANCES, pero GTM_IGM no es "
            "responsable del flujo de datos DF_REMITTANCES; puede enviar: DF_FLOWS, "
            "DF_IRREGULAR, DF_RETURNS, DF_SAFETY.",
        ),
        (
            "en",
            "datos.csv: the file is of dataflow DF_REMITTANCES, but GTM_IGM is not responsible "
            "for dataflow DF_REMITTANCES; it may send: DF_FLOWS, DF_IRREGULAR, DF_RETURNS, "
            "DF_SAFETY.",
        ),
    ],
)
def test_a_dataflow_the_institution_does_not_send_is_refused(focal, lang, words):
    """Guatemala's migration institute sends no remittances: the central bank does."""
    for check_only in (True, False):
        page = html.unescape(_send(focal, REMITTANCES, check_only, lang=lang).content.decode())
        assert words in page
    assert {u.state for u in Upload.objects.all()} == {Upload.State.FAILED}
    report = Upload.objects.first().report
    assert report["refused"]["rule"] == "L0_INSTITUTION_DATAFLOW"
    assert report["dataflow"] == "DF_REMITTANCES" and report["file"] == "datos.csv"
    assert not Submission.objects.exists() and not Observation.objects.exists()


def test_an_institution_with_no_dataflow_named_sends_nothing(focal):
    Institution.objects.filter(code="GTM_IGM").update(dataflows=[])
    page = html.unescape(_send(focal, GOOD, check_only=False, lang="en").content.decode())
    assert "GTM_IGM is not responsible for dataflow DF_FLOWS; it may send no dataflow." in page
    assert not Submission.objects.exists()


def test_another_institutions_upload_is_invisible(focal):
    _send(focal, GOOD, check_only=True)
    upload = Upload.objects.get()
    other = get_user_model().objects.create_user("mex", password="another passphrase 42")
    Membership.objects.create(user=other, institution=Institution.objects.get(code="MEX_UPM"))
    client = Client()
    client.force_login(other)
    assert client.get(f"/es/submissions/{upload.pk}/").status_code == 404
    assert client.get(f"/es/submissions/{upload.pk}/report.json").status_code == 404
    assert "datos.csv" not in client.get("/es/submissions/new/").content.decode()


def _filled_template(path, lang: str):
    """A GTM DF_FLOWS template filled as a user would: one good row, one unknown country."""
    import openpyxl

    from primi.ingest.template import SHEETS, write_template

    write_template("DF_FLOWS", "GTM", lang, path)
    book = openpyxl.load_workbook(path)
    data = book[SHEETS[lang]["data"]]
    data.append(["M", "ENTRY", "MEX", "_T", "_T", "_T", "2024-01", 10])  # row 4
    data.append(["M", "ENTRY", "ZZZ", "_T", "_T", "_T", "2024-01", 12])  # row 5
    book.save(path)
    return path


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a_workbook_comes_back_with_the_bad_cell_marked(focal, tmp_path, lang):
    import openpyxl

    path = _filled_template(tmp_path / "plantilla.xlsx", lang)
    gtm = Institution.objects.get(code="GTM_IGM")
    with path.open("rb") as fh:
        upload = SimpleUploadedFile("plantilla.xlsx", fh.read())
    page = focal.post(
        f"/{lang}/submissions/new/", {"institution": gtm.pk, "file": upload}, follow=True
    ).content.decode()
    assert "annotated.xlsx" in page
    sent = Upload.objects.get()
    response = focal.get(f"/{lang}/submissions/{sent.pk}/annotated.xlsx")
    assert response.status_code == 200
    out = tmp_path / "back.xlsx"
    out.write_bytes(b"".join(response.streaming_content))
    book = openpyxl.load_workbook(out)
    data = next(ws for ws in book.worksheets if ws["C5"].value == "ZZZ")
    assert data["C5"].comment is not None and "ZZZ" in data["C5"].comment.text
    assert data["C5"].fill.fill_type == "solid" and data["C5"].fill.fgColor.rgb == "FFFFC7CE"
    assert data["C4"].comment is None
    word = "no es un código" if lang == "es" else "is not a code"
    assert word in data["C5"].comment.text
    assert Observation.objects.count() == 0


def test_the_template_page_gives_a_workbook_for_the_chosen_country(tmp_path):
    from python_calamine import CalamineWorkbook

    page = Client().get("/es/templates/").content.decode()
    assert "La región" in page and "Guatemala" in page
    response = Client().get("/es/templates/?dataflow=DF_RETURNS&country=HND&lang=es")
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('PRIMI_DF_RETURNS_HND_es.xlsx"')
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert len(names) >= 4
    bad = Client().get("/es/templates/?dataflow=DF_NOPE&country=HND&lang=es")
    assert bad.status_code == 200 and "errorlist" in bad.content.decode()


WARNED = HEADER + "PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,10,EV,PERSONS\n"


def test_warnings_need_an_explanation_which_is_kept_with_the_revision(focal):
    page = _send(focal, WARNED, check_only=False, lang="es").content.decode()
    assert "L1_COUNTING_BASIS" in page and "Explique las advertencias" in page
    first = Upload.objects.get()
    assert first.submission is None and first.report["unexplained"] == ["L1_COUNTING_BASIS"]
    empty = focal.post(f"/es/submissions/{first.pk}/explain/", {"L1_COUNTING_BASIS": " "})
    assert empty.status_code == 200 and Upload.objects.count() == 1
    why = "La dirección cuenta personas desde 2024: cambio de sistema de registro."
    focal.post(f"/es/submissions/{first.pk}/explain/", {"L1_COUNTING_BASIS": why}, follow=True)
    second = Upload.objects.exclude(pk=first.pk).get()
    assert second.submission is not None and second.file.name == first.file.name
    assert second.submission.notes["explanations"] == {"L1_COUNTING_BASIS": why}
    assert second.submission.notes["override"] is False
    event = AuditEvent.objects.get(action="upload.explained")
    assert event.detail["rules"] == ["L1_COUNTING_BASIS"] and event.user == second.user


def test_only_a_steward_may_accept_warnings_without_explaining(focal):
    _send(focal, WARNED, check_only=False)
    first = Upload.objects.get()
    focal.post(f"/es/submissions/{first.pk}/explain/", {"override": "on"})
    assert Upload.objects.count() == 1  # a focal point cannot override
    staff = get_user_model().objects.create_user("staff", password="x", is_staff=True)
    staff_client = Client()
    staff_client.force_login(staff)  # Django's staff flag is not a PRIMI role: no access at all
    assert (
        staff_client.post(f"/es/submissions/{first.pk}/explain/", {"override": "on"}).status_code
        == 404
    )
    assert Upload.objects.count() == 1
    steward = get_user_model().objects.create_user("steward", password="x")
    Role.objects.create(user=steward, kind=Role.Kind.STEWARD)  # regional: no membership needed
    client = Client()
    client.force_login(steward)
    client.post(f"/es/submissions/{first.pk}/explain/", {"override": "on"})
    second = Upload.objects.exclude(pk=first.pk).get()
    assert second.submission is not None and second.submission.notes["override"] is True
    [event] = AuditEvent.objects.filter(action="upload.explained")
    assert (event.username, event.object_id, event.institution) == (
        "steward",
        str(second.pk),
        first.institution.code,
    )
    assert event.detail == {"rules": [], "override": True, "checked": str(first.pk)}


def test_coordinators_read_their_countrys_reports_and_act_on_none(focal):
    _send(focal, WARNED, check_only=False)
    upload = Upload.objects.get()
    users = get_user_model().objects
    own, other = users.create_user("coord-gtm", password="x"), users.create_user("coord-hnd")
    Role.objects.create(user=own, kind=Role.Kind.COORDINATOR, country="GTM")
    Role.objects.create(user=other, kind=Role.Kind.COORDINATOR, country="HND")
    guatemala, honduras = Client(), Client()
    guatemala.force_login(own)
    honduras.force_login(other)
    assert guatemala.get(f"/es/submissions/{upload.pk}/").status_code == 200
    assert guatemala.get(f"/es/submissions/{upload.pk}/report.json").json()["id"] == str(upload.pk)
    assert honduras.get(f"/es/submissions/{upload.pk}/").status_code == 404
    assert honduras.get(f"/es/submissions/{upload.pk}/report.json").status_code == 404
    explained = {"L1_COUNTING_BASIS": "Coordinator tries to explain"}
    assert guatemala.post(f"/es/submissions/{upload.pk}/explain/", explained).status_code == 404
    assert Upload.objects.count() == 1


def test_sending_a_file_is_in_the_audit_trail(focal):
    _send(focal, GOOD, check_only=True)
    upload = Upload.objects.get()
    event = AuditEvent.objects.get(action="upload.created")
    assert event.object_id == str(upload.pk) and event.institution == "GTM_IGM"
    assert event.summary == upload.original_name and event.ip
