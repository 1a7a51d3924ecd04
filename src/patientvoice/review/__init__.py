"""The steering committee's review: approvals (approve) pinned to a fingerprint of exactly what a module
publishes (fingerprint)."""
