"""Reuse what was loaded from a course file while the file is unchanged (for `serve --incremental`).

A preview reloads the course after every save; parsing ~2,000 YAML front matters is most of that time, and
an edit changes one file. ``FileStates`` records, for every course file, its state (modification and change
times in nanoseconds, size, inode) and content digest; ``LoadCache`` keeps each loaded item (a story, a person,
a module with its questionnaire) with the problems loading it reported, keyed by the states and digests of the
files it was read from. The state is taken before the file is read, so an edit made while the loader reads it
gives the next scan a new key and the item is loaded again; the digest tells apart two saves within one tick
of a coarse file-system clock.
``patientvoice check`` and ``build`` never use this: they load every file afresh.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Callable, TypeVar

from patientvoice.problems import Problems

T = TypeVar("T")


class FileStates:
    """The state and digest of every course file, as of the last scan."""

    def __init__(self) -> None:
        self.states: dict[str, tuple] = {}  # path → (state, digest) of the last scan

    def scan(self, root: Path, tops: tuple[str, ...], extra: tuple[str, ...] = ()) -> dict[str, str]:
        """{course path: digest} of every file under ``tops`` and of the ``extra`` files, in path order.

        Every file is read: a digest is what tells two saves apart on a file system whose times are coarse.
        """
        out, states = {}, {}
        paths = [os.path.join(folder, name) for top in tops for folder, _, files in os.walk(root / top)
                 for name in files]
        prefix = f"{root}{os.sep}"
        for path in [*paths, *(str(root / e) for e in extra)]:
            rel = path[len(prefix):].replace(os.sep, "/")
            try:
                st = os.stat(path)  # before the read: an edit during it gives the next scan a new state
                state = (st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino, _digest(path))
            except OSError:
                state = None
            out[rel] = state[-1] if state else "unreadable"
            states[path] = state
        self.states = states
        return dict(sorted(out.items()))


def _digest(path: str) -> str:
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


class LoadCache:
    """Loaded items by the states of their files (see the module docstring); at most one entry per item."""

    def __init__(self, files: FileStates) -> None:
        self.files = files
        self._items: dict[tuple, tuple[tuple, object, list]] = {}  # (kind, first path) → (key, item, problems)

    def item(self, kind: str, paths: list[Path], load: Callable[[Problems], T], problems: Problems) -> T:
        """The item ``load`` builds from ``paths``, reused while none of them changed; its problems are added."""
        key = tuple(self.files.states.get(str(p)) for p in paths)
        slot = (kind, str(paths[0]))
        hit = self._items.get(slot)
        if hit is not None and hit[0] == key and None not in key:
            problems.extend(hit[2])
            return hit[1]
        found = Problems(problems.root)
        item = load(found)
        problems.extend(found)
        if None not in key:  # a file missing or unreadable at the scan: nothing to key on, load it every time
            self._items[slot] = (key, item, list(found))
        return item
