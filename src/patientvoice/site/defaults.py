"""Site settings every patientvoice course gets, unless its own mkdocs.yml says otherwise.

A CME activity's footer does not advertise the site generator; fonts come from the course, never from Google;
learners can switch between light and dark; every page links its previous and next page. The example course
used to set these in its own mkdocs.yml, so another course silently lacked them. A course overrides any of
them by setting the key itself: ``extra.generator``, ``theme.palette``, ``theme.features`` (the course's list
replaces the default list whole). Fonts stay off whatever the course says: a request to Google Fonts would
send every learner's address to a third party (docs/authoring.md, "Site defaults").
"""

from __future__ import annotations

FEATURES = ["navigation.footer", "navigation.top", "navigation.prune", "search.highlight", "content.tooltips"]


def palette(custom: bool) -> list[dict]:
    """A light and a dark scheme, following the device's preference, with a toggle between them.

    ``custom`` uses the course stylesheet's colours (theme/assets/patientvoice.css defines them for both
    schemes); without that stylesheet Material's own indigo stands in.
    """
    colours = {"primary": "custom", "accent": "custom"} if custom else {}
    return [
        {"media": "(prefers-color-scheme: light)", "scheme": "default", **colours,
         "toggle": {"icon": "material/weather-night", "name": "Switch to dark mode"}},
        {"media": "(prefers-color-scheme: dark)", "scheme": "slate", **colours,
         "toggle": {"icon": "material/weather-sunny", "name": "Switch to light mode"}},
    ]


def apply_defaults(theme, extra: dict, *, custom_colours: bool) -> list[str]:
    """Fill in the defaults the course left unset, in place; return the names of those applied.

    ``theme`` is mkdocs' theme (mapping-like) and ``extra`` the ``extra`` mapping of mkdocs.yml.
    """
    applied = []
    theme["font"] = False  # not a default the course may turn back on: see the module docstring
    if "generator" not in extra:
        extra["generator"] = False
        applied.append("extra.generator")
    if not (theme["palette"] if "palette" in theme else None):  # mkdocs' Theme has no .get()
        theme["palette"] = palette(custom_colours)
        applied.append("theme.palette")
    if not (theme["features"] if "features" in theme else None):
        theme["features"] = list(FEATURES)
        applied.append("theme.features")
    return applied
