"""Follow-up waves: ``follow_up_after_days`` may be one number or a list, one follow-up wave per number.

The first wave keeps the phase name ``follow-up`` (its page, responses, collector and report are unchanged);
later waves are ``follow-up-2``, ``follow-up-3``, ... with pages at ``<module>/follow-up-2/``. Every wave asks
the items whose ``phases`` include ``follow-up``, and opens its number of days after the learner's post-test.
"""

from __future__ import annotations

import re

FIRST = "follow-up"
_LATER = re.compile(r"^follow-up-([2-9]|[1-9]\d+)$")


def waves_of(value) -> list[int]:
    """The wave days from the YAML value: a number is one wave; anything not a positive whole number is left out
    (schema.type reports it)."""
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool) and v >= 1]


def wave_phase(n: int) -> str:
    """The phase name of wave ``n`` (1-based): ``follow-up``, ``follow-up-2``, ..."""
    return FIRST if n == 1 else f"{FIRST}-{n}"


def wave_number(phase: str) -> int | None:
    """1 for ``follow-up``, n for ``follow-up-n`` (n >= 2), None for any other phase."""
    if phase == FIRST:
        return 1
    m = _LATER.match(phase) if isinstance(phase, str) else None
    return int(m.group(1)) if m else None


def is_follow_up(phase: str) -> bool:
    """True for every follow-up wave's phase."""
    return wave_number(phase) is not None


def wave_label(n: int) -> str:
    """How learners see the wave in navigation and titles: 'Follow-up', 'Follow-up 2', ..."""
    return "Follow-up" if n == 1 else f"Follow-up {n}"
