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
    "sandbox.upload.created": _("Practice file sent"),
    "upload.explained": _("Warnings explained, file run again"),
    "sandbox.upload.explained": _("Practice warnings explained"),
    "audit.exported": _("Audit trail exported"),
    "finding.opened": _("Finding opened"),
    "finding.posted": _("Message on a finding"),
    "finding.settled": _("Finding's state changed"),
}
# Review moves are recorded as review.<action> (sandbox.review.<action> in a practice copy);
# their names are the review's own action labels.
REVIEW_PREFIXES = {"review.": _("Review: %s"), "sandbox.review.": _("Practice review: %s")}


def action_name(slug: str) -> str:
    if slug in NAMES:
        return str(NAMES[slug])
    for prefix, name in REVIEW_PREFIXES.items():
        if slug.startswith(prefix):
            from primi.workflow.models import ReviewStep

            action = slug.removeprefix(prefix)
            if action in ReviewStep.Action.values:
                return str(name) % ReviewStep.Action(action).label
    return slug
