"""The store's tables: submissions, series, series-attribute revisions and observation revisions.

An `Observation` row is one revision of one value; a `SeriesRevision` row holds the series-level
attributes (unit, multiplier, counting basis, source) that one submission gave one series. Rows
are only ever inserted: a new load adds revisions, and which revision is current at an instant
follows from its submission's `published_at` (see `queries`).
"""

from django.db import models
from django.utils import timezone


class Submission(models.Model):
    """One load of one file by one provider: the unit that is drafted, then published.

    All its revisions have ids between `first_observation_id` and `last_observation_id` (set by
    the load), so they are found through the primary key: an index on `Observation.submission`
    would slow every load by about a quarter on SQLite for queries that rarely run.
    """

    class State(models.TextChoices):
        DRAFT = "draft", "draft"
        PUBLISHED = "published", "published"

    provider = models.CharField(max_length=64, help_text="Institution id, e.g. GTM_IGM.")
    dataflow = models.CharField(max_length=64)
    file_name = models.CharField(max_length=255)
    file_sha256 = models.CharField(max_length=64, blank=True, default="")
    row_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    state = models.CharField(max_length=16, choices=State.choices, default=State.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    notes = models.JSONField(default=dict, blank=True, help_text="Explanations, free form.")
    first_observation_id = models.BigIntegerField(null=True, blank=True)
    last_observation_id = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.provider} {self.dataflow} {self.file_name} ({self.state})"


class Series(models.Model):
    """One SDMX series key with its dimension values; its attributes are per submission."""

    key = models.CharField(max_length=255, unique=True)
    freq = models.CharField(max_length=8)
    ref_area = models.CharField(max_length=16)
    indicator = models.CharField(max_length=32)
    counterpart_area = models.CharField(max_length=16)
    sex = models.CharField(max_length=8)
    age = models.CharField(max_length=16)
    pop_group = models.CharField(max_length=16)
    dataflow = models.CharField(max_length=64)

    class Meta:
        verbose_name_plural = "series"
        indexes = [models.Index(fields=["ref_area", "indicator"], name="store_series_area_ind")]

    def __str__(self) -> str:
        return self.key


class RevisionId(models.BigAutoField):
    """A 64-bit id without SQLite's AUTOINCREMENT, whose bookkeeping cost ~10% of a load.

    Revisions are never deleted, so SQLite's default (one more than the largest id) already
    gives ids that only grow.
    """

    def db_type_suffix(self, connection):
        return None if connection.vendor == "sqlite" else super().db_type_suffix(connection)


class PeriodField(models.CharField):
    """A period compared byte by byte (collation "C") on PostgreSQL.

    Periods are ASCII ("2024-01", "2024-Q1"), so the order is the same as under the database's
    locale, but the (series, period) index a load maintains costs less without the locale's
    string comparison (benchmarks/ingest.py; README).
    """

    def db_parameters(self, connection):
        params = super().db_parameters(connection)
        if connection.vendor == "postgresql":
            params["collation"] = "C"
        return params


class SeriesRevision(models.Model):
    """The series-level attributes one submission gave one series; a later file adds a row.

    Kept apart from `Series` so that a resubmission that changes, say, the counting basis is
    recorded with its revision instead of being lost or overwriting the earlier one.
    """

    series = models.ForeignKey(Series, on_delete=models.PROTECT)
    submission = models.ForeignKey("Submission", on_delete=models.PROTECT)
    unit_measure = models.CharField(max_length=16, null=True, blank=True)
    unit_mult = models.SmallIntegerField(null=True, blank=True)
    counting_basis = models.CharField(max_length=16, null=True, blank=True)
    source_inst = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "submission"], name="store_series_rev_once")
        ]

    def __str__(self) -> str:
        return f"{self.series_id} in submission {self.submission_id}"


class Observation(models.Model):
    """One revision of the value of one series in one period; never updated, never deleted.

    The foreign keys carry no database constraint: the load takes both ids from rows it has just
    read or written in the same transaction, and per-row checks doubled the load's time.
    """

    id = RevisionId(primary_key=True)
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    time_period = PeriodField(max_length=16)
    period_start = models.DateField()
    period_end = models.DateField()
    obs_value = models.FloatField(null=True, blank=True)
    obs_status = models.CharField(max_length=4, null=True, blank=True)
    conf_status = models.CharField(max_length=4, null=True, blank=True)
    comment_obs = models.TextField(null=True, blank=True)
    decimals = models.SmallIntegerField(null=True, blank=True)
    submission = models.ForeignKey(
        Submission, on_delete=models.PROTECT, db_index=False, db_constraint=False
    )
    source_row = models.BigIntegerField(help_text="1-based row number in the submitted file.")

    class Meta:
        indexes = [models.Index(fields=["series", "time_period"], name="store_obs_series_period")]

    def __str__(self) -> str:
        return f"{self.series_id} {self.time_period} rev {self.pk}"
