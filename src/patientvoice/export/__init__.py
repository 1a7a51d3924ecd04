"""Exports for systems outside the site: the PARS activity file, LMS packages (SCORM, cmi5) and question banks."""
