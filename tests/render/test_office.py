"""LibreOffice as a print service (render/office.py): a private one per print, or one kept warm for
as long as an anchor process lives — reused, one print at a time, replaced within the run when it
hangs or dies, stopped with its anchor — and the folders of killed prints removed by the next."""

from __future__ import annotations

import fcntl
import io
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import psutil
import pytest

from render import office, wordml

pytestmark = pytest.mark.office

TMP = Path(tempfile.gettempdir())


@pytest.fixture(scope="module")
def small_docx() -> bytes:
    """Two chapters on two pages, each heading bookmarked."""
    document = docx.Document()
    for i, name in enumerate(("one", "two"), start=1):
        if i > 1:
            document.add_page_break()
        heading = document.add_heading(f"第{i}章 テスト", level=1)
        wordml.add_bookmark(heading, name, i)
        document.add_paragraph("本文。" * 20)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.fixture
def anchor(monkeypatch: pytest.MonkeyPatch) -> Iterator[subprocess.Popen[bytes]]:
    """A process that stands in for a worker: a warm LibreOffice lives as long as it does."""
    proc = subprocess.Popen(["sleep", "600"])
    monkeypatch.setenv(office.ANCHOR_ENV, str(proc.pid))
    try:
        yield proc
    finally:
        proc.kill()
        proc.wait()
        _wait(lambda: not _warm_folders(proc.pid) and not _warm_offices(proc.pid), 30)


def _warm_folders(pid: int) -> list[Path]:
    return sorted(TMP.glob(f"{office.WARM}{os.getuid()}-{pid}-*"))


def _warm_offices(pid: int) -> list[psutil.Process]:
    """The soffice.bin running on the warm profile of anchor `pid`."""
    needle = f"{office.WARM}{os.getuid()}-{pid}-"
    found = []
    for proc in psutil.process_iter(["name", "cmdline"]):
        if proc.info["name"] == "soffice.bin" and any(needle in a for a in proc.info["cmdline"] or ()):
            found.append(proc)
    return found


def _own_folders() -> list[Path]:
    """Folders of prints by this process."""
    return sorted(TMP.glob(f"{office.PREFIX}{os.getpid()}-*"))


def _wait(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def test_a_private_print_lays_out_and_leaves_nothing_behind(small_docx: bytes) -> None:
    printed = office.print_docx(small_docx, {"one", "two", "missing"})
    assert printed.pdf.startswith(b"%PDF-") and printed.pages == 2
    assert printed.bookmarks == {"one": 1, "two": 2}  # only those asked for, and that exist
    assert _own_folders() == []


def test_a_warm_office_is_reused_and_stops_with_its_anchor(
    small_docx: bytes, anchor: subprocess.Popen[bytes]
) -> None:
    assert office.print_docx(small_docx).pages == 2
    first = _warm_offices(anchor.pid)
    assert len(first) == 1 and len(_warm_folders(anchor.pid)) == 1
    assert office.print_docx(small_docx).bookmarks == {"one": 1, "two": 2}
    assert _warm_offices(anchor.pid) == first  # the same LibreOffice: no start paid again
    assert _own_folders() == []
    anchor.kill()
    anchor.wait()
    _wait(lambda: not _warm_offices(anchor.pid) and not _warm_folders(anchor.pid), 30)


def test_a_hung_warm_office_is_replaced_within_the_run(
    small_docx: bytes, anchor: subprocess.Popen[bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    office.print_docx(small_docx)
    [hung] = _warm_offices(anchor.pid)
    hung.suspend()  # SIGSTOP: it still exists, it answers nothing
    monkeypatch.setattr(office, "WARM_CHECK_SECONDS", 3.0)
    start = time.monotonic()
    printed = office.print_docx(small_docx)  # the warm one does not answer: a private one prints
    assert printed.pages == 2 and time.monotonic() - start < 60
    _wait(lambda: not hung.is_running() or hung.status() == psutil.STATUS_ZOMBIE, 15)
    assert office.print_docx(small_docx).pages == 2  # the next print starts a warm one again
    [fresh] = _warm_offices(anchor.pid)
    assert fresh.pid != hung.pid
    assert _own_folders() == []


def test_a_dead_warm_office_is_replaced(small_docx: bytes, anchor: subprocess.Popen[bytes]) -> None:
    office.print_docx(small_docx)
    [dead] = _warm_offices(anchor.pid)
    dead.kill()
    start = time.monotonic()
    assert office.print_docx(small_docx).pages == 2  # seen dead within a second, printed by another
    assert time.monotonic() - start < 30
    assert office.print_docx(small_docx).pages == 2
    [fresh] = _warm_offices(anchor.pid)  # warm again
    assert fresh.pid != dead.pid


def test_a_busy_warm_office_is_never_shared(small_docx: bytes, anchor: subprocess.Popen[bytes]) -> None:
    office.print_docx(small_docx)
    [warm] = _warm_folders(anchor.pid)
    with (warm / "lock").open("wb") as lock:  # another print holds it
        fcntl.flock(lock, fcntl.LOCK_EX)
        assert office.print_docx(small_docx).pages == 2  # done by a private one, not waiting
    assert len(_warm_offices(anchor.pid)) == 1


def test_folders_of_ended_processes_are_removed_with_what_runs_on_them(tmp_path: Path) -> None:
    gone = subprocess.Popen(["true"])
    identity = office._identity(gone.pid)
    gone.wait()
    stale = TMP / f"{office.PREFIX}{identity}-test"
    live = TMP / f"{office.PREFIX}{office._identity(os.getpid())}-test"
    legacy = TMP / f"{office.PREFIX}abc123xy"  # an older version's: not named after a process
    for folder in (stale, live, legacy):
        folder.mkdir()
        (folder / "casebook.docx").write_bytes(b"PK")
    leftover = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)", str(stale / "profile")])
    try:
        removed = office.clear_stale()
        assert stale in removed and not stale.exists()
        assert leftover.wait(timeout=10) == -9  # what still ran on it was stopped
        assert live.exists() and legacy.exists()
    finally:
        leftover.kill()
        for folder in (live, legacy):
            (folder / "casebook.docx").unlink()
            folder.rmdir()


def test_a_print_killed_half_way_is_cleaned_up_by_the_next(small_docx: bytes, tmp_path: Path) -> None:
    source = tmp_path / "small.docx"
    source.write_bytes(small_docx)
    script = ("import sys; from pathlib import Path; from render.office import print_docx\n"
              "while True: print_docx(Path(sys.argv[1]).read_bytes())")
    proc = subprocess.Popen([sys.executable, "-c", script, str(source)])
    pattern = f"{office.PREFIX}{proc.pid}-*"
    _wait(lambda: any((f / "profile").exists() for f in TMP.glob(pattern)), 60)
    proc.kill()  # kill -9 while LibreOffice runs: no cleanup code runs
    proc.wait()
    [left] = TMP.glob(pattern)
    assert left.exists()
    assert left in office.clear_stale()  # what the next print (or build) does first
    assert not left.exists()
    running = [p for p in psutil.process_iter(["cmdline"]) if any(str(left) in a for a in p.info["cmdline"] or ())]
    _wait(lambda: not any(p.is_running() and p.status() != psutil.STATUS_ZOMBIE for p in running), 15)
