"""The patientvoice plugin's options as mkdocs.yml writes them, with their defaults, read without mkdocs.

`check` has already held them to site/options.plugin_option_errors; this only fills in the defaults, the same
ones site/config.PatientVoiceConfig declares for the plugin.
"""

from __future__ import annotations

from pathlib import Path


DEFAULTS = {"root": "", "submit_url": "", "claim_url": "", "evaluation": [], "attempts": 1,
            "show_key": "after-pass-or-last-attempt", "paper": "A4", "pdf": True, "strict": False,
            "engine": "mkdocs"}


def site_config(root: Path) -> dict:
    """mkdocs.yml read with the course's limited reader (tags kept as site.options.Opaque); {} when unreadable."""
    from patientvoice.problems import Problems
    from patientvoice.site.mkdocs_yml import load_site_config

    return load_site_config(Path(root), Problems(Path(root))) or {}


def plugin_options(cfg: dict) -> dict:
    """The patientvoice plugin's options from a loaded mkdocs.yml, defaults filled in (``!ENV`` resolved)."""
    from patientvoice.site.options import given_options

    given = given_options(cfg)
    return {**DEFAULTS, **{k: v for k, v in given.items() if k in DEFAULTS and v is not None}}
