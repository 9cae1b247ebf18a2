"""When the public data last changed: the instant of the newest publication a reader can see.

Public answers change only when a publication becomes visible (an embargo ends, a submission is
published), so this one instant is what their Last-Modified and ETag are built from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db.models import Max
from django.utils import timezone

from primi.store.models import Submission


def latest_publication(
    dataflows: Iterable[str] | None = None, *, as_of: dt.datetime | None = None
) -> dt.datetime | None:
    """The newest `published_at` visible now (or at `as_of`, never later than now), or None.

    `dataflows` limits it to publications of those flows; None means any flow.
    """
    now = timezone.now()
    if as_of is not None and timezone.is_naive(as_of):
        raise ValueError("as_of must be timezone-aware")
    limit = min(as_of, now) if as_of is not None else now
    rows = Submission.objects.filter(state=Submission.State.PUBLISHED, published_at__lte=limit)
    if dataflows is not None:
        rows = rows.filter(dataflow__in=list(dataflows))
    return rows.aggregate(latest=Max("published_at"))["latest"]
