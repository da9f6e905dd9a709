"""The editors' workflow for real: server, serve process, `prefect deployment run --watch`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.flows.conftest import BIN, stop
from transform.export import load_report

pytestmark = pytest.mark.prefect_server
DEPLOYMENT = "build-casebook/casebook"


@pytest.fixture(scope="module")
def served(prefect_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`python -m flows.serve` running against the server until the module ends."""
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, **prefect_server, "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    with log_path.open("w") as log:
        proc = subprocess.Popen(
            [str(BIN / "python"), "-m", "flows.serve"], env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while "build-casebook/casebook" not in log_path.read_text(encoding="utf-8"):
                assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text(encoding="utf-8")
                time.sleep(0.5)
            yield env
        finally:
            stop(proc)


def _run(env: dict[str, str], output: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "prefect"), "deployment", "run", DEPLOYMENT, "--watch", "--watch-timeout", "240",
         "-p", f"output_dir={output}"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )


def _flow_run_id(stdout: str) -> str:
    for line in stdout.splitlines():
        if "UUID:" in line:
            return line.split("UUID:")[1].strip()
    raise AssertionError(stdout)


async def _task_states(flow_run_id: str) -> dict[str, str]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async with get_client() as client:
        runs = await client.read_task_runs(
            flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        )
    return {run.name.rsplit("-", 1)[0]: run.state.name for run in runs if run.state}


async def _artifact_keys() -> set[str]:
    from prefect.client.orchestration import get_client

    async with get_client() as client:
        return {a.key for a in await client.read_artifacts() if a.key}


def test_deployment_run_publishes_and_second_run_is_cached(served: dict[str, str], tmp_path: Path) -> None:
    first = _run(served, tmp_path / "out")
    assert first.returncode == 0, first.stdout + first.stderr
    assert "Completed" in first.stdout
    latest = tmp_path / "out" / "latest"
    assert len(load_report(latest).cases) == 29
    assert (latest / "casebook.docx").is_file() and (latest / "html" / "index.html").is_file()

    second = _run(served, tmp_path / "out")
    assert second.returncode == 0, second.stdout + second.stderr
    os.environ["PREFECT_API_URL"] = served["PREFECT_API_URL"]
    try:
        states = asyncio.run(_task_states(_flow_run_id(second.stdout)))
        keys = asyncio.run(_artifact_keys())
    finally:
        del os.environ["PREFECT_API_URL"]
    assert states["extract"] == "Cached"
    assert states["render"] == "Completed" and states["publish_build"] == "Completed"
    assert {"validation-checks", "build-summary", "casebook-docx", "casebook-html", "change-report"} <= keys
    assert len(list((tmp_path / "out" / "builds").iterdir())) == 2
