"""Synthetic demonstration data: a deterministic generator of plausible series for every indicator.

Every demo observation says in COMMENT_OBS that it is synthetic, and the site shows a banner
whenever published demo data is in the store.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from django.db.models import QuerySet

DEMO_PROVIDER = "PRIMI_DEMO"
# Demo files are named demo/<dataflow>...synthetic, whichever demo institution sends them; a
# sent file's stored name never holds a slash, so no real submission can look like one.
DEMO_FILE_PREFIX, DEMO_FILE_SUFFIX = "demo/", ".synthetic"


def synthetic_submissions(ids: Iterable[int] | None = None) -> QuerySet:
    """The store's submissions of synthetic demo data (among `ids` when given)."""
    from primi.store.models import Submission

    found = Submission.objects.filter(
        file_name__startswith=DEMO_FILE_PREFIX, file_name__endswith=DEMO_FILE_SUFFIX
    )
    return found if ids is None else found.filter(pk__in=list(ids))


def demo_data_present() -> bool:
    """Whether published synthetic data is in the store (the site then shows a banner)."""
    return synthetic_submissions().filter(published_at__isnull=False).exists()
