"""What makes the paper questionnaire pack complete: per-phase numbering, the evaluation, the learner code and the return.

A learner working on paper never visits the site, so the pack has to say everything the pages say: the
evaluation asked with the post-test, how to make a learner code when the website never gave one, and where to
send the forms. The facilitators' key numbers each question as the forms do ("Follow-up 5"), never across phases.
"""

from __future__ import annotations

from patientvoice.course.model import Item, Module, Provider
from patientvoice.site.pages import PHASES

# The web learner code's alphabet (theme/assets/questionnaire-store.js): no 0/O or 1/I, as it is copied by hand.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CODE_HELP = ("Your learner code links your pre-test, post-test and follow-up without your name. If you used the "
             "course website, write the code it showed you. If you did not, make up your own: any 8 capital letters "
             "or digits you will remember, leaving out 0, O, 1 and I (for example KM7P-4RTX). Write the same code "
             "on every form in this pack, and keep a note of it for the follow-up.")
NO_ADDRESS = ("Ask the person who gave you this pack where to return it, or contact the provider: {contact}.")


def evaluation_items(raw) -> list[Item]:
    """The post-test evaluation from the plugin's ``evaluation`` option (its defaults when empty or invalid).

    An invalid option is ``site.plugin-option`` in check and stops the build, so the fallback never prints.
    """
    from patientvoice.site.questionnaire import EvaluationError, evaluation_items as items

    try:
        return items(raw if isinstance(raw, list) else None)
    except EvaluationError:
        return items(None)


def groups(items: list[Item], start: int = 1) -> list[dict]:
    """Number the items from ``start`` and gather runs of likert items on the same scale into one grid."""
    out: list[dict] = []
    for number, item in enumerate(items, start=start):
        last = out[-1] if out else None
        if item.kind == "likert" and last and last["kind"] == "likert" and last["scale"] == item.scale:
            last["members"].append(item)
        else:
            out.append({"kind": item.kind, "scale": item.scale, "members": [item], "number": number})
    return out


def key_places(module: Module) -> dict[str, list[str]]:
    """Item id -> where the forms ask it, numbered per phase as printed: ['Pre-test 2', 'Post-test 2', 'Follow-up 5']."""
    places: dict[str, list[str]] = {}
    q = module.questionnaire
    for phase, label in PHASES.items():
        for number, item in enumerate(q.phase(phase) if q else [], start=1):
            places.setdefault(item.id, []).append(f"{label} {number}")
    return places


def return_to(provider: Provider) -> dict:
    """Where and how the pack goes back: the provider's postal address and instructions, or what to do without them."""
    address = [line.strip() for line in (getattr(provider, "address", "") or "").splitlines() if line.strip()]
    how = (getattr(provider, "return_to", "") or "").strip()
    if not how and not address:
        how = NO_ADDRESS.format(contact=provider.contact or provider.name)
    return {"name": provider.name, "address": address, "how": how, "contact": provider.contact}
