"""Run one piece of work in a forked child, beside the parent's own, and collect its result.

`patientvoice check` spends half its time on rules after loading; the heaviest family (de-identification)
can run on the machine's second core while the parent runs the others. A forked child starts with the
loaded course already in memory, so nothing is copied in; only the result (a list of problems) is pickled
back through a pipe. Forking is used only where it is safe: a POSIX system, more than one core and a
single-threaded process (a fork while another thread holds a lock can deadlock the child). Anything that
goes wrong in the child makes ``result`` return None, and the caller does the work itself.

Written here rather than with multiprocessing: its fork context starts a resource tracker and pickles the
target function, and this needs neither.
"""

from __future__ import annotations

import os
import pickle
import signal
import threading
from typing import Callable


def can_fork() -> bool:
    """Whether a child can do work beside this process: fork exists, two cores, one thread."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1


class Forked:
    """``work()`` running in a child process; ``result()`` waits for what it returned."""

    def __init__(self, work: Callable[[], object]):
        self._read, write = os.pipe()
        self._pid = os.fork()
        if self._pid == 0:  # the child: do the work, send it, leave without running the parent's exit code
            os.close(self._read)
            try:
                data = pickle.dumps(("ok", work()))
            except BaseException as exc:  # noqa: BLE001 - reported to the parent, which does the work itself
                data = pickle.dumps(("error", f"{type(exc).__name__}: {exc}"))
            try:
                with os.fdopen(write, "wb") as out:
                    out.write(data)
            finally:
                os._exit(0)
        os.close(write)

    def result(self):
        """What the work returned, or None when the child failed or was killed."""
        try:
            with os.fdopen(self._read, "rb") as pipe:
                data = pipe.read()
        finally:
            os.waitpid(self._pid, 0)
        try:
            status, value = pickle.loads(data)
        except Exception:  # noqa: BLE001 - an empty or cut pipe: the child died
            return None
        return value if status == "ok" else None

    def cancel(self) -> None:
        """Stop the child and reap it (the parent failed before asking for the result): no zombie, no open pipe."""
        for step in (lambda: os.kill(self._pid, signal.SIGKILL), lambda: os.waitpid(self._pid, 0),
                     lambda: os.close(self._read)):
            try:
                step()
            except OSError:  # already gone, reaped or closed (result() was under way)
                pass
