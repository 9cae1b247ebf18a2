"""The audit trail's one table: events are appended and never changed.

Editing or deleting an event is refused here (model and queryset) and, on PostgreSQL, by a
trigger on the table, so that not even SQL sent by the application can rewrite history. The one
change allowed is the database's own SET NULL when a user account is deleted: the username
snapshot keeps who it was.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils import timezone

from primi.audit.append_only import AppendOnlyModel


class AuditEvent(AppendOnlyModel):
    """One action: who did it, for which institution or country, what, when and from where."""

    at = models.DateTimeField(default=timezone.now, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    username = models.CharField(max_length=150, blank=True, default="")
    institution = models.CharField(max_length=64, blank=True, default="", db_index=True)
    country = models.CharField(max_length=3, blank=True, default="", help_text="ISO alpha-3.")
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=100, blank=True, default="")
    object_id = models.CharField(max_length=64, blank=True, default="")
    summary = models.TextField(blank=True, default="")
    detail = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["username", "at"], name="audit_user_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.username or '-'} {self.action}"
