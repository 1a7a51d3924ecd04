"""The registry of check rules: the single source of truth for ids, severities, rationale and fixes."""

from __future__ import annotations

import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """A check rule as authors see it on the rules page."""

    id: str
    severity: str
    title: str
    why: str
    fix: str

    @property
    def family(self) -> str:
        """The part of the id before the dot, e.g. ``consent``."""
        return self.id.split(".", 1)[0]


E, W = "error", "warning"

FAMILIES = {
    "file": "Files",
    "yaml": "YAML syntax",
    "schema": "Structure",
    "block": "Blocks in module bodies",
    "ref": "Cross-references",
    "review": "Steering-committee review",
    "disclosure": "Disclosure of financial relationships",
    "consent": "Storyteller consent",
    "deid": "De-identification",
    "activity": "Activity information",
    "support": "Commercial support (Standard 4)",
    "questionnaire": "Questionnaires",
    "data": "PAG experience data",
    "pdf": "PDF handouts",
    "url": "Links and web addresses",
    "content": "HTML and Markdown in content",
    "site": "The site configuration (mkdocs.yml)",
    "marketing": "No marketing (Standard 5)",
    "evidence": "Evidence (Standard 1)",
}

_RULES = [
    # file
    Rule("file.missing", E, "A required file or folder is missing",
         "The build needs the provider, each module's index.md and questionnaire.yml to publish a complete activity.",
         "Create the file named in the message, following docs/authoring.md."),
    Rule("file.not-a-file", E, "A folder stands where a file is expected",
         "Every course entry is one file; a folder with that name cannot be read as one.",
         "Move the folder's contents into a file of that name, or rename the folder."),
    Rule("file.too-large", E, "A file is far larger than any course file",
         "A multi-megabyte story or YAML file is almost always a mistake (an export, a binary) and would slow every check.",
         "Replace it with the intended text file, or split the content."),
    Rule("file.unreadable", E, "A file cannot be read",
         "Permissions or a broken link stop the check from reading the file.", "Fix the file's permissions or link."),
    Rule("file.encoding", E, "A file is not UTF-8 text",
         "Author files must be UTF-8 so names and quotes render the same everywhere.",
         "Save the file as UTF-8 text in your editor; replace binary files."),
    Rule("file.empty", E, "A file is empty", "An empty file describes nothing and usually means an unfinished edit.",
         "Fill it in, or delete it."),
    Rule("file.front-matter", E, "Front matter is missing or not closed",
         "Stories and modules start with YAML front matter between two '---' lines.",
         "Start the file with '---', the keys, then a closing '---' line."),
    Rule("file.unexpected", W, "A file in a content folder is ignored",
         "Only .yml files (and .md for stories) are read; anything else there is probably misnamed.",
         "Rename it with the right extension, or move it out of content/."),
    Rule("file.outside-course", E, "A link leads outside the course",
         "A symbolic link to a file or folder outside the course's content/, modules/ and theme/ folders (/etc/passwd, "
         "a home folder, the repository's .git/) would be read by check and copied into the site and PDFs: content "
         "no committee reviewed, possibly secrets of the build machine.",
         "Copy the file into the course and commit it, or remove the link. Links between content/, modules/ and "
         "theme/ are fine."),
    Rule("file.special", E, "A named pipe, device or socket is in the course",
         "Only plain files can be reviewed and published; reading a pipe or a device blocks or never ends.",
         "Delete it, or replace it with an ordinary file."),
    # yaml
    Rule("yaml.syntax", E, "YAML syntax error",
         "The file cannot be parsed, so nothing in it can be checked or published.",
         "Look at the line and column given: usually indentation, a missing colon, or an unquoted ':' in text."),
    Rule("yaml.duplicate-key", E, "A key appears twice in one mapping",
         "YAML would silently keep only the last value, hiding an edit.", "Delete one of the two keys."),
    Rule("yaml.alias", E, "A YAML alias or merge key",
         "An alias (*name) or merge key (<<) repeats a value written elsewhere, so a reviewer does not see the text "
         "where it is used, and aliases of aliases can expand to billions of values (an 'alias bomb'). Course files "
         "never need them, so none is accepted.",
         "Write the value out in full where it is used, and remove the anchor (&name)."),
    Rule("yaml.depth", E, "YAML nested too deeply",
         "Lists and mappings nested more than 50 levels deep are never a real course file, and would exhaust every "
         "tool that reads them.", "Flatten the structure; the content format shows the shape of each file."),
    Rule("yaml.type", E, "A YAML value of a type course files do not use",
         "Course files hold text, numbers, dates, true/false, lists and mappings. Tags such as !!set, !!binary, "
         "!!omap or !python/... build other kinds of values (some unsafe to load), and a list or mapping used as a "
         "key has no place in the format.",
         "Remove the tag and write the value as text, a number, a list or a mapping; keys are plain text."),
    # schema
    Rule("schema.required", E, "A required field is missing or empty",
         "The content format names the fields every file needs to be published and reviewed.",
         "Add the field; see the content format in docs/authoring.md."),
    Rule("schema.type", E, "A field has the wrong type", "The tool cannot use text where a number or list is expected.",
         "Write the value in the type the message names."),
    Rule("schema.range", E, "A number is out of range", "Counts and durations cannot be negative.",
         "Correct the number."),
    Rule("schema.enum", E, "A value is not one of the allowed values",
         "Fields such as roles, channels and kinds drive rules and rendering; other values mean nothing to the tool.",
         "Use one of the values listed in the message (a close match is suggested)."),
    Rule("schema.date", E, "A date is not a valid ISO date",
         "Release, expiry, consent and disclosure rules compare dates; they must be real calendar dates.",
         "Write YYYY-MM-DD (a story's 'collected' may be YYYY or YYYY-MM)."),
    Rule("schema.id", E, "An id or file name is not a valid id",
         "Ids appear in URLs and references: lowercase letters, digits and '-' only.",
         "Rename the file or id, e.g. 'Maria_Itch.md' to 'maria-itch.md', and update references."),
    Rule("schema.unknown-key", E, "An unknown key",
         "A misspelt key would otherwise be silently ignored, e.g. a consent field that never takes effect.",
         "Fix the spelling (a close match is suggested) or remove the key."),
    Rule("schema.duplicate-id", E, "An id is used twice",
         "Objectives, items, questions and activity ids must be unique so answers and approvals match.",
         "Give one of them a new id and update its references."),
    Rule("schema.one-line", E, "A title or name spans several lines",
         "Titles and names go into page titles, navigation, headings and PDF metadata, where a line break "
         "(or a '---' line) is at best broken layout and at worst breaks out of the page's front matter.",
         "Write it on one line; in YAML use '>-' to fold a long title over several source lines."),
    # url
    Rule("url.scheme", E, "A link or web address uses a scheme that is not allowed",
         "Only https:, http: and mailto: links (and relative links inside the site) are safe to publish: "
         "javascript:, data: and vbscript: links run code or show forged pages when a learner clicks them.",
         "Write the full https:// address (or mailto: for e-mail), or a relative link to a page of the site."),
    Rule("url.external-resource", E, "An image or other resource loads from another address",
         "A resource from another host (including //host/x.png) is fetched by every reader of the site and the "
         "PDF: it can track learners (ACCME Standard 5 forbids tracking and advertising in accredited content) "
         "and it can change after the steering committee approved the page.",
         "Copy the file into the module's or story's folder and link it by a relative path, or make it a link."),
    # block
    Rule("block.syntax", E, "A block header is malformed", "Blocks are written '/// name | argument'.",
         "Fix the header line."),
    Rule("block.unbalanced", E, "Block fences do not balance",
         "An unclosed or mis-nested block swallows the rest of the page.",
         "Close every block with the same number of slashes; give an outer block a longer fence than the inner."),
    Rule("block.unknown", E, "Unknown block name", "Only story, pag-data, web-only and print-only blocks exist.",
         "Use one of the known block names."),
    Rule("block.options", E, "A block option is invalid", "pag-data takes 'show: chart|table|both'; other blocks take none.",
         "Fix or remove the option."),
    Rule("block.content", E, "Text inside a story or pag-data block",
         "story and pag-data blocks are replaced by the story or the data; text between their fences would be lost "
         "or shown unformatted, so it is never silently published.",
         "Move the text above or below the block, or into a web-only or print-only block."),
    # ref
    Rule("ref.reserved", E, "A module id is a path the site uses for its own pages",
         "The site publishes the story library at /stories/, PAG pages at /pags/ and disclosures at /faculty/ "
         "(and mkdocs uses /assets/, /search/); a module folder with one of these names would replace that page.",
         "Rename the module folder."),
    Rule("ref.person", E, "Reference to an unknown person",
         "Faculty, planners, committee members and approvers must have a file in content/people for their disclosure.",
         "Use an existing id from content/people, or add the person."),
    Rule("ref.committee", E, "Reference to an unknown committee", "A module's review names its steering committee.",
         "Use an id from content/committees."),
    Rule("ref.pag", E, "Reference to an unknown PAG", "Stories and data sets name the PAG they came from.",
         "Use an id from content/pags, or add the PAG."),
    Rule("ref.story", E, "Reference to an unknown story", "A story block must name a file in content/stories.",
         "Use an existing story id (the file name without .md)."),
    Rule("ref.section", E, "Reference to an unknown story section",
         "'story-id#section' embeds the '##' section whose heading has that slug.",
         "Use one of the sections listed in the message."),
    Rule("ref.dataset", E, "Reference to an unknown data set", "A pag-data block must name a file in content/data.",
         "Use an existing data set id."),
    Rule("ref.question", E, "Reference to an unknown data-set question", "'dataset#question' picks one survey question.",
         "Use one of the question ids listed in the message."),
    Rule("ref.objective", E, "Reference to an unknown objective",
         "Each questionnaire item measures one of the module's learning objectives.",
         "Use an objective id from the module's front matter."),
    Rule("ref.argument", E, "A block lacks its argument", "Story and pag-data blocks need '| id' (and '#question' for data).",
         "Write '/// story | story-id' or '/// pag-data | dataset#question'."),
    # pdf
    Rule("pdf.failed", E, "A module's PDF could not be rendered",
         "The printed handout, questionnaire pack and answer key are part of the published activity; a PDF with a "
         "missing image or an unusable stylesheet or font would reach learners incomplete, so the build stops and "
         "the previous PDF is kept.",
         "Read the cause in the message: add the missing image to the module's folder (PDFs use local files only, "
         "never the network), fix the path, or restore theme/print.css and theme/fonts; then run `patientvoice pdf`."),
]

_BY_ID = {r.id: r for r in _RULES}


_SOURCE: dict[str, str] = {}  # rule id -> the module that registered it ("" for this module's own rules)


def register(*rules: Rule) -> None:
    """Add rules to the registry (compliance rule modules call this at import)."""
    source = sys._getframe(1).f_globals.get("__name__", "")
    for r in rules:
        if r.id in _BY_ID:
            raise ValueError(f"rule {r.id} registered twice")
        _RULES.append(r)
        _BY_ID[r.id] = r
        _SOURCE[r.id] = source


def all_rules() -> list[Rule]:
    """Every registered rule, grouped by family in page order."""
    import patientvoice.compliance  # noqa: F401  (registers the compliance rules)
    import patientvoice.security.complexity  # noqa: F401  (content.too-complex)
    import patientvoice.site.mkdocs_yml  # noqa: F401  (the site.* rules for mkdocs.yml)

    # Within a family: the registry's own rules, then each registering module's in name order, each in the
    # order it lists them. Not import order, which differs between the CLI, the plugin and the tests.
    order = list(FAMILIES)
    return sorted(_RULES, key=lambda r: (order.index(r.family) if r.family in order else 99,
                                         _SOURCE.get(r.id, ""), _RULES.index(r)))


def get(rule_id: str) -> Rule:
    """Look a rule up by id."""
    return _BY_ID[rule_id]


def severity_of(rule_id: str) -> str:
    """The registered severity of a rule (error for unregistered ids, so nothing slips through)."""
    r = _BY_ID.get(rule_id)
    return r.severity if r else E
