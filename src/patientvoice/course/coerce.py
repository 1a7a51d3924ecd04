"""Read a loosely typed YAML value as the type the model wants: schema checks report what is wrong, these keep
the loader from failing on it (a list where text belongs becomes text, a missing mapping an empty one)."""

from __future__ import annotations

import datetime as dt


def _s(v):
    """Text, or the value as text."""
    return v if isinstance(v, str) else ("" if v is None else str(v))


def _d(v):
    """A mapping, or an empty one."""
    return v if isinstance(v, dict) else {}


def _l(v):
    """A list, or an empty one."""
    return v if isinstance(v, list) else []


def _date(v):
    """A date, or None for a date with a time."""
    # A date with a time (already a schema.date problem) would break every date comparison in the rules.
    return None if isinstance(v, dt.datetime) else v
