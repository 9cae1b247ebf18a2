"""`manage.py release_due`: publish every scheduled submission whose release time has passed.

The release task normally does this at the stated time; this catches up after a worker was down
(run it from cron, or by hand).
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from primi.workflow.lifecycle import release_due


class Command(BaseCommand):
    help = "Publish every scheduled submission whose release time has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--now",
            help="Release what is due by this ISO 8601 instant instead of the present "
            "(publication is still stamped with the present).",
        )

    def handle(self, *args, now: str | None = None, **options) -> None:
        instant = None
        if now:
            try:
                instant = dt.datetime.fromisoformat(now)
            except ValueError as err:
                raise CommandError(
                    _("--now: not an ISO 8601 date and time: %(value)s") % {"value": now}
                ) from err
            if timezone.is_naive(instant):
                instant = timezone.make_aware(instant)
        released = release_due(instant)
        if released:
            ids = ", ".join(str(pk) for pk in released)
            message = ngettext(
                "Released %(count)d submission (review %(ids)s).",
                "Released %(count)d submissions (reviews %(ids)s).",
                len(released),
            )
            self.stdout.write(message % {"count": len(released), "ids": ids})
        else:
            self.stdout.write(_("No scheduled release is due."))
