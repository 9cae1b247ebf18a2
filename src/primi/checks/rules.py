"""The rules of levels 0-4 as data (`rules.yaml`): id, level, severity, definition, thresholds.

Every message quotes its rule's definition, so the definition lives in one place and a threshold
changes in the file, not in the code. This module is the registry alone: `findings.Finding`
reads it, and refuses a rule id it does not hold.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

RULES_FILE = Path(__file__).resolve().parent / "rules.yaml"
LEVELS = (0, 1, 2, 3, 4)
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class Rule:
    id: str
    level: int
    severity: str
    definition: dict[str, str]
    params: dict[str, Any] = field(default_factory=dict)


@functools.lru_cache(maxsize=1)
def _document() -> dict[str, Any]:
    with RULES_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


@functools.lru_cache(maxsize=1)
def rules() -> dict[str, Rule]:
    """Every rule by id, in file order; ValueError naming a rule the file gets wrong."""
    return {rule_id: _rule(rule_id, raw) for rule_id, raw in _document()["rules"].items()}


def _rule(rule_id: str, raw: dict[str, Any]) -> Rule:
    """One rule, refused when the file gets it wrong: an unquoted comma in a YAML flow mapping
    silently cuts a definition into extra keys, so exactly `es` and `en` are required."""
    definition = raw["definition"]
    if set(definition) != {"es", "en"} or not all(
        isinstance(text, str) and text.strip() for text in definition.values()
    ):
        raise ValueError(f"{rule_id}: the definition must be one text in es and one in en")
    made = Rule(
        id=rule_id,
        level=int(raw["level"]),
        severity=str(raw["severity"]),
        definition=dict(definition),
        params=raw.get("params") or {},
    )
    if made.level not in LEVELS or made.severity not in SEVERITIES:
        raise ValueError(f"{rule_id}: level {made.level}, severity {made.severity!r}")
    return made


def rule(rule_id: str) -> Rule:
    """The rule `rule_id`; KeyError naming the rules file when it defines no such rule."""
    try:
        return rules()[rule_id]
    except KeyError:
        raise KeyError(f"{rule_id} is not a rule of {RULES_FILE.name}") from None


def max_findings_per_rule() -> int:
    return int(_document()["defaults"]["max_findings_per_rule"])
