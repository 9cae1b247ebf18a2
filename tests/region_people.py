"""The people of the workflow tests: Guatemala's migration institute and statistics office,
Mexico's migration unit (each responsible for its kind's dataflows), a focal point of each of
Guatemala's institute and Mexico's unit, the coordinators of Guatemala and Honduras, and a
regional steward."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from primi.workflow.models import Institution, Membership, Role

MIGRATION_FLOWS = ["DF_FLOWS", "DF_RETURNS", "DF_IRREGULAR", "DF_SAFETY"]
STATISTICS_FLOWS = ["DF_STOCKS", "DF_SOCIOECON"]

PASSWORD = "a long passphrase 42"


def client_for(user) -> Client:  # noqa: ANN001 - any user model
    """A test client signed in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def region_people() -> SimpleNamespace:
    users = get_user_model().objects

    def user(name: str):  # noqa: ANN202
        return users.create_user(name, password=PASSWORD)

    def institution(code: str, name: str, dataflows: list[str]) -> Institution:
        return Institution.objects.create(
            code=code, name=name, country=code[:3], dataflows=dataflows
        )

    gtm = institution("GTM_IGM", "IGM", MIGRATION_FLOWS)
    gtm_ine = institution("GTM_INE", "INE", STATISTICS_FLOWS)
    mex = institution("MEX_UPM", "UPM", MIGRATION_FLOWS)
    focal, mex_focal = user("focal-gtm"), user("focal-mex")
    Membership.objects.create(user=focal, institution=gtm)
    Membership.objects.create(user=mex_focal, institution=mex)
    coordinator, hnd_coordinator, steward = user("coord-gtm"), user("coord-hnd"), user("steward")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    Role.objects.create(user=hnd_coordinator, kind=Role.Kind.COORDINATOR, country="HND")
    Role.objects.create(user=steward, kind=Role.Kind.STEWARD)
    return SimpleNamespace(gtm=gtm, gtm_ine=gtm_ine, mex=mex, focal=focal, mex_focal=mex_focal,
                           coordinator=coordinator, hnd_coordinator=hnd_coordinator,
                           steward=steward)  # fmt: skip


@pytest.fixture
def people(db, settings, tmp_path) -> SimpleNamespace:  # noqa: ANN001 - pytest fixtures
    """`region_people()`, with uploads kept under the test's own folder."""
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    return region_people()
