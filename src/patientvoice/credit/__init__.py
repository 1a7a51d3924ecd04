"""Credit claims, certificates and the provider's records (issue 12).

The learner's claim arrives at the collector (``routes``), is decided there against the stored post-tests
(``policy``), kept in its own ``claims`` table apart from the pseudonymous responses (``store``), printed as a
one-page certificate (``certificate``) and reported or purged with ``patientvoice records`` (``records``, ``cli``).
"""
