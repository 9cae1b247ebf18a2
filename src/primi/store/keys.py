"""SDMX series-key patterns: `M.GTM+MEX.ENTRY....`, `all`, and what each position allows.

Kept apart from the queries so the SDMX REST layer can parse the same `key` path segment.
"""

from dataclasses import dataclass

from primi.standard.frame import DIMENSIONS

WILDCARDS = frozenset({"", "*"})


class KeyPatternError(ValueError):
    """A key pattern that does not have one position per dimension."""


@dataclass(frozen=True, slots=True)
class KeyPattern:
    """Allowed codes per dimension, in DSD order; an empty tuple allows every code."""

    positions: tuple[tuple[str, ...], ...]

    @property
    def is_all(self) -> bool:
        return not any(self.positions)

    def constraints(self) -> dict[str, tuple[str, ...]]:
        """The constrained dimensions only, by dimension id."""
        return {dim: codes for dim, codes in zip(DIMENSIONS, self.positions, strict=True) if codes}

    def matches(self, key: str) -> bool:
        values = key.split(".")
        if len(values) != len(DIMENSIONS):
            return False
        return all(not codes or v in codes for v, codes in zip(values, self.positions, strict=True))


def parse_key(pattern: str | None) -> KeyPattern:
    """Parse an SDMX key: dots between positions, empty or `*` = any, `+` = or, `all` = all."""
    if pattern is None or pattern.strip() in ("", "all", "*"):
        return KeyPattern(tuple(() for _ in DIMENSIONS))
    parts = pattern.strip().split(".")
    if len(parts) != len(DIMENSIONS):
        raise KeyPatternError(
            f"key {pattern!r} has {len(parts)} positions; {len(DIMENSIONS)} expected "
            f"({'.'.join(DIMENSIONS)})"
        )
    positions = []
    for part in parts:
        codes = tuple(dict.fromkeys(c.strip() for c in part.split("+")))
        if any(c in WILDCARDS for c in codes):
            positions.append(())
        else:
            positions.append(codes)
    return KeyPattern(tuple(positions))
