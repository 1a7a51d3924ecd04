"""The allow-list HTML sanitiser (nh3, the binding to Rust's ammonia) for HTML rendered from outside content.

One policy, applied by ``render`` to story bodies before they go into the story card, so the site, every
module page that embeds a story and the PDF handouts get the same sanitised HTML. (The story parser does
not read raw HTML at all, so a tag in a story arrives here as text; the policy is what stops Markdown's own
links and images, and anything a future Markdown extension might let through.) Metadata fields (titles,
names, labels, methods) are plain text escaped by Jinja's autoescape and never marked safe; charts escape
their labels before they are put into the SVG. What survives here is the Markdown a story needs: text,
emphasis, lists, quotes, headings, tables, links and images inside the site. Nothing executable, no event
attributes, no ids (they could clobber the page's own), no classes or styles, no frames, objects or forms,
and no resource from another host.
"""

from __future__ import annotations

import nh3

from patientvoice.security.urls import SCHEMES, link_problem, resource_problem

TAGS = frozenset({
    "p", "br", "hr", "em", "strong", "b", "i", "u", "s", "del", "ins", "mark", "small", "sub", "sup", "q", "cite",
    "abbr", "code", "kbd", "samp", "var", "pre", "blockquote", "ul", "ol", "li", "dl", "dt", "dd",
    "h2", "h3", "h4", "h5", "h6", "a", "img", "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "span", "div", "figure", "figcaption",
})
ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height"},
    "abbr": {"title"},
    "ol": {"start", "reversed"},
    "th": {"colspan", "rowspan", "scope", "align"},
    "td": {"colspan", "rowspan", "align"},
}
# Their content is dropped with them: it is code or a document, never the storyteller's words.
DROP_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "noscript", "template", "textarea", "select",
                               "svg", "math", "title", "xmp", "noembed", "noframes"})


def _attribute(tag: str, attr: str, value: str) -> str | None:
    # ammonia already limits schemes; this adds the site's own rules: resources stay inside the site
    # (no //host/x.png, no data: images) and protocol-relative links go too.
    if attr == "href":
        return value if link_problem(value) is None else None
    if attr == "src":
        return value if resource_problem(value) is None else None
    return value


def clean_html(html: str) -> str:
    """``html`` with everything outside the allow-list removed (the text of removed tags is kept, escaped)."""
    return nh3.clean(html, tags=set(TAGS), clean_content_tags=set(DROP_WITH_CONTENT), attributes=ATTRIBUTES,
                     url_schemes=set(SCHEMES), link_rel="noopener noreferrer", strip_comments=True,
                     attribute_filter=_attribute)
