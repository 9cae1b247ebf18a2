"""The filtered trail as a CSV file a steward opens in a spreadsheet.

UTF-8 with a byte order mark and the separator of the reader's locale, like the portal's
downloads; every cell passes through `neutralise`, since usernames, summaries and details are
typed by users and a cell starting with =, +, - or @ must never become a formula.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator

from django.db.models import QuerySet
from django.utils import translation
from django.utils.translation import gettext as _

from primi.audit.actions import action_name
from primi.audit.models import AuditEvent
from primi.portal.downloads import BOM, dialect, neutralise


class _Line:
    """csv.writer's file: hands back each line instead of keeping it."""

    def write(self, text: str) -> str:
        return text


def header() -> list[str]:
    return [
        _("Time (UTC)"),
        _("User"),
        _("Institution"),
        _("Country"),
        _("Action"),
        _("Action name"),
        _("Object type"),
        _("Object id"),
        _("Summary"),
        _("Detail"),
        _("IP address"),
    ]


def row(event: AuditEvent) -> list[str]:
    return [
        event.at.isoformat(timespec="seconds"),
        event.username,
        event.institution,
        event.country,
        event.action,
        action_name(event.action),
        event.object_type,
        event.object_id,
        event.summary,
        json.dumps(event.detail, ensure_ascii=False, sort_keys=True) if event.detail else "",
        event.ip or "",
    ]


def csv_lines(events: QuerySet[AuditEvent] | Iterable[AuditEvent], lang: str) -> Iterator[str]:
    """The file, line by line: the BOM, the header, one line per event."""
    writer = csv.writer(_Line(), delimiter=dialect(lang).delimiter)
    rows = events.iterator(chunk_size=2000) if isinstance(events, QuerySet) else events
    # Streamed after the view has returned: the names are translated in the file's language.
    with translation.override(lang):
        yield BOM
        yield writer.writerow([neutralise(cell) for cell in header()])
        for event in rows:
            yield writer.writerow([neutralise(cell) for cell in row(event)])
