"""Institutions and one focal-point account for trying the submission pages in the demo."""

from __future__ import annotations

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model

from primi.workflow.models import Institution, Membership

DEMO_USER = "focal-gtm"
INSTITUTIONS = (
    ("GTM_IGM", "Instituto Guatemalteco de Migración", "GTM", Institution.Kind.MIGRATION),
    ("MEX_UPM", "Unidad de Política Migratoria", "MEX", Institution.Kind.MIGRATION),
    ("HND_INM", "Instituto Nacional de Migración", "HND", Institution.Kind.MIGRATION),
    ("CRI_DGME", "Dirección General de Migración y Extranjería", "CRI", Institution.Kind.MIGRATION),
    ("PAN_SNM", "Servicio Nacional de Migración", "PAN", Institution.Kind.MIGRATION),
    ("GTM_INE", "Instituto Nacional de Estadística", "GTM", Institution.Kind.STATISTICS),
)


def create_demo_accounts() -> str:
    """Create the demo institutions and the Guatemalan focal point once; return how to sign in.

    The password is random, kept in PRIMI_HOME/demo_password (readable by its owner only).
    """
    for code, name, country, kind in INSTITUTIONS:
        Institution.objects.get_or_create(
            code=code, defaults={"name": name, "country": country, "kind": kind}
        )
    password_file = Path(settings.PRIMI_HOME) / "demo_password"
    user_model = get_user_model()
    if not user_model.objects.filter(username=DEMO_USER).exists():
        password = secrets.token_urlsafe(12)
        user = user_model.objects.create_user(DEMO_USER, password=password)
        password_file.write_text(password)
        password_file.chmod(0o600)
        for code in ("GTM_IGM", "GTM_INE"):
            Membership.objects.create(user=user, institution=Institution.objects.get(code=code))
    password = password_file.read_text().strip() if password_file.exists() else "?"
    return (
        f"Cuenta de prueba / demo account: {DEMO_USER} / {password} "
        f"(guardada en / kept in {password_file})"
    )
