"""Obligations: due dates per frequency, received/late/missing from real store submissions,
completeness and timeliness, and who may see the calendar page."""

import datetime as dt
import html

import pyarrow as pa
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from primi.deadlines.arrivals import State, obligation_status, status
from primi.deadlines.demo import demo_obligations
from primi.deadlines.figures import calendars
from primi.deadlines.models import Obligation
from primi.deadlines.schedule import expected
from primi.standard.frame import conform
from primi.store.loading import load_frame
from primi.store.models import Submission
from primi.workflow.models import Institution, Membership, Role

pytestmark = pytest.mark.django_db

D = dt.date


def _send(provider: str, country: str, periods: list[str], sent: dt.datetime, publish=False):
    """A real store submission of DF_FLOWS for `country`, created at `sent`."""
    freq = "A" if len(periods[0]) == 4 else ("Q" if "Q" in periods[0] else "M")
    rows = [
        {"FREQ": freq, "REF_AREA": country, "INDICATOR": "ENTRY", "COUNTERPART_AREA": "_T",
         "SEX": "_T", "AGE": "_T", "POP_GROUP": "_T", "TIME_PERIOD": period, "OBS_VALUE": 10.0,
         "UNIT_MEASURE": "EV", "COUNTING_BASIS": "EVENTS", "SOURCE_INST": provider,
         "SOURCE_ROW": n}
        for n, period in enumerate(periods, start=1)
    ]  # fmt: skip
    table = conform(pa.table({name: [r[name] for r in rows] for name in rows[0]}))
    result = load_frame(
        table, provider=provider, dataflow="DF_FLOWS", file_name="x.csv", publish=publish
    )
    Submission.objects.filter(pk=result.submission.pk).update(created_at=sent)
    return result.submission.pk


def _at(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 15, tzinfo=dt.UTC)


@pytest.fixture
def institutions() -> dict[str, Institution]:
    return {
        code: Institution.objects.create(code=code, name=code, country=code[:3])
        for code in ("GTM_IGM", "GTM_INE", "MEX_UPM", "HND_INM")
    }


def test_due_dates_for_monthly_quarterly_and_annual() -> None:
    monthly = Obligation(dataflow="DF_FLOWS", country="GTM", frequency="M", lag_days=30)
    assert [(e.period, e.due) for e in expected(monthly, D(2024, 2, 1), D(2024, 4, 30))] == [
        ("2024-01", D(2024, 3, 1)),  # 31 Jan + 30 days
        ("2024-02", D(2024, 3, 30)),  # 29 Feb (leap year) + 30
        ("2024-03", D(2024, 4, 30)),
    ]
    quarterly = Obligation(dataflow="DF_FLOWS", country="GTM", frequency="Q", lag_days=45)
    assert [(e.period, e.due) for e in expected(quarterly, D(2024, 1, 1), D(2024, 12, 31))] == [
        ("2023-Q4", D(2024, 2, 14)),
        ("2024-Q1", D(2024, 5, 15)),
        ("2024-Q2", D(2024, 8, 14)),
        ("2024-Q3", D(2024, 11, 14)),
    ]
    annual = Obligation(dataflow="DF_STOCKS", country="GTM", frequency="A", lag_days=180)
    assert [(e.period, e.due) for e in expected(annual, D(2023, 6, 29), D(2025, 6, 28))] == [
        ("2022", D(2023, 6, 29)),
        ("2023", D(2024, 6, 28)),
    ]
    assert expected(annual, D(2023, 6, 30), D(2024, 6, 27)) == []


def test_received_late_missing_and_pending_from_the_store(institutions) -> None:
    ob = Obligation.objects.create(dataflow="DF_FLOWS", country="GTM", frequency="M", lag_days=30)
    today = D(2024, 5, 10)
    # January on time (due 1 Mar), in a draft; February late (due 30 Mar), published.
    on_time = _send("GTM_IGM", "GTM", ["2024-01"], _at(D(2024, 2, 20)))
    _send("GTM_INE", "GTM", ["2024-02"], _at(D(2024, 4, 2)), publish=True)
    # March (due 30 Apr): only MEX's data for GTM's neighbour, and a GTM file about MEX.
    _send("MEX_UPM", "MEX", ["2024-03"], _at(D(2024, 4, 1)))
    _send("GTM_IGM", "MEX", ["2024-03"], _at(D(2024, 4, 1)))
    # A later resubmission of January does not make it late.
    _send("GTM_IGM", "GTM", ["2024-01"], _at(D(2024, 4, 20)))
    jan = obligation_status(ob, "2024-01", today)
    assert (jan.state, jan.submission, jan.due) == (State.RECEIVED, on_time, D(2024, 3, 1))
    assert obligation_status(ob, "2024-02", today).state == State.LATE
    assert obligation_status(ob, "2024-03", today).state == State.MISSING
    assert obligation_status(ob, "2024-04", D(2024, 5, 10)).state == State.PENDING
    assert status("GTM", "DF_FLOWS", "2024-03").state == State.PENDING, "no due date, no lateness"
    assert status("GTM", "DF_RETURNS", "2024-01").received_at is None
    # An obligation of one institution counts only its files.
    ine = Obligation.objects.create(
        dataflow="DF_FLOWS", country="GTM", frequency="M", lag_days=30,
        institution=institutions["GTM_INE"],
    )  # fmt: skip
    assert obligation_status(ine, "2024-01", today).state == State.MISSING
    assert obligation_status(ine, "2024-02", today).state == State.LATE


def test_completeness_and_timeliness_count_only_what_is_due(institutions) -> None:
    Obligation.objects.create(dataflow="DF_FLOWS", country="GTM", frequency="M", lag_days=30)
    _send("GTM_IGM", "GTM", ["2024-01"], _at(D(2024, 2, 20)))
    _send("GTM_IGM", "GTM", ["2024-02"], _at(D(2024, 4, 2)))
    (gtm,) = calendars(["GTM"], D(2024, 1, 1), D(2024, 12, 31), today=D(2024, 5, 10))
    periods = [line.status.period for line in gtm.lines]
    assert periods == [f"2024-{m:02d}" for m in range(11, 0, -1)] + ["2023-12"], "latest due first"
    assert (gtm.due, gtm.received, gtm.on_time) == (4, 2, 1)  # Dec..Mar were due by 10 May
    assert gtm.completeness == pytest.approx(2 / 4) and gtm.timeliness == pytest.approx(1 / 4)
    (hnd,) = calendars(["HND"], D(2024, 1, 1), D(2024, 12, 31), today=D(2024, 5, 10))
    assert hnd.lines == () and hnd.completeness is None


def _client(name: str, institution: str | None = None, coordinates: str = "", steward=False):
    user = get_user_model().objects.create_user(name)
    if institution:
        Membership.objects.create(user=user, institution=Institution.objects.get(code=institution))
    if coordinates:
        Role.objects.create(user=user, kind=Role.Kind.COORDINATOR, country=coordinates)
    if steward:
        Role.objects.create(user=user, kind=Role.Kind.STEWARD)
    client = Client()
    client.force_login(user)
    return client


def test_calendar_page_scope_and_formatting(institutions) -> None:
    for country in ("GTM", "MEX", "HND"):
        Obligation.objects.create(dataflow="DF_FLOWS", country=country, frequency="M", lag_days=30)
    today = dt.datetime.now(dt.UTC).date()
    month = today.replace(day=1)
    for _ in range(3):
        month = (month - dt.timedelta(days=1)).replace(day=1)
    # GTM sent the month three months back on time (due well before today), and nothing else.
    _send("GTM_IGM", "GTM", [f"{month:%Y-%m}"], _at(month + dt.timedelta(days=35)))

    anonymous = Client().get("/es/calendar/")
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]
    assert _client("nobody").get("/es/calendar/").status_code == 404

    provider = _client("focal-gtm", institution="GTM_IGM")
    page = html.unescape(provider.get("/es/calendar/").content.decode())
    assert 'id="country-GTM"' in page and 'id="country-MEX"' not in page
    assert "recibido a tiempo" in page and "falta" in page
    assert provider.get("/es/calendar/?country=MEX").status_code == 404
    assert provider.get("/es/calendar/?country=GTM").status_code == 200

    coordinator = _client("coord-mex", coordinates="MEX")
    page = html.unescape(coordinator.get("/en/calendar/").content.decode())
    assert 'id="country-MEX"' in page and 'id="country-GTM"' not in page
    assert coordinator.get("/en/calendar/?country=GTM").status_code == 404

    steward = _client("steward", steward=True)
    page = html.unescape(steward.get("/en/calendar/").content.decode())
    assert all(f'id="country-{c}"' in page for c in ("GTM", "HND", "MEX"))
    # The default window: due dates in the last 365 days count, one of them received on time.
    gtm_due = sum(
        1 for e in expected(Obligation.objects.get(country="GTM"), today - dt.timedelta(365),
                            today - dt.timedelta(1))
    )  # fmt: skip
    share = 100 / gtm_due
    spanish = html.unescape(steward.get("/es/calendar/?country=GTM").content.decode())
    english = html.unescape(steward.get("/en/calendar/?country=GTM").content.decode())
    assert f"{share:.1f}".replace(".", ",") + "\xa0%" in spanish
    assert f"{share:.1f}%" in english
    french = html.unescape(steward.get("/fr/calendar/?country=GTM").content.decode())
    assert f"{share:.1f}".replace(".", ",") + "\xa0%" in french

    bad = steward.get("/en/calendar/?start=2024-13-01&end=2020-01-01")
    assert bad.status_code == 400 and "Write a date as YYYY-MM-DD." in bad.content.decode()
    reversed_ = steward.get("/es/calendar/?start=2024-06-01&end=2024-01-01")
    assert reversed_.status_code == 400
    assert "La última fecha es anterior a la primera." in html.unescape(reversed_.content.decode())


def test_demo_obligations_are_created_once(institutions) -> None:
    Institution.objects.create(
        code="CRI_DGME", name="DGME", country="CRI", dataflows=["DF_FLOWS", "DF_RETURNS"]
    )
    Institution.objects.filter(code="GTM_IGM").update(dataflows=["DF_FLOWS", "DF_RETURNS"])
    Institution.objects.filter(code="GTM_INE").update(dataflows=["DF_STOCKS"])
    created = demo_obligations()
    assert created == Obligation.objects.count() > 0
    assert demo_obligations() == 0
    flows = Obligation.objects.get(country="GTM", dataflow="DF_FLOWS")
    assert (flows.frequency, flows.institution.code) == ("M", "GTM_IGM")
    stocks = Obligation.objects.get(country="GTM", dataflow="DF_STOCKS")
    assert (stocks.frequency, stocks.institution.code) == ("A", "GTM_INE")
    assert Obligation.objects.get(country="MEX", dataflow="DF_STOCKS").institution is None
    # Owed by whoever is responsible for the dataflow, whatever the institution's kind.
    assert Obligation.objects.get(country="CRI", dataflow="DF_RETURNS").institution.code == (
        "CRI_DGME"
    )
    assert Obligation.objects.get(country="CRI", dataflow="DF_SAFETY").institution is None
    assert not Obligation.objects.filter(dataflow="DF_DERIVED").exists()
    assert set(Obligation.objects.values_list("country", flat=True)) == {
        "CRI", "GTM", "HND", "MEX", "PAN"
    }  # fmt: skip
