"""Disclosure control in public output: a withheld cell never leaves the platform.

STANDARD.md's `CONF_STATUS` marks a cell `C` (confidential) or `D` (suppressed for disclosure
control); such a cell is kept in the store with its revisions, but the JSON API leaves it out.
The codes are the store's (`queries.WITHHELD_CONF_STATUS`), the same the SDMX service reads.
"""

from primi.store.queries import WITHHELD_CONF_STATUS


def is_withheld(conf_status: str | None) -> bool:
    """Whether a cell with this `CONF_STATUS` must stay out of public output."""
    return conf_status in WITHHELD_CONF_STATUS
