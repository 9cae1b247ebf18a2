"""Institutions and accounts for trying the submission and review pages in the demo.

Each demo institution is responsible for the dataflows of its kind (`DATAFLOWS_BY_KIND`): the
one place that says who sends what in the demo, read by the demo's data loading (whose rows
each institution sent) and by its obligations (who owes what).
"""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from primi.workflow.models import Institution, Membership, Role

Kind = Institution.Kind
DATAFLOWS_BY_KIND: dict[str, tuple[str, ...]] = {
    Kind.MIGRATION: ("DF_FLOWS", "DF_RETURNS", "DF_IRREGULAR", "DF_SAFETY"),
    Kind.REFUGEE: ("DF_PROTECTION",),
    Kind.CENTRAL_BANK: ("DF_REMITTANCES",),
    Kind.STATISTICS: ("DF_STOCKS", "DF_SOCIOECON"),
}
DEMO_USER = "focal-gtm"
INSTITUTIONS = (
    ("GTM_IGM", "Instituto Guatemalteco de Migración", "GTM", Institution.Kind.MIGRATION),
    ("MEX_UPM", "Unidad de Política Migratoria", "MEX", Institution.Kind.MIGRATION),
    ("HND_INM", "Instituto Nacional de Migración", "HND", Institution.Kind.MIGRATION),
    ("CRI_DGME", "Dirección General de Migración y Extranjería", "CRI", Institution.Kind.MIGRATION),
    ("PAN_SNM", "Servicio Nacional de Migración", "PAN", Institution.Kind.MIGRATION),
    ("GTM_INE", "Instituto Nacional de Estadística", "GTM", Institution.Kind.STATISTICS),
)


DEMO_COORDINATOR = "coord-gtm"
DEMO_STEWARD = "steward"


def demo_senders() -> dict[tuple[str, str], str]:
    """(country, dataflow) -> the code of the demo institution that sends it."""
    return {
        (country, dataflow): code
        for code, _, country, kind in INSTITUTIONS
        for dataflow in DATAFLOWS_BY_KIND.get(kind, ())
    }


def create_demo_institutions() -> None:
    """The demo institutions, each responsible for its kind's dataflows; idempotent, and it
    gives back the dataflows of an institution created before they were named."""
    for code, name, country, kind in INSTITUTIONS:
        institution, _ = Institution.objects.get_or_create(
            code=code, defaults={"name": name, "country": country, "kind": kind}
        )
        if not institution.dataflows:
            institution.dataflows = list(DATAFLOWS_BY_KIND.get(kind, ()))
            institution.full_clean()
            institution.save(update_fields=["dataflows"])


def create_demo_accounts() -> str:
    """Create the demo institutions and three accounts once; return how to sign in.

    Guatemala's focal point (a provider of IGM and INE), Guatemala's coordinator and a regional
    steward share one random password, kept in PRIMI_HOME/demo_password (owner-readable only).
    """
    create_demo_institutions()
    password_file = Path(settings.PRIMI_HOME) / "demo_password"
    if not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(12))
        password_file.chmod(0o600)
    password = password_file.read_text().strip()
    users = get_user_model().objects
    for username in (DEMO_USER, DEMO_COORDINATOR, DEMO_STEWARD):
        if not users.filter(username=username).exists():
            users.create_user(username, password=password)
    focal = users.get(username=DEMO_USER)
    for code in ("GTM_IGM", "GTM_INE"):
        Membership.objects.get_or_create(user=focal, institution=Institution.objects.get(code=code))
    coordinator = users.get(username=DEMO_COORDINATOR)
    Role.objects.get_or_create(user=coordinator, kind=Role.Kind.COORDINATOR, country="GTM")
    Role.objects.get_or_create(user=users.get(username=DEMO_STEWARD), kind=Role.Kind.STEWARD)
    return (
        f"Cuentas de prueba / demo accounts: {DEMO_USER} (punto focal / focal point), "
        f"{DEMO_COORDINATOR} (coordinación de Guatemala / Guatemala's coordinator), "
        f"{DEMO_STEWARD} (gestión regional / regional steward); "
        f"contraseña / password: {password} (guardada en / kept in {password_file})"
    )
