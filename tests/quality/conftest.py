"""The workflow's people (tests/region_people.py), for the level-4 runs a steward's move starts,
and `scored`: mirrors with known gaps, a full level-4 run and Guatemala's calendar, for the
scorecard pages and reports."""

import pytest
from mirror_data import BEYOND, load_mirrors
from region_people import people  # noqa: F401 - a fixture

from primi.deadlines.models import Obligation
from primi.quality.runs import run_level4
from primi.workflow.models import Institution


@pytest.fixture
def scored(people, tmp_path):  # noqa: F811 - the fixture above
    """Mirrors with three gaps beyond tolerance (`BEYOND`), a full level-4 run, and Guatemala's
    calendar of monthly returns."""
    sender = Institution.objects.create(
        code="GTM_MIGRACION", name="Migración", country="GTM", dataflows=["DF_RETURNS"]
    )
    load_mirrors(tmp_path, BEYOND)
    run_level4()
    Obligation.objects.create(
        dataflow="DF_RETURNS", country="GTM", frequency="M", lag_days=30, institution=sender
    )
    return people
