"""A module's web page, whole: the author's title, a compact summary, the full activity information one click
away (still before the content), the journey, the content, and the link to the post-test.

The mkdocs plugin calls :func:`module_page` with the module's Markdown body; so can any other publisher. It is
the one place that decides the order of a module page, so the ACCME order (activity information and
disclosures before the content) holds whoever builds the site.
"""

from __future__ import annotations

import re

from markupsafe import Markup

from patientvoice.course.model import Course, Module
from patientvoice.render import activity_info, disclosure_rows, env, long_date
from patientvoice.site.journey import journey, minutes, next_step

# An ATX "# Title" at the very start of the body (after blank lines): the author's own page title.
LEADING_H1 = re.compile(r"\A\s*(#[ \t]+[^\n]*\S[^\n]*)\n")


def split_title(markdown: str) -> tuple[str, str]:
    """(the author's leading ``# Title`` line or "", the rest of the body)."""
    m = LEADING_H1.match(markdown)
    return (m.group(1), markdown[m.end():]) if m else ("", markdown)


def disclosure_line(course: Course, module: Module) -> Markup:
    """The disclosures in one sentence for the summary: each relevant relationship named, the rest summed up.

    The summary sits above the Start button, so every learner passes through this line before the content
    (the full table follows in the activity information).
    """
    rows = disclosure_rows(course, module)
    relevant = [r for r in rows if r["relevant"]]
    if not rows:
        return Markup("")
    if not relevant:
        text = (f"None of the {len(rows)} people in control of this content has a relevant financial "
                "relationship with an ineligible company.")
    else:
        # A dash, not parentheses: the relationship text already ends in "(relevant; mitigated)".
        named = ". ".join(f"{r['name']} \u2014 {r['text'].rstrip('.')}" for r in relevant)
        rest = len(rows) - len(relevant)
        text = (f"{named}. All relevant financial relationships have been mitigated."
                + (f" The other {rest} people in control of this content have none." if rest else ""))
    return Markup.escape(text)


def summary(course: Course, module: Module) -> str:
    """The compact head of a module page: credit and type, time, release and expiry, format, joint providers,
    disclosures, Start."""
    from patientvoice.compliance.statements import credit_lines, is_joint, joint_provider_names
    from patientvoice.compliance.support import acknowledgement

    a = module.activity
    q = module.questionnaire
    pre_minutes = minutes(q.phase("pre")) if q else 0
    return env().get_template("module_summary.html").render(
        module=module, a=a, credit_lines=credit_lines(module), provider=course.provider.name,
        joint_providers=joint_provider_names(course, module) if is_joint(module) else [],
        long_date=long_date, disclosure=disclosure_line(course, module),
        support=acknowledgement(course, module),  # the activity information's Standard 4 sentence, word for word
        pre_minutes=pre_minutes, has_questionnaire=q is not None)


def module_page(course: Course, module: Module, markdown: str, *, attempts: int = 1,
                show_key: str = "after-pass-or-last-attempt", evaluation: list[str] | None = None,
                handouts: bool = False) -> str:
    """The Markdown of a module's page: title, summary, activity information, journey, body, next step.

    ``handouts``: the build publishes this module's PDFs in the site (pdf/online.py), so the page links them.
    """
    from patientvoice.pdf.online import handout_links
    from patientvoice.site.pages import module_path

    title, body = split_title(markdown)
    info = activity_info(course, module)
    details = (f'<details class="pv-activity-details" id="pv-activity-details" data-pv-activity-details>\n'
               f'<summary>Activity information: accreditation, objectives, participation and disclosures'
               f'</summary>\n{info}\n</details>')
    parts = [title, summary(course, module), details, handout_links(module) if handouts else "",
             journey(module, "module", attempts=attempts, evaluation=evaluation),
             module_path(module, attempts, show_key), body, next_step(module, "module")]
    return "\n\n".join(p for p in parts if p)
