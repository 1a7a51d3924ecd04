"""Materialise a checked course into a plain docs tree that any Markdown site engine can build.

``tree.materialise`` writes module pages (activity information, route and expanded ``///`` blocks), the
generated pages, the home page and the course's other files, the theme's assets and a navigation; ``config``
derives the engine's configuration from the course's mkdocs.yml. questionnaire.yml never enters the tree.
The engines (patientvoice.engines) then only translate that config and run.
"""

from patientvoice.materialise.tree import Tree, materialise  # noqa: F401
