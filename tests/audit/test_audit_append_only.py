"""Events are appended, never edited or deleted: by the model everywhere, by a trigger on
PostgreSQL; and they say who, what, when and from which address."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.test import Client, RequestFactory

from primi.audit.append_only import AppendOnlyError
from primi.audit.models import AuditEvent
from primi.audit.trail import record

pytestmark = pytest.mark.django_db
on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the trigger exists on PostgreSQL only"
)


def _request(user, **meta):
    request = RequestFactory().post("/es/tokens/new/", **meta)
    request.user = user
    return request


def test_an_event_says_who_what_for_whom_and_from_where(people):
    request = _request(people.focal, REMOTE_ADDR="203.0.113.9")
    event = record(
        request,
        "upload.created",
        obj=people.gtm,
        institution=people.gtm,
        summary="datos.csv",
        rows=3,
    )
    event = AuditEvent.objects.get(pk=event.pk)
    assert (event.user, event.username) == (people.focal, "focal-gtm")
    assert (event.institution, event.country) == ("GTM_IGM", "GTM")
    assert (event.object_type, event.object_id) == ("workflow.institution", str(people.gtm.pk))
    assert event.action == "upload.created" and event.summary == "datos.csv"
    assert event.detail == {"rows": 3} and event.ip == "203.0.113.9" and event.at is not None


def test_a_background_task_records_without_a_request(people):
    event = record(None, "release.done", institution="MEX_UPM", country="MEX")
    assert event.user is None and event.ip is None and event.username == ""
    assert (event.institution, event.country) == ("MEX_UPM", "MEX")


@pytest.mark.parametrize(
    ("trusted", "forwarded", "expected"),
    [
        (False, "198.51.100.1", "10.0.0.2"),
        (True, "198.51.100.1", "198.51.100.1"),
        # The client can write anything before the address our proxy appends.
        (True, "6.6.6.6, 198.51.100.1", "198.51.100.1"),
        (True, "not-an-address", None),
        (True, "", "10.0.0.2"),
    ],
)
def test_the_address_is_forwarded_only_by_a_trusted_proxy(
    people, settings, trusted, forwarded, expected
):
    settings.PRIMI_TRUSTED_PROXY = trusted
    request = _request(people.focal, REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert record(request, "login").ip == expected


def test_the_model_refuses_to_edit_or_delete_an_event(people):
    event = record(None, "token.created", summary="original")
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(summary="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


@on_postgresql
def test_postgresql_refuses_update_and_delete_from_any_sql(people):
    event = record(None, "token.created", summary="original")
    table = AuditEvent._meta.db_table
    for sql in (
        f"UPDATE {table} SET summary = 'rewritten' WHERE id = %s",
        f"UPDATE {table} SET user_id = NULL, summary = 'x' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).summary == "original"


def test_deleting_an_account_keeps_its_events_and_name(people):
    user = get_user_model().objects.create_user("leaving", password="x")
    request = _request(user, REMOTE_ADDR="10.0.0.3")
    event = record(request, "login")
    user.delete()
    event = AuditEvent.objects.get(pk=event.pk)
    assert event.user is None and event.username == "leaving" and event.action == "login"


def test_sign_ins_sign_outs_and_refusals_are_recorded(people):
    client = Client(REMOTE_ADDR="10.9.8.7")
    wrong = {"username": "focal-gtm", "password": "not the password"}
    assert client.post("/es/accounts/login/", wrong).status_code == 200
    failed = AuditEvent.objects.get(action="login.failed")
    assert failed.username == "focal-gtm" and failed.user is None and failed.ip == "10.9.8.7"
    assert "not the password" not in repr(failed.detail) + failed.summary
    right = {"username": "focal-gtm", "password": "a long passphrase 42"}
    assert client.post("/es/accounts/login/", right).status_code == 302
    login = AuditEvent.objects.get(action="login")
    assert login.user == people.focal and login.ip == "10.9.8.7"
    client.post("/es/accounts/logout/")
    assert AuditEvent.objects.get(action="logout").user == people.focal
