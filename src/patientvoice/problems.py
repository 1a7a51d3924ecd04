"""Problems: what a check found, pointing at a file and line."""

from __future__ import annotations

import json
from dataclasses import dataclass, asdict
from pathlib import Path

ERROR = "error"
WARNING = "warning"
INFO = "info"


@dataclass(frozen=True, order=True)
class Problem:
    """One finding: where it is, which rule found it, and what to do."""

    path: str
    line: int
    rule: str
    message: str
    severity: str = ERROR

    def format(self) -> str:
        """Render like a compiler: ``path:line: message [rule]``."""
        tag = {ERROR: "", WARNING: "warning: "}.get(self.severity, "note: ")
        return f"{self.path}:{self.line}: {tag}{self.message} [{self.rule}]"

    def as_dict(self) -> dict:
        """Return the JSON shape ``{path, line, rule, severity, message}``."""
        d = asdict(self)
        return {k: d[k] for k in ("path", "line", "rule", "severity", "message")}


class Problems(list):
    """A list of problems with helpers to add to it relative to a course root."""

    def __init__(self, root: Path | None = None):
        super().__init__()
        self.root = root

    def rel(self, path: Path | str) -> str:
        """Return ``path`` relative to the course root, with forward slashes."""
        # Cached: resolving costs two system calls per folder, and a pasted story can hold thousands of finds.
        cache = self.__dict__.setdefault("_rel_cache", {})
        key = (str(path), self.root)
        if key not in cache:
            cache[key] = self._relative(path)
        return cache[key]

    def _relative(self, path: Path | str) -> str:
        p = Path(path)
        if self.root is not None:
            try:
                # Resolve the folder only: a symlinked file is reported under its own name, not its target's.
                p = (p.parent.resolve() / p.name).relative_to(self.root.resolve())
            except ValueError:
                pass
        return p.as_posix()

    def add(self, path, line, rule, message, severity=None) -> None:
        """Record a problem; the severity defaults to the rule's registered one."""
        if severity is None:
            from patientvoice.rules import severity_of

            severity = severity_of(rule)
        self.append(Problem(self.rel(path), int(line or 1), rule, message, severity))

    @property
    def errors(self) -> list[Problem]:
        """Problems of severity error."""
        return [p for p in self if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        """Problems of severity warning."""
        return [p for p in self if p.severity == WARNING]


def to_json(problems) -> str:
    """Serialise problems as a JSON list."""
    return json.dumps([p.as_dict() for p in sorted(problems)], indent=2, ensure_ascii=False)
