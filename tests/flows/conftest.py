"""A real Prefect server on loopback for the flow tests (one per session), with its own home and,
as the README's team setup runs it, an auth string: every client below has to present it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from flows.teamenv import new_auth_string
from flows.tempserver import free_port, healthy

BIN = Path(sys.executable).parent


@pytest.fixture(scope="session")
def prefect_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """Environment variables pointing at a running server (PREFECT_API_URL, PREFECT_HOME) with its
    auth string (PREFECT_API_AUTH_STRING)."""
    home = tmp_path_factory.mktemp("prefect-home")
    port = free_port()
    auth = new_auth_string()
    env = {
        **os.environ,
        "PREFECT_HOME": str(home),
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_API_URL": f"http://127.0.0.1:{port}/api",
        "PREFECT_API_AUTH_STRING": auth,
    }
    log = (home / "server.log").open("w")
    server = subprocess.Popen(
        [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port), "--analytics-off"],
        env={**{k: v for k, v in env.items() if k != "PREFECT_API_URL"}, "PREFECT_SERVER_API_AUTH_STRING": auth},
        stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 90
        while not healthy(env["PREFECT_API_URL"]):
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prefect server did not start: {(home / 'server.log').read_text()[-2000:]}")
            time.sleep(0.5)
        yield {k: env[k] for k in ("PREFECT_HOME", "PREFECT_API_URL", "PREFECT_API_AUTH_STRING",
                                   "PREFECT_SERVER_ANALYTICS_ENABLED")}
    finally:
        stop(server)
        log.close()


def stop(process: subprocess.Popen, *, first: signal.Signals = signal.SIGTERM) -> None:
    """Stop a process started with start_new_session=True and everything it started."""
    for sig in (first, signal.SIGKILL):
        try:
            os.killpg(process.pid, sig)  # the whole group: children outlive a leader that exits first
        except ProcessLookupError:
            break
        try:
            process.wait(timeout=15)
            if sig != signal.SIGKILL:
                time.sleep(0.5)  # let children finish on their own before the group gets SIGKILL
        except subprocess.TimeoutExpired:
            continue
    process.wait()


@contextmanager
def client(env: dict[str, str]) -> Iterator[None]:
    """Prefect's client in this process pointed at the server of `env`, with its auth string."""
    from prefect.settings import PREFECT_API_AUTH_STRING, PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: env["PREFECT_API_URL"],
                                     PREFECT_API_AUTH_STRING: env.get("PREFECT_API_AUTH_STRING")}):
        yield


def casebook(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the casebook console script as a user would."""
    return subprocess.run(
        [str(BIN / "casebook"), *args], env={**os.environ, "PREFECT_LOGGING_LEVEL": "INFO", **env},
        capture_output=True, text=True, timeout=timeout, check=False,
    )


def copy_tree(src: Path, dst: Path) -> Path:
    """A copy of an output folder (`latest` stays a relative link into the copy)."""
    shutil.copytree(src, dst, symlinks=True)
    return dst


# A revised printing of the shipped report: on page 13 (事例1, step ④) the first two glyphs of
# 「経営状況等により…」 are swapped in the content stream (one-byte glyph codes of LibreOffice's
# subset font). Everything else, validation included, stays the same.
REVISED = {"case": 1, "step": 4, "old": "・経営状況等により", "new": "・営経状況等により"}


def revised_source(source: Path, out: Path, *, tail: bytes = b"") -> Path:
    """Write the revised printing to `out` (plus `tail` after %%EOF, to change only the hash)."""
    import pypdf

    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(source))
    stream = writer.pages[12]["/Contents"].get_object()
    data = stream.get_data()
    assert data.count(b"<5D5EEBEC757677AF>") == 1, "the shipped PDF changed: pick another glyph run"
    stream.set_data(data.replace(b"<5D5EEBEC757677AF>", b"<5E5DEBEC757677AF>"))
    writer.write(out)
    if tail:
        with out.open("ab") as fh:
            fh.write(tail)
    return out
