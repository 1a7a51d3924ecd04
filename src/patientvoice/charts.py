"""Bar charts for PAG survey results, drawn at build time as HTML: one row per answer, real text throughout.

A chart is a list, so it scales with its container: the labels are text at the page's own size (never shrunk
with a drawing), side by side with their bars where there is room and above them on a phone (a container
query in theme/assets/patientvoice.css). The bar's length is its share, as an inline width; its colour comes
from the stylesheets (the site's, with a dark-scheme variant, and theme/print.css on paper).
"""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

@dataclass(frozen=True)
class Bar:
    """One answer: its label, count and share of those who answered."""

    label: str
    count: int
    share: float


def bars(results: dict[str, int], answered: int) -> list[Bar]:
    """Turn a question's counts into bars with shares of ``answered``."""
    return [Bar(label, count, (count / answered) if answered else 0.0) for label, count in results.items()]


def percent(share: float) -> str:
    """A share as a whole-number percentage, the way the charts and tables print it."""
    return f"{round(share * 100)}%"


def bar_chart(chart_id: str, title: str, summary: str, data: list[Bar]) -> str:
    """An accessible horizontal bar chart as an HTML list: label, bar, then share and count, per answer.

    ``summary`` (see :func:`describe`) is kept for screen readers on the list, since each bar's length is
    only drawn; every share and count is also printed as text in its row.
    """
    rows = []
    for bar in data:
        # The track is 100% of those who answered, so a bar's length reads as its share (1 px-ish if any).
        length = min(bar.share, 1.0) * 100
        rows.append(
            f'<li class="pv-chart__row">'
            f'<span class="pv-chart__label">{escape(bar.label)}</span>'
            f'<span class="pv-chart__track" aria-hidden="true"><span class="pv-chart__bar" '
            f'style="width: {max(length, 0.5 if bar.count else 0.0):.1f}%"></span></span>'
            f'<span class="pv-chart__value">{percent(bar.share)} ({bar.count:,})</span>'
            f'</li>')
    return (f'<ul class="pv-chart" id="{escape(chart_id)}" aria-label="{escape(title)}" '
            f'aria-describedby="{escape(chart_id)}-d">{"".join(rows)}</ul>'
            f'<p class="pv-visually-hidden" id="{escape(chart_id)}-d">{escape(summary)}</p>')


def describe(data: list[Bar], answered: int) -> str:
    """A text summary of every bar, for screen readers and the chart's ``<desc>``."""
    parts = [f"{bar.label}: {percent(bar.share)} ({bar.count:,})" for bar in data]
    return f"Of {answered:,} who answered: " + "; ".join(parts) + "."
