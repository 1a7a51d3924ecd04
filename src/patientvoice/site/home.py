"""The course home page: the author's own text with a card per module (condition, credit, time, expiry, Start).

The cards go where the author's ``modules/index.md`` has the line ``<!-- patientvoice: modules -->``; without
that line, before its first ``##`` heading (so the welcome stays on top and Start is on the first screen), or at
the end when it has no such heading. Modules are in release order, as in the navigation.
"""

from __future__ import annotations

import datetime as dt
import re

from patientvoice.compliance.statements import credit_lines
from patientvoice.course.model import Course
from patientvoice.render import env, long_date
from patientvoice.site.pages import module_condition

MARKER = "<!-- patientvoice: modules -->"
FIRST_H2 = re.compile(r"(?m)^## ")


def module_cards(course: Course, today: dt.date | None = None) -> str:
    """The cards, as raw HTML: one per module, in release order."""
    today = today or dt.date.today()
    modules = sorted(course.modules.values(), key=lambda m: (str(m.activity.get("release")), m.id))
    cards = []
    for m in modules:
        a = m.activity
        expires = a.get("expires")
        # Each credit type with its name ("1 AMA PRA Category 1 Credit™", "1 ANCC contact hour"): a bare "1" says
        # nothing once a module carries more than one kind of credit.
        credits = credit_lines(m) or [f"{float(a['credits']):g}"]
        cards.append({"module": m, "condition": module_condition(course, m), "credits": credits,
                      "minutes": a.get("minutes"), "expires": expires,
                      "expired": isinstance(expires, dt.date) and expires < today})
    return env().get_template("home_cards.html").render(cards=cards, long_date=long_date)


def home_page(course: Course, markdown: str, today: dt.date | None = None) -> str:
    """The home page's Markdown: the author's text with the module cards put in (see the module docstring)."""
    if not course.modules:
        return markdown
    cards = module_cards(course, today)
    if MARKER in markdown:
        return markdown.replace(MARKER, f"\n\n{cards}\n\n", 1)
    m = FIRST_H2.search(markdown)
    if m is None:
        return f"{markdown.rstrip()}\n\n{cards}\n"
    return f"{markdown[:m.start()]}{cards}\n\n{markdown[m.start():]}"
