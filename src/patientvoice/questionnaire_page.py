"""The pre-, post- and follow-up questionnaire pages: plain HTML forms that work before any script runs."""

from __future__ import annotations

from patientvoice.model import Course, Module
from patientvoice.render import env


def questionnaire_page(course: Course, module: Module, phase: str) -> str:
    """The form for one phase of a module's questionnaire, as HTML."""
    items = module.questionnaire.phase(phase) if module.questionnaire else []
    return env().get_template("questionnaire.html").render(module=module, phase=phase, items=items)
