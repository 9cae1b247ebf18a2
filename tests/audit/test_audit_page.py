"""The steward's audit page: stewards only, filters, pages, and a CSV export that cannot carry
a formula and is itself recorded."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io

import pytest
from django.test import Client
from django.utils import timezone
from region_people import client_for

from primi.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def _event(action: str, username: str = "", institution: str = "", days_ago: int = 0, **extra):
    return AuditEvent.objects.create(
        action=action,
        username=username,
        institution=institution,
        at=timezone.now() - dt.timedelta(days=days_ago),
        **extra,
    )


def _csv(response) -> tuple[str, list[list[str]]]:
    raw = b"".join(response.streaming_content).decode("utf-8")
    delimiter = ";" if response.wsgi_request.path.startswith(("/es/", "/fr/")) else ","
    return raw, list(csv.reader(io.StringIO(raw.removeprefix("\ufeff")), delimiter=delimiter))


def test_only_stewards_read_the_trail(people):
    for outsider in (people.focal, people.coordinator):
        assert client_for(outsider).get("/es/audit/").status_code == 404
        assert client_for(outsider).get("/es/audit/export.csv").status_code == 404
    anonymous = Client().get("/es/audit/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert client_for(people.steward).get("/es/audit/").status_code == 200
    assert not AuditEvent.objects.filter(action="audit.exported").exists()


@pytest.mark.parametrize(
    ("lang", "title"),
    [("es", "Registro de auditoría"), ("en", "Audit trail"), ("fr", "Journal d'audit")],
)
def test_the_page_speaks_the_readers_language(people, lang, title):
    _event("token.created", "focal-gtm", "GTM_IGM")
    page = html.unescape(client_for(people.steward).get(f"/{lang}/audit/").content.decode())
    assert f"<h1>{title}</h1>" in page and "focal-gtm" in page


def test_filters_by_user_institution_action_and_dates(people):
    _event("token.created", "focal-gtm", "GTM_IGM", summary="gtm-new")
    _event("token.revoked", "focal-gtm", "GTM_IGM", days_ago=10, summary="gtm-old")
    _event("upload.created", "focal-mex", "MEX_UPM", summary="mex-upload")
    client = client_for(people.steward)

    def shown(query: str) -> set[str]:
        page = client.get(f"/en/audit/?{query}").content.decode()
        return {s for s in ("gtm-new", "gtm-old", "mex-upload") if s in page}

    assert shown("") == {"gtm-new", "gtm-old", "mex-upload"}
    assert shown("user=mex") == {"mex-upload"}
    assert shown("institution=gtm_igm") == {"gtm-new", "gtm-old"}
    assert shown("action=token") == {"gtm-new", "gtm-old"}
    assert shown("action=token.revoked") == {"gtm-old"}
    assert shown("action=tok") == set()
    today = timezone.now().date()
    assert shown(f"date_from={today - dt.timedelta(days=2)}") == {"gtm-new", "mex-upload"}
    assert shown(f"date_to={today - dt.timedelta(days=2)}") == {"gtm-old"}


def test_a_wrong_filter_says_so_and_shows_nothing(people):
    _event("login", "focal-gtm", summary="visible")
    client = client_for(people.steward)
    response = client.get("/en/audit/?date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 400
    assert "The start date is after the end date." in response.content.decode()
    assert "visible" not in response.content.decode()
    assert client.get("/es/audit/?date_from=mañana").status_code == 400
    assert client.get("/es/audit/export.csv?date_from=mañana").status_code == 400


def test_events_come_in_pages_newest_first(people):
    for i in range(60):
        AuditEvent.objects.create(
            action="upload.created",
            username=f"user-{i:02d}",
            at=timezone.now() - dt.timedelta(minutes=i),
        )
    client = client_for(people.steward)
    first = client.get("/en/audit/?action=upload").content.decode()
    second = client.get("/en/audit/?action=upload&page=2").content.decode()
    assert "60 events" in first and "Page 1 of 2" in first
    assert "user-00" in first and "user-49" in first and "user-50" not in first
    assert "user-50" in second and "user-59" in second and "user-00" not in second


def test_the_csv_neutralises_formulas_and_keeps_the_filters(people):
    # Anyone can type a formula as a user name at the sign-in form.
    Client().post("/es/accounts/login/", {"username": "=cmd()", "password": "x"})
    _event("token.created", "+plus", "GTM_IGM", summary="@SUM(A1)", detail={"k": "-1"})
    _event("upload.created", "focal-mex", "MEX_UPM")
    response = client_for(people.steward).get("/es/audit/export.csv?action=login.failed")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw, rows = _csv(response)
    assert raw.startswith("\ufeff") and rows[0][0] == "Hora (UTC)"
    assert len(rows) == 2
    assert rows[1][1] == "'=cmd()" and rows[1][4] == "login.failed"
    everything = client_for(people.steward).get("/en/audit/export.csv")
    _, all_rows = _csv(everything)
    cells = [cell for row in all_rows[1:] for cell in row]
    assert "'+plus" in cells and "'@SUM(A1)" in cells and "'=cmd()" in cells
    assert not any(cell.startswith(("=", "+", "-", "@")) for cell in cells)
    assert all_rows[0][0] == "Time (UTC)"


def test_an_export_is_itself_recorded_but_not_in_its_own_file(people):
    _event("login", "focal-gtm", "GTM_IGM")
    response = client_for(people.steward).get(
        "/en/audit/export.csv?institution=GTM_IGM", REMOTE_ADDR="10.2.3.4"
    )
    _, rows = _csv(response)
    exported = AuditEvent.objects.get(action="audit.exported")
    assert exported.user == people.steward and exported.ip == "10.2.3.4"
    assert exported.detail == {"filters": {"institution": "GTM_IGM"}, "events": 1}
    assert [row[4] for row in rows[1:]] == ["login"]
    again = client_for(people.steward).get("/en/audit/export.csv?user=steward")
    _, rows = _csv(again)
    # Newest first: the second sign-in, the first export, the first sign-in.
    assert [row[4] for row in rows[1:]] == ["login", "audit.exported", "login"]
