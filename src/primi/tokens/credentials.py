"""Making and checking token texts: "primi_<prefix>_<secret>", from `secrets`.

The prefix (8 letters and digits, no underscore) finds the row; the digest of the whole text
is compared in constant time. An unknown prefix costs the same comparison, so the answer's
timing does not tell which prefixes exist.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import string

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from primi.tokens.models import ApiToken
from primi.workflow.models import Institution

SCHEME = "primi"
PREFIX_ALPHABET = string.ascii_lowercase + string.digits
PREFIX_LENGTH = 8
_NO_DIGEST = "0" * 64


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _new_prefix() -> str:
    return "".join(secrets.choice(PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))


def issue(
    institution: Institution, name: str, dataflows: list[str], created_by: AbstractBaseUser
) -> tuple[ApiToken, str]:
    """A new token and its text; the text is returned here and never kept."""
    for _attempt in range(5):
        prefix = _new_prefix()
        text = f"{SCHEME}_{prefix}_{secrets.token_urlsafe(32)}"
        try:
            with transaction.atomic():
                token = ApiToken.objects.create(
                    institution=institution,
                    name=name,
                    prefix=prefix,
                    digest=digest(text),
                    dataflows=sorted(dataflows),
                    created_by=created_by,
                )
        except IntegrityError:
            continue  # the prefix was taken: draw another
        return token, text
    raise RuntimeError("Could not draw an unused token prefix.")


def split(text: str) -> tuple[str, str] | None:
    """(prefix, secret) of a text of the token's form, else None."""
    scheme, _, rest = text.partition("_")
    prefix, _, secret = rest.partition("_")
    if scheme != SCHEME or len(prefix) != PREFIX_LENGTH or not secret:
        return None
    if any(c not in PREFIX_ALPHABET for c in prefix):
        return None
    return prefix, secret


def find(text: str) -> ApiToken | None:
    """The token this text is, revoked or not; None when it is no token of ours."""
    parts = split(text.strip())
    token = (
        ApiToken.objects.select_related("institution", "created_by").filter(prefix=parts[0]).first()
        if parts
        else None
    )
    stored = token.digest if token is not None else _NO_DIGEST
    if not hmac.compare_digest(stored, digest(text.strip())) or token is None:
        return None
    return token


def touch(token: ApiToken) -> None:
    """Note the token's use without saving anything else of it."""
    token.last_used_at = timezone.now()
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=token.last_used_at)


def revoke(token: ApiToken) -> bool:
    """Revoke once; False when it already was."""
    now = timezone.now()
    changed = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=now)
    if changed:
        token.revoked_at = now
    return bool(changed)
