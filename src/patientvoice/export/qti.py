"""The question bank as an IMS QTI content package (zip): QTI 2.1 or QTI 3.0.

One assessmentItem file per questionnaire item, one assessmentTest with a section per phase (the sections
reference the same item files, with ``category`` set to the phase), and an imsmanifest.xml listing every file.
Both versions come from one builder: it writes QTI 2.1 names and, for 3.0, ``qti_name`` turns them into the
kebab-case ``qti-`` names (``choiceInteraction`` -> ``qti-choice-interaction``, ``maxChoices`` -> ``max-choices``).

Scored choice items declare the key and use their own response processing (the standard match_correct template
does not set FEEDBACK): SCORE is 1 for an exact match, and FEEDBACK holds the chosen options, so a modalFeedback
per option shows its feedback. Survey items (likert, unscored) have no key and no response processing; essays
are extendedTextInteraction. Feedback is shown in the post-test section only, as on the site.
"""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET
import zipfile

from patientvoice.export.questions import Bank, BankItem

XSI = "http://www.w3.org/2001/XMLSchema-instance"
VERSIONS = {
    "2.1": {"ns": "http://www.imsglobal.org/xsd/imsqti_v2p1",
            "xsd": "http://www.imsglobal.org/xsd/qti/qtiv2p1/imsqti_v2p1.xsd",
            "cp": "http://www.imsglobal.org/xsd/imscp_v1p1",
            "cp_xsd": "http://www.imsglobal.org/xsd/imscp_v1p1.xsd",
            "schema": "QTIv2.1 Package", "schemaversion": "1.0.0", "suffix": "v2p1"},
    "3.0": {"ns": "http://www.imsglobal.org/xsd/imsqtiasi_v3p0",
            "xsd": "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqti_asiv3p0_v1p0.xsd",
            "cp": "http://www.imsglobal.org/xsd/qti/qtiv3p0/imscp_v1p1",
            "cp_xsd": "https://purl.imsglobal.org/spec/qti/v3p0/schema/xsd/imsqtiv3p0_imscpv1p2_v1p0.xsd",
            "schema": "QTI Package", "schemaversion": "3.0.0", "suffix": "v3p0"},
}
HTML = {"p", "div", "span"}  # XHTML elements keep their names in QTI 3.0


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


def qti_name(tag: str, version: str) -> str:
    """An element name in ``version``: QTI 2.1 camelCase as is; in 3.0 ``qti-`` plus kebab-case (not XHTML)."""
    return tag if version == "2.1" or tag in HTML else "qti-" + _kebab(tag)


class _Builder:
    """Makes elements with 2.1 names and attributes, renamed for the target version."""

    def __init__(self, version: str):
        self.version = version
        self.ns = VERSIONS[version]["ns"]

    def el(self, parent, tag: str, text: str | None = None, **attrs) -> ET.Element:
        name = qti_name(tag, self.version)  # unqualified: the root's xmlns puts every element in the namespace
        names = {(k if self.version == "2.1" else _kebab(k)): str(v) for k, v in attrs.items()}
        node = ET.Element(name, names) if parent is None else ET.SubElement(parent, name, names)
        if text is not None:
            node.text = text
        return node

    def root(self, tag: str, **attrs) -> ET.Element:
        return _namespaced(self.el(None, tag, **attrs), self.ns, VERSIONS[self.version]["xsd"])

    def feedback(self, parent, identifier: str, text: str) -> None:
        fb = self.el(parent, "modalFeedback", outcomeIdentifier="FEEDBACK", showHide="show", identifier=identifier)
        body = self.el(fb, "contentBody") if self.version == "3.0" else fb  # 3.0 wraps feedback content
        self.el(body, "p", text)


def item_ident(item_id: str) -> str:
    """An item id as a QTI identifier (an NCName: item ids may start with a digit)."""
    return f"item-{item_id}"


def _choice_id(index: int) -> str:
    return f"choice-{index + 1}"


def assessment_item(item: BankItem, version: str) -> ET.Element:
    """One item as a QTI assessmentItem element."""
    b = _Builder(version)
    attrs = {"identifier": item_ident(item.id), "title": item.stem[:200] or item.id, "adaptive": "false",
             "timeDependent": "false"}
    if item.survey:
        attrs["label"] = "survey"
    root = b.root("assessmentItem", **attrs)
    if item.kind == "essay":
        b.el(root, "responseDeclaration", identifier="RESPONSE", cardinality="single", baseType="string")
        body = b.el(root, "itemBody")
        text = b.el(body, "extendedTextInteraction", responseIdentifier="RESPONSE", expectedLines="5")
        b.el(text, "prompt", item.stem)
        return root
    cardinality = "single" if item.kind == "single" else "multiple"
    decl = b.el(root, "responseDeclaration", identifier="RESPONSE", cardinality=cardinality, baseType="identifier")
    if item.scored:
        correct = b.el(decl, "correctResponse")
        for index in item.key:
            b.el(correct, "value", _choice_id(index))
        score = b.el(root, "outcomeDeclaration", identifier="SCORE", cardinality="single", baseType="float")
        b.el(b.el(score, "defaultValue"), "value", "0")
        b.el(root, "outcomeDeclaration", identifier="FEEDBACK", cardinality=cardinality, baseType="identifier")
    body = b.el(root, "itemBody")
    interaction = b.el(body, "choiceInteraction", responseIdentifier="RESPONSE", shuffle="false",
                       maxChoices="1" if item.kind == "single" else "0")
    b.el(interaction, "prompt", item.stem)
    for index, option in enumerate(item.options):
        b.el(interaction, "simpleChoice", option, identifier=_choice_id(index), fixed="true")
    if not item.scored:
        return root
    rp = b.el(root, "responseProcessing")
    cond = b.el(rp, "responseCondition")
    when = b.el(cond, "responseIf")
    match = b.el(when, "match")
    b.el(match, "variable", identifier="RESPONSE")
    b.el(match, "correct", identifier="RESPONSE")
    b.el(b.el(when, "setOutcomeValue", identifier="SCORE"), "baseValue", "1", baseType="float")
    b.el(b.el(b.el(cond, "responseElse"), "setOutcomeValue", identifier="SCORE"), "baseValue", "0", baseType="float")
    chosen = b.el(rp, "setOutcomeValue", identifier="FEEDBACK")
    if item.kind == "single":
        b.el(chosen, "variable", identifier="RESPONSE")
    else:  # the chosen options plus the rationale, shown whatever was chosen
        both = b.el(chosen, "multiple")
        b.el(both, "variable", identifier="RESPONSE")
        b.el(both, "baseValue", "RATIONALE", baseType="identifier")
    for index in range(len(item.options)):
        b.feedback(root, _choice_id(index), item.option_feedback(index))
    if item.kind == "multiple" and item.rationale:
        b.feedback(root, "RATIONALE", item.rationale)
    return root


def assessment_test(bank: Bank, version: str) -> ET.Element:
    """The test: one section per phase referencing the item files; feedback shown in the post-test only."""
    b = _Builder(version)
    root = b.root("assessmentTest", identifier=f"test-{bank.module}", title=bank.title)
    part = b.el(root, "testPart", identifier="part-1", navigationMode="linear", submissionMode="individual")
    for cat in bank.categories:
        section = b.el(part, "assessmentSection", identifier=f"section-{cat.phase}", title=cat.title,
                       visible="true")
        b.el(section, "itemSessionControl", showFeedback="true" if cat.phase == "post" else "false")
        for item in cat.items:
            b.el(section, "assessmentItemRef", identifier=f"{cat.phase}-{item.id}", href=f"items/{item.id}.xml",
                 category=cat.phase)
    return root


def manifest(bank: Bank, version: str) -> ET.Element:
    """imsmanifest.xml: the test resource depends on every item resource; each lists its one file."""
    v = VERSIONS[version]
    root = _namespaced(ET.Element("manifest", {"identifier": f"manifest-{bank.module}"}), v["cp"], v["cp_xsd"])
    meta = ET.SubElement(root, "metadata")
    ET.SubElement(meta, "schema").text = v["schema"]
    ET.SubElement(meta, "schemaversion").text = v["schemaversion"]
    ET.SubElement(root, "organizations")
    resources = ET.SubElement(root, "resources")
    test_href = f"{bank.module}.xml"
    test = ET.SubElement(resources, "resource", {"identifier": f"test-{bank.module}",
                                                 "type": f"imsqti_test_xml{v['suffix']}", "href": test_href})
    ET.SubElement(test, "file", {"href": test_href})
    for item_id in bank.items():
        ET.SubElement(test, "dependency", {"identifierref": item_ident(item_id)})
    for item_id in bank.items():
        href = f"items/{item_id}.xml"
        res = ET.SubElement(resources, "resource", {"identifier": item_ident(item_id),
                                                    "type": f"imsqti_item_xml{v['suffix']}", "href": href})
        ET.SubElement(res, "file", {"href": href})
    return root


def _namespaced(root: ET.Element, ns: str, xsd: str) -> ET.Element:
    # ElementTree cannot give a file its own default namespace when attributes are unqualified, so the
    # declarations are written as the attributes they are.
    root.set("xmlns", ns)
    root.set("xmlns:xsi", XSI)
    root.set("xsi:schemaLocation", f"{ns} {xsd}")
    return root


def _bytes(root: ET.Element) -> bytes:
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def qti_package(bank: Bank, version: str) -> bytes:
    """The content package as zip bytes; entries in a fixed order with a fixed date, so exports are repeatable."""
    files = {"imsmanifest.xml": manifest(bank, version), f"{bank.module}.xml": assessment_test(bank, version)}
    files.update({f"items/{item_id}.xml": assessment_item(item, version) for item_id, item in bank.items().items()})
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, root in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), _bytes(root),
                        compress_type=zipfile.ZIP_DEFLATED)
    return buf.getvalue()
