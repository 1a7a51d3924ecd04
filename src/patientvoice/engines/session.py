"""A kept mkdocs build for the incremental preview: after a build, an edit re-renders only its own pages.

mkdocs' dirty build skips unchanged pages but still validates the config, collects every file, lists every
theme file and builds the whole navigation on every save: half a second at 300 modules, however small the
edit. While the engine config, the navigation and the set of pages stay the same (engines/incremental.py
decides), that work gives the same result, so the session keeps the files, navigation and template
environment of the last build (caught by a plugin that runs after every other) and runs mkdocs' own page
steps, read-render-template with every plugin's page events, for the changed pages only.

The page steps are mkdocs' internal ``_populate_page`` and ``_build_page`` (mkdocs 1.5 and 1.6). When they are
missing or a changed file is not one the session knows, ``update`` raises ``SessionStale`` and the caller runs
mkdocs' dirty build instead. The search index is the last build's: a preview's search finds an edited page by
its text before the edit until the next full rebuild.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import InclusionLevel


class SessionStale(Exception):
    """The kept build cannot take this change; build again."""


class Capture(BasePlugin):
    """Keeps what a build made: the final files, navigation and template environment."""

    def __init__(self) -> None:
        self.files = self.nav = self.env = None

    @event_priority(-100)  # after every other plugin has changed them
    def on_files(self, files, *, config):
        self.files = files
        return files

    @event_priority(-100)
    def on_nav(self, nav, *, config, files):
        self.nav = nav
        return nav

    @event_priority(-100)
    def on_env(self, env, *, config, files):
        self.env = env
        return env


class Session:
    """A finished build's config with what Capture kept of it, able to redo single pages."""

    def __init__(self, config, capture: Capture, key: str) -> None:
        self.config, self.capture, self.key = config, capture, key

    def update(self, rels: list[str]) -> list[Path]:
        """Render the pages at these docs paths again and copy the other files again; return what was written."""
        try:
            from mkdocs.commands.build import _build_page, _populate_page
        except ImportError as exc:  # another mkdocs: the dirty build does it
            raise SessionStale(str(exc)) from None
        files, nav, env, config = self.capture.files, self.capture.nav, self.capture.env, self.config
        if files is None or nav is None or env is None:
            raise SessionStale("the last build did not finish")
        doc_files = files.documentation_pages(inclusion=InclusionLevel.is_included)
        written = []
        for rel in rels:
            file = files.get_file_from_path(rel)
            if file is None:
                raise SessionStale(f"{rel} is not a file of the last build")
            if file.is_documentation_page():
                if file.page is None:
                    raise SessionStale(f"{rel} has no page in the last build")
                _populate_page(file.page, config, files)
                _build_page(file.page, config, doc_files, nav, env)
            else:
                file.copy_file()
            written.append(Path(file.abs_dest_path))
        return written
