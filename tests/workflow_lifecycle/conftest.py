"""People, institutions and loaded files for the review tests.

Guatemala's migration institute (a focal point), Guatemala's and Honduras's coordinators, a
regional steward and a provider of Mexico; files go through the real upload page and task, so
each review starts where a focal point's file starts.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from region_people import region_people

from primi.workflow.models import Review, Upload

HEADER = (
    "DATAFLOW,FREQ,REF_AREA,INDICATOR,COUNTERPART_AREA,SEX,AGE,POP_GROUP,TIME_PERIOD,OBS_VALUE,"
    "UNIT_MEASURE,COUNTING_BASIS\n"
)
KEY = "M.GTM.ENTRY.MEX._T._T._T"
FIRST_VALUE = 4321.0
CORRECTED_VALUE = 4444.0


def flows_csv(value: float) -> str:
    return HEADER + f"PRIMI:DF_FLOWS(1.0),M,GTM,ENTRY,MEX,_T,_T,_T,2024-01,{value:g},EV,EVENTS\n"


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def people(db, settings, tmp_path) -> SimpleNamespace:
    settings.MEDIA_ROOT = tmp_path / "uploads"
    settings.PRIMI_HOME = tmp_path
    return region_people()


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
