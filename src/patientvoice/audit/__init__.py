"""The activity file for accreditation review: ``patientvoice audit`` (issue 13)."""
