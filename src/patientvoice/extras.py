"""The optional parts of patientvoice, and the message that says how to install one that is missing.

A site-only install (``pip install patientvoice``) checks and publishes a course; PDFs and the server side are
extras, so an author's laptop or a CI job that only builds the site does not pull in Pango bindings, a database
driver and SciPy. A missing extra is reported as what to install, never as a traceback.
"""

from __future__ import annotations

import importlib.util

# extra -> (the top-level packages it brings, what needs them)
EXTRAS = {
    "pdf": (("weasyprint",), "PDF handouts, certificates, the audit file and the report's PDF"),
    "collector": (("starlette", "uvicorn", "psycopg", "psycopg_pool", "scipy", "numpy"),
                  "the response collector, credit claims, learner records and the outcomes report"),
}


class MissingExtra(Exception):
    """An optional part of patientvoice is needed but not installed; the message says what to install."""


def available(extra: str) -> bool:
    """True when every package of ``extra`` can be found (without importing it)."""
    return all(_found(p) for p in EXTRAS[extra][0])


def _found(package: str) -> bool:
    try:
        return importlib.util.find_spec(package) is not None
    except ImportError:  # an import hook or a broken install refuses it: as good as missing
        return False


def message(extra: str) -> str:
    """What is missing and the command that installs it."""
    return (f"{EXTRAS[extra][1]} need the optional '{extra}' part of patientvoice, which is not installed; "
            f"install it with: pip install 'patientvoice[{extra}]'")


def extra_for(error: ModuleNotFoundError) -> str | None:
    """The extra that provides the module an import failed to find, if it is one of ours."""
    top = (error.name or "").split(".")[0]
    return next((extra for extra, (packages, _) in EXTRAS.items() if top in packages), None)


def require(extra: str) -> None:
    """Raise MissingExtra naming the install command unless ``extra`` is installed."""
    if not available(extra):
        raise MissingExtra(message(extra))
