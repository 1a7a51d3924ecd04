"""Printed PDFs: per module a handout, a questionnaire pack to fill in by hand and a facilitators' answer key."""

from patientvoice.pdf.build import build_pdfs

__all__ = ["build_pdfs"]
