"""Published data for the API tests, loaded once per module through the real pipeline.

Every file (see `published_data`) is written as SDMX-CSV and submitted with `submit_file`, the
path a focal point's file takes. The data is loaded inside a transaction that is rolled back
after the module, so other tests never see it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from browser.conftest import browser_type_launch_args  # noqa: F401  (Debian's Chromium)
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from published_data import Published, belize_files, demo_frames

from primi.sdmx.sdmx_csv import write_sdmx_csv
from primi.store.models import Submission
from primi.store.publication import publish_submission
from primi.workflow.submission_file import submit_file


def _submit(path: Path, provider: str, *, publish: bool) -> int:
    result = submit_file(path, provider=provider, publish=publish, override=True)
    assert result.loaded, result.summary("en")
    return result.load.submission.pk


@pytest.fixture(scope="module")
def published(django_db_setup: None, django_db_blocker, tmp_path_factory) -> Iterator[Published]:
    folder = tmp_path_factory.mktemp("api_data")
    data = Published(demo_frames=demo_frames())
    with django_db_blocker.unblock(), transaction.atomic():
        for flow, table in data.demo_frames.items():
            path = folder / f"demo_{flow}.csv"
            write_sdmx_csv(table, path, dataflow=flow)
            data.files[flow] = path
            data.submissions[flow] = _submit(path, "DEMO_TEST", publish=True)
        blz = belize_files(folder)
        data.files |= blz
        data.submissions["first"] = _submit(blz["first"], "BLZ_DM", publish=True)
        data.submissions["revised"] = _submit(blz["revised"], "BLZ_DM", publish=True)
        data.submissions["draft"] = _submit(blz["draft"], "BLZ_DM", publish=False)
        embargoed = _submit(blz["embargoed"], "BLZ_DM", publish=False)
        publish_submission(
            Submission.objects.get(pk=embargoed),
            at=dt.datetime.now(dt.UTC) + dt.timedelta(days=30),
        )
        data.submissions["embargoed"] = embargoed
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def api(published: Published, db: None) -> Published:
    """The module's data, inside each test's own transaction (a savepoint of the module's)."""
    return published


@pytest.fixture
def wsgi_requests_in_test_transaction() -> Iterator[None]:
    """Let a raw WSGI call (schemathesis) run in the test's transaction, as Django's test client
    does: closing 'old' connections at request start and end would end that transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
