"""The attempt policy: which post-test attempts count, and when the post-test shows its key.

One copy for everyone who decides: the collector (its answer to each post-test), the credit decision
(credit/policy.py) and the site's wording. Attempts are numbered 1, 2, … per learner and module in the order the
collector stored them; a number the browser sends is never trusted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

from patientvoice.outcomes.evaluation import plugin_options
from patientvoice.site.questionnaire import DEFAULT_SHOW_KEY, SHOW_KEY, EvaluationError

DEFAULT_ATTEMPTS = 1  # the first post-test is the one that counts, unless the course allows more


def counting(passed: Sequence[bool], attempts: int) -> list[bool]:
    """For each attempt in stored order, whether it counts: one of the first ``attempts``, with no pass before it.

    An attempt after a pass does not count: under the default policy the learner saw the key when they passed.
    """
    out, done = [], False
    for number, ok in enumerate(passed, 1):
        out.append(number <= attempts and not done)
        done = done or bool(ok)
    return out


def counted_attempt(passed: Sequence[bool], attempts: int) -> int | None:
    """The index (0-based) of the attempt that earns credit: the first passing one that counts; None if none."""
    for index, (counts, ok) in enumerate(zip(counting(passed, attempts), passed)):
        if counts and ok:
            return index
    return None


def attempts_option(root: Path) -> int:
    """The plugin's ``attempts`` option (post-test attempts that may count for credit); 1 when not set."""
    value = plugin_options(root).get("attempts", DEFAULT_ATTEMPTS)
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise EvaluationError(f"{Path(root) / 'mkdocs.yml'}: plugins.patientvoice.attempts must be a whole "
                              f"number of at least 1, not {value!r}")
    return value


def show_key_option(root: Path) -> str:
    """The plugin's ``show_key`` option (when the post-test shows the key and rationales); the default when unset."""
    value = plugin_options(root).get("show_key", DEFAULT_SHOW_KEY)
    if value not in SHOW_KEY:
        raise EvaluationError(f"{Path(root) / 'mkdocs.yml'}: plugins.patientvoice.show_key must be one of "
                              f"{', '.join(SHOW_KEY)}, not {value!r}")
    return value
