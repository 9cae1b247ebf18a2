"""Appending to the audit trail: one call per action, from views, the API and background tasks.

The client's address is REMOTE_ADDR. Behind a reverse proxy (settings.PRIMI_TRUSTED_PROXY) it
is the last address of X-Forwarded-For, the one our proxy added: the addresses before it come
from the client and could be anything.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.http import HttpRequest

from primi.audit.models import AuditEvent
from primi.workflow.models import Institution


def client_ip(request: HttpRequest | None) -> str | None:
    """The address the request came from, or None when it is unknown or malformed."""
    if request is None:
        return None
    candidate = request.META.get("REMOTE_ADDR", "")
    if getattr(settings, "PRIMI_TRUSTED_PROXY", False):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            candidate = hops[-1]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


def _actor(request: HttpRequest | None, actor: AbstractBaseUser | None) -> AbstractBaseUser | None:
    if actor is not None:
        return actor
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def record(
    request: HttpRequest | None,
    action: str,
    *,
    obj: models.Model | None = None,
    institution: Institution | str | None = None,
    country: str = "",
    summary: str = "",
    actor: AbstractBaseUser | None = None,
    username: str = "",
    **detail: Any,
) -> AuditEvent:
    """Append one event. `request` is None for background tasks; `actor` names the user when
    the request's user is not the one acting (a login, a token's owner); `username` alone when
    there is no account (a failed login)."""
    user = _actor(request, actor)
    if isinstance(institution, Institution):
        code = institution.code
        country = country or institution.country
    else:
        code = institution or ""
    return AuditEvent.objects.create(
        user=user,
        username=(user.get_username() if user is not None else username)[:150],
        institution=code,
        country=country,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        summary=summary,
        detail=detail,
        ip=client_ip(request),
    )
