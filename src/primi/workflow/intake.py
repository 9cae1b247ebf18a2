"""How a sent file enters: kept as it arrived, recorded in the audit trail, its check queued.

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
    with transaction.atomic():
        upload = Upload.objects.create(
            user=user,
            institution=institution,
            file=sent,
            original_name=Path(sent.name).name,
            check_only=check_only,
        )
        record(
            request,
            "sandbox.upload.created" if scopes.is_practice(institution) else "upload.created",
            obj=upload,
            actor=user,
            institution=institution,
            country=institution.country,
            summary=upload.original_name,
            check_only=check_only,
            **audit,
        )
    return upload
