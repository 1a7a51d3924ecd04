"""Accessible SVG bar charts of the share of learners meeting each objective, pre, post and at follow-up."""

from __future__ import annotations

import textwrap
from html import escape

# Each colour has at least 4.5:1 contrast on white, so bars (3:1 needed) and any text in them pass WCAG AA.
COLOURS = {"pre": "#5c5c5c", "post": "#1d5fa3", "follow-up": "#9a4a00"}
LABELS = {"pre": "Pre", "post": "Post", "follow-up": "Follow-up"}
TEXT = "#1a1a1a"
WIDTH, LEFT, BAR_W, BAR_H, GAP = 680, 90, 440, 16, 5


def _e(text) -> str:
    return escape(str(text), quote=True)


def objective_chart(chart_id: str, title: str, objectives: list[dict]) -> str:
    """One SVG: a group of pre/post/follow-up bars per objective, values written as real text beside each bar."""
    rows, summary, y = [], [], 36
    for x in range(0, 101, 25):  # gridlines every 25 %
        gx = LEFT + BAR_W * x / 100
        rows.append(f'<line x1="{gx:.1f}" y1="24" x2="{gx:.1f}" y2="{{bottom}}" stroke="#c8c8c8" stroke-width="1"/>'
                    f'<text x="{gx:.1f}" y="18" text-anchor="middle" font-size="11" fill="{TEXT}">{x}%</text>')
    for o in objectives:
        wrapped = textwrap.wrap(o["text"] or o["id"], 95)
        lines = wrapped[:2]
        if len(wrapped) > 2:  # the full text is in the table and the description; two lines keep the chart compact
            lines[1] += "…"
        for i, line in enumerate(lines):
            rows.append(f'<text x="0" y="{y + 13 + 15 * i}" font-size="12" font-weight="bold" fill="{TEXT}">'
                        f'{_e(line)}</text>')
        y += 15 * len(lines) + 6
        said = []
        for phase in ("pre", "post", "follow-up"):
            data = o["phases"].get(phase)
            rows.append(f'<text x="{LEFT - 8}" y="{y + 12}" text-anchor="end" font-size="11" fill="{TEXT}">'
                        f'{LABELS[phase]}</text>')
            if data is None or not data["n"]:
                note = "not asked" if data is None else "no responses"
                rows.append(f'<text x="{LEFT + 4}" y="{y + 12}" font-size="11" font-style="italic" fill="{TEXT}">'
                            f'{note}</text>')
                said.append(f"{LABELS[phase]} {note}")
            else:
                pct = data["percent"]
                w = max(BAR_W * pct / 100, 1)
                rows.append(f'<rect x="{LEFT}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{COLOURS[phase]}"/>')
                end, ci = w, data.get("ci")
                if ci:  # the Wilson interval as a whisker across the bar's end; the label goes past it
                    lo, hi = (LEFT + BAR_W * v / 100 for v in ci)
                    mid = y + BAR_H / 2
                    rows.append(f'<path d="M{lo:.1f} {mid}H{hi:.1f}M{lo:.1f} {y + 3}V{y + BAR_H - 3}'
                                f'M{hi:.1f} {y + 3}V{y + BAR_H - 3}" stroke="{TEXT}" stroke-width="1.5" fill="none"/>')
                    end = max(w, hi - LEFT)
                rows.append(f'<text x="{LEFT + end + 6:.1f}" y="{y + 12}" font-size="11" fill="{TEXT}">'
                            f'{pct:.0f}% (n = {data["n"]})</text>')
                interval = f" (95% CI {ci[0]:.0f}–{ci[1]:.0f}%)" if ci else ""
                said.append(f"{LABELS[phase]} {pct:.0f}% of {data['n']}{interval}")
            y += BAR_H + GAP
        summary.append(f"{o['text'] or o['id']}: {', '.join(said)}.")
        y += 14
    height = y + 4
    body = "".join(rows).replace("{bottom}", str(height - 14))
    desc = ("Share of learners answering every knowledge item of the objective correctly, with its 95% Wilson "
            "interval as a whisker. " + " ".join(summary))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" class="chart" '
            f'font-family="Helvetica, Arial, sans-serif">'
            f'<title id="{chart_id}-title">{_e(title)}</title><desc id="{chart_id}-desc">{_e(desc)}</desc>'
            f"{body}</svg>")


def relative_luminance(hex_colour: str) -> float:
    """WCAG relative luminance of a #rrggbb colour."""
    channels = [int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio between two #rrggbb colours."""
    la, lb = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)
