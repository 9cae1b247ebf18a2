"""People, institutions and loaded files for the review tests.

Guatemala's migration institute (a focal point), Guatemala's and Honduras's coordinators, a
regional steward and a provider of Mexico; files go through the real upload page and task, so
each review starts where a focal point's file starts.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from region_people import client_for
from review_files import FIRST_VALUE, flows_csv

from primi.workflow.models import Review, Upload


@pytest.fixture
def load(people) -> Callable[..., Review]:
    """Send a file as Guatemala's focal point through the upload page; its review."""

    def send(value: float = FIRST_VALUE) -> Review:
        data = {
            "institution": people.gtm.pk,
            "file": SimpleUploadedFile("flows.csv", flows_csv(value).encode()),
        }
        response = client_for(people.focal).post("/en/submissions/new/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
        upload = Upload.objects.order_by("-created_at").first()
        assert upload.state == Upload.State.DONE and upload.submission is not None, upload.report
        return Review.objects.get(submission=upload.submission)

    return send
