"""How long an editor waits for a regenerated casebook, on the three paths editors use:

- embedded: `casebook build` with no server configured (it starts a temporary one);
- worker:   `prefect deployment run 'build-casebook/casebook' --watch`, served by `casebook worker`
            (flows/worker.py) polling a running server every second;
- serve:    `prefect deployment run 'build-casebook/serve' --watch` with `python -m flows.serve`;
- prefect-worker (not by default): the same deployment served by Prefect's own `prefect worker
            start --pool casebook-pool` (PREFECT_WORKER_QUERY_SECONDS=1);

and three kinds of regeneration:

- unchanged: the same source and editorial files as the build before (every pure stage Cached);
- updated:   a new edition of the source: one case's text changed (a glyph swap in 事例1, as the
             tests' revised printing), alternating with the shipped text, each with a unique tail
             so that every run is an edition no run has seen;
- editorial: the same source, the corrections file changed (the note of its first erratum, which
             the casebook prints in 付録B): correct, validate, explain and render run again;

plus `cold` for the embedded path: a fresh PREFECT_HOME (new database, empty cache).

    .venv/bin/python bench/regenerate.py [--runs 5] [--paths embedded,worker,serve]
        [--scenarios unchanged,updated,editorial,cold] [--json bench/regenerate.json]

Each cell is run once to warm up (not counted), then `--runs` times. Every run is timed as a whole
(wall seconds of the command) and cut into segments on the run's own timeline:

- start:   command start → the flow run is Running (embedded: its first log line); for a
           deployment split into submit (the CLI creates the run), queue (until the worker or serve
           picks it up: their poll) and start (process start, imports, engine setup);
- a segment per stage (extract, correct, validate, explain-corrections, render, publish): from
  the end of the stage before to its own end, so the segments add up to the flow;
- finish:  the last stage's end → the flow run's final state (artifacts, the final state);
- exit:    the final state → the command's exit (embedded: stopping the temporary server; a
           deployment: `--watch` waiting for late log lines — Prefect's own 3 s — and exiting).

Prints a table (median and min–max of the runs, the 1-minute load average at their starts) and
writes the figures to a JSON file the README quotes. Everything runs in a temporary folder: a
project made by `casebook init`, its own PREFECT_HOMEs and a server on a free loopback port.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from processes import BIN, ROOT, background, check, clean_env, server

PATHS = ("embedded", "worker", "serve", "prefect-worker")
DEFAULT_PATHS = PATHS[:3]
SCENARIOS = ("unchanged", "updated", "editorial", "cold")
DEPLOYMENTS = {"worker": "build-casebook/casebook", "serve": "build-casebook/serve",
               "prefect-worker": "build-casebook/casebook"}
STAGES = ("extract", "correct", "validate", "explain-corrections", "render", "publish")
# Prefect's FlowRunSubscriber: after the final state `--watch` waits this long for late log lines.
WATCH_STRAGGLER_SECONDS = 3.0


@dataclass
class Run:
    """One timed regeneration."""

    wall: float
    segments: dict[str, float]
    load: float  # 1-minute load average when it started


@dataclass
class Cell:
    """The runs of one path and one kind of regeneration."""

    path: str
    scenario: str
    runs: list[Run] = field(default_factory=list)

    def summary(self) -> dict[str, Any]:
        names = list(dict.fromkeys(name for run in self.runs for name in run.segments))
        return {
            "wall": _spread([r.wall for r in self.runs]),
            "segments": {name: _spread([r.segments.get(name, 0.0) for r in self.runs]) for name in names},
            "load": _spread([r.load for r in self.runs]),
            "runs": [asdict(r) for r in self.runs],
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="timed runs per cell (default 5)")
    parser.add_argument("--paths", default=",".join(DEFAULT_PATHS),
                        help="comma-separated: " + ", ".join(PATHS) + " (default: the first three)")
    parser.add_argument("--scenarios", default=",".join(SCENARIOS),
                        help="comma-separated: " + ", ".join(SCENARIOS) + " (cold: embedded only)")
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "regenerate.json",
                        help="where to write the figures (default bench/regenerate.json)")
    args = parser.parse_args()
    paths = [p for p in args.paths.split(",") if p]
    scenarios = [s for s in args.scenarios.split(",") if s]
    for name in (*paths, *scenarios):
        if name not in (*PATHS, *SCENARIOS):
            parser.error(f"unknown path or scenario {name!r}")
    cells: list[Cell] = []
    with tempfile.TemporaryDirectory(prefix="casebook-regenerate-") as tmp:
        work = Path(tmp)
        inputs = Inputs(work)
        if "embedded" in paths:
            cells += embedded(work / "embedded", inputs, scenarios, args.runs)
        servers = [p for p in paths if p in DEPLOYMENTS]
        if servers and any(s != "cold" for s in scenarios):
            with server(work / "server") as env:
                check([str(BIN / "prefect"), "work-pool", "create", "casebook-pool", "--type", "process",
                        "--overwrite"], env)
                check([str(BIN / "prefect"), "deploy", "--all", "--no-prompt"], env)
                for path in servers:
                    cells += deployment(path, env, work / path, inputs, scenarios, args.runs)
    report = {"machine": machine(), "date": datetime.now().astimezone().isoformat(timespec="seconds"),
              "runs_per_cell": args.runs, "cells": {f"{c.path}/{c.scenario}": c.summary() for c in cells}}
    args.json.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print("\n".join(table(report)))
    print(f"\nwritten to {args.json}")


class Inputs:
    """The sources and corrections files of each kind of regeneration, in a project of its own."""

    def __init__(self, work: Path) -> None:
        from flows import project

        self.project = project.init(work / "project")
        self.count = 0

    def make(self, scenario: str) -> dict[str, str]:
        """The parameters of the next run of `scenario` (an edition or a file no run has seen)."""
        self.count += 1
        if scenario == "updated":
            from tests.flows.conftest import revised_source

            pdf = self.project.root / "sources" / f"edition-{self.count}.pdf"
            tail = f"\n% edition {self.count} {time.time()}\n".encode()
            if self.count % 2:
                revised_source(self.project.source, pdf, tail=tail)
            else:
                pdf.write_bytes(self.project.source.read_bytes() + tail)
            return {"source": str(pdf)}
        if scenario == "editorial":
            shipped = self.project.editorial.corrections
            assert shipped is not None
            text = shipped.read_text(encoding="utf-8")
            changed = re.sub(r"^(  note: .*)$", rf"\1（改訂 {self.count}）", text, count=1, flags=re.M)
            assert changed != text, "the corrections file has no note to change"
            path = shipped.with_name(f"corrections-{self.count}.yaml")
            path.write_text(changed, encoding="utf-8")
            return {"corrections": str(path)}
        return {}


# ---------------------------------------------------------------------------------------------
# embedded: casebook build with its temporary server


def embedded(work: Path, inputs: Inputs, scenarios: list[str], runs: int) -> list[Cell]:
    work.mkdir(parents=True)
    env = {**clean_env(), "PREFECT_HOME": str(work / "home"), "PREFECT_LOGGING_LEVEL": "INFO"}
    out = work / "out"
    cells = []
    for scenario in scenarios:
        cell = Cell("embedded", scenario)
        for i in range(runs + (0 if scenario == "cold" else 1)):
            home = {"PREFECT_HOME": str(work / f"cold-{i}")} if scenario == "cold" else {}
            run = _casebook({**env, **home}, out, inputs.project.root, inputs.make(scenario))
            if scenario == "cold" or i > 0:  # the first run of a warm cell warms it up
                cell.runs.append(run)
            _progress(cell, run)
        cells.append(cell)
    return cells


def _casebook(env: dict[str, str], out: Path, project: Path, params: dict[str, str]) -> Run:
    options = [item for name, value in params.items() for item in (f"--{name.replace('_', '-')}", value)]
    load = os.getloadavg()[0]
    start = time.time()
    command = [str(BIN / "casebook"), "build", "--project", str(project), "--output-dir", str(out), *options]
    proc = subprocess.run(command, env=env, cwd=project, capture_output=True, text=True, check=False)
    wall = time.time() - start
    logs = proc.stdout + proc.stderr
    if proc.returncode != 0:
        raise RuntimeError(logs)
    stamps = [(_stamp(m.group(1), start), m.group(2) or m.group(3) or "flow")
              for m in re.finditer(r"^(\d\d:\d\d:\d\d\.\d+) .*?(?:Task run '([\w-]+)-\w+' - Finished|"
                                   r"Flow run '[\w-]+' - (Beginning flow run|Finished))", logs, re.M)]
    begun = next(t for t, what in stamps if what == "Beginning flow run")
    ended = [t for t, what in stamps if what == "Finished"][-1]
    tasks = [(t, what) for t, what in stamps if what not in ("Beginning flow run", "Finished")]
    segments = {"start": begun - start, **_stage_segments(begun, tasks),
                "finish": ended - (tasks[-1][0] if tasks else begun), "exit": start + wall - ended}
    return Run(wall, segments, load)


def _stamp(clock: str, near: float) -> float:
    """A log line's local time of day as a timestamp on the day of `near`."""
    day = date.fromtimestamp(near)
    return datetime.combine(day, datetime.strptime(clock, "%H:%M:%S.%f").time()).timestamp()


# ---------------------------------------------------------------------------------------------
# deployment runs: worker and serve


def deployment(path: str, env: dict[str, str], work: Path, inputs: Inputs, scenarios: list[str],
               runs: int) -> list[Cell]:
    work.mkdir(parents=True)
    # The worker's project (a run's paths must stay inside it): sources, corrections and output.
    env = {**env, "PREFECT_HOME": str(work / "home"), "PREFECT_WORKER_QUERY_SECONDS": "1",
           "PREFECT_RUNNER_POLL_FREQUENCY": "1", "CASEBOOK_PROJECT": str(inputs.project.root)}
    if path == "worker":
        command, ready = [str(BIN / "casebook"), "worker"], "started!"
    elif path == "prefect-worker":
        command, ready = [str(BIN / "prefect"), "worker", "start", "--pool", "casebook-pool"], "started!"
    else:
        command, ready = [str(BIN / "python"), "-m", "flows.serve"], DEPLOYMENTS["serve"]
    out = inputs.project.root / f"out-{path}"
    cells = []
    with background(command, env, work, ready):
        for scenario in scenarios:
            if scenario == "cold":
                continue
            cell = Cell(path, scenario)
            for i in range(runs + 1):
                run = _watch(env, DEPLOYMENTS[path], out, inputs.make(scenario))
                if i > 0:
                    cell.runs.append(run)
                _progress(cell, run)
            cells.append(cell)
    return cells


def _watch(env: dict[str, str], deployment: str, out: Path, params: dict[str, str]) -> Run:
    options = [item for name, value in {"output_dir": str(out), **params}.items()
               for item in ("-p", f"{name}={value}")]
    load = os.getloadavg()[0]
    start = time.time()
    result = subprocess.run([str(BIN / "prefect"), "deployment", "run", deployment, "--watch", *options],
                            env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    wall = time.time() - start
    if result.returncode != 0:
        raise RuntimeError(result.stdout + result.stderr)
    run = _read_run(env, re.search(r"UUID: ([0-9a-f-]{36})", result.stdout).group(1))
    states = run["states"]
    segments = {"submit": states["Scheduled"] - start, "queue": states["Pending"] - states["Scheduled"],
                "start": states["Running"] - states["Pending"],
                **_stage_segments(states["Running"], run["tasks"]),
                "finish": states["Completed"] - max((t for t, _ in run["tasks"]), default=states["Running"]),
                "exit": start + wall - states["Completed"]}
    return Run(wall, segments, load)


def _read_run(env: dict[str, str], flow_run_id: str) -> dict[str, Any]:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.settings import PREFECT_API_URL, temporary_settings

    async def read() -> dict[str, Any]:
        async with get_client() as client:
            states = await client.read_flow_run_states(flow_run_id)
            tasks = await client.read_task_runs(
                flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
        first: dict[str, float] = {}
        for state in states:  # the first time the run entered each state
            first.setdefault(state.name, state.timestamp.timestamp())
        ends = sorted((t.end_time.timestamp(), t.name.rsplit("-", 1)[0]) for t in tasks if t.end_time)
        return {"states": first, "tasks": ends}

    with temporary_settings(updates={PREFECT_API_URL: env["PREFECT_API_URL"]}):
        return asyncio.run(read())


def _stage_segments(begun: float, tasks: list[tuple[float, str]]) -> dict[str, float]:
    """Each stage from the end of the one before to its own end (the first from the flow's start)."""
    out, last = {}, begun
    for end, name in sorted(tasks):
        out[name] = out.get(name, 0.0) + end - last
        last = end
    return out


# ---------------------------------------------------------------------------------------------
# processes


# ---------------------------------------------------------------------------------------------
# report


def machine() -> dict[str, Any]:
    """What the figures were measured on."""
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    import prefect

    office = subprocess.run(["soffice", "--version"], capture_output=True, text=True, check=False)
    return {"cpus": os.cpu_count(), "cpu": model, "system": platform.platform(),
            "python": platform.python_version(), "prefect": prefect.__version__,
            "libreoffice": office.stdout.strip()}


def table(report: dict[str, Any]) -> list[str]:
    m = report["machine"]
    lines = [f"# Regeneration ({m['cpus']} cores, {m['cpu']}; {report['date']}; "
             f"median of {report['runs_per_cell']}, min–max)", "",
             "| path | regeneration | wall s | load | segments s (median) |", "|---|---|---|---|---|"]
    for name, cell in report["cells"].items():
        path, scenario = name.split("/")
        segments = ", ".join(f"{k} {v['median']:.2f}" for k, v in cell["segments"].items())
        load = cell["load"]["median"]
        lines.append(f"| {path} | {scenario} | {_range(cell['wall'])} | {load:.1f} | {segments} |")
    return lines


def _progress(cell: Cell, run: Run) -> None:
    print(f"  {cell.path}/{cell.scenario}: {run.wall:.2f} s (load {run.load:.1f}) "
          + " ".join(f"{k}={v:.2f}" for k, v in run.segments.items()), file=sys.stderr, flush=True)


def _spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"median": 0.0, "min": 0.0, "max": 0.0}
    return {"median": round(statistics.median(values), 3), "min": round(min(values), 3),
            "max": round(max(values), 3)}


def _range(spread: dict[str, float]) -> str:
    return f"{spread['median']:.2f} ({spread['min']:.2f}–{spread['max']:.2f})"


if __name__ == "__main__":
    main()
