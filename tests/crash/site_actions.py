"""What the crash tests ask of a site, run in a process of its own as a server's would be.

`python site_actions.py ACTION [ARGS]` with the site's environment (PRIMI_HOME, DATABASE_URL,
primi.settings: tasks go to the database, for `primi worker` to run). Prints one JSON value.

    setup                      migrate, the standard, the region's people
    upload FILE...             uploads by Guatemala's focal point, their checks queued
    schedule FILE SECONDS      FILE loaded, submitted, certified, accepted and scheduled for
                               release SECONDS from now (the release task queued for then)
    publish FILE               FILE loaded and published at once, as Guatemala's institute
    accept MONTH FACTOR        Mexico's returns published; Guatemala's, with MONTH multiplied by
                               FACTOR, loaded and accepted (level 4 queued by the acceptance)
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import tempfile
from pathlib import Path


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "primi.settings")
    import django

    django.setup()


def setup() -> dict:
    from django.core.management import call_command

    from primi.standard.versions import sync_standard

    call_command("migrate", interactive=False, verbosity=0)
    sync_standard()
    from region_people import region_people

    region_people()
    return {"ok": True}


def _people():
    from django.contrib.auth import get_user_model

    from primi.workflow.models import Institution

    users = get_user_model().objects
    return (
        Institution.objects.get(code="GTM_IGM"),
        Institution.objects.get(code="MEX_UPM"),
        {u.username: u for u in users.all()},
    )


def upload(*files: str) -> list[dict]:
    from django.core.files import File

    from primi.workflow.models import Upload
    from primi.workflow.tasks import process_upload

    gtm, _, users = _people()
    queued = []
    for file in files:
        with open(file, "rb") as handle:
            made = Upload(user=users["focal-gtm"], institution=gtm, original_name=Path(file).name)
            made.override = True  # the steward accepted the warnings: the whole file loads
            made.file.save(Path(file).name, File(handle), save=True)
        task = process_upload.enqueue(str(made.pk))
        queued.append({"upload": str(made.pk), "task": task.id})
    return queued


def publish(file: str) -> dict:
    from primi.workflow.submission_file import submit_file

    result = submit_file(Path(file), provider="GTM_IGM", publish=True, override=True)
    assert result.loaded, result.summary("en")
    return {"submission": result.load.submission.pk}


def _accepted(gtm, users, path: Path):
    from primi.workflow import lifecycle
    from primi.workflow.lifecycle import Action
    from primi.workflow.submission_file import submit_file

    result = submit_file(path, provider=gtm.code, override=True)
    assert result.loaded, result.summary("en")
    review = lifecycle.open_review(result.load.submission, gtm)
    lifecycle.move(review, Action.SUBMIT, users["focal-gtm"])
    lifecycle.move(review, Action.CERTIFY, users["coord-gtm"])
    lifecycle.move(review, Action.ACCEPT, users["steward"])
    return review


def schedule(file: str, seconds: str) -> dict:
    from django.utils import timezone

    from primi.workflow import lifecycle
    from primi.workflow.lifecycle import Action

    gtm, _, users = _people()
    review = _accepted(gtm, users, Path(file))
    when = timezone.now() + dt.timedelta(seconds=float(seconds))
    lifecycle.move(review, Action.SCHEDULE, users["steward"], when=when)
    return {"review": review.pk, "submission": review.submission_id}


def accept(month: str, factor: str) -> dict:
    from mirror_data import MONTHS, mirror_values, rows_of, submit

    from primi.sdmx.sdmx_csv import write_sdmx_csv

    gtm, _, users = _people()
    values = mirror_values()
    folder = Path(tempfile.mkdtemp())
    submit(rows_of("MEX", "RET_FOREIGN", values), folder / "mex.csv", "MEX_UPM")
    received = {
        ("MEX", m): float(round(values[("GTM", m)] * (float(factor) if m == month else 1)))
        for m in MONTHS
    }
    path = folder / "gtm.csv"
    write_sdmx_csv(rows_of("GTM", "RET_NAT", received), path, dataflow="DF_RETURNS")
    review = _accepted(gtm, users, path)
    return {"review": review.pk, "submission": review.submission_id}


if __name__ == "__main__":
    _django()
    action, *args = sys.argv[1:]
    print(json.dumps({"setup": setup, "upload": upload, "schedule": schedule,
                      "publish": publish, "accept": accept}[action](*args)))  # fmt: skip
