"""A throwaway PostgreSQL cluster for tests: initdb in a temp dir, pg_ctl on a free loopback port, removed after.

Root cannot run the server, so as root every step runs as the ``postgres`` user (the Debian package creates
it) in a directory that user owns.
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
import uuid
from contextlib import contextmanager
from urllib.parse import urlsplit

import pytest

from sitekit import free_port


def _bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    if not found:
        pytest.fail("PostgreSQL is not installed: apt-get install postgresql (scripts/test does this)")
    return found[-1]


# port -> (command prefix, data directory, log file, server options), so a test can restart its cluster
_CLUSTERS: dict[int, tuple[list[str], str, str, str]] = {}


def restart_postgres(url: str, mode: str = "fast") -> None:
    """Restart the test cluster that serves ``url`` (any database in it), as an administrator would.

    ``fast`` ends every client connection and checkpoints; ``immediate`` is a crash and a recovery. Returns
    once the server accepts connections again.
    """
    run_as, data, log, opts = _CLUSTERS[urlsplit(url).port]
    subprocess.run(run_as + [_bin("pg_ctl"), "-D", data, "-l", log, "-o", opts, "-m", mode, "-w", "-t", "30",
                             "restart"], check=True, capture_output=True)


@contextmanager
def stopped_postgres(url: str):
    """Stop the test cluster that serves ``url`` for the body of the ``with``, then start it again."""
    run_as, data, log, opts = _CLUSTERS[urlsplit(url).port]
    subprocess.run(run_as + [_bin("pg_ctl"), "-D", data, "-m", "fast", "-w", "stop"], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run(run_as + [_bin("pg_ctl"), "-D", data, "-l", log, "-o", opts, "-w", "-t", "30", "start"],
                       check=True, capture_output=True)


@contextmanager
def postgres_cluster():
    """Yield the URL of the ``postgres`` database of a new cluster; stop it and delete its files afterwards."""
    as_root = os.geteuid() == 0
    run_as = ["runuser", "-u", "postgres", "--"] if as_root else []
    base = tempfile.mkdtemp(prefix="pv-pg-")
    data, sockdir = os.path.join(base, "data"), os.path.join(base, "sock")
    os.mkdir(sockdir)
    if as_root:
        shutil.chown(base, "postgres")
        shutil.chown(sockdir, "postgres")
        os.chmod(base, 0o700)
    log = os.path.join(base, "server.log")
    started = False
    try:
        subprocess.run(run_as + [_bin("initdb"), "-D", data, "-U", "postgres", "-A", "trust", "-E", "UTF8",
                                 "--no-sync", "--locale=C"], check=True, capture_output=True)
        for attempt in range(3):  # another worker may take the free port between our check and the server's bind
            port = free_port()
            # fsync off: a test cluster need not survive a power cut, and it makes commits fast
            opts = f"-c listen_addresses=127.0.0.1 -p {port} -k {sockdir} -c fsync=off -c full_page_writes=off"
            started = True
            done = subprocess.run(run_as + [_bin("pg_ctl"), "-D", data, "-l", log, "-o", opts, "-w", "-t", "30",
                                            "start"], capture_output=True)
            if done.returncode == 0:
                _CLUSTERS[port] = (run_as, data, log, opts)
                break
            if attempt == 2:
                raise subprocess.CalledProcessError(done.returncode, done.args, done.stdout, done.stderr)
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    except subprocess.CalledProcessError as exc:
        detail = (exc.stderr or b"").decode(errors="replace")
        if os.path.exists(log):
            detail += open(log, errors="replace").read()[-2000:]
        pytest.fail(f"could not start PostgreSQL: {detail}")
    finally:
        if started:
            _CLUSTERS.pop(port, None)
            subprocess.run(run_as + [_bin("pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"],
                           capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server():
    """One cluster per test worker (pytest-xdist runs several), started on first use."""
    with postgres_cluster() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_server):
    """A fresh, empty database in the worker's cluster for one test."""
    import psycopg

    name = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    yield postgres_server.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_server, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
