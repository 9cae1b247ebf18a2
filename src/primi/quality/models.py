"""Reference figures, level-4 runs and the discrepancies they found.

Reference sources (UN DESA, UNHCR, World Bank) are kept here, never in the store: they are
compared with, not published as, official figures. Each load is a new `ReferenceLoad`; the
latest load of a source is the one compared, and older ones stay. A `Discrepancy` keeps both
values and where each came from (an observation revision, or a reference row with its file
and line), so a finding can always be traced to its figures.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from primi.audit.append_only import AppendOnlyModel


class ReferenceLoad(AppendOnlyModel):
    """One file of one reference source, as loaded."""

    source = models.CharField(max_length=16, help_text="A reference of comparisons.yaml.")
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64)
    row_count = models.PositiveIntegerField(default=0)
    loaded_at = models.DateTimeField(default=timezone.now)
    loaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT
    )

    class Meta:
        ordering = ["-loaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.file_name} ({self.loaded_at:%Y-%m-%d})"


class ReferenceValue(models.Model):
    """One figure of a reference source, keyed like an official series."""

    load = models.ForeignKey(ReferenceLoad, on_delete=models.PROTECT, related_name="values")
    series_key = models.CharField(max_length=255)
    freq = models.CharField(max_length=8)
    ref_area = models.CharField(max_length=16)
    indicator = models.CharField(max_length=32)
    counterpart_area = models.CharField(max_length=16)
    sex = models.CharField(max_length=8)
    age = models.CharField(max_length=16)
    pop_group = models.CharField(max_length=16)
    time_period = models.CharField(max_length=16)
    obs_value = models.FloatField()
    source_row = models.BigIntegerField(help_text="Line of the source file (its first, if summed).")

    class Meta:
        indexes = [models.Index(fields=["load", "indicator"], name="quality_ref_load_ind")]

    def __str__(self) -> str:
        return f"{self.series_key} {self.time_period}"


class Run(models.Model):
    """One level-4 run: by command, or after a submission was accepted."""

    class State(models.TextChoices):
        RUNNING = "running", "running"
        DONE = "done", "done"
        FAILED = "failed", "failed"

    trigger = models.CharField(max_length=32, help_text="'command', or 'accepted'.")
    submission_id = models.BigIntegerField(null=True, blank=True)
    rules = models.JSONField(default=list, help_text="The rules run; empty: all.")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.RUNNING)
    pairs_compared = models.PositiveIntegerField(default=0)
    compared_by_country = models.JSONField(
        default=dict,
        blank=True,
        help_text="Pairs compared in which each country takes part, by year: {area: {year: n}}.",
    )
    discrepancy_count = models.PositiveIntegerField(default=0)
    finding_count = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True, default="")
    host = models.CharField(max_length=255, blank=True, default="")
    pid = models.IntegerField(null=True, blank=True)
    process_started = models.FloatField(
        null=True, blank=True, help_text="The process's start time, so a reused pid is not it."
    )

    class Meta:
        ordering = ["-started_at", "-pk"]

    def __str__(self) -> str:
        return f"run {self.pk} ({self.trigger}, {self.state})"


class Discrepancy(AppendOnlyModel):
    """One pair of figures that disagree beyond the rule's tolerance, in one run."""

    run = models.ForeignKey(Run, on_delete=models.PROTECT, related_name="discrepancies")
    finding = models.ForeignKey(
        "findings.Finding", on_delete=models.PROTECT, related_name="discrepancies"
    )
    rule = models.CharField(max_length=64)
    source_a = models.CharField(max_length=16)
    key_a = models.CharField(max_length=255)
    period_a = models.CharField(max_length=16)
    value_a = models.FloatField()
    revision_a = models.BigIntegerField(null=True, blank=True)
    reference_a = models.BigIntegerField(null=True, blank=True)
    source_b = models.CharField(max_length=16)
    key_b = models.CharField(max_length=255)
    period_b = models.CharField(max_length=16)
    value_b = models.FloatField()
    revision_b = models.BigIntegerField(null=True, blank=True)
    reference_b = models.BigIntegerField(null=True, blank=True)
    relative_difference = models.FloatField()

    class Meta:
        ordering = ["rule", "key_a", "period_a"]
        indexes = [models.Index(fields=["finding", "run"], name="quality_disc_finding_run")]

    def __str__(self) -> str:
        return f"{self.rule} {self.key_a} {self.period_a} / {self.key_b} {self.period_b}"
