"""`casebook build` end to end, as editors run it, against a real Prefect server (one per session):
publish, cache, strict, errata, a killed run, concurrent runs, a changed and a bad source."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psutil
import pytest

from tests.flows.conftest import BIN, REVISED, casebook, client, copy_tree, revised_source
from tests.paths import PROJECT_ROOT
from transform.corrections import load_corrections
from transform.export import load_report

pytestmark = pytest.mark.prefect_server

# The shipped errata correct the report's 7 defects and 10 typos; the shipped QA decisions close the rest.
SUMMARY = "0 open findings (要対応 0, 要確認 0, 参考 0; new 0, reopened 0), 32 decided, 17 corrected; 93 checks passed, 0 errors"


@pytest.fixture(scope="module")
def published(prefect_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding one good build (a cold run: nothing cached yet)."""
    out = tmp_path_factory.mktemp("published")
    result = casebook("build", "--output-dir", str(out), env=prefect_server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith(f"casebook build: {SUMMARY}\n"), result.stdout
    return out


@pytest.fixture
def output(published: Path, tmp_path: Path) -> Path:
    """A private copy of the published folder, for tests that publish more builds."""
    return copy_tree(published, tmp_path / "out")


def _builds(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "builds").iterdir())


def _states(logs: str) -> dict[str, str]:
    """Final state of each task from Prefect's log lines ("Task run 'extract-1a2' - Finished in state Cached(…)")."""
    return dict(re.findall(r"Task run '([\w-]+)-\w+' - Finished in state (\w+)", logs))


def test_first_build_is_published_as_latest(published: Path) -> None:
    latest = published / "latest"
    assert latest.is_symlink() and _builds(published) == [latest.resolve().name]
    assert len(load_report(latest).cases) == 29
    for rel in ("casebook.docx", "html/index.html", "html/case-11.html", "validation.json", "validation.html", "validation.xlsx",
                "changes.json", "changes.html", "cases.json", "items.csv", "tables/3-1.csv", "chapter3.json",
                "citations.json", "build.json"):
        assert (latest / rel).is_file(), rel
    build = json.loads((latest / "build.json").read_text(encoding="utf-8"))
    assert build["published_as_latest"] is True and build["validation"] == {
        "open": 0, "review": 0, "pass": 93, "error": 0, "high": 0, "medium": 0, "low": 0, "new": 0, "to_fix": 0,
        "reopened": 0, "decided": 32, "corrected": 17}
    assert build["build"]["source_name"] == "r07_kyodoka_report.pdf"
    changes = json.loads((latest / "changes.json").read_text(encoding="utf-8"))
    assert changes["summary"] == "初めて公開するビルドです（比較する前回のビルドはありません）"


def test_rebuild_of_an_unchanged_source_is_served_from_the_cache(output: Path, prefect_server: dict[str, str]) -> None:
    result = casebook("build", "--output-dir", str(output), env=prefect_server)
    assert result.returncode == 0, result.stderr
    states = _states(result.stdout + result.stderr)
    assert states == {"extract": "Cached", "correct": "Completed", "validate": "Cached",
                      "explain-corrections": "Cached", "render": "Cached", "publish": "Completed"}
    assert len(_builds(output)) == 2
    changes = json.loads((output / "latest" / "changes.json").read_text(encoding="utf-8"))
    assert changes["summary"].startswith("前回のビルド ") and changes["summary"].endswith(" から変更なし")


def test_changed_source_names_the_changed_case_and_step(
    output: Path, prefect_server: dict[str, str], source_pdf: Path, tmp_path: Path
) -> None:
    pdf = revised_source(source_pdf, tmp_path / "revised.pdf")
    result = casebook("build", "--source", str(pdf), "--output-dir", str(output), env=prefect_server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert _states(result.stderr + result.stdout)["extract"] == "Completed"  # new content: extracted again
    latest = output / "latest"
    changes = json.loads((latest / "changes.json").read_text(encoding="utf-8"))
    assert [(c["no"], [s["step"] for s in c["steps"]]) for c in changes["cases_changed"]] == [
        (REVISED["case"], [REVISED["step"]])
    ]
    diff = changes["cases_changed"][0]["steps"][0]["diff"]
    assert any(line.startswith("-" + REVISED["old"]) for line in diff)
    assert any(line.startswith("+" + REVISED["new"]) for line in diff)
    (edit,) = changes["cases_changed"][0]["steps"][0]["edits"]
    assert [(s["op"], s["text"]) for s in edit["segments"]][:4] == [("same", "・"), ("ins", "営"), ("same", "経"), ("del", "営")]
    assert changes["checks_changed"] == [] and changes["status_before"] == changes["status_after"]
    html = (latest / "changes.html").read_text(encoding="utf-8")
    assert "事例1 " in html and "・<ins>営</ins>経<del>営</del>状況等により" in html


def test_strict_run_with_checks_to_review_fails_and_keeps_latest(output: Path, prefect_server: dict[str, str]) -> None:
    before = (output / "latest").resolve()
    result = casebook("build", "--strict", "--no-qa-decisions", "--output-dir", str(output), env=prefect_server)
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1].startswith(
        "casebook build: needs review: 3 open findings need review (要対応 0, 要確認 3); 93 checks passed — "
        "build kept at ")
    assert (output / "latest").resolve() == before
    (kept,) = [b for b in _builds(output) if b != before.name]
    assert json.loads((output / "builds" / kept / "build.json").read_text(encoding="utf-8"))["published_as_latest"] is False


def test_corrections_are_applied_and_listed(output: Path, prefect_server: dict[str, str], tmp_path: Path) -> None:
    errata = tmp_path / "corrections.yaml"
    # As an editor would: the shipped errata plus a new entry, applied cleanly in one build.
    shipped = (PROJECT_ROOT / "editorial" / "corrections.yaml").read_text(encoding="utf-8")
    errata.write_text(shipped + "\n- {case: 3, step: 2, old: ロードマップの共有を行い, new: ロードマップを共有し, reason: 表記}\n",
                      encoding="utf-8")
    result = casebook("build", "--corrections", str(errata), "--output-dir", str(output), env=prefect_server)
    assert result.returncode == 0, result.stdout + result.stderr
    latest = output / "latest"
    (case,) = [c for c in load_report(latest).cases if c.no == 3]
    assert any("課題認識とロードマップを共有し、管理者層" in i.text for _, _, i, _ in case.iter_items())
    build = json.loads((latest / "build.json").read_text(encoding="utf-8"))
    listed_in_file = [(c.case, c.step, c.section, c.table) for c in load_corrections(errata)]
    assert [(c["case"], c["step"], c["section"], c["table"]) for c in build["corrections"]] == listed_in_file
    assert listed_in_file[-1] == (3, 2, None, None)
    assert build["validation"]["error"] == 0  # the reviewed quotes followed the corrections
    changes = json.loads((latest / "changes.json").read_text(encoding="utf-8"))
    assert [(c["no"], [s["step"] for s in c["steps"]]) for c in changes["cases_changed"]] == [(3, [2])]
    assert changes["corrections"][0]["updated"] == ["レビュー済みコーディングの引用（事例1 business:人材確保等業務）"]
    assert changes["corrections"][-1]["new"] == "ロードマップを共有し"
    listed = (latest / "changes.html").read_text(encoding="utf-8")
    assert "第3章 3.3.(4) p.57（PDF 60）" in listed and "事例3 調査項目② p.12（PDF 15）" in listed
    assert "ロードマップを共有し" in (latest / "html" / "appendix.html").read_text(encoding="utf-8")


def test_correction_that_does_not_match_fails_naming_it(
    output: Path, prefect_server: dict[str, str], tmp_path: Path
) -> None:
    errata = tmp_path / "corrections.yaml"
    errata.write_text("- {case: 2, step: 3, old: 存在しない文, new: x, reason: test}\n", encoding="utf-8")
    builds = _builds(output)
    result = casebook("build", "--corrections", str(errata), "--output-dir", str(output), env=prefect_server)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == (
        f"casebook build: error: correct: {errata}: correction #1 (事例2 step 3): the old text '存在しない文' does "
        "not occur in that place of the extracted text — copy it exactly from cases.json, or update or remove "
        "the correction"
    )
    assert "Traceback" not in result.stderr and "ERROR   | Flow run '" in result.stderr
    assert re.search(r"ERROR .* - correct: " + re.escape(str(errata)), result.stderr), result.stderr
    assert _builds(output) == builds


def test_killed_run_leaves_latest_intact(
    output: Path, prefect_server: dict[str, str], source_pdf: Path, tmp_path: Path
) -> None:
    before = (output / "latest").resolve()
    builds = _builds(output)
    # a source no run has seen (a unique tail after %%EOF): the kill lands in a real extraction
    pdf = revised_source(source_pdf, tmp_path / "unseen.pdf", tail=f"\n% {time.time()}\n".encode())
    proc = subprocess.Popen(
        [str(BIN / "casebook"), "build", "--source", str(pdf), "--output-dir", str(output)],
        env={**os.environ, **prefect_server, "PREFECT_LOGGING_LEVEL": "INFO"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Beginning flow run" in line:
            break
    killed = re.search(r"/runs/flow-run/([0-9a-f-]{36})", proc.stdout.readline())
    assert killed is not None
    record = output / ".runs" / f"{killed[1]}.json"  # the run records itself as it starts
    deadline = time.monotonic() + 60
    while not record.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert record.exists()
    time.sleep(1.0)  # inside the run, holding the lock
    assert proc.poll() is None
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its page workers, no cleanup
    proc.wait()
    assert (output / "latest").resolve() == before and _builds(output) == builds
    assert len(load_report(output / "latest").cases) == 29
    assert _state(prefect_server, killed[1]).name == "Running"  # nobody told the server
    result = casebook("build", "--output-dir", str(output), "--wait", "5", env=prefect_server)
    assert result.returncode == 0, result.stdout + result.stderr  # the lock died with the run
    assert not (output / ".staging").exists()
    # the next run found the killed run's record (its process is gone) and closed its flow run
    state = _state(prefect_server, killed[1])
    assert state.name == "Crashed" and "killed" in (state.message or ""), state
    assert f"marked 1 flow runs of killed builds as Crashed: {killed[1]}" in result.stderr
    assert not (output / ".runs").exists()


def _state(env: dict[str, str], flow_run_id: str) -> Any:
    """The state the server has for a flow run."""
    from prefect.client.orchestration import get_client

    with client(env), get_client(sync_client=True) as api:
        return api.read_flow_run(flow_run_id).state


def test_concurrent_runs_take_turns(output: Path, prefect_server: dict[str, str]) -> None:
    builds = _builds(output)
    runs = [
        subprocess.Popen(
            [str(BIN / "casebook"), "build", "--output-dir", str(output), "--keep", "20"],
            env={**os.environ, **prefect_server, "PREFECT_LOGGING_LEVEL": "INFO"},
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        )
        for _ in range(2)
    ]
    logs = [run.communicate(timeout=300)[0] for run in runs]
    assert [run.returncode for run in runs] == [0, 0], logs
    assert sum("is running; waiting up to" in log for log in logs) <= 1
    new = [b for b in _builds(output) if b not in builds]
    assert len(new) == 2 and (output / "latest").resolve().name in new
    for name in new:
        assert len(load_report(output / "builds" / name).cases) == 29
        assert json.loads((output / "builds" / name / "build.json").read_text(encoding="utf-8"))["published_as_latest"]


@pytest.fixture(scope="module")
def embedded_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A PREFECT_HOME for runs on a temporary server (one database for the module: creating it costs ~15 s)."""
    return tmp_path_factory.mktemp("embedded") / "home"


def test_bad_source_fails_with_its_message_and_publishes_nothing(
    output: Path, tmp_path: Path, embedded_home: Path
) -> None:
    bad = tmp_path / "report.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    before, builds = (output / "latest").resolve(), _builds(output)
    result = subprocess.run(
        [str(BIN / "casebook"), "build", "--source", str(bad), "--output-dir", str(output)],
        env=_embedded_env(embedded_home), capture_output=True, text=True, timeout=300, check=False,
    )
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stderr.splitlines()[-1] == (
        f"casebook build: error: extract: {bad}: not a PDF (no %PDF- header) — pass the report's PDF file, not "
        "another format"
    )
    assert (output / "latest").resolve() == before and _builds(output) == builds
    assert "Traceback" not in result.stderr and f"extract: {bad}: not a PDF" in result.stderr


def test_missing_editorial_file_is_an_error_not_a_default(output: Path, prefect_server: dict[str, str]) -> None:
    builds = _builds(output)
    start = time.monotonic()
    result = casebook("build", "--corrections", "/nonexistent.yaml", "--output-dir", str(output), env=prefect_server)
    assert result.returncode == 2 and result.stdout == ""  # before any Prefect run: nothing else to say
    assert result.stderr == (
        "casebook build: error: /nonexistent.yaml: corrections file not found — check the path given as "
        "--corrections (-p corrections=…) or in casebook.toml, or leave it out (--no-corrections, "
        "-p corrections=none)\n"
    )
    assert time.monotonic() - start < 10 and _builds(output) == builds


def test_lock_wait_comes_before_the_temporary_server(output: Path, tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [str(BIN / "python"), "-c", "import sys, time; from pathlib import Path; from flows.publish import run_lock\n"
         "with run_lock(Path(sys.argv[1]), wait_seconds=5):\n    print('locked', flush=True); time.sleep(60)",
         str(output)], stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        result = subprocess.run(
            [str(BIN / "casebook"), "build", "--output-dir", str(output), "--wait", "1"],
            env={**_embedded_env(tmp_path / "home"), "PREFECT_LOGGING_LEVEL": "INFO"}, capture_output=True, text=True,
            timeout=60, check=False,
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == 2, result.stdout + result.stderr
    assert result.stdout == ""
    assert result.stderr == (
        f"casebook build: lock: another build of {output} is running; waiting up to 1 s for it\n"
        f"casebook build: error: {output}: another build is running (it holds {output / '.lock'}) and did not "
        "finish within 1 s — wait for it to end, or allow a longer wait (--wait / lock_wait)\n"
    )
    assert not (tmp_path / "home" / "prefect.db").exists()  # no server was started


@pytest.fixture
def tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A 1 MB file system (a build needs ~3 MB): a disk that fills up half-way through a build."""
    mount = tmp_path / "tmpfs"
    mount.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                      capture_output=True, check=False).returncode != 0:
        pytest.skip("mounting a tmpfs needs root (CI runs as root)")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=True)


def test_disk_full_fails_with_one_line_and_leaves_nothing(
    published: Path, tmpfs: Path, prefect_server: dict[str, str]
) -> None:
    result = casebook("build", "--output-dir", str(tmpfs), env=prefect_server)
    assert result.returncode == 2, result.stdout + result.stderr
    # the line names the file that did not fit, and what the build needs
    line = re.compile(
        rf"casebook build: error: publish: {re.escape(str(tmpfs))}/\.staging/\w+/([\w./-]+): no space left on the "
        rf"device while writing the build \(the build needs \d+\.\d MB\) — free some space \(or delete old builds "
        rf"in {re.escape(str(tmpfs / 'builds'))}, or use --keep\) and run again; nothing was published")
    assert line.fullmatch(result.stderr.splitlines()[-1]), result.stderr
    assert "Traceback" not in result.stderr
    assert re.search(rf"ERROR .* - publish: {re.escape(str(tmpfs))}/\.staging/\S+: no space left", result.stderr), \
        result.stderr
    assert sorted(p.name for p in tmpfs.iterdir()) == [".lock"]  # no partial staging keeps the disk full
    # --quiet: the one line, and no Prefect ERROR lines repeating it above
    quiet = casebook("build", "--output-dir", str(tmpfs), "--quiet", env=prefect_server)
    assert quiet.returncode == 2 and quiet.stdout == ""
    assert len(quiet.stderr.splitlines()) == 1 and line.fullmatch(quiet.stderr.strip()), quiet.stderr


def _embedded_env(home: Path) -> dict[str, str]:
    """No PREFECT_API_URL: `casebook build` starts its temporary server, as `make run` does."""
    env = {k: v for k, v in os.environ.items() if k != "PREFECT_API_URL"}
    return {**env, "PREFECT_HOME": str(home)}


def test_killing_the_cli_alone_stops_its_temporary_server(
    output: Path, source_pdf: Path, tmp_path: Path, embedded_home: Path
) -> None:
    before = (output / "latest").resolve()
    pdf = revised_source(source_pdf, tmp_path / "unseen.pdf", tail=f"\n% {time.time()}\n".encode())
    proc = subprocess.Popen(
        [str(BIN / "casebook"), "build", "--source", str(pdf), "--output-dir", str(output)],
        env={**_embedded_env(embedded_home), "PREFECT_LOGGING_LEVEL": "INFO"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    assert proc.stdout is not None
    for line in proc.stdout:
        if "Beginning flow run" in line:
            break
    children = psutil.Process(proc.pid).children(recursive=True)
    servers = [c for c in children if "uvicorn" in " ".join(c.cmdline())]
    assert len(servers) == 1, [c.cmdline() for c in children]
    proc.kill()  # SIGKILL to the CLI only, as `kill -9 <pid>` does: no cleanup code runs
    proc.wait()
    _, alive = psutil.wait_procs(servers, timeout=15)
    assert alive == [], "the temporary server outlived the CLI"
    assert (output / "latest").resolve() == before
