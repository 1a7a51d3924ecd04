"""Engine adapters: build a checked course with mkdocs-material (default), ProperDocs or Zensical.

``mkdocs`` builds in this process through the patientvoice mkdocs plugin, as `patientvoice build` always has.
``properdocs`` and ``zensical`` build the materialised tree (patientvoice.materialise) by running the engine's
own command in its own environment (engines/external.py says how that environment is found). Choose one with
``patientvoice build --engine NAME`` or the plugin option ``engine: NAME`` in mkdocs.yml.
"""

from __future__ import annotations

ENGINES = ("mkdocs", "properdocs", "zensical")
DEFAULT = "mkdocs"


class EngineError(Exception):
    """The engine is missing or its build failed; the message says which and what to do."""
