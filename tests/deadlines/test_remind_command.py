"""`manage.py remind`: one e-mail per focal point per day, Spanish then English, none for data
already received."""

import datetime as dt
from io import StringIO

import pyarrow as pa
import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import CommandError, call_command

from primi.deadlines.models import Obligation, Reminder
from primi.portal.formatting import date
from primi.standard.frame import conform
from primi.store.loading import load_frame
from primi.workflow.models import Institution, Membership, Role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 10)


def _member(name: str, institution: Institution, email: str = "", active: bool = True):
    user = get_user_model().objects.create_user(
        name, email=email or f"{name}@example.org", is_active=active
    )
    Membership.objects.create(user=user, institution=institution)
    return user


@pytest.fixture
def world() -> dict:
    igm = Institution.objects.create(code="GTM_IGM", name="IGM", country="GTM")
    ine = Institution.objects.create(code="GTM_INE", name="INE", country="GTM")
    inm = Institution.objects.create(code="HND_INM", name="INM", country="HND")
    people = {
        "igm": _member("igm", igm),
        "ine": _member("ine", ine),
        "hnd": _member("hnd", inm),
        "no_mail": _member("nomail", igm),
        "gone": _member("gone", igm, active=False),
    }
    get_user_model().objects.filter(username="nomail").update(email="")
    coordinator = get_user_model().objects.create_user("coord", email="coord@example.org")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    for country in ("GTM", "HND"):
        # March due 14 April (overdue), April due 14 May (within 7 days of 10 May).
        Obligation.objects.create(dataflow="DF_FLOWS", country=country, frequency="M", lag_days=14)
    # 2023 due 9 May 2024, owed by the statistics office only.
    Obligation.objects.create(
        dataflow="DF_STOCKS", country="GTM", frequency="A", lag_days=130, institution=ine
    )
    # Guatemala sent March (late, but received).
    rows = [
        {"FREQ": "M", "REF_AREA": "GTM", "INDICATOR": "ENTRY", "COUNTERPART_AREA": "_T",
         "SEX": "_T", "AGE": "_T", "POP_GROUP": "_T", "TIME_PERIOD": "2024-03", "OBS_VALUE": 5.0,
         "UNIT_MEASURE": "EV", "COUNTING_BASIS": "EVENTS", "SOURCE_INST": "GTM_IGM",
         "SOURCE_ROW": 1}
    ]  # fmt: skip
    table = conform(pa.table({name: [r[name] for r in rows] for name in rows[0]}))
    load_frame(table, provider="GTM_IGM", dataflow="DF_FLOWS", file_name="march.csv")
    return people


def _focal_mail() -> list:
    return [m for m in mail.outbox if "pendientes de entrega" in m.subject]


def _remind(today: dt.date = TODAY) -> str:
    out = StringIO()
    call_command("remind", "--today", today.isoformat(), "--back", "40", stdout=out)
    return out.getvalue()


def test_one_message_per_focal_point_and_none_for_received_data(world) -> None:
    assert "3 recordatorios enviados." in _remind()
    by_address = {m.to[0]: m for m in _focal_mail()}
    assert sorted(by_address) == ["hnd@example.org", "igm@example.org", "ine@example.org"]
    igm, ine, hnd = (by_address[f"{n}@example.org"].body for n in ("igm", "ine", "hnd"))
    # Guatemala's March was received: nobody is reminded of it.
    assert "2024-03" not in igm and "2024-03" not in ine
    assert "2024-04" in igm and "2024-04" in ine
    # Only the statistics office owes the stocks.
    assert "2023" in ine and "Poblaciones inmigrante y emigrante" in ine
    assert "Poblaciones" not in igm
    # Honduras is reminded of the overdue March and of April.
    assert "2024-03: vencida desde el " + date(dt.date(2024, 4, 14), "es") in hnd
    assert "2024-03: overdue since " + date(dt.date(2024, 4, 14), "en") in hnd
    assert "2024-04: vence el " + date(dt.date(2024, 5, 14), "es") in hnd
    # Spanish first, then English, in one message.
    assert hnd.index("Hola, hnd:") < hnd.index("Hello hnd,")
    assert "/es/submissions/new/" in hnd and "/en/submissions/new/" in hnd
    # hnd: Mar, Apr; igm: Apr; ine: Apr, 2023
    assert Reminder.objects.filter(audience="focal_point").count() == 2 + 1 + 2
    # Guatemala's coordinator gets a digest, not a reminder (tests/deadlines/test_reminder_digests)
    assert [m.to for m in mail.outbox if m not in _focal_mail()] == [["coord@example.org"]]


def test_nothing_is_sent_twice_on_the_same_day(world) -> None:
    _remind()
    assert len(_focal_mail()) == 3
    assert "0 recordatorios enviados." in _remind()
    assert len(_focal_mail()) == 3
    assert Reminder.objects.filter(audience="focal_point").count() == 5
    _remind(TODAY + dt.timedelta(days=1))
    assert len(_focal_mail()) == 6, "the next day, again"


def test_bad_arguments_are_refused_with_a_message(world) -> None:
    with pytest.raises(CommandError, match="AAAA-MM-DD"):
        call_command("remind", "--today", "10/05/2024")
    with pytest.raises(CommandError, match="0 o más"):
        call_command("remind", "--days", "-1")
    assert mail.outbox == []
