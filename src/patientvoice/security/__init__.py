"""Security policy for everything that came from outside the provider: the URL rules and the HTML sanitiser.

Patient stories and PAG data arrive pasted from e-mail; authors are trusted but make mistakes. ``urls`` says
which links and resources a page may carry; ``sanitize`` is the allow-list applied to the HTML the core
renders from that content, for the site and the PDF alike (defence in depth behind the ``check`` rules).
"""
