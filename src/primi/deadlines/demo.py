"""Obligations for the demo: what each demo country's institutions would owe, and when.

Frequencies are the finest each dataflow's indicators allow; lags are typical of the region
(border records within weeks, surveys and censuses within months). A dataflow is owed by the
country's institution responsible for it (`Institution.dataflows`, set for the demo from
`demo_accounts.DATAFLOWS_BY_KIND`) when it has one, else by the whole country. Derived
indicators are computed by the platform and owed by nobody.
"""

from __future__ import annotations

from primi.deadlines.models import Obligation
from primi.workflow.demo_accounts import INSTITUTIONS
from primi.workflow.models import Institution

# dataflow: (frequency, lag in days)
DEMO_DUTIES: dict[str, tuple[str, int]] = {
    "DF_FLOWS": ("M", 45),
    "DF_RETURNS": ("M", 45),
    "DF_IRREGULAR": ("M", 45),
    "DF_SAFETY": ("M", 60),
    "DF_PROTECTION": ("M", 60),
    "DF_REMITTANCES": ("Q", 90),
    "DF_STOCKS": ("A", 180),
    "DF_SOCIOECON": ("A", 270),
}


def demo_countries() -> tuple[str, ...]:
    """The countries of the demo institutions."""
    return tuple(sorted({country for _, _, country, _ in INSTITUTIONS}))


def demo_obligations() -> int:
    """Create the demo's obligations once (a second call creates none); the number created."""
    created = 0
    for country in demo_countries():
        institutions = list(Institution.objects.filter(country=country).order_by("code"))
        for dataflow, (freq, lag) in DEMO_DUTIES.items():
            sender = next((i for i in institutions if i.sends(dataflow)), None)
            _, new = Obligation.objects.get_or_create(
                dataflow=dataflow,
                country=country,
                frequency=freq,
                defaults={"lag_days": lag, "institution": sender},
            )
            created += new
    return created
