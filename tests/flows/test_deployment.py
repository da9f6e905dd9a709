"""The editors' workflow for real: a Prefect server on loopback (with an auth string), the deployment
from prefect.yaml on a process work pool with a worker — and the serve entry point beside it —
driven by `prefect deployment run … --watch`. The worker's project is one made by `casebook init`
(CASEBOOK_PROJECT): every path a run is given must lie inside it or a folder it allows."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from flows.cli import main
from tests.flows.conftest import BIN, client, stop
from tests.paths import PROJECT_ROOT
from transform.export import load_report

pytestmark = pytest.mark.prefect_server
DEPLOYMENT = "build-casebook/casebook"  # the worker's, from prefect.yaml
SERVED = "build-casebook/serve"  # python -m flows.serve
# The shipped errata correct the report's 7 defects and 10 typos; the shipped QA decisions close the rest.
SUMMARY = "0 open findings (要対応 0, 要確認 0, 参考 0; new 0, reopened 0), 32 decided, 17 corrected; 93 checks passed, 0 errors"


def _prefect(*args: str, env: dict[str, str], timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """The prefect CLI, run from the project root (where prefect.yaml is)."""
    return subprocess.run([str(BIN / "prefect"), *args], env=env, cwd=PROJECT_ROOT, capture_output=True,
                          text=True, timeout=timeout, check=False)


@contextmanager
def _background(command: list[str], *, env: dict[str, str], cwd: Path, ready: str) -> Iterator[None]:
    """A long-running process (worker, serve) until the block ends; waits for `ready` in its log."""
    log_path = cwd / "process.log"
    with log_path.open("w") as log:
        proc = subprocess.Popen(command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                                start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while ready not in log_path.read_text(encoding="utf-8"):
                assert proc.poll() is None and time.monotonic() < deadline, log_path.read_text(encoding="utf-8")
                time.sleep(0.2)
            yield
        finally:
            stop(proc, first=signal.SIGINT)  # Ctrl-C: a worker ignores a first SIGTERM while it polls


def _run(
    env: dict[str, str], output: Path, *params: str, deployment: str = DEPLOYMENT
) -> tuple[subprocess.CompletedProcess[str], str]:
    """`prefect deployment run --watch` as an editor types it; returns the result and the run's id."""
    result = _prefect("deployment", "run", deployment, "--watch", "--watch-timeout", "240",
                      "-p", f"output_dir={output}", *params, env=env)
    match = re.search(r"UUID: ([0-9a-f-]{36})", result.stdout)
    assert match, result.stdout + result.stderr
    return result, match.group(1)


def _api(env: dict[str, str], flow_run_id: str) -> dict[str, Any]:
    """What the server recorded for a flow run: its state, its tasks' states, its artifacts."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    async def read() -> dict[str, Any]:
        runs = FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id]))
        async with get_client() as client:
            flow_run = await client.read_flow_run(flow_run_id)
            tasks = await client.read_task_runs(flow_run_filter=runs)
            artifacts = await client.read_artifacts(flow_run_filter=runs)
            deployment = await client.read_deployment(flow_run.deployment_id)
        return {
            "state": flow_run.state,
            "tasks": {t.name.rsplit("-", 1)[0]: t.state.name for t in tasks if t.state},
            "artifacts": {a.key: a for a in artifacts},
            "deployment": deployment,
        }

    with client(env):
        return asyncio.run(read())


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The worker's project: `casebook init`, allowing one folder outside it (`shared`)."""
    base = tmp_path_factory.mktemp("team").resolve()
    assert main(["init", str(base / "project")]) == 0
    settings = base / "project" / "casebook.toml"
    text = settings.read_text(encoding="utf-8")
    settings.write_text(text.replace("allowed_paths = []", f'allowed_paths = ["{base / "shared"}"]'),
                        encoding="utf-8")
    return base / "project"


@pytest.fixture(scope="module")
def env(prefect_server: dict[str, str], project: Path) -> dict[str, str]:
    return {**os.environ, **prefect_server, "CASEBOOK_PROJECT": str(project),
            "PREFECT_WORKER_QUERY_SECONDS": "1", "PREFECT_RUNNER_POLL_FREQUENCY": "1"}


def _worker(env: dict[str, str], cwd: Path):  # not the project root: the deployment must not depend on it
    cwd.mkdir(exist_ok=True)
    return _background([str(BIN / "prefect"), "worker", "start", "--pool", "casebook-pool"], env=env, cwd=cwd,
                       ready="started!")


def _serve(env: dict[str, str], cwd: Path):
    cwd.mkdir(exist_ok=True)
    return _background([str(BIN / "python"), "-m", "flows.serve"], env=env, cwd=cwd, ready=SERVED)


def _worker_deployment(env: dict[str, str]) -> tuple[str | None, bool]:
    """The worker's deployment as the server has it: its work pool and whether it is paused."""
    from prefect.client.orchestration import get_client

    async def read() -> tuple[str | None, bool]:
        async with get_client() as api:
            deployment = await api.read_deployment_by_name(DEPLOYMENT)
        return deployment.work_pool_name, deployment.paused

    with client(env):
        return asyncio.run(read())


def _logs(env: dict[str, str], flow_run_id: str) -> str:
    result = _prefect("flow-run", "logs", flow_run_id, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.fixture(scope="module")
def deployed(env: dict[str, str]) -> None:
    created = _prefect("work-pool", "create", "casebook-pool", "--type", "process", "--overwrite", env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    deployed = _prefect("deploy", "--all", "--no-prompt", env=env)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr


def test_serve_and_worker_coexist_and_a_rerun_is_cached(
    env: dict[str, str], deployed: None, project: Path, tmp_path: Path
) -> None:
    output = project / "out-coexist"

    # serve, then the worker, then serve again: the worker's deployment stays runnable throughout
    with _serve(env, tmp_path / "serve"):
        served, served_id = _run(env, output, deployment=SERVED)
    assert served.returncode == 0, served.stdout + served.stderr
    assert _api(env, served_id)["deployment"].work_pool_name is None  # served by the runner, not the pool
    assert _worker_deployment(env) == ("casebook-pool", False)
    with _worker(env, tmp_path / "worker"):
        first, _ = _run(env, output)
        assert first.returncode == 0, first.stdout + first.stderr
        assert "Flow run finished successfully in 'Completed'" in first.stdout
    with _serve(env, tmp_path / "serve"):
        pass
    assert _worker_deployment(env) == ("casebook-pool", False)
    with _worker(env, tmp_path / "worker"):
        second, run_id = _run(env, output)
        assert second.returncode == 0, second.stdout + second.stderr

    latest = output / "latest"
    assert len(load_report(latest).cases) == 29
    assert (latest / "casebook.docx").is_file() and (latest / "html" / "index.html").is_file()
    assert len(list((output / "builds").iterdir())) == 3
    assert json.loads((latest / "changes.json").read_text(encoding="utf-8"))["summary"].startswith("前回")

    run = _api(env, run_id)
    assert (run["state"].name, run["state"].message) == ("Completed", SUMMARY)
    # one cache for every launcher: the worker reuses what the serve run computed
    assert run["tasks"] == {"extract": "Cached", "correct": "Completed", "validate": "Cached",
                            "explain-corrections": "Cached", "render": "Cached", "publish": "Completed"}
    deployment = run["deployment"]
    assert (deployment.entrypoint, deployment.pull_steps) == ("flows.build:build_casebook", [])
    assert "/" not in json.dumps(deployment.parameters).replace("sources/", "")  # no absolute path

    artifacts = run["artifacts"]
    assert set(artifacts) == {"validation-checks", "build-summary", "build-changes", "casebook-docx", "casebook-pdf",
                              "casebook-html", "validation-report", "change-report"}
    checks = json.loads(artifacts["validation-checks"].data)
    assert len(checks) == 142  # 143 less 社会福社's proofreading hit, one finding with its citation
    assert [r["重要度"] for r in checks[:7]] == ["要対応"] * 7  # the worst first, in the triage page's words
    assert SUMMARY in artifacts["build-summary"].data and "変更なし" in artifacts["build-summary"].data
    assert str(latest.resolve() / "casebook.docx") in artifacts["casebook-docx"].data
    assert str(latest.resolve() / "casebook.pdf") in artifacts["casebook-pdf"].data


def test_bad_source_fails_the_worker_run_with_one_line(
    env: dict[str, str], deployed: None, project: Path, tmp_path: Path
) -> None:
    bad = project / "sources" / "report.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    worker_dir = tmp_path / "worker"
    with _worker(env, worker_dir):
        result, run_id = _run(env, project / "out-bad", "-p", "source=sources/report.pdf")
    assert result.returncode == 1, result.stdout + result.stderr
    message = f"extract: {bad}: not a PDF (no %PDF- header) — pass the report's PDF file, not another format"
    run = _api(env, run_id)
    assert (run["state"].name, run["state"].message) == ("Failed", message)
    logs = _logs(env, run_id)
    assert message in logs
    worker_log = (worker_dir / "process.log").read_text(encoding="utf-8")
    for text in (logs, worker_log):
        assert "Traceback" not in text and "Engine execution exited" not in text, text
    assert not (project / "out-bad" / "builds").exists()


def test_paths_outside_the_project_fail_the_run_before_it_touches_them(
    env: dict[str, str], deployed: None, project: Path, tmp_path: Path
) -> None:
    outside = tmp_path.resolve() / "elsewhere"
    shared = project.parent / "shared"  # listed in the project's [deployment] allowed_paths
    with _worker(env, tmp_path / "worker"):
        refused, refused_id = _run(env, outside)
        escaped, escaped_id = _run(env, project / "out-escape", "-p", "codebook=../../codebook.yaml")
        allowed, _ = _run(env, shared / "out")

    assert refused.returncode == 1, refused.stdout + refused.stderr
    message = (f"inputs: output_dir: {outside} is outside the project {project} or the allowed folders "
               f"['{shared}'] — give a path inside the project, or list its folder under [deployment] "
               f"allowed_paths in {project / 'casebook.toml'}")
    run = _api(env, refused_id)
    assert (run["state"].name, run["state"].message) == ("Failed", message)
    assert run["tasks"] == {}  # no stage ran: nothing was read or written
    assert not outside.exists()
    logs = _logs(env, refused_id)
    assert message in logs and "Traceback" not in logs

    assert escaped.returncode == 1
    assert _api(env, escaped_id)["state"].message == (
        f"inputs: codebook: ../../codebook.yaml (→ {project.parent.parent / 'codebook.yaml'}) is outside the project "
        f"{project} or the allowed folders ['{shared}'] — give a path inside the project, or list its folder under "
        f"[deployment] allowed_paths in {project / 'casebook.toml'}"
    )
    assert not (project / "out-escape").exists()

    assert allowed.returncode == 0, allowed.stdout + allowed.stderr  # a folder the project file allows
    assert len(load_report(shared / "out" / "latest").cases) == 29


@pytest.mark.parametrize(("param", "says"), [
    ("keep=0", "Validation failed for field 'keep'. Failure reason: 0 is less than the minimum of 1"),
    ("keep=500", "Validation failed for field 'keep'. Failure reason: 500 is greater than the maximum of 100"),
    ("lock_wait=86400", "Validation failed for field 'lock_wait'. Failure reason: 86400 is greater than the "
                        "maximum of 3600"),
])
def test_the_server_refuses_numbers_outside_the_flows_ranges(
    env: dict[str, str], deployed: None, param: str, says: str
) -> None:
    result = _prefect("deployment", "run", DEPLOYMENT, "-p", param, env=env)
    assert result.returncode == 1
    assert says in " ".join((result.stdout + result.stderr).split()), result.stdout + result.stderr
    assert "UUID" not in result.stdout  # no run was created


def test_the_casebook_worker_forks_its_runs_and_keeps_libreoffice_warm(
    env: dict[str, str], deployed: None, project: Path, tmp_path: Path
) -> None:
    import psutil

    output, cwd = project / "out-casebook-worker", tmp_path / "worker"
    cwd.mkdir()
    # a source of its own: the first run renders (LibreOffice starts), the second is cached
    source = project / "sources" / "report-casebook-worker.pdf"
    source.write_bytes((PROJECT_ROOT / "sources" / "r07_kyodoka_report.pdf").read_bytes()
                       + f"\n% {time.time()}\n".encode())
    with _background([str(BIN / "casebook"), "worker"], env=env, cwd=cwd, ready="started!"):
        worker = next(p for p in psutil.process_iter(["cmdline"])
                      if p.info["cmdline"] and p.info["cmdline"][-1] == "worker" and p.cwd() == str(cwd))
        forkserver = [c for c in worker.children() if "multiprocessing.forkserver" in " ".join(c.cmdline())]
        assert len(forkserver) == 1  # the template its runs are forked from
        first, first_id = _run(env, output, "-p", f"source={source}")
        assert first.returncode == 0, first.stdout + first.stderr
        warm = sorted(Path(tempfile.gettempdir()).glob(f"casebook-office-warm-{os.getuid()}-{worker.pid}-*"))
        assert len(warm) == 1  # LibreOffice stays for the next run
        second, second_id = _run(env, output, "-p", f"source={source}")
        assert second.returncode == 0, second.stdout + second.stderr
    assert (_api(env, first_id)["state"].message, _api(env, second_id)["state"].message) == (SUMMARY, SUMMARY)
    assert _api(env, second_id)["tasks"]["render"] == "Cached"
    log = (cwd / "process.log").read_text(encoding="utf-8")
    assert "_workspace_supervisor" not in log and "Traceback" not in log, log
    deadline = time.monotonic() + 30  # the worker gone, its LibreOffice goes too
    while warm[0].exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not warm[0].exists()
