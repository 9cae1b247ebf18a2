"""Findings: a discrepancy on one or more series, discussed by the countries involved.

A finding comes from a check (its `origin` is the rule id) or from a regional steward. The
countries involved are the region's countries named by its keys; their focal points and
coordinators, and the stewards, read and write its thread. The thread is append-only: a message
is never edited or deleted, so what was said stays as it was said.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from primi.audit.append_only import AppendOnlyModel

STEWARD_ORIGIN = "steward"


class Finding(models.Model):
    """One discrepancy and what became of it."""

    class State(models.TextChoices):
        OPEN = "open", _("open")
        EXPLAINED = "explained", _("explained")
        CORRECTED = "corrected", _("corrected")
        ACCEPTED = "accepted", _("accepted as is")

    title = models.CharField(max_length=200)
    origin = models.CharField(max_length=64, help_text="A check rule id, or 'steward'.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.OPEN)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="findings_opened",
    )
    created_at = models.DateTimeField(default=timezone.now)
    resolution = models.TextField(blank=True, default="")
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["origin", "state"], name="findings_origin_state")]

    def __str__(self) -> str:
        return f"#{self.pk} {self.title} ({self.state})"

    @property
    def settled(self) -> bool:
        return self.state != self.State.OPEN


class FindingKey(models.Model):
    """A series the finding is about, over a range of periods (blank: every period)."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="keys")
    series_key = models.CharField(max_length=255, db_index=True)
    start_period = models.CharField(max_length=16, blank=True, default="")
    end_period = models.CharField(max_length=16, blank=True, default="")

    class Meta:
        ordering = ["series_key"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "series_key"], name="findings_key_once")
        ]

    def __str__(self) -> str:
        return f"{self.series_key} {self.start_period}–{self.end_period}"


class FindingCountry(models.Model):
    """A country whose focal points take part in the finding."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="countries")
    country = models.CharField(max_length=3, db_index=True)

    class Meta:
        ordering = ["country"]
        constraints = [
            models.UniqueConstraint(fields=["finding", "country"], name="findings_country_once")
        ]

    def __str__(self) -> str:
        return self.country


class Message(AppendOnlyModel):
    """One entry of a finding's thread; `state` is the state it set, if it set one."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )
    text = models.TextField()
    state = models.CharField(max_length=16, blank=True, default="", choices=Finding.State.choices)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return f"#{self.finding_id} {self.at:%Y-%m-%d %H:%M}"
