"""What a user does in the sandbox, through the site's pages: send a file, move a review."""

from __future__ import annotations

import datetime as dt
import html

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from primi.workflow.models import Institution, Review, Upload


def text(response) -> str:  # noqa: ANN001 - a test client's response
    return html.unescape(response.content.decode())


def send(client: Client, name: str, body: str, *, check_only: bool = False) -> Upload:
    """Send a file through the sandbox's sending page (the institution it offers); the upload."""
    page = client.get("/en/sandbox/send/")
    assert page.status_code == 200
    institution = page.context["form"].fields["institution"].queryset.get()
    data = {"institution": institution.pk, "file": SimpleUploadedFile(name, body.encode())}
    if check_only:
        data["check_only"] = "on"
    response = client.post("/en/sandbox/send/", data)
    assert response.status_code == 302, text(response)[:2000]
    upload = Upload.objects.filter(institution=institution).order_by("-created_at").first()
    assert response["Location"] == f"/en/submissions/{upload.pk}/"
    return upload


def practice_institution(client: Client) -> Institution:
    page = client.get("/en/sandbox/")
    assert page.status_code == 200
    return page.context["copy"].institution


def move(client: Client, review: Review, action: str, **data: str) -> Review:
    """Make one move on the review page; the review after it."""
    response = client.post(f"/en/reviews/{review.pk}/", {"action": action, **data})
    assert response.status_code == 302, text(response)[:3000]
    review.refresh_from_db()
    return review


def release_time() -> str:
    return (timezone.now() + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M")


def take_to_release(client: Client, review: Review) -> Review:
    """Every role in turn, as the practice's owner: submit to the practice release."""
    move(client, review, "submit", comment="Practice figures.")
    move(client, review, "certify")
    move(client, review, "accept")
    move(client, review, "schedule", release_at=release_time())
    return move(client, review, "release")
