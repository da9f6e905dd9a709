"""Publishing: versioned builds, atomic `latest`, retention, the run lock — a killed or concurrent
writer included (real processes, no Prefect)."""

from __future__ import annotations

import errno
import json
import re
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from casebook.errors import LockTimeoutError
from flows.publish import (
    PublishError,
    build_id,
    latest_build,
    mark_latest,
    prune,
    publish,
    run_lock,
    stage,
)
from transform.export import load_report, report_files
from transform.records import Report


def _publish(output: Path, text: str, ident: str, *, latest: bool = True, keep: int = 5) -> Path:
    return publish(output, stage(output, {"report.txt": text.encode()}), ident, switch_latest=latest, keep=keep)


def _child(script: str, *args: str) -> subprocess.Popen[str]:
    """A Python process running `script` (flows.publish importable), stdout piped."""
    return subprocess.Popen([sys.executable, "-c", textwrap.dedent(script), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_build_id_sorts_by_utc_time_and_names_the_source() -> None:
    tokyo = timezone(timedelta(hours=9))
    assert build_id("ab" * 32, datetime(2026, 3, 1, 18, 5, 7, tzinfo=tokyo)) == "20260301T090507Z-abababababab"
    assert build_id("cd" * 32, datetime(2026, 3, 1, 9, 5, 7, tzinfo=UTC)).startswith("20260301T090507Z-cdcd")


def test_publish_switches_latest_only_when_asked(tmp_path: Path) -> None:
    with run_lock(tmp_path, wait_seconds=1):
        good = _publish(tmp_path, "good", "20260101T000000Z-a")
        bad = _publish(tmp_path, "bad", "20260102T000000Z-b", latest=False)
    assert latest_build(tmp_path) == good and bad.is_dir()
    assert (tmp_path / "latest" / "report.txt").read_text() == "good"
    assert (tmp_path / "latest").readlink() == Path("builds/20260101T000000Z-a")  # relative: movable
    assert not (tmp_path / ".staging").exists()


def test_same_id_twice_gets_a_suffix(tmp_path: Path) -> None:
    first = _publish(tmp_path, "1", "20260101T000000Z-a")
    second = _publish(tmp_path, "2", "20260101T000000Z-a")
    assert first != second and second.name.startswith("20260101T000000Z-a-")
    assert latest_build(tmp_path) == second


def test_prune_keeps_the_newest_and_never_latest(tmp_path: Path) -> None:
    first = _publish(tmp_path, "1", "20260101T000000Z-a", keep=10)
    for day in range(2, 6):
        _publish(tmp_path, str(day), f"2026010{day}T000000Z-x", latest=False, keep=10)
    removed = prune(tmp_path, keep=2)
    left = sorted(p.name for p in (tmp_path / "builds").iterdir())
    assert left == ["20260101T000000Z-a", "20260104T000000Z-x", "20260105T000000Z-x"]
    assert first not in removed and latest_build(tmp_path) == first
    with pytest.raises(ValueError, match="keep must be at least 1"):
        _publish(tmp_path, "6", "20260106T000000Z-x", keep=0)


def test_second_run_waits_then_fails_clearly(tmp_path: Path) -> None:
    holder = _child("""
        import sys, time; from pathlib import Path; from flows.publish import run_lock
        with run_lock(Path(sys.argv[1]), wait_seconds=5):
            print("locked", flush=True); time.sleep(60)
    """, str(tmp_path))
    waited = []
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(LockTimeoutError, match="another build is running"), \
                run_lock(tmp_path, wait_seconds=0.5, on_wait=lambda: waited.append(True)):
            pass
        assert waited == [True]
    finally:
        holder.kill()
        holder.wait()
    with run_lock(tmp_path, wait_seconds=5):  # the kernel released the killed process's lock
        pass


def test_run_killed_mid_build_leaves_latest_intact_and_loadable(tmp_path: Path, report: Report) -> None:
    good = publish(tmp_path, stage(tmp_path, report_files(report)), "20260101T000000Z-good",
                   switch_latest=True, keep=5)
    # A run that holds the lock and is half-way through staging its files when it is SIGKILLed.
    writer = _child("""
        import sys, time; from pathlib import Path; from flows.publish import run_lock, stage
        class Slow(dict):
            def items(self):
                for i, item in enumerate(super().items()):
                    if i == 2:
                        print("half-written", flush=True); time.sleep(60)
                    yield item
        out = Path(sys.argv[1])
        with run_lock(out, wait_seconds=5):
            stage(out, Slow({f"f{i}.json": b"{}" for i in range(5)}))
    """, str(tmp_path))
    assert writer.stdout is not None and writer.stdout.readline().strip() == "half-written"
    writer.kill()  # SIGKILL: no cleanup code runs
    writer.wait()
    assert any((tmp_path / ".staging").iterdir())  # its debris
    assert latest_build(tmp_path) == good
    assert len(load_report(tmp_path / "latest").cases) == 29
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == [good.name]
    with run_lock(tmp_path, wait_seconds=5):  # the next run gets the lock and clears the debris
        assert not (tmp_path / ".staging").exists()


def test_concurrent_runs_take_turns_and_both_publish_whole_builds(tmp_path: Path) -> None:
    script = """
        import json, sys, time; from pathlib import Path
        from flows.publish import publish, run_lock, stage
        out, name = Path(sys.argv[1]), sys.argv[2]
        with run_lock(out, wait_seconds=30):
            start = time.monotonic()
            files = {f"part{i}.json": json.dumps({"run": name, "part": i}).encode() for i in range(50)}
            staging = stage(out, files)
            time.sleep(0.5)  # hold the lock long enough for the other run to be waiting
            publish(out, staging, f"20260101T000000Z-{name}", switch_latest=True, keep=5)
            print(json.dumps([start, time.monotonic()]), flush=True)
    """
    runs = [_child(script, str(tmp_path), name) for name in ("a", "b")]
    outputs = [run.communicate(timeout=60) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    first, second = sorted(json.loads(out) for out, _ in outputs)
    assert first[1] <= second[0]  # one after the other, never interleaved
    builds = sorted((tmp_path / "builds").iterdir())
    assert [b.name for b in builds] == ["20260101T000000Z-a", "20260101T000000Z-b"]
    for build in builds:
        parts = [json.loads((build / f"part{i}.json").read_text()) for i in range(50)]
        assert {p["run"] for p in parts} == {build.name[-1]}  # no file of the other run
    assert latest_build(tmp_path) in builds


def test_prune_killed_mid_delete_leaves_no_half_build(tmp_path: Path) -> None:
    for day in range(1, 4):
        _publish(tmp_path, str(day), f"2026010{day}T000000Z-x", keep=10)
    (tmp_path / "builds" / "20260101T000000Z-x" / "more").mkdir()  # something left to delete after the first file
    (tmp_path / "builds" / "20260101T000000Z-x" / "more" / "b.txt").write_text("b")
    # A run SIGKILLed in the middle of deleting an old build (its rmtree stops after one file).
    pruner = _child("""
        import shutil, sys, time; from pathlib import Path; import flows.publish as publish
        def slow_rmtree(path, ignore_errors=False):
            (Path(path) / "report.txt").unlink()
            print("deleting", flush=True); time.sleep(60)
        publish.shutil.rmtree = slow_rmtree
        publish.prune(Path(sys.argv[1]), keep=2)
    """, str(tmp_path))
    assert pruner.stdout is not None and pruner.stdout.readline().strip() == "deleting"
    pruner.kill()
    pruner.wait()
    # builds/ holds only whole builds; the half-deleted one is outside it until the next run
    assert sorted(p.name for p in (tmp_path / "builds").iterdir()) == ["20260102T000000Z-x", "20260103T000000Z-x"]
    assert all((b / "report.txt").is_file() for b in (tmp_path / "builds").iterdir())
    assert [p.name for p in (tmp_path / ".pruning").iterdir()] == ["20260101T000000Z-x"]
    with run_lock(tmp_path, wait_seconds=5):
        assert not (tmp_path / ".pruning").exists()


def test_stale_latest_link_is_removed_by_the_next_run(tmp_path: Path) -> None:
    good = _publish(tmp_path, "good", "20260101T000000Z-a")
    stale = tmp_path / ".latest-0123abcd"  # a run killed between creating the new link and renaming it
    stale.symlink_to("builds/20260101T000000Z-a")
    with run_lock(tmp_path, wait_seconds=5):
        assert not stale.is_symlink()
    assert latest_build(tmp_path) == good


def test_build_json_says_latest_only_after_the_switch(tmp_path: Path) -> None:
    record = json.dumps({"published_as_latest": False}).encode()
    kept = publish(tmp_path, stage(tmp_path, {"build.json": record}), "20260101T000000Z-a",
                   switch_latest=False, keep=5)
    assert json.loads((kept / "build.json").read_text())["published_as_latest"] is False
    good = publish(tmp_path, stage(tmp_path, {"build.json": record}), "20260102T000000Z-b",
                   switch_latest=True, keep=5)
    mark_latest(good)
    assert json.loads((good / "build.json").read_text())["published_as_latest"] is True
    assert sorted(p.name for p in good.iterdir()) == ["build.json"]  # no temporary file left


def test_a_kill_between_the_switch_and_the_record_is_finished_by_the_next_run(tmp_path: Path) -> None:
    record = json.dumps({"published_as_latest": False}).encode()
    kept = publish(tmp_path, stage(tmp_path, {"build.json": record}), "20260101T000000Z-a",
                   switch_latest=False, keep=5)
    killed = publish(tmp_path, stage(tmp_path, {"build.json": record}), "20260102T000000Z-b",
                     switch_latest=True, keep=5)  # killed here: mark_latest never ran
    (killed / ".build.json-0123abcd").write_text("{", encoding="utf-8")  # its half-written record
    with run_lock(tmp_path, wait_seconds=5):
        pass
    assert json.loads((killed / "build.json").read_text())["published_as_latest"] is True
    assert json.loads((kept / "build.json").read_text())["published_as_latest"] is False
    assert sorted(p.name for p in killed.iterdir()) == ["build.json"]


def test_disk_full_while_staging_leaves_nothing_and_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    real_write = Path.write_bytes

    def write_until_full(self: Path, data: bytes) -> int:
        if len(written) == 2:
            raise OSError(errno.ENOSPC, "No space left on device", str(self))
        written.append(self.name)
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", write_until_full)
    with pytest.raises(PublishError) as caught:
        stage(tmp_path, {f"f{i}.txt": b"x" for i in range(5)})
    message = str(caught.value)
    # the file that failed (the third), and how much the build needs
    failed = re.fullmatch(r"(\S+): no space left on the device while writing the build \(the build needs 0\.0 MB\) — "
                          r"free some space \(or delete old builds in (\S+), or use --keep\) and run again; nothing was "
                          r"published", message)
    assert failed is not None, message
    assert Path(failed[1]).name == "f2.txt" and Path(failed[1]).parent.parent == tmp_path / ".staging"
    assert failed[2] == str(tmp_path / "builds")
    assert not (tmp_path / ".staging").exists()
