"""Fixtures of the crash tests: a site of their own per module (`crash_site`), and no worker
left running from one test to the next."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from crash_site import ON_POSTGRES, Site, new_database, set_up_site


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Iterator[Site]:
    home = tmp_path_factory.mktemp("site")
    if not ON_POSTGRES:
        with set_up_site(home, None) as made:
            yield made
        return
    with new_database(os.environ["DATABASE_URL"]) as url, set_up_site(home, url) as made:
        yield made


@pytest.fixture(autouse=True)
def _no_worker_left(request) -> Iterator[None]:
    """Each test starts with no worker running: one left from the test before would take its
    tasks."""
    yield
    if "site" in request.fixturenames:
        request.getfixturevalue("site").stop_workers()
