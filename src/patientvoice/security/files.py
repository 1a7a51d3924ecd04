"""Confining file access to the course: regular files inside the course root, read a bounded amount.

Course files arrive from outside (stories and PAG data pasted from e-mail, pull requests), and a git
repository can carry symbolic links. A link such as ``modules/m/files/x.txt -> /etc/passwd`` or
``theme -> /etc`` would make the site, the PDFs and even ``check``'s messages publish host files; a named
pipe blocks whoever opens it; ``/dev/zero`` never ends. So every author file is read through
``read_bounded`` and every folder the build publishes is scanned by ``scan_published`` before anything is
built: a link that resolves outside the course's ``content/``, ``modules/`` and ``theme/`` folders is
``file.outside-course`` (outside the course, but also into ``.git/``, whose config may hold a token, or
``build/``), anything that is not a regular file or folder is ``file.special``. Links between those folders
are followed (a shared image folder is fine). Hard links are not detectable this way, but git cannot carry
them, so a clone never has one.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

PUBLISHED = ("content", "modules", "theme")  # what mkdocs (docs_dir, custom_dir) and the PDFs read
CONFIG = "mkdocs.yml"  # the one course file outside them
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


def in_course(real: str, root_real: str) -> bool:
    """Whether the resolved path ``real`` is a course file: in a published folder, or ``mkdocs.yml`` itself.

    Each folder by its literal place in the course: a ``theme -> /etc`` link does not make /etc a course folder.
    """
    return (real == os.path.join(root_real, CONFIG)
            or any(within(real, os.path.join(root_real, name)) for name in PUBLISHED))


def publishable(abs_path: str | None, root: Path | str) -> bool:
    """Whether an engine may copy ``abs_path``: a regular file that stays in the course, or an engine file.

    A path under the course's published folders (``modules/``, ``theme/``, ``content/``) must resolve into them
    and be a regular file; anything else the engine lists (a theme package's assets, wherever its virtual
    environment lives, even inside the repository) is the engine's own.
    """
    if not abs_path:
        return True
    path = os.path.abspath(abs_path)
    bases = {os.path.abspath(root), os.path.realpath(root)}
    if not any(within(path, os.path.join(base, name)) for base in bases for name in PUBLISHED):
        return True
    real = os.path.realpath(abs_path)
    try:
        return in_course(real, os.path.realpath(root)) and stat.S_ISREG(os.stat(real).st_mode)
    except OSError:
        return False


def kind(mode: int) -> str:
    """What a non-regular file is, in an author's words."""
    return next((name for test, name in _KINDS if test(mode)), "special file")


def _special(what: str) -> Refused:
    return Refused("file.special", f"is a {what}, not a regular file; reading it could block or never end, and "
                                   "nothing but plain files may be published. Replace it with an ordinary file")


def _outside(path: str, real: str) -> Refused:
    how = "is a symbolic link to" if os.path.islink(path) else "lies in a linked folder and leads to"
    return Refused("file.outside-course",
                   f"{how} {real}, outside the course's content/, modules/ and theme/ folders; nothing else may be "
                   "read or published. Copy what you need into the course instead of linking to it")


def _dangling(path: str) -> Refused:
    return Refused("file.unreadable", f"cannot be read: it is a symbolic link to {os.readlink(path)}, which does "
                                      "not exist; fix the link or replace it with the file")


def _resolve(path: str, dirs: dict | None) -> tuple[str, os.stat_result | None]:
    """The resolved path, and its lstat when that already shows it is no link (saving a second system call).

    ``os.path.realpath`` costs a system call per path component; with ``dirs`` (a cache for one load of
    the course, folder -> resolved folder) each folder is resolved once and each file costs one lstat.
    """
    head, name = os.path.split(path)
    if dirs is None or name in ("", ".", ".."):
        return os.path.realpath(path), None
    if head not in dirs:
        dirs[head] = os.path.realpath(head)
    full = os.path.join(dirs[head], name)
    try:
        st = os.lstat(full)
    except OSError:
        return os.path.realpath(path), None
    return (os.path.realpath(full), None) if stat.S_ISLNK(st.st_mode) else (full, st)


def read_bounded(path: Path | str, root: Path | str | None, limit: int, dirs: dict | None = None) -> bytes:
    """The bytes of a regular file in the course at ``root`` (when given), at most ``limit``; else ``Refused``.

    In the course means in its ``content/``, ``modules/`` or ``theme/`` folder, after resolving links.

    ``dirs``, when given, caches resolved folders for one load of the course (see ``_resolve``). Never opens
    a pipe, device or socket (they are refused by their type first; the open is non-blocking
    and checked again on the descriptor in case the file was swapped meanwhile), and reads at most
    ``limit + 1`` bytes, so a file that grows while it is read is refused by what was read, not by its size.
    """
    path = os.fspath(path)
    real, st = _resolve(path, dirs)
    if root is not None:
        root = os.fspath(root)
        if dirs is None:
            root = os.path.realpath(root)
        else:
            if ("root", root) not in dirs:
                dirs[("root", root)] = os.path.realpath(root)
            root = dirs[("root", root)]
        if not in_course(real, root):
            raise _outside(path, real)
    try:
        st = st or os.stat(real)
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
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise _special(kind(st.st_mode))
        # Ask for the size the file claims (plus one, to see its end), then keep going while it has more:
        # a file that grows, or claims 0 bytes like those in /proc, is still cut off after limit + 1 bytes.
        chunks, total = [], 0
        while total <= limit:
            chunk = os.read(fd, min(max(st.st_size + 1 - total, 65536), limit + 1 - total))
            if not chunk:
                break
            chunks.append(chunk)
            total += len(chunk)
    finally:
        os.close(fd)
    data = chunks[0] if len(chunks) == 1 else b"".join(chunks)
    if len(data) > limit:
        raise _too_large(f"grew past {limit / 1048576:.1f} MB while it was read", limit)
    return data


def _too_large(what: str, limit: int) -> Refused:
    return Refused("file.too-large",
                   f"{what}; course files must be under {limit // 1048576} MB (is this the right file?)")


def scan_published(root: Path, problems) -> set[str]:
    """Report every link out of the course and every special file in what the build reads and publishes.

    Walks ``content/``, ``modules/`` and ``theme/`` (and looks at ``mkdocs.yml``) with ``os.scandir``, reading
    no file. Returns the paths it reported (as ``os.path.join`` strings, unresolved), so the loader skips them
    instead of reporting them a second time.
    """
    root_real = os.path.realpath(root)
    flagged: set[str] = set()
    seen: set[str] = set()  # resolved folders already walked: a link back up must not loop

    def visit(path: str, real: str, is_link: bool, mode: int | None) -> str | None:
        """Report ``path`` if it must not be used; return its resolved path when it is a folder to walk.

        ``real`` is the resolved path when ``path`` is no link (its resolved folder joined with its name).
        """
        refusal = None
        if is_link:
            real = os.path.realpath(path)
            if not in_course(real, root_real):
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
        return real if mode is not None and stat.S_ISDIR(mode) else None

    for name in (*PUBLISHED, CONFIG):
        top = os.path.join(root, name)
        try:
            st = os.lstat(top)
        except OSError:
            continue  # a missing folder is the loader's file.missing
        link = stat.S_ISLNK(st.st_mode)
        real = visit(top, os.path.join(root_real, name), link, None if link else st.st_mode)
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
                    # The entry's type comes with the listing; only an odd one (pipe, device) costs a stat.
                    mode = (None if link else stat.S_IFDIR if entry.is_dir(follow_symlinks=False)
                            else stat.S_IFREG if entry.is_file(follow_symlinks=False)
                            else entry.stat(follow_symlinks=False).st_mode)
                except OSError:
                    continue
                sub = visit(entry.path, os.path.join(real, entry.name), link, mode)
                if sub is not None:
                    stack.append((entry.path, sub))
    return flagged
