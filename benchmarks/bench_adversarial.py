"""Benchmark `check` on hostile 64 KB stories against an ordinary story of the same size.

Usage: python benchmarks/bench_adversarial.py [--size 65536] [--runs 3]

Each case appends text to one story of a copy of the example course and times ``check_course`` (best of
``--runs``). The ratio to an ordinary story of the same size is the figure that matters: a quadratic scan
shows up as a ratio in the hundreds (64 KB of ``www.`` took 41 s before issue 11, against 0.3 s for prose);
the target is a ratio under 10 for every case. The Markdown cases show that `check` stops them quickly (as
content.too-complex) instead of the build hanging in Python-Markdown.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from patientvoice.check import check_course

REPO = Path(__file__).resolve().parents[1]
TARGET_RATIO = 10.0
PROSE = ("The itch came back in the evening, and I sat up with the light off so as not to wake anyone. "
         "In the morning the nurse asked how I had slept, and I told her the truth for once.\n\n")
CASES = {
    "www.": "www.",
    "dotted labels": "a-a.",
    "e-mail local part": "a.",
    "record keyword": "MRN-",
    "many e-mails": "me@x.com ",
    "digits and dots": "1.",
    "kinship words": "my son ",
    "capitalised words": "Aaa Bbb ",
    "street numbers": "12 Elm ",
    "number labels": "account number ",
    "many towns": "in Leeds ",
    "ages": "I was 92 ",
    "unclosed [": "[",
    "nested <span>": "<span>",
    "deep list": None,  # built below: one more level per line
}


def _text(unit: str | None, size: int) -> str:
    if unit is None:
        out, depth = [], 0
        while sum(map(len, out)) < size:
            out.append("    " * depth + "- level\n")
            depth = (depth + 1) % 64
        return "".join(out)[:size]
    return (unit * (size // len(unit) + 1))[:size]


def _timed(root: Path, runs: int) -> tuple[float, list]:
    best, problems = float("inf"), []
    for _ in range(runs):
        start = time.perf_counter()
        _, problems = check_course(root)
        best = min(best, time.perf_counter() - start)
    return best, problems


def main() -> int:
    """Print each case's check time and its ratio to ordinary prose; exit 1 if a ratio misses the target."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=64 * 1024)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "course"
        for part in ("content", "modules", "theme", "mkdocs.yml"):
            if (REPO / part).exists():  # theme/: only the course's overrides of the default theme
                (shutil.copytree if (REPO / part).is_dir() else shutil.copy2)(REPO / part, root / part)
        story = sorted((root / "content" / "stories").glob("*.md"))[0]
        original = story.read_text(encoding="utf-8")
        story.write_text(original + "\n" + _text(PROSE, args.size) + "\n", encoding="utf-8")
        base, _ = _timed(root, args.runs)
        print(f"ordinary story of {args.size:,} characters: check {base:.3f} s")
        worst = 0.0
        for name, unit in CASES.items():
            story.write_text(original + "\n" + _text(unit, args.size) + "\n", encoding="utf-8")
            took, problems = _timed(root, args.runs)
            rules = sorted({p.rule for p in problems if p.path.endswith(story.name) and p.severity == "error"})
            worst = max(worst, took / base)
            print(f"  {name:18s} {took:7.3f} s  ×{took / base:5.1f}  {', '.join(rules) or 'clean'}")
        print(f"worst ratio ×{worst:.1f} (target under ×{TARGET_RATIO:.0f})")
        return 0 if worst < TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
