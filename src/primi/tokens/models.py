"""API tokens: an institution's key for sending files by program.

Only a SHA-256 digest of the token is stored, with its random prefix to find it: the token
itself is shown once, when it is created, and cannot be read back from the database.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from primi.workflow.models import Institution


class ApiTokenQuerySet(models.QuerySet):
    def active(self) -> ApiTokenQuerySet:
        return self.filter(revoked_at__isnull=True)


class ApiToken(models.Model):
    """One token of one institution, optionally limited to some of the institution's dataflows.

    What it may send is always read with its institution's (`workflow.tasks.process_upload`): a
    dataflow the institution is no longer responsible for is refused even if the limit names it.
    """

    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=8, unique=True)
    digest = models.CharField(max_length=64, help_text="SHA-256 (hex) of the whole token.")
    dataflows = models.JSONField(
        default=list,
        blank=True,
        help_text="Dataflow ids the token may send; empty: all of its institution's.",
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
