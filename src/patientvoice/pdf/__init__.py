"""Printed PDFs: per module a handout, a questionnaire pack to fill in by hand and a facilitators' answer key."""

__all__ = ["build_pdfs"]


def __getattr__(name):
    # `check` imports pdf.checks, which must not pull in the renderer's process pool and WeasyPrint plumbing.
    if name == "build_pdfs":
        from patientvoice.pdf.build import build_pdfs

        return build_pdfs
    raise AttributeError(f"module 'patientvoice.pdf' has no attribute {name!r}")
