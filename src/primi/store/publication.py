"""Publishing a submission: the instant from which its revisions are current.

Publication only moves forward: a submission is published once, and at an instant in the past
only if no later publication exists, so an "as of" answer given once stays true. Publishing
now or later (an embargo) is always allowed: public queries never look past now.

Practice submissions (the training sandbox's, whose provider id starts with `PRACTICE_PREFIX`)
are never published: the store refuses them here, whatever page or task asks, so practice data
can never reach the public pages, the API or the downloads, which read published data only.
"""

import datetime as dt

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from primi.store.models import Submission

PUBLICATION_LOCK = 7_004_017  # PostgreSQL advisory lock id serialising publications
PRACTICE_PREFIX = "PRACTICE-"  # provider ids of the training sandbox's practice institutions


class PublicationError(ValueError):
    """A publication the store refuses: re-publishing, stamping an instant in the past, or a
    practice submission."""


def is_practice_provider(provider: str) -> bool:
    """Whether a provider id is a practice institution's, whose submissions stay drafts."""
    return provider.startswith(PRACTICE_PREFIX)


def publish_submission(submission: Submission, at: dt.datetime | None = None) -> Submission:
    """Stamp `published_at` (now by default) and mark the submission published."""
    if at is not None and timezone.is_naive(at):
        raise PublicationError("published_at must be timezone-aware")
    with transaction.atomic():
        if connection.vendor == "postgresql":  # one publication at a time; SQLite has one writer
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [PUBLICATION_LOCK])
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if is_practice_provider(locked.provider):
            raise PublicationError(f"submission {locked.pk} is a practice submission")
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
