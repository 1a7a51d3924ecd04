"""The pages patientvoice adds to a course site: story library, PAG pages, faculty, questionnaire phases.

Each page is Markdown (with raw HTML) keyed by its source path under the docs folder, so any Markdown
site generator can publish it; URLs follow from the paths (``stories/<id>.md`` → ``/stories/<id>/``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from html import escape
from typing import Callable

import yaml

from patientvoice.compliance.disclosure import people_in_control
from patientvoice.course.model import Course, Module
from patientvoice.course.waves import wave_label
from patientvoice.render import data_figure, disclosure_text, env, story_card

PHASES = {"pre": "Pre-test", "post": "Post-test", "follow-up": "Follow-up"}
CLAIM_LABEL = "Claim credit"


def later_waves(module: Module) -> dict[str, str]:
    """Phase → label of the follow-up waves after the first ('follow-up-2': 'Follow-up 2'), each its own page."""
    q = module.questionnaire
    return {phase: wave_label(n) for n, (phase, _) in enumerate(q.waves(), 1) if n > 1} if q else {}


def web_stories(course: Course, today: dt.date | None = None) -> list:
    """Stories learners may read on the site, by title.

    A story is published only with granted, unexpired web consent and its final text approved, and only
    once a module embeds it: the steering committee reviews stories as part of a module, so a story no
    module uses has not been reviewed.
    """
    today = today or dt.date.today()
    used = web_users(course)
    return sorted((s for s in course.stories.values()
                   if s.id in used and s.consent_status == "granted" and "web" in s.channels
                   and s.final_text_approved and (s.consent_expires is None or s.consent_expires >= today)),
                  key=lambda s: s.title.lower())


def web_users(course: Course) -> dict[str, list[Module]]:
    """Story id → modules that show it on the site (an embed inside a print-only block does not count)."""
    users: dict[str, list[Module]] = {}
    for m in course.modules.values():
        for ident in dict.fromkeys(b.target[0] for b in m.story_refs() if "print-only" not in b.inside):
            users.setdefault(ident, []).append(m)
    return users


def short_title(module: Module) -> str:
    """A module title up to its colon, for navigation."""
    return module.title.split(":")[0].strip()


def _page(title: str, html: str) -> str:
    # The YAML dumper, double-quoted on one unbroken line: a title holding a newline, '---' or quotes stays
    # one scalar, so it can never end the front matter early and put the rest of the title into the page.
    front = yaml.safe_dump({"title": title}, default_style='"', allow_unicode=True, width=float("inf"))
    return f"---\n{front}---\n\n{html}\n"


def story_page(course: Course, story, users: list[Module]) -> str:
    """``/stories/<id>/``: the whole story and the modules that show it on the site."""
    # Only stories a module shows are published (web_stories), so the list is never empty.
    used = "".join(f'<li><a href="../../{m.id}/">{escape(m.title)}</a></li>' for m in users)
    used_html = f'<h2 id="used-in">Used in</h2>\n<ul class="pv-used-in">{used}</ul>'
    card = story_card(course, story, level=2, show_title=False)
    # data-pv-nav-parent: the library, which patientvoice.js marks current in the navigation (a story page
    # is not in the nav itself, so Material would highlight nothing).
    back = '<p data-pv-nav-parent="../"><a href="../">All patient stories</a></p>'
    return _page(story.title, f"{card}\n\n{used_html}\n\n{back}")


def stories_index(stories: list) -> str:
    """``/stories/``: the library of published stories, filterable by condition and segment."""
    html = env().get_template("stories_index.html").render(
        stories=stories, conditions=sorted({s.condition for s in stories}),
        segments=sorted({seg for s in stories for seg in s.segments}))
    return _page("Patient stories", html)


def pag_page(course: Course, pag) -> str:
    """``/pags/<id>/``: a patient advocacy group, its relationship to the activity and its data sets."""
    # Only data sets a module embeds: those are the ones the steering committee reviewed (fingerprinted).
    used = {b.target[0] for m in course.modules.values() for b in m.data_refs()}
    sets = [d for d in course.datasets.values() if d.pag == pag.id and d.id in used]
    figures = []
    for ds in sorted(sets, key=lambda d: d.title):
        figures.append(f'<h2 id="{escape(ds.id)}">{escape(ds.title)}</h2>')
        # The survey's methods once, with its first question; the others say who answered them.
        figures.extend(data_figure(course, ds.id, q, methods=not i) for i, q in enumerate(ds.questions))
    html = env().get_template("pag.html").render(pag=pag, figures="\n".join(figures), has_data=bool(sets))
    return _page(pag.name, html)


def faculty_page(course: Course) -> str:
    """``/faculty/``: everyone in control of content, their roles and their disclosures."""
    roles: dict[str, list[str]] = {}
    for m in course.modules.values():
        for pid, role in people_in_control(course, m):
            roles.setdefault(pid, []).append(f"{role} — {short_title(m)}")
    people = sorted((course.people[p] for p in roles if p in course.people), key=lambda p: p.name.split()[-1])
    html = env().get_template("faculty.html").render(
        people=people, roles=roles, disclosure=lambda p: disclosure_text(p, course), provider=course.provider)
    return _page("Faculty and disclosures", html)


def module_path(module: Module, attempts: int = 1, show_key: str = "after-pass-or-last-attempt") -> str:
    """What follows the journey on a module page: the attempt policy, stated before the learner starts, the
    certificates box and the content's heading (the steps themselves are site/journey.py)."""
    from patientvoice.site.questionnaire import policy_text

    return env().get_template("module_path.html").render(module=module, policy=policy_text(attempts, show_key))


@dataclass(frozen=True)
class Plan:
    """One generated page before it is made: what it shows (course files, other values) and how to make it.

    ``files`` and ``values`` are what materialise/depends.py keys the page on, so an incremental preview makes
    the page again only when one of them changed; mkdocs.yml, the provider, people, committees, companies and
    the theme are counted for every page there.
    """

    files: tuple
    values: tuple
    make: Callable[[], str]


def generated_pages(course: Course, *, claim_url: str = "", **questionnaire) -> dict[str, str]:
    """Every generated page as {source path: Markdown}; ``questionnaire`` options go to the phase pages.

    A module with a questionnaire also gets its claim page, which POSTs to ``claim_url`` (see
    credit.claim_page.claim_url for the default from ``submit_url``).
    """
    return {uri: plan.make() for uri, plan in page_plans(course, claim_url=claim_url, **questionnaire).items()}


def page_plans(course: Course, *, claim_url: str = "", **questionnaire) -> dict[str, Plan]:
    """generated_pages, each page as a Plan (made on demand)."""
    stories = web_stories(course)
    users = web_users(course)
    # The faculty page shows who controls each module's content: the modules' front matter, not their prose.
    srcs = {m.id: repr(m.src) for m in course.modules.values()}
    fronts = tuple(srcs.items())
    # The library shows each story's title, teller and tags (templates/stories_index.html), not its words.
    shown = tuple((s.id, s.title, s.condition, tuple(s.segments), s.pseudonym, s.narrator, s.composite) for s in stories)
    plans = {"stories/index.md": Plan((), shown, lambda: stories_index(stories)),
             "faculty.md": Plan((), fronts, lambda: faculty_page(course))}
    for s in stories:
        pag = course.pags.get(s.source_pag) if s.source_pag else None
        plans[f"stories/{s.id}.md"] = Plan((s.path, pag.path if pag else None),
                                           tuple((m.id, m.title) for m in users[s.id]),
                                           lambda s=s: story_page(course, s, users[s.id]))
    used = {b.target[0] for m in course.modules.values() for b in m.data_refs()}
    for p in course.pags.values():
        sets = tuple(sorted(d.path for d in course.datasets.values() if d.pag == p.id and d.id in used))
        plans[f"pags/{p.id}.md"] = Plan((p.path, *sets), (), lambda p=p: pag_page(course, p))
    for m in course.modules.values():
        if m.questionnaire is None:
            continue
        # A step page shows the module's front matter (title, objectives, credit) and its questionnaire.
        files, values = (m.questionnaire.path,), (m.id, srcs[m.id])
        for phase, label in {**PHASES, **later_waves(m)}.items():
            plans[f"{m.id}/{phase}.md"] = Plan(files, values, lambda m=m, phase=phase, label=label:
                                               step_page(course, m, phase, label, **questionnaire))
        plans[f"{m.id}/claim.md"] = Plan(files, values, lambda m=m: claim_step_page(course, m, claim_url, **questionnaire))
    return plans


def step_page(course: Course, m: Module, phase: str, label: str, **questionnaire) -> str:
    """One questionnaire phase's page: the journey above, the form, the next step below."""
    from patientvoice.site.journey import journey, next_step, pre_test_hint
    from patientvoice.site.questionnaire import questionnaire_page

    form = questionnaire_page(course, m, phase, **questionnaire)
    hint = pre_test_hint(m) if phase == "post" else ""
    title = f"{label} · {short_title(m)}"
    # The page's own <h1> (Material prints the nav label otherwise): the step and the module.
    html = "\n".join(p for p in (f"<h1>{escape(title)}</h1>", journey(m, phase, attempts=questionnaire.get("attempts", 1),
                                  evaluation=_required(questionnaire)), hint, form, next_step(m, phase)) if p)
    return _page(title, html)


def claim_step_page(course: Course, m: Module, claim_url: str, **questionnaire) -> str:
    """A module's claim page, with the journey above and the next step below."""
    from patientvoice.credit.claim_page import claim_page
    from patientvoice.site.journey import journey, next_step

    attempts = questionnaire.get("attempts", 1)
    claim = claim_page(course, m, claim_url=claim_url, submit_url=questionnaire.get("submit_url", ""),
                       attempts=attempts, evaluation=questionnaire.get("evaluation"))
    title = f"{CLAIM_LABEL} · {short_title(m)}"
    claim = "\n".join((f"<h1>{escape(title)}</h1>", journey(m, "claim", attempts=attempts,
                       evaluation=_required(questionnaire)), claim, next_step(m, "claim")))
    return _page(title, claim)


def _required(questionnaire: dict) -> list[str]:
    from patientvoice.site.questionnaire import REQUIRED_KINDS, evaluation_items

    return [i.id for i in questionnaire.get("evaluation") or evaluation_items(None) if i.kind in REQUIRED_KINDS]


FLAT_NAV_MODULES = 12  # up to this many modules sit at the top of the nav; more are grouped by condition


def module_condition(course: Course, module: Module) -> str:
    """The condition a module is about: the one most of its embedded stories share."""
    conditions = [course.stories[b.target[0]].condition for b in module.story_refs() if b.target[0] in course.stories]
    return max(sorted(set(conditions)), key=conditions.count) if conditions else "Other modules"


def navigation(course: Course) -> list:
    """An mkdocs-style nav: home, each module with its phases, stories, PAGs, faculty."""
    nav: list = [{"Home": "index.md"}] if course.home else []
    modules = sorted(course.modules.values(), key=lambda m: (str(m.activity.get("release")), m.id))
    entries = []
    for m in modules:
        # Untitled, so the page keeps its own (full) title; Material's navigation.indexes is not used because
        # it drops the table-of-contents toggle that its own label points at (invalid HTML).
        pages = [f"{m.id}/index.md"]
        if m.questionnaire is not None:
            # The journey's order (site/journey.py): pre-test, module, post-test, claim, follow-ups. The footer's
            # previous/next links follow the nav, so the module page's "next" is the post-test, not the pre-test.
            steps = {**PHASES, **later_waves(m)}
            pages = [{steps["pre"]: f"{m.id}/pre.md"}, *pages, {steps["post"]: f"{m.id}/post.md"},
                     {CLAIM_LABEL: f"{m.id}/claim.md"},
                     *({label: f"{m.id}/{phase}.md"} for phase, label in steps.items() if phase not in ("pre", "post"))]
        # Nav titles are printed unescaped by Material (page titles are escaped by the plugin).
        entries.append((escape(module_condition(course, m)), {escape(short_title(m)): pages}))
    if len(entries) <= FLAT_NAV_MODULES:
        nav += [entry for _, entry in entries]
    else:
        # A programme of hundreds of modules: one section per condition keeps each page's nav (and, with
        # navigation.prune, the build) from growing with the whole programme.
        groups: dict[str, list] = {}
        for condition, entry in entries:
            groups.setdefault(condition, []).append(entry)
        nav.append({"Modules": [{c: groups[c]} for c in sorted(groups)]})
    nav.append({"Patient stories": "stories/index.md"})
    if course.pags:
        nav.append({"Patient advocacy groups": [{escape(p.name): f"pags/{p.id}.md"} for p in course.pags.values()]})
    nav.append({"Faculty and disclosures": "faculty.md"})
    return nav
