"""``patientvoice export cmi5 MODULE``: one module as a cmi5 course package with one AU.

The zip holds ``cmi5.xml`` (the course structure: one course, one AU with ``moveOn="CompletedAndPassed"`` and
the course's pass mark as ``masteryScore``) and the same launch page and module pages as the SCORM package
(export/package.py), with ``assets/cmi5-api.js`` as the adapter that talks xAPI to the LMS's LRS.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import click

from patientvoice.cli import ROOT_OPTION
from patientvoice.course.model import Course, Module
from patientvoice.export.package import Package, build_package, export_module
from patientvoice.outcomes.scoring import pass_mark

NS = "https://w3id.org/xapi/profiles/cmi5/v1/CourseStructure.xsd"


def default_iri(module: Module) -> str:
    """The course IRI when none is given: a URN from the activity id, stable across exports of the module."""
    return f"urn:x-patientvoice:activity:{module.activity.get('id', module.id)}"


def course_structure(course: Course, module: Module, iri: str, lang: str = "en") -> str:
    """``cmi5.xml`` for one module: a course with one AU whose URL is the package's launch page."""
    ET.register_namespace("", NS)
    q = lambda name: f"{{{NS}}}{name}"  # noqa: E731
    description = module.activity.get("description") or module.title

    def text(parent, tag, value):
        el = ET.SubElement(parent, q(tag))
        ET.SubElement(el, q("langstring"), {"lang": lang}).text = str(value).strip()

    root = ET.Element(q("courseStructure"))
    c = ET.SubElement(root, q("course"), {"id": iri})
    text(c, "title", module.title)
    text(c, "description", description)
    au = ET.SubElement(root, q("au"), {"id": f"{iri}/au/{module.id}", "moveOn": "CompletedAndPassed",
                                      "masteryScore": f"{round(pass_mark(module), 4):g}",
                                      "launchMethod": "AnyWindow"})
    text(au, "title", module.title)
    text(au, "description", description)
    ET.SubElement(au, q("url")).text = "index.html"
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def cmi5_package(course: Course, module: Module, iri: str | None = None) -> Package:
    """The whole cmi5 package of one module."""
    from patientvoice.pdf.html import site_settings

    pkg = build_package(course, module, "cmi5", "cmi5-api.js")
    pkg.add("cmi5.xml", course_structure(course, module, iri or default_iri(module), site_settings(course.root).lang))
    return pkg


@click.command()
@click.argument("module")
@ROOT_OPTION
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The zip to write.")
@click.option("--iri", metavar="IRI", help="The course's IRI (its id in the LMS and LRS); by default "
              "urn:x-patientvoice:activity:<activity id>.")
@click.option("--strict", is_flag=True, help="Refuse on warnings too.")
def cmi5(module, root, out, iri, strict):
    """Export MODULE as a cmi5 course package (one AU) to import into a cmi5 LMS.

    The course is checked as `build` checks it; nothing is written while a check fails.
    """
    export_module(root, module, out, lambda course, mod: cmi5_package(course, mod, iri), strict=strict)
    click.echo(f"✓ wrote {out} (cmi5, module {module})")
