"""Guatemala's and Mexico's institutions, their providers, Guatemala's coordinator and a
regional steward, and tokens made through the real page."""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from token_people import TOKEN_TEXT, client_for

from primi.workflow.models import Institution, Membership, Role


def _user(name: str):
    return get_user_model().objects.create_user(name, password="a long passphrase 42")


@pytest.fixture
def people(db, settings, tmp_path) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    gtm = Institution.objects.create(code="GTM_IGM", name="IGM", country="GTM")
    gtm_ine = Institution.objects.create(code="GTM_INE", name="INE", country="GTM")
    mex = Institution.objects.create(code="MEX_UPM", name="UPM", country="MEX")
    focal, mex_focal = _user("focal-gtm"), _user("focal-mex")
    Membership.objects.create(user=focal, institution=gtm)
    Membership.objects.create(user=mex_focal, institution=mex)
    coordinator = _user("coord-gtm")
    Role.objects.create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    steward = _user("steward")
    Role.objects.create(user=steward, kind=Role.Kind.STEWARD)
    return SimpleNamespace(
        gtm=gtm,
        gtm_ine=gtm_ine,
        mex=mex,
        focal=focal,
        mex_focal=mex_focal,
        coordinator=coordinator,
        steward=steward,
    )


@pytest.fixture
def make_token() -> Callable[..., str]:
    """Create a token through the page as `user`; the text the page shows, once."""

    def make(user, institution, name: str = "nightly", dataflows: tuple[str, ...] = ()) -> str:
        data = {"institution": institution.pk, "name": name, "dataflows": list(dataflows)}
        response = client_for(user).post("/en/tokens/new/", data)
        assert response.status_code == 200, response.content.decode()[:2000]
        return TOKEN_TEXT.search(response.content.decode()).group(0)

    return make
