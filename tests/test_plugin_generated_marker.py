"""The plugin's generated-page marker (site/plugin.py): only this build's generated pages are swapped in."""

from __future__ import annotations

from mkdocs.structure.files import File, get_files
from mkdocs.structure.pages import Page

from patientvoice.build import load_mkdocs_config
from patientvoice.site.plugin import GENERATED
from sitekit import copy_course

NADIA = "stories/nadia-a-plan-of-my-own.md"


def _files(plugin, config) -> None:
    config.plugins._current_plugin = "patientvoice"  # as mkdocs sets it while a plugin's event runs
    plugin.on_files(get_files(config), config=config)


def test_a_story_page_that_left_the_site_never_stands_in_for_a_page_showing_the_marker(tmp_path):
    root = copy_course(tmp_path / "course")
    config = load_mkdocs_config(root, tmp_path / "site")
    plugin = config.plugins["patientvoice"]
    plugin.on_startup(command="serve", dirty=False)  # mkdocs serve keeps this plugin from build to build
    plugin.on_config(config)
    _files(plugin, config)
    page = Page(None, File(NADIA, config.docs_dir, config.site_dir, True), config)
    assert plugin.on_page_content(GENERATED, page=page, config=config, files=None) != GENERATED  # her page

    # The embed is removed (her story leaves the site); the next build has a hand-made page at her path.
    module = root / "modules/believed-in-pain/index.md"
    text = module.read_text(encoding="utf-8")
    module.write_text(text.replace("/// story | nadia-a-plan-of-my-own\n///\n", ""), encoding="utf-8")
    config = load_mkdocs_config(root, tmp_path / "site")
    plugin.on_config(config)
    _files(plugin, config)
    assert NADIA not in plugin.generated_html
    assert plugin.on_page_content(GENERATED, page=page, config=config, files=None) == GENERATED
