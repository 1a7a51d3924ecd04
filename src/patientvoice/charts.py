"""SVG bar charts for PAG survey results, drawn at build time.

The SVG carries its own colours as presentation attributes so it prints (WeasyPrint, paper) as it is;
the site's stylesheet overrides them with CSS variables for the dark scheme. All text is real text.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

WIDTH = 640
LABEL_WIDTH = 250
VALUE_WIDTH = 96
ROW_GAP = 10
LINE_HEIGHT = 17
BAR_HEIGHT = 22
CHARS_PER_LINE = 30
# 7.0:1 on white; the site swaps in a lighter blue on the dark scheme (see theme/assets/patientvoice.css).
BAR_COLOUR = "#1a5e8a"
TEXT_COLOUR = "#1d1d1f"
AXIS_COLOUR = "#595959"


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
    """An accessible horizontal bar chart as an inline ``<svg>`` string."""
    rows, y = [], 8
    plot = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    for bar in data:
        lines = textwrap.wrap(bar.label, CHARS_PER_LINE) or [""]
        height = max(BAR_HEIGHT, len(lines) * LINE_HEIGHT)
        label_top = y + (height - len(lines) * LINE_HEIGHT) / 2 + LINE_HEIGHT - 4
        tspans = "".join(
            f'<tspan x="{LABEL_WIDTH - 10}" y="{label_top + i * LINE_HEIGHT:.1f}">{escape(line)}</tspan>'
            for i, line in enumerate(lines))
        width = max(bar.share * plot, 1.0 if bar.count else 0.0)
        bar_y = y + (height - BAR_HEIGHT) / 2
        rows.append(
            f'<g class="pv-chart__row">'
            f'<text class="pv-chart__label" text-anchor="end" fill="{TEXT_COLOUR}">{tspans}</text>'
            f'<rect class="pv-chart__bar" x="{LABEL_WIDTH}" y="{bar_y:.1f}" width="{width:.1f}" '
            f'height="{BAR_HEIGHT}" fill="{BAR_COLOUR}"/>'
            f'<text class="pv-chart__value" x="{LABEL_WIDTH + width + 6:.1f}" y="{bar_y + BAR_HEIGHT / 2 + 5:.1f}" '
            f'fill="{TEXT_COLOUR}">{percent(bar.share)} ({bar.count:,})</text>'
            f'</g>')
        y += height + ROW_GAP
    axis = (f'<line class="pv-chart__axis" x1="{LABEL_WIDTH}" y1="2" x2="{LABEL_WIDTH}" y2="{y - ROW_GAP + 6}" '
            f'stroke="{AXIS_COLOUR}" stroke-width="1"/>')
    height = y - ROW_GAP + 10
    return (
        f'<svg class="pv-chart" role="img" aria-labelledby="{chart_id}-t {chart_id}-d" '
        f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" '
        f'font-family="Atkinson Hyperlegible, DejaVu Sans, sans-serif" font-size="14" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="{chart_id}-t">{escape(title)}</title>'
        f'<desc id="{chart_id}-d">{escape(summary)}</desc>'
        f'{axis}{"".join(rows)}</svg>')


def describe(data: list[Bar], answered: int) -> str:
    """A text summary of every bar, for screen readers and the chart's ``<desc>``."""
    parts = [f"{bar.label}: {percent(bar.share)} ({bar.count:,})" for bar in data]
    return f"Of {answered:,} who answered: " + "; ".join(parts) + "."
