"""Starting points for authors: new modules, stories and data sets that pass the schema checks as written."""
