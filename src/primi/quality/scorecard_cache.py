"""Scorecards kept for a few minutes, so the dashboard, a scorecard and its report do not each
count again what the others just counted.

A country's scorecard re-reads and re-checks every figure it published (about a second per
country on the demonstration data), so the dashboard of fifteen countries takes tens of seconds.
A card is kept under a key that changes whenever what it counts may have changed: a submission
received or published, a full level-4 run, a finding opened or settled, an obligation or an
institution added or changed. It is also dropped after `SECONDS`, to bound what a change the
key does not see could leave stale.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Count, Max

from primi.deadlines.models import Obligation
from primi.findings.models import Finding
from primi.quality.scorecards import Scorecard, latest_full_run, scorecards
from primi.store.models import Submission
from primi.workflow.models import Institution

SECONDS = 600


def _state() -> str:
    """What the cards were counted from, as a short digest."""
    run = latest_full_run()
    parts = (
        (run.pk, run.finished_at) if run else None,
        Submission.objects.aggregate(
            n=Count("pk"), last=Max("pk"), made=Max("created_at"), out=Max("published_at")
        ),
        Finding.objects.aggregate(
            n=Count("pk"), last=Max("pk"), made=Max("created_at"), settled=Max("resolved_at")
        ),
        Finding.objects.filter(state=Finding.State.OPEN).count(),
        list(Obligation.objects.order_by("pk").values_list()),
        Institution.objects.aggregate(n=Count("pk"), last=Max("pk")),
    )
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:32]


def _key(state: str, country: str, years: list[int], today: dt.date) -> str:
    return f"primi:quality:card:{state}:{country}:{','.join(map(str, years))}:{today.isoformat()}"


def kept_scorecards(
    countries: Iterable[str], years: Iterable[int], today: dt.date | None = None
) -> list[Scorecard]:
    """`scorecards()`, counting only the countries whose card is not kept for this state."""
    today = today or dt.datetime.now(dt.UTC).date()
    countries, years = sorted(set(countries)), sorted(set(years))
    state = _state()
    keys = {c: _key(state, c, years, today) for c in countries}
    kept = cache.get_many(list(keys.values()))
    missing = [c for c in countries if keys[c] not in kept]
    counted = {card.country: card for card in scorecards(missing, years, today)} if missing else {}
    cache.set_many({keys[c]: card for c, card in counted.items()}, SECONDS)
    return [kept.get(keys[c]) or counted[c] for c in countries]
