"""Institutions of Guatemala and Mexico, a provider, Guatemala's coordinator and a steward."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from primi.workflow.models import Institution, Membership, Role

PASSWORD = "a long passphrase 42"


@pytest.fixture
def people(db) -> SimpleNamespace:
    users = get_user_model().objects
    gtm = Institution.objects.create(
        code="GTM_IGM", name="IGM", country="GTM", dataflows=["DF_FLOWS"]
    )
    mex = Institution.objects.create(
        code="MEX_UPM", name="UPM", country="MEX", dataflows=["DF_FLOWS"]
    )
    provider = users.create_user("focal-gtm", password=PASSWORD)
    Membership.objects.create(user=provider, institution=gtm)
    coordinator = users.create_user("coord-gtm", password=PASSWORD)
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    steward = users.create_user("steward", password=PASSWORD)
    Role.objects.create(user=steward, kind=Role.Kind.STEWARD)
    return SimpleNamespace(
        gtm=gtm, mex=mex, provider=provider, coordinator=coordinator, steward=steward
    )


@pytest.fixture
def signed_in() -> Callable[..., Client]:
    def sign_in(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return sign_in
