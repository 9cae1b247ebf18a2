"""Obligations for the demo: what each demo country's institutions would owe, and when.

Frequencies are the finest each dataflow's indicators allow; lags are typical of the region
(border records within weeks, surveys and censuses within months). A dataflow goes to the demo
institution of the matching kind when the country has one, else to the whole country. Derived
indicators are computed by the platform and owed by nobody.
"""

from __future__ import annotations

from primi.deadlines.models import Obligation
from primi.workflow.demo_accounts import INSTITUTIONS
from primi.workflow.models import Institution

Kind = Institution.Kind
# dataflow: (frequency, lag in days, kind of institution that usually sends it)
DEMO_DUTIES: dict[str, tuple[str, int, str]] = {
    "DF_FLOWS": ("M", 45, Kind.MIGRATION),
    "DF_RETURNS": ("M", 45, Kind.MIGRATION),
    "DF_IRREGULAR": ("M", 45, Kind.MIGRATION),
    "DF_SAFETY": ("Q", 60, Kind.MIGRATION),
    "DF_PROTECTION": ("Q", 60, Kind.REFUGEE),
    "DF_REMITTANCES": ("Q", 90, Kind.CENTRAL_BANK),
    "DF_STOCKS": ("A", 180, Kind.STATISTICS),
    "DF_SOCIOECON": ("A", 270, Kind.STATISTICS),
}


def demo_countries() -> tuple[str, ...]:
    """The countries of the demo institutions."""
    return tuple(sorted({country for _, _, country, _ in INSTITUTIONS}))


def demo_obligations() -> int:
    """Create the demo's obligations once (a second call creates none); the number created."""
    created = 0
    for country in demo_countries():
        for dataflow, (freq, lag, kind) in DEMO_DUTIES.items():
            institution = Institution.objects.filter(country=country, kind=kind).first()
            _, new = Obligation.objects.get_or_create(
                dataflow=dataflow,
                country=country,
                frequency=freq,
                defaults={"lag_days": lag, "institution": institution},
            )
            created += new
    return created
