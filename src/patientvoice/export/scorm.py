"""``patientvoice export scorm MODULE``: one module as a SCORM 1.2 or SCORM 2004 (4th edition) package.

One SCO per module. Its launch page (``index.html``) finds the LMS API, keeps the session open and shows the
module's pages in an inner frame (export/package.py); ``assets/scorm-api.js`` records the post-test score,
pass or fail, completion, session time, interactions and resume location. The course's pass mark is the
mastery score: ``adlcp:masteryscore`` (a percentage) in 1.2, the primary objective's ``minNormalizedMeasure``
(the LMS's ``cmi.scaled_passing_score``) in 2004. Every file in the zip is listed in the manifest.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree as ET

import click

from patientvoice.cli import ROOT_OPTION
from patientvoice.course.model import Course, Module
from patientvoice.export.package import Package, build_package, export_module
from patientvoice.outcomes.scoring import pass_mark

NS12 = {"": "http://www.imsproject.org/xsd/imscp_rootv1p1p2", "adlcp": "http://www.adlnet.org/xsd/adlcp_rootv1p2"}
NS2004 = {"": "http://www.imsglobal.org/xsd/imscp_v1p1", "adlcp": "http://www.adlnet.org/xsd/adlcp_v1p3",
          "adlseq": "http://www.adlnet.org/xsd/adlseq_v1p3", "adlnav": "http://www.adlnet.org/xsd/adlnav_v1p3",
          "imsss": "http://www.imsglobal.org/xsd/imsss"}
XSI = "http://www.w3.org/2001/XMLSchema-instance"
LOCATIONS = {
    "1.2": "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd "
           "http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd",
    "2004": "http://www.imsglobal.org/xsd/imscp_v1p1 imscp_v1p1.xsd http://www.adlnet.org/xsd/adlcp_v1p3 "
            "adlcp_v1p3.xsd http://www.adlnet.org/xsd/adlseq_v1p3 adlseq_v1p3.xsd http://www.adlnet.org/xsd/adlnav_v1p3 "
            "adlnav_v1p3.xsd http://www.imsglobal.org/xsd/imsss imsss_v1p0.xsd",
}


def _q(ns: dict, name: str) -> str:
    prefix, _, local = name.rpartition(":")
    return f"{{{ns[prefix]}}}{local}"


def manifest(course: Course, module: Module, version: str, files: list[str]) -> str:
    """``imsmanifest.xml`` for one SCO that lists ``files``; ``version`` is "1.2" or "2004"."""
    ns = NS12 if version == "1.2" else NS2004
    for prefix, uri in ns.items():
        ET.register_namespace(prefix, uri)
    ET.register_namespace("xsi", XSI)
    q = lambda name: _q(ns, name)  # noqa: E731
    ident = f"patientvoice-{module.id}"
    root = ET.Element(q("manifest"), {"identifier": ident, "version": str(module.activity.get("id", "1")),
                                      f"{{{XSI}}}schemaLocation": LOCATIONS[version]})
    meta = ET.SubElement(root, q("metadata"))
    ET.SubElement(meta, q("schema")).text = "ADL SCORM"
    ET.SubElement(meta, q("schemaversion")).text = "1.2" if version == "1.2" else "2004 4th Edition"
    orgs = ET.SubElement(root, q("organizations"), {"default": "org"})
    org = ET.SubElement(orgs, q("organization"), {"identifier": "org"})
    ET.SubElement(org, q("title")).text = module.title
    item = ET.SubElement(org, q("item"), {"identifier": "item", "identifierref": "sco", "isvisible": "true"})
    ET.SubElement(item, q("title")).text = module.title
    mark = pass_mark(module)
    if version == "1.2":
        ET.SubElement(item, q("adlcp:masteryscore")).text = f"{round(mark * 100)}"
    else:
        seq = ET.SubElement(item, q("imsss:sequencing"))
        objectives = ET.SubElement(seq, q("imsss:objectives"))
        primary = ET.SubElement(objectives, q("imsss:primaryObjective"),
                                {"objectiveID": "pass-mark", "satisfiedByMeasure": "true"})
        ET.SubElement(primary, q("imsss:minNormalizedMeasure")).text = f"{mark:g}"
        ET.SubElement(seq, q("imsss:deliveryControls"),
                      {"completionSetByContent": "true", "objectiveSetByContent": "true"})
    resources = ET.SubElement(root, q("resources"))
    scorm_type = "adlcp:scormtype" if version == "1.2" else "adlcp:scormType"
    resource = ET.SubElement(resources, q("resource"), {"identifier": "sco", "type": "webcontent",
                                                        q(scorm_type): "sco", "href": "index.html"})
    for name in files:
        ET.SubElement(resource, q("file"), {"href": name})
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def scorm_package(course: Course, module: Module, version: str) -> Package:
    """The whole SCORM package of one module: launch page, pages, runtime, theme and manifest."""
    pkg = build_package(course, module, "scorm12" if version == "1.2" else "scorm2004", "scorm-api.js")
    pkg.add("imsmanifest.xml", manifest(course, module, version, sorted(pkg.files)))
    return pkg


@click.command()
@click.argument("module")
@ROOT_OPTION
@click.option("--version", "version", type=click.Choice(["1.2", "2004"]), default="1.2", show_default=True,
              help="SCORM 1.2 (most LMSs) or SCORM 2004 4th edition.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), required=True, help="The zip to write.")
@click.option("--strict", is_flag=True, help="Refuse on warnings too.")
def scorm(module, root, version, out, strict):
    """Export MODULE as a SCORM package (one SCO) to upload to an LMS.

    The course is checked as `build` checks it; nothing is written while a check fails.
    """
    export_module(root, module, out, lambda course, mod: scorm_package(course, mod, version), strict=strict)
    click.echo(f"✓ wrote {out} (SCORM {version}, module {module})")
