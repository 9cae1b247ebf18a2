"""Publishing a submission: the instant from which its revisions are current.

Publication only moves forward: a submission is published once, and at an instant in the past
only if no later publication exists, so an "as of" answer given once stays true. Publishing
now or later (an embargo) is always allowed: public queries never look past now.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from primi.store.models import Submission

PUBLICATION_LOCK = 7_004_017  # PostgreSQL advisory lock id serialising publications


class PublicationError(ValueError):
    """A publication the store refuses: re-publishing, or stamping an instant in the past."""


def publish_submission(submission: Submission, at: dt.datetime | None = None) -> Submission:
    """Stamp `published_at` (now by default) and mark the submission published."""
    if at is not None and timezone.is_naive(at):
        raise PublicationError("published_at must be timezone-aware")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one publication at a time; SQLite has one writer
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLICATION_LOCK])
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.state == Submission.State.PUBLISHED:
            raise PublicationError(f"submission {locked.pk} is already published")
        now = timezone.now()
        at = at or now
        latest = Submission.objects.filter(state=Submission.State.PUBLISHED).aggregate(
            latest=Max("published_at")
        )["latest"]
        if latest is not None and at < latest and at < now:
            raise PublicationError(
                f"cannot publish at {at.isoformat()}: a publication at {latest.isoformat()} "
                "already exists and publication never goes backwards"
            )
        locked.state = Submission.State.PUBLISHED
        locked.published_at = at
        locked.save(update_fields=["state", "published_at"])
    submission.state = locked.state
    submission.published_at = locked.published_at
    return submission
