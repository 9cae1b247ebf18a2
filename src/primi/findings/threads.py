"""Opening findings, writing in their threads and settling them.

The checks that compare countries call `open_or_update` on every run: while a finding of the same
rule on the same series is open it is updated (wider period range, a new message when the check
says something new) instead of being opened again; one settled as explained or accepted whose
periods cover the new ones is left as it is, since the countries already answered it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from primi.checks.rules import rules
from primi.findings.access import takes_part
from primi.findings.keys import SeriesRange, countries_of, series_range
from primi.findings.models import STEWARD_ORIGIN, Finding, FindingCountry, FindingKey, Message
from primi.standard.periods import period_bounds

TITLE_LENGTH = Finding._meta.get_field("title").max_length


class ThreadError(ValueError):
    """A move the thread refuses; the message is in the user's language."""


def _ranges(keys: Iterable[SeriesRange | str]) -> list[SeriesRange]:
    ranges: dict[str, SeriesRange] = {}
    for item in keys:
        checked = (
            series_range(item.series_key, item.start_period, item.end_period)
            if isinstance(item, SeriesRange)
            else series_range(item)
        )
        ranges[checked.series_key] = _union(ranges.get(checked.series_key), checked)
    if not ranges:
        raise ThreadError(_("Write at least one series key."))
    return [ranges[k] for k in sorted(ranges)]


def _start(period: str) -> dt.date:
    return period_bounds(period)[0]


def _union(old: SeriesRange | None, new: SeriesRange) -> SeriesRange:
    """The smallest range holding both; a blank bound is unlimited and stays so."""
    if old is None:
        return new
    start = (
        ""
        if not (old.start_period and new.start_period)
        else min(old.start_period, new.start_period, key=_start)
    )
    end = (
        ""
        if not (old.end_period and new.end_period)
        else max(old.end_period, new.end_period, key=_start)
    )
    return SeriesRange(new.series_key, start, end)


def _covers(outer: SeriesRange, inner: SeriesRange) -> bool:
    return _union(outer, inner) == outer


def _text(message: str | Mapping[str, str]) -> str:
    """A check's message given per language is kept in Spanish, then English."""
    if isinstance(message, str):
        return message.strip()
    return "\n\n".join(message[lang].strip() for lang in ("es", "en", "fr") if message.get(lang))


def _key_ranges(finding: Finding) -> dict[str, SeriesRange]:
    return {
        k.series_key: SeriesRange(k.series_key, k.start_period, k.end_period)
        for k in finding.keys.all()
    }


def open_finding(
    keys: Iterable[SeriesRange | str],
    title: str,
    text: str | Mapping[str, str],
    *,
    by: AbstractBaseUser | None = None,
    origin: str = STEWARD_ORIGIN,
) -> Finding:
    """A new finding on `keys`, its countries taken from the keys, its thread started by `text`."""
    ranges = _ranges(keys)
    if origin != STEWARD_ORIGIN and origin not in rules():
        raise ValueError(f"unknown origin {origin!r}: a rule id of checks/rules.yaml or 'steward'")
    countries = countries_of(ranges)
    if not countries:
        raise ThreadError(
            _("None of these keys names a country of the region, so nobody could answer.")
        )
    body = _text(text)
    if not title.strip() or not body:
        raise ThreadError(_("A finding needs a title and a first message."))
    with transaction.atomic():
        finding = Finding.objects.create(
            title=title.strip()[:TITLE_LENGTH], origin=origin, opened_by=by
        )
        FindingKey.objects.bulk_create(FindingKey(finding=finding, **r.__dict__) for r in ranges)
        FindingCountry.objects.bulk_create(
            FindingCountry(finding=finding, country=c) for c in countries
        )
        Message.objects.create(finding=finding, author=by, text=body)
    return finding


def open_or_update(
    keys: Iterable[SeriesRange | str],
    rule: str,
    message: str | Mapping[str, str],
    *,
    by: AbstractBaseUser | None = None,
) -> Finding:
    """The open finding of `rule` on exactly these series, updated; else a new one.

    A finding of the same rule and series settled as explained or accepted, whose periods
    already cover these, is returned unchanged.
    """
    ranges = _ranges(keys)
    wanted = {r.series_key: r for r in ranges}
    body = _text(message)
    with transaction.atomic():
        candidates = (
            Finding.objects.select_for_update()
            .filter(origin=rule, keys__series_key=ranges[0].series_key)
            .exclude(state=Finding.State.CORRECTED)
            .order_by("created_at", "pk")
        )
        for finding in candidates:
            have = _key_ranges(finding)
            if set(have) != set(wanted):
                continue
            if finding.state == Finding.State.OPEN:
                _widen(finding, have, wanted)
                last = finding.messages.order_by("-at", "-pk").first()
                if body and (last is None or last.text != body):
                    Message.objects.create(finding=finding, author=by, text=body)
                return finding
            if all(_covers(have[k], wanted[k]) for k in wanted):
                return finding
        title = f"{rule} · {ranges[0].series_key}"
        if len(ranges) > 1:
            title += f" (+{len(ranges) - 1})"
        return open_finding(ranges, title, body, by=by, origin=rule)


def _widen(finding: Finding, have: dict[str, SeriesRange], wanted: dict[str, SeriesRange]) -> None:
    for key, new in wanted.items():
        merged = _union(have[key], new)
        if merged != have[key]:
            FindingKey.objects.filter(finding=finding, series_key=key).update(
                start_period=merged.start_period, end_period=merged.end_period
            )


def post(finding: Finding, user: AbstractBaseUser, text: str) -> Message:
    """Add `user`'s message to the thread (refused to anyone who does not take part)."""
    if not takes_part(user, finding):
        raise PermissionDenied
    text = text.strip()
    if not text:
        raise ThreadError(_("Write a message before sending it."))
    return Message.objects.create(finding=finding, author=user, text=text)


def settle(finding: Finding, user: AbstractBaseUser, state: str, resolution: str) -> Finding:
    """Set the finding's state; explained, corrected and accepted need the resolution's text.

    Reopening is allowed: the resolution is then cleared from the finding (and so from the
    public page), while the thread keeps what was said.
    """
    if not takes_part(user, finding):
        raise PermissionDenied
    if state not in Finding.State.values:
        raise ThreadError(_("Choose one of the states offered."))
    resolution = resolution.strip()
    with transaction.atomic():
        finding = Finding.objects.select_for_update().get(pk=finding.pk)
        if state == Finding.State.OPEN:
            if finding.state == Finding.State.OPEN:
                raise ThreadError(_("The finding is already open."))
            finding.resolution, finding.resolved_at = "", None
            note = resolution or _("Reopened.")
        else:
            if not resolution:
                raise ThreadError(
                    _("Say how the finding was resolved: the text is shown with the series.")
                )
            finding.resolution, finding.resolved_at = resolution, timezone.now()
            note = resolution
        finding.state = state
        finding.save(update_fields=["state", "resolution", "resolved_at"])
        Message.objects.create(finding=finding, author=user, text=note, state=state)
    return finding
