"""The docs that are generated or promised stay true to the code."""

from __future__ import annotations

import re
from pathlib import Path

from patientvoice.rules import all_rules
from patientvoice.rules_page import render_rules

REPO = Path(__file__).resolve().parents[1]


def test_rules_page_is_generated_from_the_registry():
    committed = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    assert committed == render_rules("markdown") + "\n", \
        "docs/rules.md is out of date: run `patientvoice rules --format markdown > docs/rules.md`"


def test_every_rule_has_an_anchor_why_and_fix():
    page = render_rules("markdown")
    for rule in all_rules():
        assert f'<a id="{rule.id.replace(".", "-")}"></a>' in page
        assert rule.why.strip() and rule.fix.strip() and rule.severity in ("error", "warning", "info")


def test_readme_links_resolve():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(((?!https?:|#)[^)#]+)", readme)
    assert targets and [t for t in targets if not (REPO / t).exists()] == []
