"""Options of the ``patientvoice`` mkdocs plugin (``plugins: [patientvoice: {...}]`` in mkdocs.yml)."""

from __future__ import annotations

from mkdocs.config import config_options as c
from mkdocs.config.base import Config, ValidationError


class AtLeastOne(c.Type):
    """A whole number of at least 1 (``true`` is not a number here, whatever Python says)."""

    def __init__(self, default: int = 1):
        super().__init__(int, default=default)

    def run_validation(self, value):
        value = super().run_validation(value)
        if isinstance(value, bool) or value < 1:
            raise ValidationError(f"Expected a whole number of at least 1, not {value!r}")
        return value


class PatientVoiceConfig(Config):
    """What a course can set in mkdocs.yml."""

    # Course repository; empty means the folder that holds mkdocs.yml.
    root = c.Type(str, default="")
    # Add-on mode: the path of an existing docs site the course is published under ('cme'); empty: the course is
    # the whole site (docs/addon.md).
    prefix = c.Type(str, default="")
    # Where the questionnaire pages POST each response object (a patientvoice collector); empty: no POST.
    submit_url = c.Type(str, default="")
    # Where the claim page POSTs credit claims; empty: submit_url's origin + /claims (no submit_url: no claims online).
    claim_url = c.Type(str, default="")
    # Evaluation questions every post-test asks (commercial bias, value of the patient voice, relevance).
    evaluation = c.Type(list, default=[])
    # Post-test attempts that may count for credit: the first passing one among the first N (docs/credit.md).
    attempts = AtLeastOne(default=1)
    # When the post-test shows the answer key and rationales (docs/questionnaires.md, "Attempt policy").
    show_key = c.Choice(("after-pass-or-last-attempt", "always", "never"), default="after-pass-or-last-attempt")
    # PDF paper size: A4 or Letter.
    paper = c.Choice(("A4", "Letter"), default="A4")
    # Build PDF handouts with the site (``patientvoice build --no-pdf`` turns this off for one build).
    pdf = c.Type(bool, default=True)
    # The engine `patientvoice build` uses: mkdocs (Material for MkDocs), properdocs or zensical (docs/engines.md).
    engine = c.Choice(("mkdocs", "properdocs", "zensical"), default="mkdocs")
    # Fail the build on warnings as well as errors.
    strict = c.Type(bool, default=False)
