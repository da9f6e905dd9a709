"""`casebook build` end to end with real processes: publish, cache, kill, concurrency, changes."""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.editions import chromium_edition
from tests.flows.conftest import BIN, casebook
from transform.export import load_report
from transform.records import Report

pytestmark = pytest.mark.prefect_server


@pytest.fixture(scope="module")
def published(prefect_server: dict[str, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder holding one good build."""
    out = tmp_path_factory.mktemp("published")
    result = casebook("build", "--output-dir", str(out), env=prefect_server)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "52 checks passed, 77 need review" in result.stdout
    return out


def _builds(out: Path) -> list[str]:
    return sorted(p.name for p in (out / "builds").iterdir())


def test_first_build_is_published_as_latest(published: Path) -> None:
    latest = published / "latest"
    assert latest.is_symlink()
    assert len(load_report(latest).cases) == 29
    for rel in ("casebook.docx", "html/index.html", "html/case-11.html", "validation.json", "validation.html",
                "changes.json", "cases.json", "items.csv", "tables/3-1.csv", "build.json"):
        assert (latest / rel).is_file(), rel
    build = json.loads((latest / "build.json").read_text(encoding="utf-8"))
    assert build["published_as_latest"] is True and build["validation"]["error"] == 0
    changes = json.loads((latest / "changes.json").read_text(encoding="utf-8"))
    assert changes["summary"] == "first published build: nothing to compare with"


def test_second_build_of_the_same_source_reuses_extraction(published: Path, prefect_server: dict[str, str]) -> None:
    result = casebook("build", "--output-dir", str(published), env=prefect_server)
    assert result.returncode == 0, result.stderr
    logs = result.stdout + result.stderr
    assert "Finished in state Cached" in logs
    changes = json.loads((published / "latest" / "changes.json").read_text(encoding="utf-8"))
    assert changes["summary"].startswith("no changes since ")


def test_killed_build_leaves_latest_intact(published: Path, prefect_server: dict[str, str]) -> None:
    before = (published / "latest").resolve()
    builds = _builds(published)
    proc = subprocess.Popen(
        [str(BIN / "casebook"), "build", "--output-dir", str(published)],
        env={**os.environ, **prefect_server}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    staging = published / ".staging"
    deadline = time.monotonic() + 120
    while not (staging.is_dir() and any(staging.iterdir())):
        assert proc.poll() is None and time.monotonic() < deadline, "the build never started staging"
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    assert (published / "latest").resolve() == before
    assert _builds(published) == builds
    assert len(load_report(published / "latest").cases) == 29
    # the next run takes the lock, clears the dead run's staging folder and publishes
    result = casebook("build", "--output-dir", str(published), env=prefect_server)
    assert result.returncode == 0, result.stderr
    assert not any(staging.iterdir())


def test_concurrent_builds_do_not_corrupt_the_output(
    published: Path, prefect_server: dict[str, str]
) -> None:
    builds = _builds(published)
    runs = [
        subprocess.Popen(
            [str(BIN / "casebook"), "build", "--output-dir", str(published), "--keep", "20"],
            env={**os.environ, **prefect_server}, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    new = [b for b in _builds(published) if b not in builds]
    assert len(new) == 2
    assert (published / "latest").resolve().name in new
    for name in new:
        assert len(load_report(published / "builds" / name).cases) == 29


def test_changed_source_names_the_changed_case_and_step(
    published: Path, prefect_server: dict[str, str], report: Report, tmp_path: Path
) -> None:
    cases = copy.deepcopy(report.cases)
    item = cases[6].steps[2].sections[0].items[0]
    item.text = item.text.replace("。", "（改訂）。", 1)
    pdf = chromium_edition(cases, tmp_path / "revised.pdf", paper="A4", kangxi=False)
    before = (published / "latest").resolve()
    builds = _builds(published)
    result = casebook("build", "--source", str(pdf), "--output-dir", str(published), env=prefect_server)
    # This edition has only the case tables: Chapter 3 is missing, so validation has error checks
    # and the build is kept for review but not published as latest.
    assert result.returncode == 2, result.stdout + result.stderr
    assert "checks are errors" in result.stdout
    assert (published / "latest").resolve() == before
    (new,) = [b for b in _builds(published) if b not in builds]
    changes = json.loads((published / "builds" / new / "changes.json").read_text(encoding="utf-8"))
    assert [(c["no"], [s["step"] for s in c["steps"]]) for c in changes["cases_changed"]] == [(7, [3])]
    diff = "\n".join(changes["cases_changed"][0]["steps"][0]["diff"])
    assert "（改訂）。" in diff
    assert "事例7" in (published / "builds" / new / "changes.html").read_text(encoding="utf-8")


def test_bad_source_fails_with_its_message_and_publishes_nothing(published: Path, tmp_path: Path) -> None:
    bad = tmp_path / "report.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    before = (published / "latest").resolve()
    builds = _builds(published)
    # Without PREFECT_API_URL: the embedded (ephemeral) server, as `make run` uses it.
    result = casebook("build", "--source", str(bad), "--output-dir", str(published),
                      env={"PREFECT_HOME": str(tmp_path / "home")})
    assert result.returncode == 2
    assert "not a PDF (no %PDF- header)" in result.stdout
    assert (published / "latest").resolve() == before and _builds(published) == builds
