"""The background workers that are or were running, so another can tell a dead one's tasks."""

from django.db import models
from django.utils import timezone


class Worker(models.Model):
    """One `primi worker` process, on any machine; its row outlives it."""

    worker_id = models.CharField(max_length=64, unique=True)
    host = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    process_started = models.FloatField(
        help_text="The process's start time (seconds since the epoch), so a reused pid is not it."
    )
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now)
    stopped_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-seen_at"]

    def __str__(self) -> str:
        return f"worker {self.worker_id} ({self.host}:{self.pid})"
