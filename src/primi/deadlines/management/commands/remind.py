"""`manage.py remind`: e-mail focal points the submissions due within N days or overdue.

Run it daily from cron; running it again the same day sends nothing already sent that day.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from primi.deadlines.reminders import send_reminders


class Command(BaseCommand):
    help = "E-mail focal points the submissions due within N days or overdue and not received."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--days", type=int, default=7, help="Remind of what is due within this many days."
        )
        parser.add_argument(
            "--back",
            type=int,
            default=365,
            help="Remind of what is overdue since at most this many days.",
        )
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(self, *args, days: int, back: int, today: str | None, **options) -> None:
        if days < 0 or back < 0:
            raise CommandError(_("--days and --back take a number of days, 0 or more."))
        day = dt.datetime.now(dt.UTC).date()
        if today:
            try:
                day = dt.date.fromisoformat(today)
            except ValueError as err:
                raise CommandError(
                    _("--today: not a date written YYYY-MM-DD: %(value)s") % {"value": today}
                ) from err
        sent = send_reminders(day, days=days, back=back)
        self.stdout.write(
            ngettext("%(count)d reminder sent.", "%(count)d reminders sent.", sent)
            % {"count": sent}
        )
