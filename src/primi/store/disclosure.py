"""Disclosure control: which cells never leave the platform in public output.

STANDARD.md's `CONF_STATUS` marks a cell `C` (confidential) or `D` (suppressed for disclosure
control); such a cell is kept in the store with its revisions but no public reader shows it.
"""

WITHHELD_CONF_STATUS: tuple[str, ...] = ("C", "D")


def is_withheld(conf_status: str | None) -> bool:
    """Whether a cell with this `CONF_STATUS` must stay out of public output."""
    return conf_status in WITHHELD_CONF_STATUS
