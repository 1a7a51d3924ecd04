"""The static site: the mkdocs plugin (plugin, config) and the engine-neutral pages it publishes (pages,
questionnaire), with the checks of mkdocs.yml (mkdocs_yml, options)."""
