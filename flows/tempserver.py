"""The temporary Prefect server of `casebook build` when no server is configured.

Prefect would start one itself (prefect.server.api.server.SubprocessASGIServer: `python -m uvicorn
--factory prefect.server.api.server:create_app` on a free port), but only when the flow first
calls the API — after this process has imported Prefect, one after the other — and it imports the
whole server stack into this process as well. Its process is a plain child: a `kill -9` of
`casebook build` leaves it running, reparented to init.

This module starts the same command at the beginning of `casebook build`, so the server starts
while the CLI imports the flow, and asks the kernel to stop it when its parent dies, however it
dies (prctl PR_SET_PDEATHSIG). The run is pointed at it with PREFECT_API_URL; it is stopped at
exit, after Prefect has flushed its logs and events to it.

It listens on loopback only, has no work pool, worker or deployment (nothing can be started
through it) and lives as long as the run; still, it gets a fresh random auth string of its own,
which the run is given with PREFECT_API_AUTH_STRING: another user of the same machine cannot read
the run's logs at its port, and a PREFECT_SERVER_API_AUTH_STRING in the shell or in a `.env` here
(the team server's, README "A team setup") cannot lock the run out of its own server.

A new PREFECT_HOME (a new project, a fresh checkout) has no database yet, and creating one — a
hundred-odd migrations — is most of a first run. The first server that creates one on this
machine leaves an empty copy of it, made before any run (`keep_template`), in the user's cache
(~/.cache/casebook/prefect-<version>-empty.db); a later new PREFECT_HOME starts from a copy of it
(`seed_database`), which Prefect then checks and migrates as it always does. Only Prefect's own
SQLite database in PREFECT_HOME is seeded: one configured elsewhere is left alone.
"""

from __future__ import annotations

import atexit
import contextlib
import ctypes
import importlib.metadata
import importlib.util
import os
import secrets
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
import uuid
from dataclasses import dataclass
from pathlib import Path

from casebook.errors import ServerStartError

PR_SET_PDEATHSIG = 1
PORT_IN_USE = 3  # uvicorn's exit code when the port was taken in the meantime (Prefect retries too)


@dataclass
class TemporaryServer:
    """A running temporary server: its process, API URL and auth string."""

    process: subprocess.Popen[bytes]
    port: int
    auth_string: str

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait_ready(self, timeout: float) -> TemporaryServer:
        """Block until the API answers; restart on another port if this one was taken."""
        deadline = time.monotonic() + timeout
        server = self
        while not healthy(server.api_url):
            code = server.process.poll()
            if code == PORT_IN_USE:
                server = start()
            elif code is not None or time.monotonic() > deadline:
                server.stop()
                raise ServerStartError(
                    f"the temporary Prefect server did not start within {timeout:g} s (exit code {code}) — "
                    "run again, or start a server and set PREFECT_API_URL (README, 'With a Prefect server')"
                )
            time.sleep(0.1)
        return server

    def stop(self) -> None:
        """Terminate it (SIGTERM: uvicorn shuts down cleanly), then SIGKILL after 5 s."""
        if self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start() -> TemporaryServer:
    """Start the server in the background (it needs a few seconds; see `wait_ready`)."""
    port = free_port()
    spec = importlib.util.find_spec("prefect")  # without importing Prefect: that is the slow part
    assert spec is not None and spec.origin is not None
    command = [
        sys.executable, "-m", "uvicorn", "--app-dir", str(Path(spec.origin).parent.parent),
        "--factory", "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(port),
        "--log-level", "error", "--lifespan", "on",
    ]
    # The environment Prefect gives its own temporary server: API only, no UI, ephemeral mode.
    env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
           "PREFECT__SERVER_FINAL": "1", "PREFECT_SERVER_API_AUTH_STRING": secrets.token_urlsafe(32)}
    env.pop("PREFECT_API_URL", None)
    parent = os.getpid()
    process = subprocess.Popen(
        command, env=env, stdin=subprocess.DEVNULL,
        # Its own session: Ctrl-C reaches only the CLI, which then stops the server after the
        # run has recorded its end; the kernel's parent-death signal covers every other end.
        start_new_session=True, preexec_fn=lambda: _die_with(parent),
    )
    server = TemporaryServer(process, port, env["PREFECT_SERVER_API_AUTH_STRING"])
    atexit.register(server.stop)  # registered before Prefect's workers: runs after they flush
    return server


def _die_with(parent: int) -> None:
    """In the child, before exec: get SIGTERM when the parent dies (Linux)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def free_port() -> int:
    """A loopback port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthy(api_url: str) -> bool:
    """Whether a Prefect server answers at `api_url` (…/api)."""
    try:
        with urllib.request.urlopen(f"{api_url}/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


DATABASE = "prefect.db"  # Prefect's default database in PREFECT_HOME
DATABASE_SETTINGS = ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL")


def seed_database(home: Path) -> bool:
    """Give a PREFECT_HOME without a database a copy of the empty one kept by `keep_template`
    (see the module doc); whether it did."""
    template = template_path()
    if _database_elsewhere() or (home / DATABASE).exists() or not template.is_file():
        return False
    home.mkdir(parents=True, exist_ok=True)
    tmp = home / f".{DATABASE}-{uuid.uuid4().hex}"
    try:
        shutil.copyfile(template, tmp)
        os.replace(tmp, home / DATABASE)  # a database appears whole, or not at all
    except OSError:
        with contextlib.suppress(OSError):
            tmp.unlink()
        return False
    return True


def keep_template(home: Path) -> None:
    """Keep an empty copy of the database a server just created in `home` (migrated, blocks
    registered, no run yet), unless one is kept already. A copy of a database in use, made by
    SQLite's backup; never an error for the run."""
    template = template_path()
    if _database_elsewhere() or template.exists() or not (home / DATABASE).is_file():
        return
    tmp = template.with_name(f".{template.name}-{uuid.uuid4().hex}")
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        with contextlib.closing(sqlite3.connect(home / DATABASE)) as source, \
                contextlib.closing(sqlite3.connect(tmp)) as copy:
            source.backup(copy)
        os.replace(tmp, template)
    except (OSError, sqlite3.Error):
        with contextlib.suppress(OSError):
            tmp.unlink()


def template_path() -> Path:
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return cache / "casebook" / f"prefect-{importlib.metadata.version('prefect')}-empty.db"


def _database_elsewhere() -> bool:
    return any(os.environ.get(name) for name in DATABASE_SETTINGS)
