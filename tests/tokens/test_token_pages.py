"""Token pages: stored hashed, shown once, created and revoked only for one's own institutions."""

from __future__ import annotations

import hashlib
import html

import pytest
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from region_people import client_for
from token_people import TOKEN_TEXT

from primi.audit.models import AuditEvent
from primi.tokens.models import ApiToken

pytestmark = pytest.mark.django_db


def _every_stored_text() -> str:
    """Every value of every row of every table, as text: where a secret could hide."""
    parts = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            parts.extend(repr(row) for row in cursor.fetchall())
    return "\n".join(parts)


def test_the_database_never_holds_the_secret(people, make_token):
    text = make_token(people.focal, people.gtm)
    token = ApiToken.objects.get()
    prefix, secret = text.split("_", 2)[1:]
    assert token.prefix == prefix and token.digest == hashlib.sha256(text.encode()).hexdigest()
    stored = _every_stored_text()
    assert secret not in stored and text not in stored
    assert prefix in stored  # the search did read the token's row


def test_the_token_is_shown_once(people):
    client = client_for(people.focal)
    created = client.post("/es/tokens/new/", {"institution": people.gtm.pk, "name": "etl"})
    text = TOKEN_TEXT.search(created.content.decode()).group(0)
    assert created["Cache-Control"] == "no-store"
    assert "no se volverá a mostrar" in created.content.decode()
    later = client.get("/es/tokens/").content.decode()
    secret = text.split("_", 2)[2]
    assert secret not in later and f"primi_{text.split('_')[1]}_" in later
    assert not any(secret in s.session_data for s in Session.objects.all())


def test_a_provider_lists_only_their_institutions_tokens(people, make_token):
    make_token(people.focal, people.gtm, name="guatemala-etl")
    make_token(people.mex_focal, people.mex, name="mexico-etl")
    gtm_page = client_for(people.focal).get("/en/tokens/").content.decode()
    assert "guatemala-etl" in gtm_page and "mexico-etl" not in gtm_page
    steward_page = client_for(people.steward).get("/en/tokens/").content.decode()
    assert "guatemala-etl" in steward_page and "mexico-etl" in steward_page


def test_guatemala_cannot_create_a_token_for_mexico(people):
    client = client_for(people.focal)
    response = client.post("/en/tokens/new/", {"institution": people.mex.pk, "name": "x"})
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not TOKEN_TEXT.search(response.content.decode())
    page = client.get("/en/tokens/").content.decode()
    assert "MEX_UPM" not in page


def test_guatemalas_coordinator_acts_for_guatemalan_institutions_only(people, make_token):
    make_token(people.coordinator, people.gtm_ine, name="ine")
    assert ApiToken.objects.get().institution == people.gtm_ine
    client = client_for(people.coordinator)
    refused = client.post("/en/tokens/new/", {"institution": people.mex.pk, "name": "x"})
    assert refused.status_code == 400 and ApiToken.objects.count() == 1


def test_revoking_is_for_the_institutions_own_people(people, make_token):
    make_token(people.mex_focal, people.mex, name="mexico-etl")
    token = ApiToken.objects.get()
    for outsider in (people.focal, people.coordinator, people.steward):
        response = client_for(outsider).post(f"/en/tokens/{token.pk}/revoke/")
        assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
    response = client_for(people.mex_focal).post(f"/en/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert "revoked" in client_for(people.mex_focal).get("/en/tokens/").content.decode()


def test_a_steward_sees_tokens_but_cannot_create_them(people):
    page = client_for(people.steward).get("/en/tokens/").content.decode()
    assert "Create the token" not in page
    response = client_for(people.steward).post(
        "/en/tokens/new/", {"institution": people.gtm.pk, "name": "x"}
    )
    assert response.status_code == 400 and not ApiToken.objects.exists()


def test_creating_and_revoking_are_in_the_audit_trail(people, make_token):
    make_token(people.focal, people.gtm, name="etl")
    token = ApiToken.objects.get()
    client_for(people.focal).post(f"/es/tokens/{token.pk}/revoke/", REMOTE_ADDR="10.1.2.3")
    created = AuditEvent.objects.get(action="token.created")
    revoked = AuditEvent.objects.get(action="token.revoked")
    for event in (created, revoked):
        assert event.user == people.focal and event.username == "focal-gtm"
        assert event.institution == "GTM_IGM" and event.country == "GTM"
        assert event.object_type == "tokens.apitoken" and event.object_id == str(token.pk)
        assert token.prefix in event.summary
    assert revoked.ip == "10.1.2.3"
    # Revoking twice changes nothing and records nothing more.
    client_for(people.focal).post(f"/es/tokens/{token.pk}/revoke/")
    assert AuditEvent.objects.filter(action="token.revoked").count() == 1


def test_pages_need_sign_in_and_forms_need_csrf(people):
    response = Client().get("/es/tokens/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.focal)
    response = client.post("/es/tokens/new/", {"institution": people.gtm.pk, "name": "x"})
    assert response.status_code == 403 and not ApiToken.objects.exists()


@pytest.mark.parametrize(
    ("lang", "title", "button"),
    [
        ("es", "Claves de API", "Crear la clave"),
        ("en", "API tokens", "Create the token"),
        ("fr", "Jetons d'API", "Créer le jeton"),
    ],
)
def test_the_page_speaks_the_readers_language(people, lang, title, button):
    page = html.unescape(client_for(people.focal).get(f"/{lang}/tokens/").content.decode())
    assert f"<h1>{title}</h1>" in page and button in page


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("es", "GTM_IGM no es responsable de DF_STOCKS: una clave solo puede enviar los flujos"),
        ("en", "GTM_IGM is not responsible for DF_STOCKS: a token may send only the dataflows"),
        ("fr", "GTM_IGM n’est pas responsable de DF_STOCKS : un jeton ne peut envoyer que"),
    ],
)
def test_a_tokens_limit_stays_within_its_institutions_dataflows(people, lang, words):
    """Guatemala's coordinator may pick INE's DF_STOCKS, but not for IGM, which does not send it."""
    client = client_for(people.coordinator)
    data = {"institution": people.gtm.pk, "name": "x", "dataflows": ["DF_FLOWS", "DF_STOCKS"]}
    response = client.post(f"/{lang}/tokens/new/", data)
    assert response.status_code == 400
    assert words in html.unescape(response.content.decode())
    assert not ApiToken.objects.exists()
    page = client.get("/en/tokens/").content.decode()
    assert 'value="DF_STOCKS"' in page and 'value="DF_REMITTANCES"' not in page
    unknown = client.post("/en/tokens/new/", {**data, "dataflows": ["DF_REMITTANCES"]})
    assert unknown.status_code == 400 and "Select a valid choice" in unknown.content.decode()
    data["dataflows"] = ["DF_RETURNS"]
    assert client.post("/en/tokens/new/", data).status_code == 200
    assert ApiToken.objects.get().dataflows == ["DF_RETURNS"]
