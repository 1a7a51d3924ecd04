"""Consent rules: a story appears only where, and while, its storyteller agreed."""

from __future__ import annotations

import datetime as dt

from patientvoice.rules import E, W, Rule, register

register(
    Rule("consent.withdrawn", E, "A module uses a story whose consent was withdrawn",
         "Withdrawal must be operational: the story leaves every future build, web and print.",
         "Remove the story's blocks from every module named in the message (and consider deleting the story file)."),
    Rule("consent.expired", E, "A module uses a story whose consent has expired",
         "Consent with an end date does not cover publication after it.",
         "Renew consent with the storyteller and update 'consent.expires', or remove the story from the modules named."),
    Rule("consent.expires-before-module", W, "Consent expires before the module does",
         "The module would go on showing the story after its consent ends.",
         "Renew consent beyond the module's expiry, or plan to re-release the module without the story."),
    Rule("consent.channel", E, "A story is embedded in an output its consent does not cover",
         "Storytellers consent per channel; a web-only story in the printed handout is a leak they did not agree to.",
         "Wrap the block in '/// web-only' (or '/// print-only'), or obtain consent for the other channel."),
    Rule("consent.final-text", E, "The storyteller has not approved the final text",
         "Storytellers approve the exact wording published about them (staged consent).",
         "Show the storyteller the final text; set 'consent.final_text_approved: true' once they approve it."),
)

_OUTPUT_OF = {"web-only": {"web"}, "print-only": {"print"}}


def outputs_of(block) -> set[str]:
    """The outputs (web, print) a block reaches, given the web-only/print-only blocks around it."""
    outs = {"web", "print"}
    for outer in block.inside:
        outs &= _OUTPUT_OF.get(outer, outs)
    return outs


def check(course, problems, today) -> None:
    """Record consent problems for stories and the modules that embed them."""
    users: dict[str, list] = {}
    for m in course.modules.values():
        for b in m.story_refs():
            story = course.stories.get(b.target[0])
            if story is None:
                continue
            users.setdefault(story.id, []).append(m)
            leak = outputs_of(b) - set(story.channels)
            if leak and story.channels:
                problems.add(m.path, b.line, "consent.channel",
                             f"story '{story.id}' may appear only on {' and '.join(story.channels)} but this block "
                             f"reaches {' and '.join(sorted(leak))}; wrap it in "
                             f"'/// {story.channels[0]}-only' or remove it")
            expires = m.activity.get("expires")
            if (isinstance(expires, dt.date) and isinstance(story.consent_expires, dt.date)
                    and story.consent_expires < expires and story.consent_status == "granted"):
                problems.add(m.path, b.line, "consent.expires-before-module",
                             f"consent for story '{story.id}' expires {story.consent_expires}, before the module "
                             f"expires ({expires})")
    for s in course.stories.values():
        used = sorted({m.id for m in users.get(s.id, [])})
        names = ", ".join(used)
        if s.consent_status == "withdrawn" and used:
            problems.add(s.path, s.line("consent", "status"), "consent.withdrawn",
                         f"consent withdrawn, but the story is used by: {names}")
        elif isinstance(s.consent_expires, dt.date) and s.consent_expires < today and used:
            problems.add(s.path, s.line("consent", "expires"), "consent.expired",
                         f"consent expired {s.consent_expires}, but the story is used by: {names}")
        if s.src.get("consent") and s.consent_status == "granted" and not s.final_text_approved:
            problems.add(s.path, s.line("consent", "final_text_approved"), "consent.final-text",
                         "the storyteller has not approved this text (consent.final_text_approved is not true)")
