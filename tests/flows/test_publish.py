"""Publishing: versioned builds, atomic `latest`, retention, the run lock."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from flows.publish import BuildLockedError, build_id, latest_build, new_staging, prune, publish, run_lock


def _stage(output: Path, text: str) -> Path:
    staging = new_staging(output)
    (staging / "report.json").write_text(text, encoding="utf-8")
    return staging


def test_build_id_sorts_by_time_and_names_the_source() -> None:
    assert build_id(datetime(2026, 3, 1, 9, 5, 7), "ab" * 32) == "20260301T090507-abababababab"


def test_publish_switches_latest_only_for_good_builds(tmp_path: Path) -> None:
    with run_lock(tmp_path, wait_seconds=1):
        good = publish(tmp_path, _stage(tmp_path, "good"), "20260101T000000-a", switch_latest=True, keep=5)
        bad = publish(tmp_path, _stage(tmp_path, "bad"), "20260102T000000-b", switch_latest=False, keep=5)
    assert latest_build(tmp_path) == good
    assert (tmp_path / "latest" / "report.json").read_text(encoding="utf-8") == "good"
    assert (bad.is_dir() and not (tmp_path / ".staging").exists()) or not any((tmp_path / ".staging").iterdir())


def test_prune_keeps_the_newest_and_never_latest(tmp_path: Path) -> None:
    first = publish(tmp_path, _stage(tmp_path, "1"), "20260101T000000-a", switch_latest=True, keep=10)
    for day in range(2, 6):
        publish(tmp_path, _stage(tmp_path, str(day)), f"2026010{day}T000000-x", switch_latest=False, keep=10)
    removed = prune(tmp_path, keep=2)
    left = sorted(p.name for p in (tmp_path / "builds").iterdir())
    assert left == ["20260101T000000-a", "20260104T000000-x", "20260105T000000-x"]
    assert first not in removed and latest_build(tmp_path) == first


def test_second_run_waits_then_fails_clearly(tmp_path: Path) -> None:
    holder = subprocess.Popen(
        [sys.executable, "-c", (
            "import sys, time; from pathlib import Path; from flows.publish import run_lock\n"
            "with run_lock(Path(sys.argv[1]), wait_seconds=5):\n"
            "    print('locked', flush=True); time.sleep(30)\n"
        ), str(tmp_path)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        start = time.monotonic()
        with pytest.raises(BuildLockedError, match="another build is running"), run_lock(tmp_path, wait_seconds=1):
            pass
        assert time.monotonic() - start >= 1
    finally:
        holder.kill()
        holder.wait()
    with run_lock(tmp_path, wait_seconds=5):  # the OS released the lock of the killed process
        pass


def test_lock_clears_staging_left_by_a_killed_run(tmp_path: Path) -> None:
    leftover = new_staging(tmp_path)
    (leftover / "half.docx").write_bytes(b"partial")
    with run_lock(tmp_path, wait_seconds=1):
        assert not leftover.exists()
