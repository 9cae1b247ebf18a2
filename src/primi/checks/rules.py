"""The rules of levels 0-3 as data (`rules.yaml`): id, level, severity, definition, thresholds.

Every message quotes its rule's definition, so the definition lives in one place and a threshold
changes in the file, not in the code.
"""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from primi.checks.findings import Finding

RULES_FILE = Path(__file__).resolve().parent / "rules.yaml"


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
    """Every rule by id, in file order."""
    return {
        rule_id: Rule(
            id=rule_id,
            level=int(raw["level"]),
            severity=str(raw["severity"]),
            definition={k: str(v) for k, v in raw["definition"].items()},
            params=raw.get("params") or {},
        )
        for rule_id, raw in _document()["rules"].items()
    }


def rule(rule_id: str) -> Rule:
    return rules()[rule_id]


def max_findings_per_rule() -> int:
    return int(_document()["defaults"]["max_findings_per_rule"])


def finding(rule_id: str, file: str, es: str, en: str, **where: Any) -> Finding:
    """A finding of `rule_id` with the level and severity the rules file gives it."""
    r = rule(rule_id)
    return Finding(
        rule=r.id, level=r.level, severity=r.severity, file=file, message_es=es, message_en=en,
        **where,
    )  # fmt: skip


def with_definition(f: Finding) -> Finding:
    """The finding with its rule's definition appended to both messages (once)."""
    r = rules().get(f.rule)
    if r is None:
        return f
    es = f"Regla {r.id}: {r.definition['es']}"
    en = f"Rule {r.id}: {r.definition['en']}"
    if f.message_es.endswith(es):
        return f
    return dataclasses.replace(
        f, message_es=f"{f.message_es} {es}", message_en=f"{f.message_en} {en}"
    )
