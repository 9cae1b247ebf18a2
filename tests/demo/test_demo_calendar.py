"""The demo as its institutions sent it: each demo institution's rows are its own submissions,
dated over time, so the demo calendar has received, late, missing and pending periods, read
from the store; the banner still sees the demo provider's data."""

import datetime as dt
import html
from collections import Counter

import pyarrow.compute as pc
import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from primi.deadlines.demo import DEMO_DUTIES, demo_obligations
from primi.deadlines.figures import calendars
from primi.demo import DEMO_PROVIDER, demo_data_present
from primi.demo.generator import SEED, generate
from primi.demo.loading import load_demo
from primi.store.models import Observation, Series, Submission
from primi.workflow.demo_accounts import DEMO_COORDINATOR, create_demo_accounts, demo_senders
from primi.workflow.models import Institution

# A small demo: 2015-2016, and the months and quarters of 2017 over by the loading.
NOW = dt.datetime(2017, 3, 20, 12, tzinfo=dt.UTC)
TODAY = NOW.date()


@pytest.fixture
def demo(db, settings, tmp_path) -> None:  # noqa: ANN001 - pytest fixtures
    settings.PRIMI_HOME = tmp_path
    load_demo(last_year=2016, now=NOW)
    create_demo_accounts()
    demo_obligations()


def test_the_demo_calendar_has_every_state_from_the_store(demo):
    states = Counter()
    countries = ["GTM", "MEX", "HND", "CRI", "PAN"]
    for calendar in calendars(countries, dt.date(2016, 1, 1), dt.date(2017, 6, 30), TODAY):
        states.update(line.status.state for line in calendar.lines)
        for line in calendar.lines:
            status = line.status
            if status.submission is None:
                continue
            sent = Submission.objects.get(pk=status.submission)
            assert sent.created_at == status.received_at and sent.created_at <= NOW
            assert (sent.created_at.date() <= status.due) == (status.state == "received")
            held = Observation.objects.filter(
                submission=sent,
                time_period=status.period,
                series__in=Series.objects.filter(ref_area=calendar.country),
            )
            assert held.exists()
    assert {"received", "late", "missing", "pending"} <= set(states)
    assert states["received"] > states["late"] > 0 and states["missing"] > 0


def test_each_institution_sent_only_its_own_rows(demo):
    frames = dict(generate(seed=SEED, last_year=2016, until=TODAY))
    senders = demo_senders()
    for institution in Institution.objects.all():
        assert institution.dataflows, institution.code
        sent = Submission.objects.filter(provider=institution.code)
        assert {s.dataflow for s in sent} <= set(institution.dataflows)
        for submission in sent:
            areas = set(
                Observation.objects.filter(submission=submission).values_list(
                    "series__ref_area", flat=True
                )
            )
            assert areas == {institution.country}
            assert senders[(institution.country, submission.dataflow)] == institution.code
            assert submission.created_at <= NOW and submission.published_at is not None
    # Nothing is made up: every observation loaded is one the generator made.
    flows = frames["DF_FLOWS"]
    gtm = flows.filter(pc.equal(flows.column("REF_AREA"), "GTM"))
    loaded = Observation.objects.filter(
        submission__provider="GTM_IGM", submission__dataflow="DF_FLOWS"
    )
    assert 0 < loaded.count() <= gtm.num_rows
    assert set(loaded.values_list("time_period", flat=True)) <= set(
        gtm.column("TIME_PERIOD").to_pylist()
    )
    # Other countries and the derived rates stay the demo provider's, so the banner shows.
    assert demo_data_present()
    derived = Submission.objects.get(provider=DEMO_PROVIDER, dataflow="DF_DERIVED")
    assert derived.published_at is not None
    assert "DF_DERIVED" not in DEMO_DUTIES


def test_guatemalas_coordinator_reads_the_demo_calendar(demo):
    client = Client()
    client.force_login(get_user_model().objects.get(username=DEMO_COORDINATOR))
    page = client.get("/en/calendar/?country=GTM&start=2016-01-01&end=2017-03-20")
    assert page.status_code == 200
    text = html.unescape(page.content.decode())
    for label in ("received on time", "received late", "missing"):
        assert f">{label}<" in text, label
    assert 'id="synthetic-banner"' in text
