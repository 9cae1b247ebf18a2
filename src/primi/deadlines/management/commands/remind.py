"""`manage.py remind`: e-mail focal points the submissions due within N days or overdue, and
coordinators and stewards their digest of what is missing or came late.

Run it daily from cron; running it again the same day sends nothing already sent that day.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from primi.deadlines.digests import send_digests
from primi.deadlines.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "E-mail focal points the submissions due within N days or overdue and not received, "
        "and coordinators and stewards a digest of the missing and late ones."
    )

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
        parser.add_argument(
            "--digest-days",
            type=int,
            default=90,
            help="Digests cover what fell due in this many days before today.",
        )
        parser.add_argument("--today", help="Act as if today were this date (YYYY-MM-DD).")

    def handle(
        self, *args, days: int, back: int, digest_days: int, today: str | None, **options
    ) -> None:
        if days < 0 or back < 0:
            raise CommandError(_("--days and --back take a number of days, 0 or more."))
        if digest_days < 1:
            raise CommandError(_("--digest-days takes a number of days, 1 or more."))
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
        digests = send_digests(day, back=digest_days)
        self.stdout.write(
            ngettext("%(count)d digest sent.", "%(count)d digests sent.", digests)
            % {"count": digests}
        )
