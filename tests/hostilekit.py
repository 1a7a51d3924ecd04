"""Payloads a hostile contributor would paste into a course, and the helpers the hostile-content and fuzz
suites share: running the CLI, reading `check --format json`, and which rule families are not about safety.

Every payload carries a tag (``alert('story-title:img')``), so a dialog in the browser names the field and the
payload class that fired.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

PV = [sys.executable, "-m", "patientvoice.cli"]
EVIL = "evil.invalid"  # a host that must never be asked for anything
# Families whose rules exist for other reasons (review, consent, de-identification…): an error from them at the
# payload's line does not show that check saw the hostile content, so the safety tests do not count them.
UNRELATED_FAMILIES = {"review", "consent", "deid", "disclosure", "activity", "questionnaire", "data", "ref", "block"}
DATA_HTML = "data:text/html;base64," + base64.b64encode(b"<script>alert('data-url')</script>").decode()


def html_payloads(tag: str) -> dict[str, str]:
    """Raw-HTML payload classes, one line each."""
    return {
        "img-onerror": f"<img src=x onerror=alert('{tag}:img')>",
        "script": f"<script>alert('{tag}:script')</script>",
        "details-ontoggle": f"<details open ontoggle=alert('{tag}:details')><summary>more</summary>x</details>",
        "iframe-srcdoc": f"<iframe srcdoc=\"&lt;script&gt;parent.alert('{tag}:iframe')&lt;/script&gt;\"></iframe>",
        "svg-onload": f"<svg onload=alert('{tag}:svg')></svg>",
        "title-breakout": f"</title><script>alert('{tag}:title')</script>",
        "html-javascript-link": f"<a href=\"javascript:alert('{tag}:a')\">open</a>",
        "html-protocol-relative-img": f"<img src=\"//{EVIL}/{tag}.png\" alt=\"\">",
        "html-data-link": f"<a href=\"{DATA_HTML}\">open</a>",
        "html-vbscript-link": "<a href=\"vbscript:msgbox(1)\">open</a>",
    }


def markdown_payloads(tag: str) -> dict[str, str]:
    """Markdown-syntax payload classes (meaningful where a field is Markdown: story bodies, module bodies)."""
    return {
        "md-javascript-link": f"[open](javascript:alert('{tag}:md'))",
        "md-javascript-reference": f"[open][{tag}-ref]\n\n[{tag}-ref]: javascript:alert('{tag}:ref')",
        "md-protocol-relative-img": f"![chart](//{EVIL}/{tag}-md.png)",
        "md-data-link": f"[open]({DATA_HTML})",
        "md-vbscript-link": "[open](vbscript:msgbox(1))",
        "md-autolink-javascript": f"<javascript:alert('{tag}:auto')>",
    }


URL_PAYLOADS = {
    "javascript": "javascript:alert('url')",
    "javascript-mixed-case": "JaVaScRiPt:alert('url')",
    "javascript-leading-space": " javascript:alert('url')",
    "data": DATA_HTML,
    "vbscript": "vbscript:msgbox(1)",
    "protocol-relative": f"//{EVIL}/privacy",
    "file": "file:///etc/passwd",
}


def every_payload(tag: str) -> str:
    """All payload classes at once, as one text value (for fields that are one string), with a `---` line."""
    parts = [*html_payloads(tag).values(),
             *(v for k, v in markdown_payloads(tag).items() if k != "md-javascript-reference")]
    return f"{tag} " + " ".join(parts) + f"\n---\n<img src=x onerror=alert('{tag}:front-matter')>"


def run_cli(args: list[str], cwd: Path | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``patientvoice ARGS`` in a fresh interpreter (as an author would)."""
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    return subprocess.run(PV + args, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env)


def check_json(root: Path, timeout: float = 60) -> tuple[int, list[dict], str]:
    """``patientvoice check --format json`` on ``root``: (exit code, problems, stderr)."""
    out = run_cli(["check", "--format", "json", "--root", str(root)], timeout=timeout)
    try:
        problems = json.loads(out.stdout) if out.stdout.strip() else []
    except json.JSONDecodeError:
        problems = [{"unparsed": out.stdout[:2000]}]
    return out.returncode, problems, out.stderr


def safety_errors(problems, path: str, lines) -> list:
    """Errors at ``path`` on one of ``lines`` from a rule that is not one of the UNRELATED_FAMILIES."""
    lines = set(lines)
    return [p for p in problems
            if _get(p, "severity") == "error" and _get(p, "path") == path and _get(p, "line") in lines
            and str(_get(p, "rule")).split(".")[0] not in UNRELATED_FAMILIES]


def _get(p, name):
    return p.get(name) if isinstance(p, dict) else getattr(p, name)
