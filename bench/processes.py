"""The processes a bench script starts: a Prefect server of its own, a worker or serve in the
background, a command that must succeed — each in a temporary folder, never the caller's Prefect.

Shared by bench/build.py and bench/regenerate.py (run as scripts: this folder is on sys.path).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from flows.tempserver import free_port, healthy  # noqa: E402

BIN = Path(sys.executable).parent
START_WITHIN = 120  # seconds for a server, worker or serve to come up on a loaded 2-core machine


@contextmanager
def server(home: Path) -> Iterator[dict[str, str]]:
    """A Prefect server on a free loopback port, with its own PREFECT_HOME; yields the environment
    a client of it runs with."""
    port = free_port()
    env = {**clean_env(), "PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false"}
    url = f"http://127.0.0.1:{port}/api"
    home.mkdir(parents=True)
    command = [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port),
               "--analytics-off"]
    with background(command, env, home, ready=None):
        deadline = time.monotonic() + START_WITHIN
        while not healthy(url):
            if time.monotonic() > deadline:
                raise RuntimeError("the Prefect server did not start")
            time.sleep(0.3)
        yield {**env, "PREFECT_API_URL": url}


@contextmanager
def background(command: list[str], env: dict[str, str], cwd: Path, ready: str | None) -> Iterator[None]:
    """`command` running until the block ends (its log in cwd/process.log); waits for `ready` in
    the log first. Stopped with Ctrl-C, then its whole process group killed."""
    cwd.mkdir(parents=True, exist_ok=True)
    log_path = cwd / "process.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + START_WITHIN
            while ready and ready not in log_path.read_text(encoding="utf-8"):
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(log_path.read_text(encoding="utf-8"))
                time.sleep(0.2)
            yield
        finally:
            for sig in (signal.SIGINT, signal.SIGKILL):
                try:
                    os.killpg(proc.pid, sig)
                    proc.wait(timeout=20)
                except (ProcessLookupError, subprocess.TimeoutExpired):
                    pass


def check(command: list[str], env: dict[str, str]) -> None:
    """Run `command` in the checkout; its output is the error if it fails."""
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)


def clean_env() -> dict[str, str]:
    """This environment without Prefect settings of the caller's shell."""
    return {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_")}
