"""Benchmark of the build: the pipeline alone, `casebook build` cold and warm, and the latency of
`prefect deployment run --watch` on a warm server (worker and serve). Prints a markdown report.

    .venv/bin/python bench/build.py [--runs 3]

Everything runs in temporary folders (own PREFECT_HOME, output folders, a server on a free
loopback port); the project's output/ and .prefect/ are not touched. Takes 3–4 minutes.

Figures:
- pipeline compute: the stages of flows/pipeline.py in one process, no Prefect (extract, correct,
  validate, explain, render, change report, stage + publish).
- flow compute: the flow run's time in Running, as the server records it (stages, cache lookups,
  artifacts, and the engine's own bookkeeping inside the run); cold = empty cache, warm = same
  source and editorial files again (every pure stage Cached).
- `casebook build` wall: the command as editors type it (no PREFECT_API_URL: it starts a temporary
  server), split into: until the flow begins (start-up: imports, the lock, the temporary server
  answering), the flow (log timestamps), and after it (printing, stopping the server); warm = an
  unchanged source (every pure stage Cached) — the figure the README quotes. The same warm build
  against a running server shows what the temporary server costs.
- deployment run: wall time of `prefect deployment run … --watch` minus flow compute = Prefect's
  overhead, split into CLI start → Scheduled, Scheduled → Running (poll, process start),
  Running → Completed (the flow), Completed → exit (the CLI's own wait for late log lines).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from processes import BIN, ROOT, background, check, clean_env, server

DEPLOYMENT = "build-casebook/casebook"  # the worker's (prefect.yaml)
SERVED = "build-casebook/serve"  # python -m flows.serve

PIPELINE = r"""
import json, tempfile, time
from pathlib import Path
from flows import project
from flows.changes import change_files, compare
from flows.pipeline import Plan, Stages
from flows.publish import build_id, publish, stage

here = project.find()  # the shipped source and editorial files, as `casebook build` reads them
times = {}

class Timed(Stages):
    # The plan's stages, each timed: the same composition a build runs.
    def __getattribute__(self, name):
        attr = super().__getattribute__(name)
        if name not in ("extract", "correct", "validate", "explain", "render"):
            return attr
        def timed(*args):
            start = time.perf_counter(); value = attr(*args)
            times[name] = time.perf_counter() - start; return value
        return timed

outcome = Plan(here.source, here.editorial).run(Timed())
out = Path(tempfile.mkdtemp())
start = time.perf_counter()
changes = compare(None, outcome.report, outcome.validation.to_dict(), outcome.applied)
staging = stage(out, {**outcome.rendered.files, **change_files(changes)})
publish(out, staging, build_id(outcome.extracted.sha256), switch_latest=True, keep=5)
times["changes + publish"] = time.perf_counter() - start
print(json.dumps(times))
"""

def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="warm runs per measurement (default 3)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="casebook-bench-") as tmp:
        work = Path(tmp)
        # Each section is printed when done: a long run that fails late still reports the rest.
        _print([f"# casebook build benchmark ({os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})", ""])
        _print(pipeline_compute(args.runs))
        _print(embedded_builds(work / "embedded", args.runs))
        with server(work / "server") as env:
            _print(flow_compute(env, work / "flow", args.runs))
            _print(deployment_latency(env, work / "deploy", args.runs))


def _print(lines: list[str]) -> None:
    print("\n".join(lines), flush=True)


def pipeline_compute(runs: int) -> list[str]:
    """The stages as plain functions (one fresh process per run)."""
    results = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", PIPELINE], cwd=ROOT, capture_output=True, text=True,
                             check=True)
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    best = min(results, key=lambda r: sum(r.values()))
    stages = ", ".join(f"{k} {v:.2f}" for k, v in best.items())
    total = _median([sum(r.values()) for r in results])
    return ["## Pipeline compute alone (no Prefect)", "",
            f"- total {total:.2f} s (median of {runs}); best run: {stages}", ""]


def embedded_builds(work: Path, runs: int) -> list[str]:
    """`casebook build` with Prefect's embedded server, as `make run` does."""
    env = {**clean_env(), "PREFECT_HOME": str(work / "home"), "PREFECT_LOGGING_LEVEL": "INFO"}
    out = work / "out"
    work.mkdir(parents=True)
    rows = [("cold: new PREFECT_HOME (new database, empty cache)", _casebook(env, out))]
    rows += [("warm: unchanged source, cached", _casebook(env, out)) for _ in range(runs)]
    for path in (work / "home" / "storage").iterdir():  # the cache only; the database stays
        path.unlink()
    rows.append(("cold cache, existing database", _casebook(env, out)))
    lines = ["## `casebook build` (temporary server)", "",
             "| run | wall s | until flow begins s | flow s (log) | cached stages |", "|---|---|---|---|---|"]
    lines += [f"| {name} | {t['wall']:.2f} | {t['startup']:.2f} | {t['flow']:.2f} | {t['cached']} |"
              for name, t in rows]
    warm = [t for name, t in rows if name.startswith("warm")]
    wall, startup, flow = (_median([t[k] for t in warm]) for k in ("wall", "startup", "flow"))
    lines += ["", f"warm median: wall {wall:.2f} s, until the flow begins {startup:.2f} s, flow {flow:.2f} s"]
    return [*lines, ""]


def flow_compute(env: dict[str, str], work: Path, runs: int) -> list[str]:
    """Flow runs of `casebook build` recorded by a real server: time in Running, cold and warm."""
    env = {**env, "PREFECT_HOME": str(work / "home")}  # an empty cache, the same server
    out = work / "out"
    cold = _recorded_flow(env, out)
    walls = []
    warm = []
    for _ in range(runs):
        start = time.monotonic()
        warm.append(_recorded_flow(env, out))
        walls.append(time.monotonic() - start)
    warm_total = _median([w["running"] for w in warm])
    warm_stages = _median([w["stages"] for w in warm])
    return [
        "## Flow compute (server records: time in Running)", "",
        "| | cold | warm (median) | warm / cold |", "|---|---|---|---|",
        f"| flow run in Running | {cold['running']:.2f} s | {warm_total:.2f} s | "
        f"{warm_total / cold['running']:.2f} |",
        f"| stages (sum of task runs) | {cold['stages']:.2f} s | {warm_stages:.2f} s | "
        f"{warm_stages / cold['stages']:.2f} |",
        f"| tasks | {cold['tasks']} | {warm[-1]['tasks']} | |", "",
        f"warm `casebook build` wall with PREFECT_API_URL set (no temporary server): "
        f"{_median(walls):.2f} s (median of {runs})", "",
    ]


def deployment_latency(env: dict[str, str], work: Path, runs: int) -> list[str]:
    """`prefect deployment run --watch` on a warm server, worker (prefect.yaml) and serve (its own name)."""
    env = {**env, "PREFECT_HOME": str(work / "home"), "PREFECT_WORKER_QUERY_SECONDS": "1",
           "PREFECT_RUNNER_POLL_FREQUENCY": "1"}
    out = work / "out"
    work.mkdir(parents=True)
    check([str(BIN / "prefect"), "work-pool", "create", "casebook-pool", "--type", "process", "--overwrite"],
           env)
    check([str(BIN / "prefect"), "deploy", "--all", "--no-prompt"], env)
    lines = ["## `prefect deployment run 'build-casebook/casebook' --watch` (warm server, poll 1 s)", "",
             "| executor | run | wall s | flow s | overhead s | CLI→Scheduled | Scheduled→Running | "
             "Completed→exit |", "|---|---|---|---|---|---|---|---|"]
    for name, command in (("worker", [str(BIN / "prefect"), "worker", "start", "--pool", "casebook-pool"]),
                          ("serve", [str(BIN / "python"), "-m", "flows.serve"])):
        deployment = DEPLOYMENT if name == "worker" else SERVED
        ready = "started!" if name == "worker" else SERVED
        with background(command, env, work / name, ready):
            _watch(env, out, deployment)  # first run of this executor: the cache is filled, processes warm up
            for i in range(runs):
                t = _watch(env, out, deployment)
                cells = [t["wall"], t["flow"], t["wall"] - t["flow"], t["scheduled"],
                         t["running"] - t["scheduled"], t["wall"] - t["completed"]]
                lines.append(f"| {name} | {i + 1} | " + " | ".join(f"{c:.2f}" for c in cells) + " |")
    return [*lines, ""]


def _casebook(env: dict[str, str], out: Path) -> dict[str, Any]:
    start = time.monotonic()
    proc = subprocess.Popen([str(BIN / "casebook"), "build", "--output-dir", str(out)], env=env, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    assert proc.stdout is not None
    lines, begun = [], None
    for line in proc.stdout:  # as it comes: when the flow begins is when its first line arrives
        lines.append(line)
        if begun is None and "Beginning flow run" in line:
            begun = time.monotonic() - start
    wall = time.monotonic() - start
    logs = "".join(lines)
    if proc.wait() != 0:
        raise RuntimeError(logs)
    flow_lines = r"^(\d\d:\d\d:\d\d\.\d+) .*(?:Beginning flow run|Flow run '[\w-]+' - Finished)"
    stamps = [_seconds(m) for m in re.findall(flow_lines, logs, re.M)]
    cached = ", ".join(re.findall(r"Task run '(\w+)-\w+' - Finished in state Cached", logs)) or "none"
    return {"wall": wall, "startup": begun or 0.0, "flow": stamps[-1] - stamps[0], "cached": cached}


def _recorded_flow(env: dict[str, str], out: Path) -> dict[str, Any]:
    result = subprocess.run([str(BIN / "casebook"), "build", "--output-dir", str(out)], env=env, cwd=ROOT,
                            capture_output=True, text=True, check=True)
    flow_run_id = re.search(r"/runs/flow-run/([0-9a-f-]{36})", result.stdout + result.stderr).group(1)
    run = _read_run(env, flow_run_id)
    return {"running": run["running"], "stages": sum(run["task_seconds"].values()),
            "tasks": ", ".join(f"{k} {v}" for k, v in run["task_states"].items())}


def _watch(env: dict[str, str], out: Path, deployment: str) -> dict[str, float]:
    start = time.time()
    command = [str(BIN / "prefect"), "deployment", "run", deployment, "--watch", "-p", f"output_dir={out}"]
    result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.time() - start
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    run = _read_run(env, re.search(r"UUID: ([0-9a-f-]{36})", result.stdout).group(1))
    return {"wall": wall, "flow": run["running"], "scheduled": run["states"]["Scheduled"] - start,
            "running": run["states"]["Running"] - start, "completed": run["states"]["Completed"] - start}


def _read_run(env: dict[str, str], flow_run_id: str) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def read() -> dict[str, Any]:
        async with get_client() as client:
            flow_run = await client.read_flow_run(flow_run_id)
            states = await client.read_flow_run_states(flow_run_id)
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        return {
            "running": flow_run.total_run_time.total_seconds(),
            "states": {s.name: s.timestamp.timestamp() for s in states},
            "task_seconds": {t.name: (t.end_time - t.start_time).total_seconds()
                             for t in tasks if t.start_time and t.end_time},
            "task_states": {t.name.rsplit("-", 1)[0]: t.state.name for t in tasks if t.state},
        }

    with temporary_settings(updates={PREFECT_API_URL: env["PREFECT_API_URL"]}):
        return asyncio.run(read())


def _seconds(stamp: str) -> float:
    hours, minutes, seconds = stamp.split(":")
    return int(hours) * 3600 + int(minutes) * 60 + float(seconds)


def _median(values: list[float]) -> float:
    return statistics.median(values)


if __name__ == "__main__":
    main()
