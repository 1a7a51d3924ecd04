"""`patientvoice serve --incremental`: a live-reloading preview that rebuilds only what an edit touched.

The course is rebuilt by engines/incremental.Rebuilder into build/.serve/ and served by mkdocs' live-reload
server, which watches content/, modules/, theme/ and mkdocs.yml, calls the rebuild on a change and reloads
the browser. Problems are printed, not enforced: a preview is not a publication. The full check runs as its own
`patientvoice check` process after each rebuild, so the page reloads without waiting for it (the machine's other
core does the checking); a newer edit stops a check still running for an older one.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from patientvoice.engines import EngineError
from patientvoice.engines.incremental import WATCHED, Rebuilder


def serve(root: Path, dev_addr: str, engine: str = "mkdocs", engine_bin: str | None = None) -> None:
    """Serve the course at ``dev_addr`` (HOST:PORT) until interrupted, rebuilding on every change."""
    from mkdocs.livereload import LiveReloadServer

    root = Path(root).resolve()
    _stop_on_terminate()
    if engine == "zensical":
        return _serve_zensical(root, dev_addr, engine_bin)
    rebuilder = Rebuilder(root, root / "build" / ".serve", engine, engine_bin)
    checker = Checker(root)

    def build() -> None:
        try:
            done = rebuilder.rebuild()
        except EngineError as e:
            print(f"patientvoice: {e}", file=sys.stderr)
            return
        what = "every page" if done.full else f"{len(done.written)} changed file(s)"
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in done.stages.items())
        print(f"patientvoice: rebuilt {what} in {done.seconds:.2f} s ({stages})", file=sys.stderr, flush=True)
        if done.checked:
            checker.start()

    build()
    host, _, port = dev_addr.rpartition(":")
    server = LiveReloadServer(builder=build, host=host or "127.0.0.1", port=int(port), root=str(rebuilder.site))
    if not os.environ.get("PATIENTVOICE_SERVE_POLL"):
        # mkdocs polls every file twice a second: a quarter second of every reload on average, and at 2,000
        # files a steady load. The system's file events (inotify on Linux) report a save at once; a file
        # system without them (some network and container mounts) needs PATIENTVOICE_SERVE_POLL=1.
        server.observer = _edits_observer()
    for top in WATCHED:
        if (root / top).is_dir():
            server.watch(str(root / top))
    server.watch(str(root / "mkdocs.yml"), recursive=False)
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        checker.stop()


def _stop_on_terminate() -> None:
    """Let SIGTERM end the preview as Ctrl-C does, so the engine and check processes it started stop with it."""
    import signal
    import threading

    def stop(signum, frame):
        raise KeyboardInterrupt

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, stop)


def _serve_zensical(root: Path, dev_addr: str, engine_bin: str | None) -> None:
    """Zensical serves and reloads the materialised tree itself, with its own incremental build; patientvoice
    keeps the tree current: on each save it rewrites only the pages the edit touched (and the config when the
    navigation changed), which is what Zensical then rebuilds."""
    import threading

    from patientvoice.engines.external import EXTERNAL

    rebuilder = Rebuilder(root, root / "build" / ".serve", "zensical", engine_bin)
    checker = Checker(root)
    exe = EXTERNAL["zensical"].find(engine_bin)
    saved = threading.Event()

    def update() -> None:
        done = rebuilder.rebuild(run_engine=False)
        print(f"patientvoice: updated {len(done.written)} file(s) of the tree in {done.seconds:.2f} s; Zensical "
              "rebuilds them", file=sys.stderr, flush=True)
        if done.checked:
            checker.start()

    class OnSave:  # a watchdog handler: any change wakes the loop below
        def dispatch(self, event):
            if not event.is_directory:
                saved.set()

    update()
    engine = subprocess.Popen([exe, "serve", "-f", str(rebuilder.config_file), "-a", dev_addr], cwd=rebuilder.work,
                              stdin=subprocess.DEVNULL)
    observer = _edits_observer()
    for top in WATCHED:
        if (root / top).is_dir():
            observer.schedule(OnSave(), str(root / top), recursive=True)
    observer.schedule(OnSave(), str(root), recursive=False)  # mkdocs.yml
    observer.start()
    try:
        while engine.poll() is None:
            if saved.wait(0.5):
                time.sleep(0.1)  # let a save that writes in several steps finish
                saved.clear()
                try:
                    update()
                except EngineError as e:
                    print(f"patientvoice: {e}", file=sys.stderr)
    except KeyboardInterrupt:
        pass
    finally:
        observer.stop()
        engine.terminate()
        try:
            engine.wait(10)
        except subprocess.TimeoutExpired:
            engine.kill()
        checker.stop()


def _edits_observer():
    """The system's file-event observer, reporting changes only. Reading a file is an event too (opened,
    closed without writing), and every rebuild and every check reads the whole course: those must not set off
    the next rebuild."""
    from watchdog import events
    from watchdog.observers import Observer

    changes = [events.FileCreatedEvent, events.FileDeletedEvent, events.FileModifiedEvent, events.FileMovedEvent,
               events.FileClosedEvent, events.DirCreatedEvent, events.DirDeletedEvent, events.DirMovedEvent]

    class EditsObserver(Observer):
        def schedule(self, event_handler, path, *, recursive=False, **options):
            try:
                return super().schedule(event_handler, path, recursive=recursive, event_filter=changes)
            except TypeError:  # watchdog before 4.0 has no event filter (nor read events to filter)
                return super().schedule(event_handler, path, recursive=recursive)

    return EditsObserver()


class Checker:
    """One `patientvoice check` of the course at a time, its findings printed as it prints them."""

    def __init__(self, root: Path):
        self.root = root
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        """Check the course as it is now, stopping a check of an older state first."""
        self.stop()
        print("patientvoice: checking the course (findings follow; the preview shows the pages meanwhile)",
              file=sys.stderr, flush=True)
        # stdout to the terminal's stderr, beside the rebuild lines; the exit status is the findings' business.
        # Its own process group: the check forks a child for half its rules (patientvoice/forked.py), and
        # stopping the check must stop that child too, not leave it computing for a state of the course now gone.
        self.process = subprocess.Popen([sys.executable, "-m", "patientvoice.cli", "check", "--root", str(self.root)],
                                        stdout=sys.stderr, stdin=subprocess.DEVNULL, start_new_session=True)

    def stop(self) -> None:
        """Stop the running check, if any."""
        if self.process is not None and self.process.poll() is None:
            self._signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self._signal(getattr(signal, "SIGKILL", signal.SIGTERM))
                self.process.wait()
        self.process = None

    def _signal(self, number: int) -> None:
        """Send ``number`` to the check and its forked child (the process group it leads), or to the check alone."""
        try:
            if hasattr(os, "killpg"):
                os.killpg(self.process.pid, number)
            else:
                self.process.send_signal(number)
        except ProcessLookupError:
            pass
