"""Writing an export or audit file given with ``--out``: whole or not at all, and a clear message when it cannot.

An LMS, PARS or an ACCME reviewer must never get half a file, so the bytes go to a hidden temporary file next to
``--out`` and are renamed over it only once complete. Whatever stops the write (a full disk, an ``--out`` under a
file or in a folder that cannot be written, Ctrl-C) removes that temporary file and leaves ``--out`` as it was.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import BinaryIO, Callable


class OutputError(Exception):
    """``--out`` could not be written; the message names the file, why, and what to do."""


def write_whole(out: Path, data: bytes | Callable[[BinaryIO], None]) -> None:
    """Write ``data`` (bytes, or a function that writes to an open binary file) to ``out`` atomically.

    Creates missing parent folders. Raises OutputError, never OSError, and leaves no temporary file behind.
    """
    out = Path(out)
    if out.exists() and not out.is_file():  # a device or pipe would be replaced by a plain file, not written to
        raise OutputError(f"cannot write {out}: it is not a regular file; give --out a file path such as "
                          f"{out.name or 'export'}.out in a folder you can write to")
    for folder in (out.parent, *out.parent.parents):
        if folder.exists():
            if not folder.is_dir():
                raise OutputError(f"cannot write {out}: {folder} is a file, not a folder; give --out a path in a "
                                  "folder you can write to")
            break
    tmp = out.with_name(f".{out.name}.{os.getpid()}.part")  # per process: two runs never share one
    done = False
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        with open(tmp, "wb") as f:
            data(f) if callable(data) else f.write(data)
        os.replace(tmp, out)
        done = True
    except OSError as exc:
        raise OutputError(f"cannot write {out}: {exc.strerror or exc}; --out must be a file in a folder you can "
                          "write to") from None
    finally:
        if not done:  # also on Ctrl-C: no half-written file is left next to --out
            with contextlib.suppress(OSError):
                tmp.unlink()
