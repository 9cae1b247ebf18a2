"""`manage.py remind` also sends digests: a coordinator gets their country's missing and late
submissions, a steward the counts per country; Spanish then English, once a day, read from real
store submissions, through Django's mail backend (locmem in tests)."""

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
from primi.store.models import Submission
from primi.workflow.models import Institution, Membership, Role

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 5, 10)


def _sent(provider: str, country: str, period: str, on: dt.date) -> None:
    """A real store submission of one DF_FLOWS period for `country`, created on `on`."""
    row = {"FREQ": "M", "REF_AREA": country, "INDICATOR": "ENTRY", "COUNTERPART_AREA": "_T",
           "SEX": "_T", "AGE": "_T", "POP_GROUP": "_T", "TIME_PERIOD": period, "OBS_VALUE": 5.0,
           "UNIT_MEASURE": "EV", "COUNTING_BASIS": "EVENTS", "SOURCE_INST": provider,
           "SOURCE_ROW": 1}  # fmt: skip
    table = conform(pa.table({name: [value] for name, value in row.items()}))
    result = load_frame(table, provider=provider, dataflow="DF_FLOWS", file_name=f"{period}.csv")
    at = dt.datetime(on.year, on.month, on.day, 12, tzinfo=dt.UTC)
    Submission.objects.filter(pk=result.submission.pk).update(created_at=at)


def _user(name: str, email: str | None = None, active: bool = True):
    address = f"{name}@example.org" if email is None else email
    return get_user_model().objects.create_user(name, email=address, is_active=active)


@pytest.fixture
def region() -> None:
    igm = Institution.objects.create(
        code="GTM_IGM", name="IGM", country="GTM", dataflows=["DF_FLOWS"]
    )
    Institution.objects.create(code="HND_INM", name="INM", country="HND", dataflows=["DF_FLOWS"])
    # Due 14 Feb (January), 15 Mar (February), 14 Apr (March), 14 May (April).
    Obligation.objects.create(
        dataflow="DF_FLOWS", country="GTM", frequency="M", lag_days=14, institution=igm
    )
    Obligation.objects.create(dataflow="DF_FLOWS", country="HND", frequency="M", lag_days=14)
    _sent("GTM_IGM", "GTM", "2024-01", dt.date(2024, 2, 1))  # on time
    _sent("GTM_IGM", "GTM", "2024-02", dt.date(2024, 3, 20))  # late
    _sent("HND_INM", "GTM", "2024-01", dt.date(2024, 2, 1))  # not Guatemala's institution
    coordinator = _user("coord-gtm")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    Membership.objects.create(user=coordinator, institution=igm)  # also a focal point
    Role.objects.create(
        user=_user("coord-hnd", email=""), kind=Role.Kind.COORDINATOR, country="HND"
    )
    Role.objects.create(user=_user("steward"), kind=Role.Kind.STEWARD)
    Role.objects.create(user=_user("gone", active=False), kind=Role.Kind.STEWARD)


def _remind(today: dt.date = TODAY, *args: str) -> str:
    out = StringIO()
    call_command("remind", "--today", today.isoformat(), *args, stdout=out)
    return out.getvalue()


def _digest(address: str, subject_word: str) -> str:
    [message] = [m for m in mail.outbox if m.to == [address] and subject_word in m.subject]
    return message.body


def test_a_coordinator_reads_their_countrys_missing_and_late_submissions(region) -> None:
    said = _remind()
    assert "2 resúmenes enviados." in said and "1 recordatorio enviado." in said
    body = _digest("coord-gtm@example.org", "llegaron tarde")
    spanish, english = body.split("\n\n----------\n\n")
    assert spanish.startswith("Hola, coord-gtm:") and english.startswith("Hello coord-gtm,")
    assert "Guatemala, envíos vencidos en los últimos 90 días:" in spanish
    march, february = dt.date(2024, 4, 14), dt.date(2024, 3, 14)  # 2024 is a leap year
    missing = f"Flujos migratorios y permisos, 2024-03 (GTM_IGM): vencía el {date(march, 'es')}"
    assert f"Faltan:\n- {missing}, no recibido" in spanish
    late = (
        f"Flujos migratorios y permisos, 2024-02 (GTM_IGM): vencía el {date(february, 'es')}, "
        f"recibido el {date(dt.date(2024, 3, 20), 'es')}"
    )
    assert f"Recibidos con retraso:\n- {late}" in spanish
    missing = f"Migration flows and permits, 2024-03 (GTM_IGM): due on {date(march, 'en')}"
    assert f"Missing:\n- {missing}, not received" in english
    assert "2024-01" not in body  # on time: nothing to report
    assert "Honduras" not in body and "2024-04" not in body  # another country; not yet due
    assert "/es/calendar/?country=GTM" in spanish and "/en/calendar/?country=GTM" in english
    # The same person is also reminded as a focal point, separately.
    assert _digest("coord-gtm@example.org", "pendientes de entrega")
    assert Reminder.objects.filter(audience="coordinator").count() == 2
    assert Reminder.objects.filter(audience="focal_point", period="2024-03").count() == 1


def test_a_steward_reads_the_counts_per_country(region) -> None:
    _remind()
    body = _digest("steward@example.org", "resumen regional")
    spanish, english = body.split("\n\n----------\n\n")
    assert "Envíos vencidos en los últimos 90 días, por país:" in spanish
    assert "- Guatemala: faltan 1; recibidos con retraso 1" in spanish
    assert "- Honduras: faltan 3; recibidos con retraso 0" in spanish
    assert "- Honduras: missing 3; received late 0" in english
    assert spanish.index("Guatemala") < spanish.index("Honduras")
    # Neither the coordinator without an address nor an inactive steward gets anything.
    addressed = {address for m in mail.outbox for address in m.to}
    assert addressed == {"coord-gtm@example.org", "steward@example.org"}
    assert Reminder.objects.filter(audience="steward").count() == 5


def test_digests_go_once_a_day(region) -> None:
    _remind()
    count = len(mail.outbox)
    assert "0 resúmenes enviados." in _remind()
    assert len(mail.outbox) == count
    _sent("GTM_IGM", "GTM", "2024-03", dt.date(2024, 5, 10))  # March arrives, late, today
    assert "0 resúmenes enviados." in _remind()  # already reported today, if as missing
    assert "2 resúmenes enviados." in _remind(TODAY + dt.timedelta(days=1), "--digest-days", "60")
    latest = _digest_latest("coord-gtm@example.org")
    assert "Faltan:" not in latest and "Missing:" not in latest
    assert "2024-03 (GTM_IGM)" in latest.split("Recibidos con retraso:")[1]


def _digest_latest(address: str) -> str:
    return [m for m in mail.outbox if m.to == [address] and "llegaron tarde" in m.subject][-1].body


def test_a_window_of_no_days_is_refused(region) -> None:
    with pytest.raises(CommandError, match="1 o más"):
        _remind(TODAY, "--digest-days", "0")
    assert mail.outbox == []
