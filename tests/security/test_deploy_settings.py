"""Production settings pass Django's deployment checks; sign-in is throttled; CSRF is on; the
public embed view of a chart may be framed while pages with actions may not."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _check_deploy(settings_module: str, home: Path) -> subprocess.CompletedProcess:
    """`manage.py check --deploy` in a new process, as a server would start, without what the
    test run itself sets for Django (DJANGO_ALLOW_ASYNC_UNSAFE)."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env |= {"DJANGO_SETTINGS_MODULE": settings_module, "SECRET_KEY": secrets.token_urlsafe(50),
            "PRIMI_HOME": str(home)}  # fmt: skip
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip


def test_manage_check_deploy_is_clean_with_the_production_settings(tmp_path):
    run = _check_deploy("primi.production_settings", tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "no issues" in run.stdout


def test_the_development_settings_are_not_deployable(tmp_path):
    """The check fails where it should: primi.settings alone lacks HTTPS-only cookies."""
    run = _check_deploy("primi.settings", tmp_path)
    assert run.returncode != 0 and "SESSION_COOKIE_SECURE" in run.stderr + run.stdout


@pytest.mark.parametrize(("lang", "words"), [("es", "en pausa"), ("en", "paused")])
def test_sign_in_is_paused_after_five_wrong_passwords(lang, words):
    get_user_model().objects.create_user("focal", password="a-long-right-password-1")
    client = Client(enforce_csrf_checks=False)
    url = f"/{lang}/accounts/login/"
    for _ in range(5):
        response = client.post(url, {"username": "focal", "password": "wrong"})
    assert response.status_code in (200, 429)
    response = client.post(url, {"username": "focal", "password": "a-long-right-password-1"})
    assert response.status_code == 429
    assert words in response.content.decode()
    assert "_auth_user_id" not in client.session  # even the right password is refused now


def test_another_user_name_can_still_sign_in_from_the_same_address():
    users = get_user_model().objects
    users.create_user("focal", password="a-long-right-password-1")
    users.create_user("other", password="another-long-password-2")
    client = Client()
    for _ in range(6):
        client.post("/en/accounts/login/", {"username": "focal", "password": "wrong"})
    response = client.post(
        "/en/accounts/login/", {"username": "other", "password": "another-long-password-2"}
    )
    assert response.status_code == 302 and "_auth_user_id" in client.session


def test_forms_refuse_a_post_without_the_csrf_token():
    get_user_model().objects.create_user("focal", password="a-long-right-password-1")
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/en/accounts/login/", {"username": "focal", "password": "a-long-right-password-1"}
    )
    assert response.status_code == 403


def test_weak_passwords_are_refused_by_the_validators():
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    for weak in ("12345678", "password", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_a_chart_page_may_be_framed_only_in_its_embed_view(client):
    embed = client.get("/en/glossary/?embed=any")
    assert embed.status_code == 200 and "X-Frame-Options" not in embed
    assert client.get("/en/glossary/")["X-Frame-Options"] == "DENY"
    login = client.get(reverse("login") + "?embed=x")
    assert login["X-Frame-Options"] == "DENY"
