"""Confining file access to the course: regular files inside the course root, read a bounded amount.

Course files arrive from outside (stories and PAG data pasted from e-mail, pull requests), and a git
repository can carry symbolic links. A link such as ``modules/m/files/x.txt -> /etc/passwd`` or
``theme -> /etc`` would make the site, the PDFs and even ``check``'s messages publish host files; a named
pipe blocks whoever opens it; ``/dev/zero`` never ends. So every author file is read through
``read_bounded`` and every folder the build publishes is scanned by ``scan_published`` before anything is
built: a link that resolves outside the course is ``file.outside-course``, anything that is not a regular
file or folder is ``file.special``. Links that stay inside the course are followed (a shared image folder is
fine). Hard links are not detectable this way, but git cannot carry them, so a clone never has one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PUBLISHED = ("content", "modules", "theme")  # what mkdocs (docs_dir, custom_dir) and the PDFs read
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_KINDS = ((stat.S_ISFIFO, "named pipe"), (stat.S_ISSOCK, "socket"), (stat.S_ISCHR, "character device"),
          (stat.S_ISBLK, "block device"))


class Refused(Exception):
    """A file that must not be read: ``rule`` and ``message`` are the problem to report at its path."""

    def __init__(self, rule: str, message: str):
        super().__init__(message)
        self.rule, self.message = rule, message


def within(real: str, root_real: str) -> bool:
    """Whether the resolved path ``real`` is ``root_real`` or lies under it (both already resolved)."""
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def kind(mode: int) -> str:
    """What a non-regular file is, in an author's words."""
    return next((name for test, name in _KINDS if test(mode)), "special file")


def _special(what: str) -> Refused:
    return Refused("file.special", f"is a {what}, not a regular file; reading it could block or never end, and "
                                   "nothing but plain files may be published. Replace it with an ordinary file")


def _outside(path: str, real: str) -> Refused:
    how = "is a symbolic link to" if os.path.islink(path) else "lies in a linked folder and leads to"
    return Refused("file.outside-course",
                   f"{how} {real}, outside the course folder; nothing outside the course may be read or published. "
                   "Copy what you need into the course instead of linking to it")


def _dangling(path: str) -> Refused:
    return Refused("file.unreadable", f"cannot be read: it is a symbolic link to {os.readlink(path)}, which does "
                                      "not exist; fix the link or replace it with the file")


def read_bounded(path: Path | str, root: Path | str | None, limit: int) -> bytes:
    """The bytes of a regular file inside ``root`` (when given), at most ``limit`` of them; else ``Refused``.

    Never opens a pipe, device or socket (they are refused by their type first; the open is non-blocking
    and checked again on the descriptor in case the file was swapped meanwhile), and reads at most
    ``limit + 1`` bytes, so a file that grows while it is read is refused by what was read, not by its size.
    """
    path = os.fspath(path)
    real = os.path.realpath(path)
    if root is not None and not within(real, os.path.realpath(root)):
        raise _outside(path, real)
    try:
        st = os.stat(real)
    except FileNotFoundError:
        if os.path.islink(path):
            raise _dangling(path) from None
        raise Refused("file.unreadable", "cannot be read: No such file or directory") from None
    except OSError as exc:
        raise Refused("file.unreadable", f"cannot be read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(st.st_mode):
        raise Refused("file.not-a-file", "is a directory where a file is expected; move its contents or rename it")
    if not stat.S_ISREG(st.st_mode):
        raise _special(kind(st.st_mode))
    if st.st_size > limit:
        raise _too_large(f"is {st.st_size / 1048576:.1f} MB", limit)
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except OSError as exc:
        raise Refused("file.unreadable", f"cannot be read: {exc.strerror or exc}") from None
    with os.fdopen(fd, "rb") as f:
        mode = os.fstat(f.fileno()).st_mode
        if not stat.S_ISREG(mode):
            raise _special(kind(mode))
        data = f.read(limit + 1)
    if len(data) > limit:
        raise _too_large(f"grew past {limit / 1048576:.1f} MB while it was read", limit)
    return data


def _too_large(what: str, limit: int) -> Refused:
    return Refused("file.too-large", f"{what}; course files must be under {limit // 1048576} MB (is this the right file?)")


def scan_published(root: Path, problems) -> set[str]:
    """Report every link out of the course and every special file in what the build reads and publishes.

    Walks ``content/``, ``modules/`` and ``theme/`` (and looks at ``mkdocs.yml``) with ``os.scandir``, reading
    no file. Returns the paths it reported (as ``os.path.join`` strings, unresolved), so the loader skips them
    instead of reporting them a second time.
    """
    root_real = os.path.realpath(root)
    flagged: set[str] = set()
    seen: set[str] = set()  # resolved folders already walked: a link back up must not loop

    def visit(path: str, is_link: bool, mode: int | None) -> str | None:
        """Report ``path`` if it must not be used; return its resolved path when it is a folder to walk."""
        refusal, real = None, path
        if is_link:
            real = os.path.realpath(path)
            if not within(real, root_real):
                refusal = _outside(path, real)
            else:
                try:
                    mode = os.stat(real).st_mode
                except OSError:
                    refusal = _dangling(path)
        if refusal is None and mode is not None and not (stat.S_ISREG(mode) or stat.S_ISDIR(mode)):
            refusal = _special(kind(mode))
        if refusal is not None:
            problems.add(path, 1, refusal.rule, refusal.message)
            flagged.add(path)
            return None
        return os.path.realpath(path) if mode is not None and stat.S_ISDIR(mode) else None

    for name in (*PUBLISHED, "mkdocs.yml"):
        top = os.path.join(root, name)
        try:
            st = os.lstat(top)
        except OSError:
            continue  # a missing folder is the loader's file.missing
        link = stat.S_ISLNK(st.st_mode)
        real = visit(top, link, None if link else st.st_mode)
        stack = [(top, real)] if real and name in PUBLISHED else []
        while stack:
            folder, real = stack.pop()
            if real in seen:
                continue
            seen.add(real)
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue  # an unreadable folder: whoever needs a file in it reports that file
            for entry in entries:
                link = entry.is_symlink()
                try:
                    mode = None if link else entry.stat(follow_symlinks=False).st_mode
                except OSError:
                    continue
                sub = visit(entry.path, link, mode)
                if sub is not None:
                    stack.append((entry.path, sub))
    return flagged
