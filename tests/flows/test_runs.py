"""Records of flow runs (flows/runs.py): a run's record while it runs, and the flow runs of killed
builds closed by the next — only those whose process is gone."""

from __future__ import annotations

import json
import os
import socket
import subprocess
from pathlib import Path

import psutil
import pytest

from flows import runs
from flows.runs import RunRecord


def _record(folder: Path, flow_run: str, *, pid: int, host: str | None = None, started: float | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    if started is None:
        started = psutil.Process(pid).create_time() if psutil.pid_exists(pid) else 1.0
    path = folder / f"{flow_run}.json"
    path.write_text(json.dumps({"flow_run": flow_run, "host": host or socket.gethostname(), "pid": pid,
                                "started": started}), encoding="utf-8")
    return path


@pytest.fixture
def crashed(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The flow runs marked Crashed (the server is not asked)."""
    marked: list[str] = []

    def crash(flow_run: str) -> bool:
        marked.append(flow_run)
        return True

    monkeypatch.setattr(runs, "_crash", crash)
    return marked


def test_only_runs_whose_process_is_gone_are_closed(tmp_path: Path, crashed: list[str]) -> None:
    gone = subprocess.Popen(["true"])
    started = psutil.Process(gone.pid).create_time()
    gone.wait()
    folder = tmp_path / runs.RUNS
    killed = _record(folder, "killed", pid=gone.pid, started=started)
    waiting = _record(folder, "waiting", pid=os.getpid())  # alive: perhaps waiting for the lock
    reused = _record(folder, "reused", pid=os.getpid(), started=1.0)  # its pid now another process's
    elsewhere = _record(folder, "elsewhere", pid=gone.pid, host="another-host")  # nobody here can tell
    assert runs.close_killed(tmp_path) == ["killed", "reused"] == sorted(crashed)
    assert not killed.exists() and not reused.exists() and waiting.exists() and elsewhere.exists()


def test_a_run_unknown_to_this_server_keeps_its_record(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(runs, "_crash", lambda flow_run: None)  # another server's run
    gone = subprocess.Popen(["true"])
    gone.wait()
    record = _record(tmp_path / runs.RUNS, "other", pid=gone.pid, started=1.0)
    assert runs.close_killed(tmp_path) == [] and record.exists()
    old = 40 * 86400
    os.utime(record, (record.stat().st_atime - old, record.stat().st_mtime - old))
    runs.close_killed(tmp_path)
    assert not record.exists()  # given up after KEEP_UNKNOWN_DAYS


def test_a_record_lives_as_long_as_its_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, crashed: list[str]) -> None:
    me = psutil.Process(os.getpid())
    monkeypatch.setattr(runs, "_current", lambda: RunRecord("current", socket.gethostname(), me.pid, me.create_time()))
    with runs.recorded(tmp_path):
        record = json.loads((tmp_path / runs.RUNS / "current.json").read_text(encoding="utf-8"))
        assert record == {"flow_run": "current", "host": socket.gethostname(), "pid": me.pid,
                          "started": me.create_time()}
    assert not (tmp_path / runs.RUNS).exists() and crashed == []
