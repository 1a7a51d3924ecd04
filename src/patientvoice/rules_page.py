"""Render the rule registry as the docs page (docs/rules.md) or as plain text."""

from __future__ import annotations

from patientvoice.rules import FAMILIES, all_rules

HEADER = """# Check rules

`patientvoice check` runs every rule below; `patientvoice build` refuses to publish while any **error** stands.
Warnings fail only with `--strict`; notes are information. This page is generated from the rule registry
(`patientvoice rules --format markdown > docs/rules.md`); do not edit it by hand.
"""


def render_rules(fmt: str = "markdown") -> str:
    """Every registered rule, grouped by family."""
    rules = all_rules()
    if fmt == "text":
        return "\n".join(f"{r.id:<34} {r.severity:<8} {r.title}" for r in rules)
    out = [HEADER]
    family = None
    for r in rules:
        if r.family != family:
            family = r.family
            out.append(f"\n## {FAMILIES.get(family, family)}\n")
        out.append(f"### `{r.id}` {{#{r.id.replace('.', '-')}}}\n\n**{r.title}** · severity: {r.severity}\n\n"
                   f"*Why:* {r.why}\n\n*Fix:* {r.fix}\n")
    return "\n".join(out)
