"""Versions of the standard's artefacts: rows are only ever added, never changed."""

from django.db import models
from django.utils import timezone


class Artefact(models.Model):
    """One version of one artefact (code list, DSD, dataflow...) with its full content."""

    kind = models.CharField(max_length=32)
    agency = models.CharField(max_length=32)
    artefact_id = models.CharField(max_length=64)
    version = models.CharField(max_length=16)
    major = models.PositiveIntegerField()
    minor = models.PositiveIntegerField()
    content_hash = models.CharField(max_length=64)
    content = models.JSONField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "artefact_id", "version"], name="standard_artefact_version_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "artefact_id", "major", "minor"])]
        ordering = ["kind", "artefact_id", "major", "minor"]

    def __str__(self) -> str:
        return f"{self.kind} {self.agency}:{self.artefact_id}({self.version})"
