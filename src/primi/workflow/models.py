"""Who submits, and the files they send through the site.

An `Institution`'s code is the provider id the store records on every submission. `Upload` is one
file sent through the site: kept as it arrived, checked (and loaded unless it is a check only) by
a background task, with the report kept beside it.
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from primi.audit.append_only import AppendOnlyModel
from primi.standard.catalogue import load_standard
from primi.store.publication import PRACTICE_PREFIX

# Computed by the platform from the other dataflows: nobody sends it.
DERIVED_DATAFLOW = "DF_DERIVED"


def sendable_dataflows() -> tuple[str, ...]:
    """The ids of the standard's dataflows a provider may be responsible for."""
    return tuple(df.id for df in load_standard().dataflows if df.id != DERIVED_DATAFLOW)


def validate_dataflows(value: object) -> None:
    """Refuse anything but a list of the standard's sent dataflow ids, naming the unknown ones."""
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValidationError(_("Give a list of dataflow ids."), code="not_a_list")
    known = sendable_dataflows()
    unknown = [v for v in value if v not in known]
    if unknown:
        raise ValidationError(
            _("Unknown dataflow: %(unknown)s. The dataflows are: %(known)s."),
            code="unknown_dataflow",
            params={"unknown": ", ".join(unknown), "known": ", ".join(known)},
        )


def validate_real_code(value: str) -> None:
    """Refuse the training sandbox's reserved prefix: an institution given it would never publish
    and would be hidden from everyone's real work."""
    if value.upper().startswith(PRACTICE_PREFIX):
        raise ValidationError(
            _("Codes that start with %(prefix)s are kept for the training sandbox."),
            code="reserved_code",
            params={"prefix": PRACTICE_PREFIX},
        )


class Institution(models.Model):
    """A national institution that submits data: migration directorate, statistics office, ...

    `dataflows` names the dataflows (ids of the standard, e.g. DF_FLOWS) the institution is
    responsible for, and so the only ones its providers and API tokens may send. An institution
    with none named may send nothing: responsibility is given, never assumed, so a new
    institution cannot load another's figures by mistake.
    """

    class Kind(models.TextChoices):
        MIGRATION = "migration", _("migration directorate")
        STATISTICS = "statistics", _("statistics office")
        CENTRAL_BANK = "central_bank", _("central bank")
        REFUGEE = "refugee", _("refugee commission")
        OTHER = "other", _("other")

    code = models.CharField(
        max_length=64,
        unique=True,
        validators=[validate_real_code],
        help_text="Provider id, e.g. GTM_IGM.",
    )
    name = models.CharField(max_length=200)
    country = models.CharField(max_length=3, help_text="ISO 3166-1 alpha-3.")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.OTHER)
    dataflows = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_dataflows],
        help_text='Dataflow ids it is responsible for, e.g. ["DF_FLOWS", "DF_RETURNS"].',
    )

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"

    def sends(self, dataflow: str) -> bool:
        """Whether the institution is responsible for `dataflow`."""
        return dataflow in self.dataflows


class Membership(models.Model):
    """A user who submits on behalf of an institution."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "institution"], name="workflow_member_once")
        ]


class Role(models.Model):
    """A role above the institutions: a country's coordinator, a regional steward, or an
    administrator. Providers are `Membership`s of an institution; `scopes` reads both."""

    class Kind(models.TextChoices):
        COORDINATOR = "coordinator", _("country coordinator")
        STEWARD = "steward", _("regional steward")
        ADMINISTRATOR = "administrator", _("administrator")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    country = models.CharField(
        max_length=3, blank=True, default="", help_text="ISO 3166-1 alpha-3; coordinators only."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "kind", "country"], name="workflow_role_once"),
            models.CheckConstraint(
                condition=models.Q(kind="coordinator", country__regex=r"^[A-Z]{3}$")
                | (~models.Q(kind="coordinator") & models.Q(country="")),
                name="workflow_role_country_iff_coordinator",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.kind} {self.country}".strip()


class Upload(models.Model):
    """One file sent through the site and what became of it."""

    class State(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("checking")
        DONE = "done", _("done")
        FAILED = "failed", _("refused")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    file = models.FileField(upload_to="uploads/%Y/%m/")
    original_name = models.CharField(max_length=255)
    check_only = models.BooleanField(default=False)
    explanations = models.JSONField(
        default=dict, blank=True, help_text="Warning rule id -> the submitter's explanation."
    )
    override = models.BooleanField(default=False, help_text="A steward accepted the warnings.")
    state = models.CharField(max_length=16, choices=State.choices, default=State.QUEUED)
    report = models.JSONField(default=dict, blank=True)
    submission = models.ForeignKey(
        "store.Submission", null=True, blank=True, on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} ({self.state})"


class Review(models.Model):
    """The life of one loaded submission, from checked to published (see `lifecycle`).

    One per store submission: a file sent back is final, and the provider sends a new one, which
    gets its own review. `revision_note` is public once the submission is published: it says
    what a correction of published figures changed.
    """

    class State(models.TextChoices):
        CHECKED = "checked", _("checked")
        SUBMITTED = "submitted", _("submitted")
        CERTIFIED = "certified", _("certified")
        ACCEPTED = "accepted", _("accepted")
        SCHEDULED = "scheduled", _("scheduled")
        PUBLISHED = "published", _("published")
        RETURNED = "returned", _("returned")

    submission = models.OneToOneField(
        "store.Submission", on_delete=models.PROTECT, related_name="review"
    )
    upload = models.ForeignKey(Upload, null=True, blank=True, on_delete=models.PROTECT)
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT)
    dataflow = models.CharField(max_length=64)
    state = models.CharField(
        max_length=16, choices=State.choices, default=State.CHECKED, db_index=True
    )
    scheduled_for = models.DateTimeField(null=True, blank=True)
    revision_note = models.TextField(blank=True, default="")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-updated_at", "-id"]

    def __str__(self) -> str:
        return f"{self.institution.code} {self.dataflow} #{self.submission_id} ({self.state})"


class ReviewStep(AppendOnlyModel):
    """One move of a review, appended and never changed: the review's history."""

    class Action(models.TextChoices):
        LOAD = "load", _("load")
        SUBMIT = "submit", _("submit")
        CERTIFY = "certify", _("certify")
        ACCEPT = "accept", _("accept")
        SCHEDULE = "schedule", _("schedule the release")
        RESCHEDULE = "reschedule", _("change the release time")
        RETURN = "return", _("send back")
        RELEASE = "release", _("release")

    review = models.ForeignKey(Review, on_delete=models.PROTECT, related_name="steps")
    from_state = models.CharField(
        max_length=16, choices=Review.State.choices, blank=True, default=""
    )
    to_state = models.CharField(max_length=16, choices=Review.State.choices)
    action = models.CharField(max_length=16, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text="Empty for the release task.",
    )
    at = models.DateTimeField(default=timezone.now)
    comment = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.review_id}: {self.from_state} -{self.action}-> {self.to_state}"
