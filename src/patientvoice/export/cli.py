"""``patientvoice export …``: one subcommand per format, each imported only when it is used.

Every export reads the same checked course as ``build`` and refuses a course whose checks fail, so nothing
leaves the provider that the steering committee has not approved.
"""

from __future__ import annotations

import importlib
import importlib.util

import click

# name -> "module:attribute" of a click command; a format's code stays in its own module.
EXPORTS = {
    "pars-activity": "patientvoice.export.pars:pars_activity",
    "scorm": "patientvoice.export.scorm:scorm",
    "cmi5": "patientvoice.export.cmi5:cmi5",
    "questions": "patientvoice.export.questions:questions",
}


class ExportGroup(click.Group):
    """Lists every export; imports a format's module only when that format is asked for."""

    def list_commands(self, ctx):
        return sorted(name for name, target in EXPORTS.items()
                      if importlib.util.find_spec(target.split(":")[0]) is not None)

    def get_command(self, ctx, name):
        if name not in self.list_commands(ctx):
            return None
        module, attr = EXPORTS[name].split(":")
        return getattr(importlib.import_module(module), attr)


@click.group(cls=ExportGroup)
def export():
    """Export a course for an accreditor or an LMS: PARS activity XML, SCORM, cmi5, question banks."""
