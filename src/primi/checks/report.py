"""The report of one submission: a summary first, then every finding; as JSON and as text.

JSON shape (stable; the API serves it as is)::

    {
      "summary": {
        "rows_read": int, "rows_accepted": int,
        "errors": int, "warnings": int, "infos": int,      # findings, each counted by `count`
        "by_rule": [                                        # one entry per rule, by level then id
          {"rule": str, "level": int, "severity": "error"|"warning"|"info",
           "findings": int, "rows": int}                    # findings and the rows they cover
        ]
      },
      "findings": [
        {"rule": str, "level": int, "severity": str, "file": str, "sheet": str|null,
         "row": int|null, "column": str|null, "series_key": str|null, "count": int,
         "message": {"es": str, "en": str}}
      ]
    }

`rows` in `by_rule` sums each finding's `count` (the rows or totals it stands for).
"""

from __future__ import annotations

from dataclasses import dataclass

from primi.checks.findings import ERROR, INFO, WARNING, Finding

SEVERITY_ORDER = {ERROR: 0, WARNING: 1, INFO: 2}
_WORDS = {
    "es": {"title": "Informe de validación", "read": "Filas leídas", "accepted": "Filas aceptadas",
           ERROR: "errores", WARNING: "avisos", INFO: "notas", "by_rule": "Por regla",
           "none": "Sin observaciones.", "series": "serie"},
    "en": {"title": "Validation report", "read": "Rows read", "accepted": "Rows accepted",
           ERROR: "errors", WARNING: "warnings", INFO: "notes", "by_rule": "By rule",
           "none": "No findings.", "series": "series"},
}  # fmt: skip


@dataclass(frozen=True)
class Report:
    rows_read: int
    rows_accepted: int
    findings: tuple[Finding, ...]

    def totals(self) -> dict[str, int]:
        """Findings per severity, each weighted by its count."""
        out = {ERROR: 0, WARNING: 0, INFO: 0}
        for f in self.findings:
            out[f.severity] = out.get(f.severity, 0) + f.count
        return out

    def by_rule(self) -> list[dict]:
        rules: dict[str, dict] = {}
        for f in self.findings:
            entry = rules.setdefault(f.rule, {
                "rule": f.rule, "level": f.level, "severity": f.severity, "findings": 0, "rows": 0,
            })  # fmt: skip
            entry["findings"] += 1
            entry["rows"] += f.count
        return sorted(rules.values(), key=lambda e: (e["level"], e["rule"]))

    def to_json(self) -> dict:
        totals = self.totals()
        return {
            "summary": {
                "rows_read": self.rows_read,
                "rows_accepted": self.rows_accepted,
                "errors": totals[ERROR],
                "warnings": totals[WARNING],
                "infos": totals[INFO],
                "by_rule": self.by_rule(),
            },
            "findings": [
                {
                    "rule": f.rule,
                    "level": f.level,
                    "severity": f.severity,
                    "file": f.file,
                    "sheet": f.sheet,
                    "row": f.row,
                    "column": f.column,
                    "series_key": f.series_key,
                    "count": f.count,
                    "message": {"es": f.message_es, "en": f.message_en},
                }  # fmt: skip
                for f in self.findings
            ],
        }

    def to_text(self, lang: str = "es") -> str:
        w = _WORDS["es" if lang == "es" else "en"]
        totals = self.totals()
        lines = [
            w["title"],
            f"{w['read']}: {self.rows_read}   {w['accepted']}: {self.rows_accepted}",
            ", ".join(f"{totals[s]} {w[s]}" for s in (ERROR, WARNING, INFO)),
        ]
        if self.findings:
            lines.append(f"{w['by_rule']}:")
            lines += [
                f"  {e['rule']} (L{e['level']}, {e['severity']}): {e['findings']} / {e['rows']}"
                for e in self.by_rule()
            ]
            lines.append("")
            for f in self.findings:
                series = f" [{w['series']} {f.series_key}]" if f.series_key else ""
                lines.append(f.line(lang) + series)
        else:
            lines.append(w["none"])
        return "\n".join(lines)


def summarize(findings: list[Finding], rows_read: int, rows_accepted: int) -> Report:
    """The report: findings ordered by level, severity and row, after the summary."""
    ordered = sorted(
        findings, key=lambda f: (f.level, SEVERITY_ORDER.get(f.severity, 3), f.row or 0, f.rule)
    )
    return Report(rows_read, rows_accepted, tuple(ordered))


def unexplained_warnings(findings: list[Finding], explanations: dict[str, str]) -> list[str]:
    """Rules with warnings but no explanation (blank ones count as none); the load waits."""
    warned = {f.rule for f in findings if f.severity == WARNING}
    return sorted(r for r in warned if not (explanations.get(r) or "").strip())


def findings_from_json(report: dict) -> list[Finding]:
    """The findings of a report kept as JSON (`Report.to_json`), as Finding objects again (level
    and severity are the rules file's, as for every finding)."""
    return [
        Finding(
            rule=f["rule"],
            file=f["file"],
            message_es=f["message"]["es"],
            message_en=f["message"]["en"],
            row=f["row"],
            column=f["column"],
            series_key=f["series_key"],
            count=f["count"],
            sheet=f.get("sheet"),
        )
        for f in report.get("findings", [])
    ]
