"""`patientvoice serve --incremental`: a live-reloading preview that rebuilds only what an edit touched.

The course is rebuilt by engines/incremental.Rebuilder into build/.serve/ and served by mkdocs' live-reload
server, which watches content/, modules/, theme/ and mkdocs.yml, calls the rebuild on a change and reloads
the browser. Problems are printed, not enforced: a preview is not a publication.
"""

from __future__ import annotations

import sys
from pathlib import Path

from patientvoice.engines import EngineError
from patientvoice.engines.incremental import WATCHED, Rebuilder


def serve(root: Path, dev_addr: str, engine: str = "mkdocs", engine_bin: str | None = None) -> None:
    """Serve the course at ``dev_addr`` (HOST:PORT) until interrupted, rebuilding on every change."""
    from mkdocs.livereload import LiveReloadServer

    root = Path(root).resolve()
    rebuilder = Rebuilder(root, root / "build" / ".serve", engine, engine_bin)

    def build() -> None:
        try:
            done = rebuilder.rebuild()
        except EngineError as e:
            print(f"patientvoice: {e}", file=sys.stderr)
            return
        if done.checked:
            for p in done.problems:
                print(f"patientvoice: {p.format()}", file=sys.stderr)
        what = "every page" if done.full else f"{len(done.written)} changed file(s)"
        stages = ", ".join(f"{k} {v:.2f} s" for k, v in done.stages.items())
        print(f"patientvoice: rebuilt {what} in {done.seconds:.2f} s ({stages})", file=sys.stderr, flush=True)

    build()
    host, _, port = dev_addr.rpartition(":")
    server = LiveReloadServer(builder=build, host=host or "127.0.0.1", port=int(port), root=str(rebuilder.site))
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
