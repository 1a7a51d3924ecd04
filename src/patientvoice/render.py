"""HTML for stories, PAG data and activity information, shared by the site and the PDF handouts."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

import markdown
from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup, escape

from patientvoice.charts import bar_chart, bars, describe, percent
from patientvoice.compliance.disclosure import people_in_control
from patientvoice.compliance.statements import credit_lines, is_joint, joint_provider_names, provider_statements
from patientvoice.compliance.support import acknowledgement
from patientvoice.compliance.needs import gap_sources
from patientvoice.compliance.story_consent import consent_note
from patientvoice.course.model import Course, Module, Story
from patientvoice.security.sanitize import clean_html
from patientvoice.security.urls import safe_link

SOURCE_KINDS = {
    "interview": "Interview",
    "written": "Written account",
    "advisory-board": "Patient advisory board",
    "social-listening": "Social listening",
    "pag-submission": "Submitted through a patient advocacy group",
}
ROLE_LABELS = {"pag-representative": "PAG representative", "patient-partner": "patient partner",
               "caregiver-partner": "caregiver partner"}
HEADING = re.compile(r"<(/?)h([1-6])\b")


@lru_cache(maxsize=1)
def env() -> Environment:
    """The Jinja environment for the package's templates (autoescaped)."""
    e = Environment(loader=PackageLoader("patientvoice", "templates"), autoescape=select_autoescape(["html"]),
                    undefined=StrictUndefined, trim_blocks=False, lstrip_blocks=False)
    e.globals.update(percent=percent, long_date=long_date)
    e.filters["safe_link"] = safe_link  # URL fields pass check's url.scheme; this keeps a bad one from going live
    return e


def long_date(value) -> str:
    """``2026-10-01`` as ``1 October 2026``, unambiguous on both sides of the Atlantic."""
    if isinstance(value, dt.date):
        return f"{value.day} {value:%B %Y}"
    return str(value)


@lru_cache(maxsize=1)
def _story_md() -> markdown.Markdown:
    # One parser, reset per story: building a Markdown instance costs more than converting a story.
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    # Stories are Markdown only (raw HTML is check's content.raw-html): without the raw-HTML readers, a tag
    # in a story is shown as text, and html.parser (quadratic on '<a <a <a ...' in Python 3.11) never runs.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    return md


def story_markdown(text: str, level: int) -> str:
    """Render a story's Markdown, sanitised, so that its ``##`` headings come out at ``level``.

    Stories come from outside: check reports their raw HTML and bad links (content.raw-html, url.scheme),
    and the allow-list sanitiser makes sure none of it reaches a page or a PDF even when check is bypassed.
    """
    html = clean_html(_story_md().reset().convert(text))
    shift = level - 2
    return HEADING.sub(lambda m: f"<{m.group(1)}h{min(int(m.group(2)) + shift, 6)}", html)


def story_card(course: Course, story: Story, section: str | None = None, *, level: int = 3,
               link: str | None = None, link_text: str = "Read the whole story", anchor: str | None = None,
               show_title: bool = True) -> str:
    """A patient-voice card: who is speaking, their words, and where the story came from."""
    part = story.sections.get(section) if section else None
    text = part.markdown if part else story.body
    pag = course.pags.get(story.source_pag) if story.source_pag else None
    source = SOURCE_KINDS.get(story.source_kind, story.source_kind.replace("-", " ").capitalize())
    if pag:
        source += f", {pag.name}" if story.source_kind == "pag-submission" else f" via {pag.name}"
    if story.collected:
        source += f", {str(story.collected)[:4]}"
    return env().get_template("story.html").render(
        story=story, section=part, level=level, show_title=show_title, body=Markup(story_markdown(text, level + 1 if show_title else level)),
        narrator="caregiver" if story.narrator == "caregiver" else "patient",
        age=(story.age_band or "").replace("-", "–"), source=source, link=link, link_text=link_text,
        anchor=anchor or f"story-{story.id}" + (f"-{section}" if section else ""),
        consent_note=consent_note(story))


def data_figure(course: Course, dataset_id: str, question_id: str, show: str = "both",
                anchor: str | None = None, methods: bool = True) -> str:
    """A PAG survey question as a chart and/or table, with its methods note.

    ``methods=False`` gives a short note instead (who answered this question; methods as above): for the
    second and later questions of one survey on one page, such as a PAG page, which give the methods once.
    """
    ds = course.datasets[dataset_id]
    q = ds.questions[question_id]
    data = bars(q.results, q.answered)
    anchor = anchor or f"data-{dataset_id}-{question_id}"
    pag = course.pags.get(ds.pag)
    chart = bar_chart(f"{anchor}-chart", q.text, describe(data, q.answered), data) if show in ("chart", "both") else ""
    fielded = f"{long_date(ds.fielded_from)} to {long_date(ds.fielded_to)}"
    return env().get_template("pag_data.html").render(
        ds=ds, question=q, bars=data, chart=Markup(chart), table=show in ("table", "both"), anchor=anchor,
        pag_name=pag.name if pag else ds.conducted_by, fielded=fielded, methods=methods)


def disclosure_text(person, course: Course | None = None) -> str:
    """What learners read about one person's financial relationships (companies by their registry name)."""
    if not person.relationships:
        return "No relevant financial relationships with ineligible companies."
    parts = []
    for r in person.relationships:
        found = course.company(r.company) if course is not None else None
        company = found.name if found else r.company  # a relationship may name the company by its id
        if r.relevant:
            parts.append(f"{r.nature}: {company} (relevant; mitigated)")
        else:
            parts.append(f"{r.nature}: {company} (not relevant to this content)")
    relevant = any(r.relevant for r in person.relationships)
    tail = "" if relevant else " No relevant financial relationships."
    return "; ".join(parts) + "." + tail


def disclosure_rows(course: Course, module: Module) -> list[dict]:
    """One row per person in control of the module's content, in faculty, planner, committee order."""
    committee = course.committees.get(module.committee or "")
    committee_roles = {m.person: m.role for m in committee.members} if committee else {}
    rows = []
    for pid, role in people_in_control(course, module):
        person = course.people[pid]
        label = {"faculty": "Faculty", "planner": "Planner"}.get(role, "Steering committee")
        if pid in committee_roles:
            member = ROLE_LABELS.get(committee_roles[pid], committee_roles[pid].replace("-", " "))
            label += f"; steering committee ({member})" if role != "committee member" else f" ({member})"
        rows.append({"name": person.display_name, "role": label, "text": disclosure_text(person, course),
                     "relevant": any(r.relevant for r in person.relationships or [])})
    return rows


def activity_info(course: Course, module: Module, prefix: str = "") -> str:
    """The activity information every learner must pass through before the content."""
    a = module.activity
    credits = f"{float(a['credits']):g}"
    provider = course.provider
    accreditation, designations = provider_statements(course, module)  # issue 13: generated, official wording
    statements = [Markup(escape(s).replace("AMA PRA Category 1 Credit(s)™",
                                           Markup("<i>AMA PRA Category 1 Credit(s)™</i>"))) for _, s in designations]
    support = acknowledgement(course, module)
    approved = [ap.date for ap in module.approvals if ap.decision == "approved" and ap.date]
    # every follow-up wave: 'About 90 and 180 days later' (course/waves.py)
    follow_up = " and ".join(map(str, module.questionnaire.follow_up_waves)) if module.questionnaire else 0
    rows = disclosure_rows(course, module)
    any_relevant = any(row["relevant"] for row in rows)
    return env().get_template("activity.html").render(
        a=a, module=module, provider=provider, credits=credits, accreditation=accreditation, statements=statements,
        credit_lines=credit_lines(module), joint_providers=joint_provider_names(course, module) if is_joint(module) else [],
        audience=", ".join(a.get("audience", [])), pass_percent=f"{round(float(a['pass_mark']) * 100)}%",
        follow_up_days=follow_up, support=support, reviewed=max(approved) if approved else None,
        disclosures=rows, any_relevant=any_relevant, prefix=prefix, gap_sources=gap_sources(course, module))
