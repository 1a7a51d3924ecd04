"""Outcomes: collect learners' questionnaire responses and report what changed (Moore levels 1–5)."""
