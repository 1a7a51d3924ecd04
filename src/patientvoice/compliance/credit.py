"""Credit rules (issue 13): credit per profession, credits against time, providership and statement wording."""

from __future__ import annotations

import math

from patientvoice.compliance.statements import (accreditation_statement, amount, designation, same_wording)
from patientvoice.credit.registry import CREDIT_TYPES, UAN_RE
from patientvoice.rules import E, Rule, register

register(
    Rule("activity.credits-exceed-time", E, "Credits exceed the estimated time",
         "Credit is designated for the time a learner needs to complete the activity, in 0.25-hour steps; more "
         "credit than time is a designation an accreditor rejects.",
         "Lower the credits (or the credit type's amount) to at most activity.minutes / 60, rounded down to 0.25, "
         "or correct the estimated time."),
    Rule("activity.credit-type", E, "A credit type cannot be designated as written",
         "Each accreditor's credit has its own requirements: a known type, an amount in 0.25 steps, ACPE's "
         "Universal Activity Number, ABIM MOC points and MOC types, and IPCE only from a jointly accredited provider.",
         "Use a type listed in docs/authoring.md and give it the keys the message names."),
    Rule("activity.providership", E, "Providership and joint providers disagree",
         "A jointly provided activity's accreditation statement names every joint provider; a directly provided "
         "one names none.",
         "For providership: joint, list joint_providers; otherwise remove joint_providers."),
    Rule("activity.statement-wording", E, "A statement differs from the official wording",
         "The accreditation and designation statements must be word for word; the tool generates them from the "
         "provider's accreditation body, the providership and the credit types. An enduring material is never "
         "designated as a live activity.",
         "Remove accreditation_statement / credit_statement from content/provider.yml to use the generated wording, "
         "or set statements_approved: true when your accreditor approved your text."),
)

STEP = 0.25


def most_credits(minutes) -> float | None:
    """The largest credit the estimated time allows: minutes / 60 rounded down to 0.25."""
    if not isinstance(minutes, int) or isinstance(minutes, bool) or minutes <= 0:
        return None
    return math.floor(minutes / 60 / STEP + 1e-9) * STEP


def _quarter(value) -> bool:
    return value > 0 and abs(value / STEP - round(value / STEP)) < 1e-9


def _check_offers(course, m, problems) -> None:
    a = m.activity
    most = most_credits(a.get("minutes"))
    credits = a.get("credits")
    credits_line = m.line("activity", "credits")
    if most is not None and isinstance(credits, (int, float)) and not isinstance(credits, bool) and credits > most:
        problems.add(m.path, credits_line, "activity.credits-exceed-time",
                     f"activity.credits {credits:g} is more than the estimated time allows ({a['minutes']} minutes: "
                     f"at most {most:g}); lower the credits or correct activity.minutes")
    raw = a.get("credit_types") if isinstance(a.get("credit_types"), list) else []
    seen = set()
    ja = course.provider is not None and course.provider.accreditation_body == "Joint Accreditation"
    for offer in m.credit_types:
        i = offer.index if offer.index is not None else 0
        entry = raw[i] if offer.index is not None and isinstance(raw[i], dict) else {}
        where = f"activity.credit_types[{i}]"
        line = offer.line if offer.index is not None else credits_line
        if offer.type not in CREDIT_TYPES:
            problems.add(m.path, line, "activity.credit-type",
                         f"{where}: unknown credit type '{offer.type}'; use one of {', '.join(CREDIT_TYPES)}")
            continue
        if offer.type in seen:
            problems.add(m.path, line, "activity.credit-type", f"{where}: '{offer.type}' is designated twice")
        seen.add(offer.type)
        key = "points" if offer.type == "abim-moc" else "amount"
        given = key in entry
        amount_line = m.line("activity", "credit_types", i, key) if given else credits_line
        if offer.type == "abim-moc" and not given:
            problems.add(m.path, line, "activity.credit-type", f"{where}: ABIM MOC needs 'points' (usually the "
                         "AMA credits)")
        if offer.type == "abim-moc" and not entry.get("moc_types"):
            problems.add(m.path, line, "activity.credit-type", f"{where}: ABIM MOC needs 'moc_types' "
                         "(medical-knowledge, practice-assessment, patient-safety)")
        if offer.type == "abim-moc" and not any(o.type == "ama-pra-1" for o in m.credit_types):
            problems.add(m.path, line, "activity.credit-type", f"{where}: ABIM MOC points are registered with "
                         "AMA PRA Category 1 credit; designate ama-pra-1 as well")
        if offer.type == "acpe" and not given:
            problems.add(m.path, line, "activity.credit-type", f"{where}: ACPE needs its 'amount' of contact hours")
        if offer.type == "acpe" and not (isinstance(entry.get("uan"), str) and UAN_RE.match(entry["uan"].strip())):
            problems.add(m.path, m.line("activity", "credit_types", i, "uan"), "activity.credit-type",
                         f"{where}: ACPE needs its Universal Activity Number as 'uan', shaped like "
                         "JA0000000-0000-26-001-H01-P")
        if offer.type == "ipce" and not ja:
            problems.add(m.path, line, "activity.credit-type", f"{where}: IPCE credit is awarded only by a jointly "
                         "accredited provider; set accreditation_body: Joint Accreditation in content/provider.yml "
                         "or remove it")
        if offer.amount is None or not given:
            continue  # the default amount is activity.credits, checked above and by activity.credits
        if not _quarter(offer.amount):
            problems.add(m.path, amount_line, "activity.credit-type",
                         f"{where}.{key}: {offer.amount:g} is not a positive multiple of 0.25")
        elif most is not None and offer.amount > most:
            problems.add(m.path, amount_line, "activity.credits-exceed-time",
                         f"{where}.{key} {offer.amount:g} is more than the estimated time allows "
                         f"({a['minutes']} minutes: at most {most:g})")


def _check_providership(course, m, problems) -> None:
    a = m.activity
    joint, partners = a.get("providership") == "joint", a.get("joint_providers")
    if joint and not partners:
        problems.add(m.path, m.line("activity", "providership"), "activity.providership",
                     "activity.providership is joint but joint_providers is empty; list every joint provider's name")
    elif partners and not joint:
        problems.add(m.path, m.line("activity", "joint_providers"), "activity.providership",
                     "activity.joint_providers is given but the activity is directly provided; set providership: "
                     "joint or remove joint_providers")


def _check_wording(course, problems) -> None:
    provider = course.provider
    modules = list(course.modules.values())
    for key in ("accreditation_statement", "credit_statement"):
        text = getattr(provider, key).strip()
        if not text:
            continue
        line = provider.line(key)
        for m in modules:
            fmt = m.activity.get("format")
            if "live activity" in " ".join(text.lower().split()) and fmt == "enduring":
                problems.add(provider.path, line, "activity.statement-wording",
                             f"{key} names a 'live activity' but '{m.id}' is an enduring material; designate it "
                             "as 'this enduring material'")
                break
            if provider.statements_approved:
                continue
            if key == "accreditation_statement":
                official = accreditation_statement(course, m)
            else:
                ama = [o for o in m.credit_types if o.type == "ama-pra-1" and o.amount is not None]
                if not ama:
                    continue
                official = designation(provider.name, "ama-pra-1", ama[0].amount, fmt or "enduring")
                text_n = text.replace("{credits}", amount(ama[0].amount))
                if same_wording(text_n, official):
                    continue
                problems.add(provider.path, line, "activity.statement-wording",
                             f"{key} differs from the official wording for '{m.id}': \u201c{official}\u201d; remove "
                             "it to use the generated statement, or set statements_approved: true")
                break
            if not same_wording(text, official):
                problems.add(provider.path, line, "activity.statement-wording",
                             f"{key} differs from the official wording for '{m.id}': \u201c{official}\u201d; remove "
                             "it to use the generated statement, or set statements_approved: true")
                break


def check(course, problems, today) -> None:
    """Record credit, providership and statement problems."""
    for m in course.modules.values():
        _check_offers(course, m, problems)
        _check_providership(course, m, problems)
    if course.provider is not None:
        _check_wording(course, problems)
