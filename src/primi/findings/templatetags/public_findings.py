"""`{% settled_findings key as found %}`: the series page's settled findings in its language.

A tag, so that the series page shows them without its builder knowing about findings.
"""

from django import template
from django.utils.translation import get_language

from primi.portal.series_findings import SettledFinding, settled_findings

register = template.Library()


@register.simple_tag(name="settled_findings")
def settled_findings_tag(key: str) -> list[SettledFinding]:
    return settled_findings(key, get_language() or "es")
