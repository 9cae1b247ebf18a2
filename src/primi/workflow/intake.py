"""How a sent file enters: kept as it arrived, recorded in the audit trail, its check queued;
and how a checked file is run again with its warnings explained.

The upload page and `POST /api/submissions` both come here, so a file is received the same way
whichever door it used; the caller says which task checks it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest

from primi.audit.trail import record
from primi.workflow import scopes
from primi.workflow.models import Institution, Upload


def receive(
    request: HttpRequest,
    *,
    user: AbstractBaseUser,
    institution: Institution,
    sent: UploadedFile,
    check_only: bool,
    **audit: Any,
) -> Upload:
    """A new `Upload` of `sent` for `institution` by `user`, and its `upload.created` event
    (`sandbox.upload.created` for a practice copy; `audit` adds to the event's detail, e.g. the
    token that sent it)."""
    upload = Upload(
        user=user,
        institution=institution,
        file=sent,
        original_name=Path(sent.name).name,
        check_only=check_only,
    )
    return _keep(request, upload, "upload.created", check_only=check_only, **audit)


def receive_explained(
    request: HttpRequest,
    *,
    user: AbstractBaseUser,
    checked: Upload,
    explanations: dict[str, str],
    override: bool,
) -> Upload:
    """A new run of `checked`'s stored file with the warnings explained (or, by a steward,
    accepted as they are), and its `upload.explained` event naming the rules and the override."""
    upload = Upload(
        user=user,
        institution=checked.institution,
        file=checked.file.name,
        original_name=checked.original_name,
        explanations=explanations,
        override=override,
    )
    return _keep(
        request, upload, "upload.explained", rules=sorted(explanations), override=override,
        checked=str(checked.pk),
    )  # fmt: skip


def _keep(request: HttpRequest, upload: Upload, action: str, **detail: Any) -> Upload:
    institution = upload.institution
    with transaction.atomic():
        upload.save()
        record(
            request,
            f"sandbox.{action}" if scopes.is_practice(institution) else action,
            obj=upload,
            actor=upload.user,
            institution=institution,
            country=institution.country,
            summary=upload.original_name,
            **detail,
        )
    return upload
