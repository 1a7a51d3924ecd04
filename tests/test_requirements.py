"""The requirements registry (compliance/requirements.py) stays true to the rule registry and the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import patientvoice
from patientvoice.compliance.requirements import CHECKLIST, REQUIREMENTS, SAFE_HARBOR, render_requirements
from patientvoice.rules import all_rules

REPO = Path(__file__).resolve().parents[1]
PACKAGE = Path(patientvoice.__file__).parent


def test_every_rule_named_exists():
    known = {r.id for r in all_rules()}
    missing = sorted({(r.id, rule) for r in REQUIREMENTS for rule in r.rules if rule not in known})
    assert missing == [], f"requirements name rules that do not exist : {missing}"


def test_every_hard_requirement_has_a_rule_or_a_rendering_place():
    bare = [r.id for r in REQUIREMENTS if r.hard and not (r.rules or r.rendered)]
    assert bare == []


def test_every_rendering_place_exists():
    for r in REQUIREMENTS:
        for path, what in r.rendered:
            assert (PACKAGE / path).is_file(), f"{r.id}: {path} does not exist"
            assert what.strip()


def test_the_reference_lists_are_complete():
    assert [r.id for r in SAFE_HARBOR] == [f"SH-{n}" for n in range(1, 19)]
    wanted = {f"A{n}" for n in range(1, 9)} | {f"B{n}" for n in range(1, 8)} | {"E1", "E2", "E3", "F1"}
    assert wanted <= {r.id for r in CHECKLIST}
    ids = [r.id for r in REQUIREMENTS]
    assert len(ids) == len(set(ids)), "requirement ids are unique"
    sections = {re.match(r"\d\.\d", r.id).group() for r in REQUIREMENTS if re.match(r"\d\.\d", r.id)}
    assert sections == {"1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6"}


def test_requirements_page_is_generated_from_the_registry():
    committed = (REPO / "docs" / "requirements.md").read_text(encoding="utf-8")
    assert committed == render_requirements() + "\n", \
        "docs/requirements.md is out of date: run `patientvoice rules --requirements --format markdown > docs/requirements.md`"


def test_the_page_links_each_rule_to_the_rules_page():
    page = render_requirements()
    assert "[`deid.kin-name`](rules.md#deid-kin-name)" in page
    assert "[`support.agreement`](rules.md#support-agreement)" in page
    assert "(planned)" not in page
    assert "| SH-17 |" in page and "| F1 |" in page
