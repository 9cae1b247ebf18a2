"""What each country owes and when, and which reminders went out.

An `Obligation` says that a country (or one institution of it) sends a dataflow's data for every
period of a frequency, `lag_days` after the period ends. Whether it arrived is read from the
store, never recorded here. A `Reminder` row is written for each e-mail's item so that the
reminder command, however often it runs, reminds nobody twice of the same thing on one day, be
it a focal point's reminder or a coordinator's or steward's digest.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Obligation(models.Model):
    class Frequency(models.TextChoices):
        ANNUAL = "A", _("annual")
        QUARTERLY = "Q", _("quarterly")
        MONTHLY = "M", _("monthly")

    dataflow = models.CharField(max_length=64)
    country = models.CharField(max_length=3, db_index=True, help_text="ISO 3166-1 alpha-3.")
    frequency = models.CharField(max_length=1, choices=Frequency.choices)
    lag_days = models.PositiveIntegerField(
        help_text="Days after the end of the period by which the data are due."
    )
    institution = models.ForeignKey(
        "workflow.Institution",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        help_text="The institution that sends it; empty: any institution of the country.",
    )

    class Meta:
        ordering = ["country", "dataflow", "frequency"]

    def __str__(self) -> str:
        who = self.institution.code if self.institution_id else self.country
        return f"{self.dataflow} {self.frequency} {who} +{self.lag_days}d"


class Reminder(models.Model):
    """One item of one reminder e-mail: who was reminded of which period, on which day, and as
    whom (a focal point owes it; a coordinator's and a steward's daily digests report it)."""

    class Audience(models.TextChoices):
        FOCAL_POINT = "focal_point", _("focal point")
        COORDINATOR = "coordinator", _("country coordinator")
        STEWARD = "steward", _("regional steward")

    obligation = models.ForeignKey(Obligation, on_delete=models.CASCADE)
    period = models.CharField(max_length=16)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    sent_on = models.DateField()
    overdue = models.BooleanField(
        default=False, help_text="Past its due date and not received when the e-mail went out."
    )
    audience = models.CharField(
        max_length=16, choices=Audience.choices, default=Audience.FOCAL_POINT
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["obligation", "period", "user", "sent_on", "audience"],
                name="deadlines_remind_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.audience} {self.obligation} {self.period} {self.sent_on}"
