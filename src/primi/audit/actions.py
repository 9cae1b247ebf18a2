"""Names of the actions the trail records, in the reader's language.

Events store a short slug; the pages show its name. A slug not listed here is shown as stored,
so an app that records a new kind of action is never hidden.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

NAMES = {
    "login": _("Signed in"),
    "logout": _("Signed out"),
    "login.failed": _("Sign-in refused"),
    "token.created": _("API token created"),
    "token.revoked": _("API token revoked"),
    "token.refused": _("API token refused"),
    "upload.created": _("File sent"),
    "audit.exported": _("Audit trail exported"),
}


def action_name(slug: str) -> str:
    return str(NAMES.get(slug, slug))
