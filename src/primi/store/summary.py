"""Counts of what is published, for the portal's key figures; drafts and embargoes never count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Max, Sum
from django.utils import timezone

from primi.store.models import Series, Submission


@dataclass(frozen=True)
class PublishedTotals:
    revisions: int
    reporters: int
    dataflows: int
    last_published_at: dt.datetime | None


def published_totals(as_of: dt.datetime | None = None) -> PublishedTotals:
    """What the public can see at `as_of` (default now): revisions, reporters, dataflows."""
    public = Submission.objects.filter(
        state=Submission.State.PUBLISHED, published_at__lte=as_of or timezone.now()
    )
    totals = public.aggregate(
        revisions=Sum("row_count"),
        dataflows=Count("dataflow", distinct=True),
        last=Max("published_at"),
    )
    reporters = (
        Series.objects.filter(seriesrevision__submission__in=public)
        .values("ref_area")
        .distinct()
        .count()
    )
    return PublishedTotals(totals["revisions"] or 0, reporters, totals["dataflows"], totals["last"])
