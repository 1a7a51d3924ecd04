"""The print HTML documents of a module: handout, questionnaire pack and answer key.

They are built from the same sources and the same Markdown extensions as the site (mkdocs.yml's
``markdown_extensions`` plus mkdocs' built-ins), with the patientvoice blocks in print mode, and laid out
by ``theme/print.css`` alone; no Material page goes near WeasyPrint.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import markdown

from patientvoice import __version__
from patientvoice.compliance.statements import credit_lines
from patientvoice.markdown_ext import PatientVoiceExtension
from patientvoice.course.model import Course, Module
from patientvoice.render import activity_info, env
from patientvoice.site.pages import PHASES
from patientvoice.course.sources import named_entries
from patientvoice.pdf import online, pack

MKDOCS_BUILTINS = ["toc", "tables", "fenced_code"]  # what mkdocs adds to every site's extensions
WHEN = {
    "pre": "Complete this before you read the module. It records what you know now and is not scored.",
    "post": "Complete this after the module, with the evaluation that follows it. To earn credit, get at least "
            "{pass_percent} of the knowledge questions right.",
    "follow-up": "Complete this about {days} days after the module, about what has changed in your practice.",
}
TEXT_LINES = {"text": 7, "commitment": 4}  # ruled lines to write on
LABELS = {"handout": "Printed handout", "questionnaires": "Questionnaires", "answer-key": "Answer key for facilitators"}


@dataclass(frozen=True)
class SiteSettings:
    """What the print documents take from mkdocs.yml: Markdown extensions, page language, site address, evaluation."""

    extensions: tuple
    configs: dict
    lang: str = "en"
    site_url: str = ""
    evaluation: tuple = ()  # the post-test's evaluation items (the plugin's ``evaluation`` option, or its defaults)


def site_settings(root: Path) -> SiteSettings:
    """Read mkdocs.yml's Markdown extensions and theme language with the course's limited YAML reader.

    Not mkdocs' own loader: it is PyYAML's full loader, so an ``!!python/object/apply`` tag would run code and
    an alias bomb would hang, and this runs during ``check`` (the block parser) before mkdocs.yml is checked.
    mkdocs' own tags (``!!python/name:``, ``!ENV``) are resolved as mkdocs resolves them.
    """
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config
    from patientvoice.site.options import resolve

    data = resolve(load_site_config(Path(root), Problems(Path(root))) or {})
    names, configs = list(MKDOCS_BUILTINS), {}
    for name, cfg in named_entries(data.get("markdown_extensions")):
        if name not in names:
            names.append(name)
        if cfg:
            configs[name] = dict(cfg)
    # A pilcrow after every heading is a web affordance; on paper it is noise.
    configs["toc"] = {**configs.get("toc", {}), "permalink": False}
    theme = data.get("theme") if isinstance(data.get("theme"), dict) else {}
    plugin = dict(named_entries(data.get("plugins"))).get("patientvoice")
    from patientvoice.site.addon import course_url

    site_url = course_url(data)  # site_url, plus the prefix of a course in a host site (site/addon.py)
    evaluation = pack.evaluation_items(plugin.get("evaluation") if isinstance(plugin, dict) else None)
    return SiteSettings(tuple(names), configs, str(theme.get("language") or "en"), site_url, tuple(evaluation))


def module_body(course: Course, module: Module, settings: SiteSettings) -> str:
    """The module's Markdown body as print HTML: print-only kept, web-only and web-only stories dropped."""
    ext = PatientVoiceExtension(course=course, module=module, output="print")
    md = markdown.Markdown(extensions=[*settings.extensions, ext], extension_configs=settings.configs,
                           output_format="html")
    html = md.convert(module.body)
    ext.check_refusals(module.path.as_posix())  # an embed outside the reviewed blocks: no PDF, a pdf.failed problem
    return html


def _context(course: Course, module: Module, settings: SiteSettings, kind: str, kicker: str, note: str) -> dict:
    a = module.activity
    label = LABELS[kind]
    return dict(
        lang=settings.lang, title=f"{module.title} ({label.lower()})", kind_label=label, provider=course.provider,
        module=module, a=a, credits=f"{float(a['credits']):g}", credit_lines=credit_lines(module), kind=kind, kicker=kicker, cover_note=note,
        version=__version__, online=online.online(settings.site_url, module) if kind != "answer-key" else None,
        description=f"{course.provider.name}, activity {a['id']}: {label.lower()}",
        keywords=", ".join(["CME", "patient voice", *a.get("audience", [])]))


def handout(course: Course, module: Module, settings: SiteSettings) -> str:
    """The handout: title, activity information and disclosures (pages 1–2), then the content from a new page."""
    ctx = _context(course, module, settings, "handout", "Accredited CME · Printed handout", "")
    return env().get_template("print_handout.html").render(
        **ctx, activity=activity_info(course, module), body=module_body(course, module, settings))


def questionnaires(course: Course, module: Module, settings: SiteSettings) -> str:
    """The pre-, post- and follow-up forms to fill in by hand; no answer or rationale is passed to the template."""
    q = module.questionnaire
    pass_percent = f"{round(float(module.activity['pass_mark']) * 100)}%"
    phases = []
    for phase, label in PHASES.items():
        items = q.phase(phase) if q else []
        if items:
            when = WHEN[phase].format(pass_percent=pass_percent, days=q.follow_up_after_days)
            if phase == "follow-up" and len(q.waves()) > 1:
                # The pack prints the follow-up once; a module with later waves asks again, so say when and how.
                later = " and ".join(f"about {days} days" for _, days in q.waves()[1:])
                when += (f" This module asks again {later} after the module: answer online, or copy this form "
                         "or ask the provider for another.")
            evaluation = pack.groups(list(settings.evaluation), len(items) + 1) if phase == "post" else []
            phases.append({"id": phase, "label": label, "when": when, "groups": pack.groups(items),
                           "evaluation": evaluation})
    ctx = _context(course, module, settings, "questionnaires", "Accredited CME · Questionnaires to complete by hand",
                   "Use a pen and mark boxes with a cross. Write your learner code on every form (see below), "
                   "so the forms can be matched without your name.")
    return env().get_template("print_questionnaires.html").render(
        **ctx, phases=phases, text_lines=TEXT_LINES, claim=paper_claim(module) if q and q.items else None,
        code_help=pack.CODE_HELP, return_to=pack.return_to(course.provider))


def paper_claim(module: Module) -> dict | None:
    """The paper claim form's choices: the claim page's fields (credit.claim_page), for the questionnaire pack.

    None when the activity awards no credit, so the pack has no claim form.
    """
    from patientvoice.credit import claim_page as cp

    types = cp.credit_types(module)
    if not types:
        return None
    maximum = module.activity.get("credits", 0)
    return {"professions": cp.PROFESSIONS, "credit_types": types, "credit_max": f"{float(maximum):g}",
            "steps": cp.credit_steps(maximum), "attestation": cp.ATTESTATION,
            "boards": ", ".join(code for code, _ in cp.BOARDS)}


def answer_key(course: Course, module: Module, settings: SiteSettings) -> str:
    """The facilitators' key: each item once, with its correct options and rationale."""
    objectives = {o.id: o.text for o in module.objectives}
    places = pack.key_places(module)
    rows = []
    for item in module.questionnaire.items if module.questionnaire else []:
        correct = item.answer if isinstance(item.answer, list) else ([] if item.answer is None else [item.answer])
        rows.append({"item": item, "correct": set(correct), "objective": objectives.get(item.objective or ""),
                     "phases": ", ".join(PHASES.get(p, p) for p in item.phases),
                     "places": " · ".join(places.get(item.id, []))})
    ctx = _context(course, module, settings, "answer-key", "Accredited CME · Answer key for facilitators",
                   "For facilitators. Keep this key apart from the learners' questionnaires.")
    return env().get_template("print_answer_key.html").render(
        **ctx, rows=rows, pass_percent=f"{round(float(module.activity['pass_mark']) * 100)}%")


def pdf_names(module: Module) -> list[str]:
    """The files a module's PDFs are written to: handout, then questionnaire pack and key when it has items."""
    has_items = module.questionnaire is not None and bool(module.questionnaire.items)
    return [f"{module.id}{suffix}.pdf" for suffix in ("", "-questionnaires", "-answer-key")[: 3 if has_items else 1]]


def documents(course: Course, module: Module, settings: SiteSettings) -> dict[str, str]:
    """Every PDF a module gets, as {file name: print HTML}."""
    makers = (handout, questionnaires, answer_key)
    return {name: make(course, module, settings) for name, make in zip(pdf_names(module), makers)}
