"""The demo's accounts: a focal point, a coordinator and a steward, one password kept privately."""

import stat

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.test import RequestFactory

from primi.workflow import scopes
from primi.workflow.demo_accounts import create_demo_accounts

pytestmark = pytest.mark.django_db


def test_three_roles_one_private_password_and_a_second_run_changes_nothing(settings, tmp_path):
    settings.PRIMI_HOME = tmp_path
    said = create_demo_accounts()
    password = (tmp_path / "demo_password").read_text().strip()
    assert stat.S_IMODE((tmp_path / "demo_password").stat().st_mode) == 0o600
    assert password in said and "coord-gtm" in said and "steward" in said
    users = get_user_model().objects
    request = RequestFactory().post("/es/accounts/login/")
    for name in ("focal-gtm", "coord-gtm", "steward"):
        assert authenticate(request, username=name, password=password) == users.get(username=name)
    focal, coordinator, steward = (
        users.get(username=n) for n in ("focal-gtm", "coord-gtm", "steward")
    )
    assert {i.code for i in scopes.member_institutions(focal)} == {"GTM_IGM", "GTM_INE"}
    assert scopes.coordinated_countries(coordinator) == {"GTM"} and not scopes.is_steward(
        coordinator
    )
    assert scopes.is_steward(steward) and scopes.visible_countries(steward) is None
    assert {i.country for i in scopes.visible_institutions(coordinator)} == {"GTM"}
    create_demo_accounts()
    assert users.count() == 3 and (tmp_path / "demo_password").read_text().strip() == password
