"""The pre-, post- and follow-up questionnaire pages: plain HTML forms that theme/assets/questionnaire.js enhances.

Only the post-test page carries the answer key (as a JSON script element, so the browser can give feedback);
anyone can read it there, so scoring for credit is repeated by the collector (see docs/questionnaires.md).
"""

from __future__ import annotations

import difflib
import json
import re

from markupsafe import Markup

from patientvoice.course.model import Course, Item, Module
from patientvoice.course.waves import is_follow_up
from patientvoice.render import env

EVAL_PREFIX = "eval-"  # evaluation answers share the response's answers with the items; the prefix keeps ids apart
EVAL_KINDS = ("single", "multiple", "likert", "text")
EVAL_KEYS = ("id", "kind", "stem", "options", "scale")
REQUIRED_KINDS = ("single", "multiple", "likert")  # text and commitment answers are optional
ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]*$")
# When the post-test shows the answer key and rationales (the plugin's show_key option; docs/questionnaires.md).
SHOW_KEY = ("after-pass-or-last-attempt", "always", "never")
DEFAULT_SHOW_KEY = SHOW_KEY[0]
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
AGREE = ["Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"]
DEFAULT_EVALUATION = [
    {"id": "free-of-bias", "kind": "single", "options": ["Yes", "No"],
     "stem": "Was the content of this activity free of commercial bias?"},
    {"id": "bias-details", "kind": "text",
     "stem": "If you noticed commercial bias, where was it? Leave this empty if you did not."},
    {"id": "patient-voice", "kind": "likert", "scale": AGREE,
     "stem": "The patient stories and patient advocacy group data helped me understand what living with the "
             "condition is like."},
    {"id": "relevance", "kind": "likert", "scale": AGREE, "stem": "The content is relevant to my practice."},
]
INTROS = {
    "pre": "Answer these questions before you start the module. They measure what you know now, so there is no "
           "score and no feedback, and please do not look anything up. Your answers are compared with the "
           "post-test to show what the module changed.",
    "post": "Answer these questions now that you have worked through the module. When you submit, you see your "
            "score and which questions you got right. The evaluation questions at the end are part of every "
            "accredited activity.",
    "follow-up": "Some time after the post-test, these questions ask what has stayed with you and what has "
                 "changed in your practice. There is no score and no feedback.",
}


class EvaluationError(ValueError):
    """The ``evaluation`` plugin option is not a list of valid items; the message says where and why."""


def _evaluation_item(raw, where: str) -> Item:
    if not isinstance(raw, dict):
        raise EvaluationError(f"{where}: each evaluation item is a mapping with id, kind and stem")
    for key in raw:
        if key not in EVAL_KEYS:
            close = difflib.get_close_matches(str(key), EVAL_KEYS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else f"; the keys are {', '.join(EVAL_KEYS)}"
            raise EvaluationError(f"{where}: unknown key '{key}'{hint}")
    ident, kind, stem = raw.get("id"), raw.get("kind"), raw.get("stem")
    if not isinstance(ident, str) or not ID_RE.match(ident):
        raise EvaluationError(f"{where}: 'id' must be lowercase letters, digits and '-', not {ident!r}")
    if kind not in EVAL_KINDS:
        raise EvaluationError(f"{where}: 'kind' must be one of {', '.join(EVAL_KINDS)}, not {kind!r}")
    if not isinstance(stem, str) or not stem.strip():
        raise EvaluationError(f"{where}: 'stem' (the question) is missing")
    need = {"single": "options", "multiple": "options", "likert": "scale"}.get(kind)
    values = raw.get(need, []) if need else []
    if need and (not isinstance(values, list) or len(values) < (3 if need == "scale" else 2)
                 or not all(isinstance(v, str) for v in values)):
        raise EvaluationError(f"{where}: a {kind} item needs '{need}', a list of at least "
                              f"{3 if need == 'scale' else 2} labels")
    for other in {"options", "scale"} - {need}:
        if other in raw:
            raise EvaluationError(f"{where}: a {kind} item takes no '{other}'")
    full_id = ident if ident.startswith(EVAL_PREFIX) else EVAL_PREFIX + ident
    return Item(id=full_id, phases=["post"], objective=None, kind=kind, stem=stem.strip(),
                options=values if need == "options" else [], answer=None, rationale=None,
                scale=values if need == "scale" else [], line=0)


def evaluation_items(raw: list | None) -> list[Item]:
    """The post-test evaluation items from the plugin's ``evaluation`` option, or the defaults when it is empty."""
    items = [_evaluation_item(r, f"plugins.patientvoice.evaluation[{i}]")
             for i, r in enumerate(raw or DEFAULT_EVALUATION)]
    seen: set[str] = set()
    for item in items:
        if item.id in seen:
            raise EvaluationError(f"plugins.patientvoice.evaluation: id '{item.id}' is used twice")
        seen.add(item.id)
    return items


def _ordinal(n: int) -> str:
    return ORDINALS[n - 1] if n <= len(ORDINALS) else f"{n}th"


def policy_text(attempts: int = 1, show_key: str = DEFAULT_SHOW_KEY) -> str:
    """The attempt policy in words a clinician reads before starting: which attempts count, when the key shows.

    Credit takes the first pass among the first ``attempts`` post-tests; the outcomes study always analyses
    the first attempt (later ones are reported apart as retakes).
    """
    attempts = max(1, int(attempts or 1))
    if attempts == 1:
        counts = ("Your first post-test attempt is the one that counts, for credit and for the outcomes study. "
                  "You may take it again to learn, but later attempts do not count.")
    else:
        counts = (f"For credit, your first {attempts} post-test attempts can count: the first of them that you "
                  "pass is the one that counts, and attempts after a pass do not. The outcomes study uses your "
                  "first attempt only.")
    if show_key == "always":
        key = "The correct answers and their explanations are shown after each attempt."
    elif show_key == "never":
        key = ("The correct answers are not shown: after each attempt you see your score and which questions "
               "you got wrong.")
    elif attempts == 1:
        key = "The correct answers and their explanations are shown when you submit your first attempt."
    else:
        key = (f"The correct answers and their explanations are shown once you pass, or after your "
               f"{_ordinal(attempts)} attempt; until then you see your score and which questions you got wrong.")
    return f"{counts} {key}"


def _key(items: list[Item], pass_mark) -> Markup:
    keyed = {i.id: {"answer": i.answer, "rationale": i.rationale or ""}
             for i in items if i.kind in ("single", "multiple") and i.answer is not None}
    text = json.dumps({"pass_mark": float(pass_mark), "items": keyed}, ensure_ascii=False, separators=(",", ":"))
    # "<" escaped so that no rationale can close the script element early.
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def questionnaire_page(course: Course, module: Module, phase: str, *, submit_url: str = "",
                       evaluation: list[Item] | None = None, attempts: int = 1,
                       show_key: str = DEFAULT_SHOW_KEY) -> str:
    """The form for one phase of a module's questionnaire, as HTML; only the post-test carries the key.

    ``attempts`` and ``show_key`` are the attempt policy (how many post-test attempts count; when the key and
    rationales are shown): the pre and post pages state it, and the post page's script follows it, offering
    the claim page only once a counted attempt has passed.
    """
    items = module.questionnaire.phase(phase) if module.questionnaire else []
    extra = (evaluation if evaluation is not None else evaluation_items(None)) if phase == "post" else []
    clash = {i.id for i in items} & {e.id for e in extra}
    if clash:
        raise EvaluationError(f"module '{module.id}': item id(s) {', '.join(sorted(clash))} clash with "
                              "evaluation item ids; rename the item")
    pass_mark = module.activity.get("pass_mark", 0.7)
    days = dict(module.questionnaire.waves()).get(phase, 0) if module.questionnaire else 0
    return env().get_template("questionnaire.html").render(
        module=module, phase=phase, items=items, evaluation=extra, submit_url=submit_url,
        pass_mark=pass_mark, pass_percent=f"{round(float(pass_mark) * 100)}%", follow_up_days=days,
        intro=INTROS["follow-up" if is_follow_up(phase) else phase], follow_up=is_follow_up(phase), required_kinds=REQUIRED_KINDS, attempts=max(1, int(attempts or 1)),
        show_key=show_key, policy=policy_text(attempts, show_key) if phase in ("pre", "post") else "",
        key=_key(items, pass_mark) if phase == "post" else None)
