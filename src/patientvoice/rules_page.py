"""Render the rule registry as the docs page (docs/rules.md) or as plain text."""

from __future__ import annotations

from collections import Counter

from patientvoice.rules import FAMILIES, all_rules

SEVERITY = {"error": "error", "warning": "warning", "info": "note"}  # as `check` prints them
HEADER = """# Check rules

`patientvoice check` runs every rule below and reports each finding as `path:line: message [rule id]`.
`patientvoice build` refuses to publish while any **error** stands. **Warnings** are printed and stop a
build only with `--strict`. **Notes** are information for reviewers (a waived finding, for example).

This page is generated from the rule registry, the single source of truth for ids, severities, reasons and
fixes: `patientvoice rules --format markdown > docs/rules.md`. Do not edit it by hand.
"""


def _anchor(rule_id: str) -> str:
    return rule_id.replace(".", "-")


def render_rules(fmt: str = "markdown") -> str:
    """Every registered rule, grouped by family: a summary table, then why and how to fix each."""
    rules = all_rules()
    if fmt == "text":
        return "\n".join(f"{r.id:<34} {SEVERITY.get(r.severity, r.severity):<8} {r.title}" for r in rules)
    counts = Counter(SEVERITY.get(r.severity, r.severity) for r in rules)
    out = [HEADER, f"{len(rules)} rules: " + ", ".join(f"{n} {s}{'s' * (n != 1)}" for s, n in sorted(counts.items())) + ".\n",
           "| Rule | Severity | What it finds |", "|---|---|---|"]
    out += [f"| [`{r.id}`](#{_anchor(r.id)}) | {SEVERITY.get(r.severity, r.severity)} | {r.title} |" for r in rules]
    family = None
    for r in rules:
        if r.family != family:
            family = r.family
            out.append(f"\n## {FAMILIES.get(family, family)}\n")
        # An explicit anchor: GitHub and mkdocs both honour <a id>, neither shows it as text.
        out.append(f'<a id="{_anchor(r.id)}"></a>\n\n### `{r.id}`\n\n**{r.title}** · '
                   f"{SEVERITY.get(r.severity, r.severity)}\n\n*Why:* {r.why}\n\n*Fix:* {r.fix}\n")
    return "\n".join(out)
