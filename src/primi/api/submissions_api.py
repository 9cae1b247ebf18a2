"""POST /api/submissions and GET /api/submissions/{id}: files sent by program with a token.

An institution's program sends a file with `Authorization: Bearer primi_<prefix>_<secret>`; the
file becomes an upload of the token's institution, checked (and loaded unless `check_only`) by
the workflow's background task exactly like a file sent through the site, in the name of the
user who created the token. The task refuses a file of a dataflow the institution is not
responsible for or, with a token limited to some dataflows, outside them (its report says so).
Refusals are JSON in Spanish and English: 401 for a missing, unknown or revoked token, 413 for a
file over PRIMI_UPLOAD_MAX_BYTES, 404 for an upload of another institution, as for one that does
not exist.

The operations are left out of the OpenAPI document, which lists the public read-only data
API; the tokens page shows how to call them.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import translation
from ninja import NinjaAPI, Router, Status
from ninja.security import HttpBearer

from primi.api.errors import ApiError, not_found, payload
from primi.api.languages import chosen_language
from primi.audit import trail
from primi.operations.body_limit import readable_size
from primi.tokens import credentials
from primi.tokens.models import ApiToken
from primi.workflow import intake
from primi.workflow.models import Upload
from primi.workflow.tasks import process_upload

TRUE_WORDS = {"1", "true", "yes", "on", "si", "sí"}


class TokenRefused(ApiError):
    """401, answered with a WWW-Authenticate header naming the Bearer scheme."""

    def __init__(self, message_en: str, message_es: str) -> None:
        super().__init__(401, message_en, message_es)


class TokenAuth(HttpBearer):
    """The request's token, checked; every refusal says why, in the reader's language."""

    def __call__(self, request: HttpRequest) -> ApiToken:
        scheme, _, text = request.headers.get("Authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not text.strip():
            raise TokenRefused(
                "Send the institution's API token in the header 'Authorization: Bearer <token>'.",
                "Envíe la clave de API de la institución en la cabecera "
                "«Authorization: Bearer <token>».",
            )
        return self.authenticate(request, text.strip())

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = credentials.find(token)
        if found is None:
            raise TokenRefused(
                "The API token is not valid: check that it was copied whole.",
                "La clave de API no es válida: compruebe que se copió entera.",
            )
        if found.revoked or not found.created_by.is_active:
            trail.record(
                request,
                "token.refused",
                obj=found,
                actor=found.created_by,
                institution=found.institution,
                summary=f"{found.name} ({found.prefix})",
                prefix=found.prefix,
            )
            raise TokenRefused(
                "This API token has been revoked: ask the institution for a new one.",
                "Esta clave de API fue revocada: pida una nueva a la institución.",
            )
        credentials.touch(found)
        return found


router = Router(tags=["submissions"], auth=TokenAuth())


def _too_large(size: int) -> ApiError:
    limit = settings.PRIMI_UPLOAD_MAX_BYTES
    return ApiError(
        413,
        f"The file is {readable_size(size, 'en')}; the limit is {readable_size(limit, 'en')}.",
        f"El archivo tiene {readable_size(size, 'es')}; el límite es {readable_size(limit, 'es')}.",
    )


def _urls(request: HttpRequest, upload: Upload) -> dict[str, str]:
    lang = chosen_language(request)
    with translation.override(lang):
        page = reverse("workflow:upload", kwargs={"upload_id": upload.pk})
        report = reverse("workflow:upload_report", kwargs={"upload_id": upload.pk})
    return {
        "status_url": request.build_absolute_uri(f"/api/submissions/{upload.pk}"),
        "page_url": request.build_absolute_uri(page),
        "report_url": request.build_absolute_uri(report),
    }


def _message(upload: Upload, lang: str) -> str:
    """What became of the file, in the reader's language ("" while it waits)."""
    report = upload.report or {}
    said = report.get("refused") or report.get("outcome") or {}
    return said.get("es" if lang == "es" else "en", "")


def _state(request: HttpRequest, upload: Upload) -> dict:
    return {
        "id": str(upload.pk),
        "institution": upload.institution.code,
        "file": upload.original_name,
        "check_only": upload.check_only,
        "state": upload.state,
        "created_at": upload.created_at,
        "finished_at": upload.finished_at,
        "dataflow": (upload.report or {}).get("dataflow"),
        "submission": upload.submission_id,
        "message": _message(upload, chosen_language(request)),
        **_urls(request, upload),
    }


@router.post("/submissions", response={202: dict}, include_in_schema=False)
def submit(request: HttpRequest, response: HttpResponse) -> Status:
    """Take a file (multipart field `file`; `check_only` true to change nothing) for checking."""
    token: ApiToken = request.auth
    sent = request.FILES.get("file")
    if sent is None:
        raise ApiError(
            400,
            "Send the file as multipart/form-data in a field named 'file'.",
            "Envíe el archivo como multipart/form-data en un campo llamado «file».",
        )
    if sent.size > settings.PRIMI_UPLOAD_MAX_BYTES:
        raise _too_large(sent.size)
    check_only = request.POST.get("check_only", "").strip().lower() in TRUE_WORDS
    upload = intake.receive(
        request,
        user=token.created_by,
        institution=token.institution,
        sent=sent,
        check_only=check_only,
        via="api",
        token=token.prefix,
        bytes=sent.size,
    )
    process_upload.enqueue(str(upload.pk), list(token.dataflows) or None)
    upload.refresh_from_db()
    state = _state(request, upload)
    response["Location"] = state["status_url"]
    return Status(202, state)


@router.get("/submissions/{upload_id}", include_in_schema=False)
def submission_state(request: HttpRequest, upload_id: uuid.UUID) -> dict:
    """State and report of an upload of the token's institution; any other is 404."""
    token: ApiToken = request.auth
    upload = (
        Upload.objects.filter(pk=upload_id, institution=token.institution)
        .select_related("institution")
        .first()
    )
    if upload is None:
        raise not_found(
            f"No submission {upload_id} of {token.institution.code}.",
            f"No hay un envío {upload_id} de {token.institution.code}.",
        )
    return {**_state(request, upload), "report": upload.report}


def install(api: NinjaAPI) -> None:
    """Add the operations to the API, with the 401 answer that names the Bearer scheme.

    Call before the API's catch-all router, or its 404 would answer first."""
    api.add_router("", router)

    @api.exception_handler(TokenRefused)
    def refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
        body = payload(request, exc.message_en, exc.message_es)
        answer = api.create_response(request, body, status=401)
        answer["WWW-Authenticate"] = 'Bearer realm="PRIMI"'
        return answer
