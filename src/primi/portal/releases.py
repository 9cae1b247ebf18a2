"""Releases for the calendar, the Atom feed and the home page's "what changed since".

A release is one published submission: a dataflow from one institution, public from its
`published_at`. A release scheduled for later (an embargo) is announced with its date, its
dataflow and its countries, never with a figure. Drafts are not releases.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection
from django.utils import timezone

from primi.store.models import SeriesRevision, Submission
from primi.store.queries import query_instant


@dataclass(frozen=True)
class Release:
    """One published submission as the public sees it."""

    submission_id: int
    dataflow: str
    provider: str
    published_at: dt.datetime
    values: int
    ref_areas: tuple[str, ...]
    scheduled: bool

    @property
    def anchor(self) -> str:
        return f"release-{self.submission_id}"


def releases(
    *,
    since: dt.datetime | None = None,
    until: dt.datetime | None = None,
    scheduled: bool = False,
    dataflow: str | None = None,
    ref_area: str | None = None,
    limit: int | None = None,
) -> list[Release]:
    """Releases public in (since, until], newest first; with `scheduled`, the announced ones too.

    `until` is never later than now for public releases: what is scheduled is only announced.
    """
    now = timezone.now()
    rows = Submission.objects.filter(state=Submission.State.PUBLISHED)
    if not scheduled:
        rows = rows.filter(published_at__lte=min(until or now, now))
    elif until is not None:
        rows = rows.filter(published_at__lte=until)
    if since is not None:
        rows = rows.filter(published_at__gt=since)
    if dataflow:
        rows = rows.filter(dataflow=dataflow)
    if ref_area:
        rows = rows.filter(seriesrevision__series__ref_area=ref_area).distinct()
    rows = rows.order_by("-published_at", "-id")
    if limit is not None:
        rows = rows[:limit]
    found = list(rows.values("id", "dataflow", "provider", "published_at", "row_count"))
    areas = _ref_areas([r["id"] for r in found])
    return [
        Release(
            submission_id=r["id"],
            dataflow=r["dataflow"],
            provider=r["provider"],
            published_at=r["published_at"],
            values=r["row_count"],
            ref_areas=areas.get(r["id"], ()),
            scheduled=r["published_at"] > now,
        )
        for r in found
    ]


def _ref_areas(submission_ids: list[int]) -> dict[int, tuple[str, ...]]:
    """The reporting countries of each submission, from the series it gave values to."""
    found: dict[int, set[str]] = defaultdict(set)
    pairs = (
        SeriesRevision.objects.filter(submission_id__in=submission_ids)
        .values_list("submission_id", "series__ref_area")
        .distinct()
    )
    for submission_id, ref_area in pairs:
        found[submission_id].add(ref_area)
    return {k: tuple(sorted(v)) for k, v in found.items()}


@dataclass(frozen=True)
class ValueChanges:
    """A release's values: new periods, values that replace a different one, and values sent
    again unchanged (a new revision with the same value, status and confidentiality)."""

    new: int
    revised: int
    unchanged: int


def value_changes(release: Release) -> ValueChanges:
    """What the release changed against the values public just before it.

    Revisions are never rewritten, so the answer for a release already public never changes: it
    is computed once and kept in the cache.
    """
    if release.scheduled:
        return ValueChanges(0, 0, 0)
    key = f"primi:changes:{release.submission_id}:{release.published_at.timestamp()}"
    found = cache.get(key)
    if found is None:
        found = _count_changes(release)
        cache.set(key, found, timeout=None)
    return found


def _count_changes(release: Release) -> ValueChanges:
    """One pass over the release's rows, each joined to the revision current before it."""
    sql = """
        SELECT COUNT(*), COUNT(p.id), COALESCE(SUM(CASE WHEN p.id IS NOT NULL AND (
                   o.obs_value IS DISTINCT FROM p.obs_value
                   OR o.obs_status IS DISTINCT FROM p.obs_status
                   OR o.conf_status IS DISTINCT FROM p.conf_status) THEN 1 ELSE 0 END), 0)
        FROM store_observation o
        LEFT JOIN store_observation p ON p.id = (
            SELECT e.id FROM store_observation e
            JOIN store_submission es ON es.id = e.submission_id
            WHERE e.series_id = o.series_id AND e.time_period = o.time_period
              AND e.submission_id <> o.submission_id AND es.state = %s
              AND es.published_at <= %s
            ORDER BY es.published_at DESC, e.id DESC LIMIT 1
        )
        WHERE o.submission_id = %s AND o.id BETWEEN %s AND %s
    """
    bounds = Submission.objects.filter(pk=release.submission_id).values_list(
        "first_observation_id", "last_observation_id"
    )
    first, last = bounds.get()
    if first is None:
        return ValueChanges(0, 0, 0)
    params = [Submission.State.PUBLISHED, query_instant(release.published_at),
              release.submission_id, first, last]  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        total, earlier, changed = cursor.fetchone()
    return ValueChanges(new=total - earlier, revised=changed, unchanged=earlier - changed)
