"""Sign-ins, sign-outs and refused sign-ins, recorded from Django's authentication signals."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest

from primi.audit.trail import record


def logged_in(sender: Any, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any) -> None:
    record(request, "login", actor=user, summary=user.get_username())


def logged_out(
    sender: Any, request: HttpRequest, user: AbstractBaseUser | None, **kwargs: Any
) -> None:
    if user is not None:
        record(request, "logout", actor=user, summary=user.get_username())


def login_failed(
    sender: Any, credentials: dict[str, Any], request: HttpRequest | None = None, **kwargs: Any
) -> None:
    """The name typed is kept (there may be no such account); the password never is."""
    name = str(credentials.get(get_user_model().USERNAME_FIELD, ""))[:150]
    record(request, "login.failed", username=name, summary=name)
