"""A user's practice copies: each is a practice institution of their own, never published."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class PracticeCopy(models.Model):
    """One practice institution of one user; the newest is the one the sandbox works on.

    Starting over adds a copy: the older ones and their files stay, seen by their owner only.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    institution = models.OneToOneField(
        "workflow.Institution", on_delete=models.PROTECT, related_name="practice_copy"
    )
    number = models.PositiveIntegerField(help_text="1 for the first copy, 2 after starting over.")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["user", "number"], name="sandbox_copy_number_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} #{self.number} ({self.institution.code})"
