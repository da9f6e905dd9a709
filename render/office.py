"""LibreOffice as the casebook's layout engine: paginate a .docx and print it as PDF.

python-docx writes structure, not pages: a table of contents or a page reference needs a layout
engine to know its numbers. `print_docx` hands the document to a headless LibreOffice (driven by
`uno_print.py`, run by the system Python that has Debian's python3-uno), which lays it out once,
updates the table of contents and the page references in that layout, exports the PDF, and
reports the page every bookmark landed on. The Word file then gets the same numbers written into
its fields' results, so that it opens with a filled table of contents — no update prompt.

Fonts: the document names the fonts Word on Windows has (游明朝 / 游ゴシック). LibreOffice runs
with `fonts.conf` (next to this module), which maps those names to the Japanese faces installed
here (IPAex明朝 for Mincho, Noto Sans CJK JP / IPAexゴシック for Gothic), so the PDF embeds a
Mincho body face and a Gothic heading face.

Which LibreOffice. Starting one costs a second or more, laying the casebook out about as much:

- **private** (the default): one started for this print, with a profile of its own in a temporary
  folder named after the process that owns it (`casebook-office-<pid>-<start>-…`), stopped and
  removed afterwards. `prestarted()` starts it while the Word document is still being written.
- **warm**: with `CASEBOOK_OFFICE_ANCHOR` set (a process id, or `parent`: the process that started
  this one), one LibreOffice is kept running for as long as that process lives — a Prefect worker or
  `python -m flows.serve`, whose flow-run processes come and go — so a print skips the start. A
  watcher process (`python -m render.office watch …`, its LibreOffice in its process group) stops it
  when the anchor process ends, when it has not been used for IDLE_SECONDS, or when it dies. A print
  holds its lock (flock) throughout: never two prints in it at once; a print that finds it busy uses
  a private one rather than wait. One that does not answer within WARM_CHECK_SECONDS, fails a print
  or takes longer than WARM_PRINT_SECONDS is stopped, and the print is done again by a private one —
  in the same run.

A killed run leaves its folder (with a copy of the document) and perhaps its LibreOffice: the next
print — or the next build, through `clear_stale()` — removes every such folder whose owner process
has ended, and stops what still runs on it.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import psutil

from casebook.errors import RenderError

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "uno_print.py"
FONTS_CONF = HERE / "fonts.conf"
SYSTEM_PYTHON = "/usr/bin/python3"  # Debian's, where python3-uno installs `uno`
SOFFICE = "soffice"
ANCHOR_ENV = "CASEBOOK_OFFICE_ANCHOR"
PREFIX = "casebook-office-"
WARM = f"{PREFIX}warm-"
TIMEOUT_SECONDS = 300.0  # a print on a private LibreOffice, its start included
WARM_CHECK_SECONDS = 20.0  # a warm LibreOffice answers within this, or it is replaced
WARM_PRINT_SECONDS = 120.0  # a print on a warm one (≈2 s) taking longer hangs: replaced
IDLE_SECONDS = 3600.0  # a warm one unused this long is stopped
WATCH_SECONDS = 1.0  # how often the watcher looks at its anchor and its LibreOffice


class OfficeError(RenderError):
    """LibreOffice is missing or could not lay out the document (one line: what, what to do)."""


@dataclass(frozen=True)
class Printed:
    """The PDF LibreOffice printed and the page numbers of its layout."""

    pdf: bytes
    pages: int
    bookmarks: dict[str, int]  # bookmark name → page it starts on
    toc: list[tuple[str, int | None]]  # the table of contents as LibreOffice filled it
    # Headings given a page break (uno_print.keep_headings): (chapter bookmark, position among
    # the chapter's headings).
    breaks: list[tuple[str, int]] = field(default_factory=list)
    # Chapters set tighter, and how far (uno_print.pull_back_tails: 1 or 2).
    tightened: dict[str, int] = field(default_factory=dict)


def print_docx(docx: bytes, chapters: Sequence[str] = ()) -> Printed:
    """Lay out `docx` with headless LibreOffice (with the layout pass of uno_print.py): the PDF and
    the page of every bookmark (of the `chapters`' bookmarks only, when given: reading a page costs
    a few calls to LibreOffice)."""
    _check_installed()
    request = list(chapters) or None
    office = _PRESTARTED.pop() if _PRESTARTED else None
    if office is None:
        clear_stale()
        office = _warm() or _Private.start()
    try:
        return office.print(docx, request)
    except _Replace:  # a warm LibreOffice that died or hangs: stopped, and a private one prints
        office.discard()
        office = _Private.start()
        return office.print(docx, request)  # its failures are the run's (OfficeError)
    finally:
        office.close()


@contextlib.contextmanager
def prestarted() -> Iterator[None]:
    """Start the LibreOffice the next `print_docx` in this block uses now, while the caller still
    writes the document; stop it at the end of the block if no print used it."""
    _check_installed()
    clear_stale()
    office = _warm() or _Private.start()
    _PRESTARTED.append(office)
    try:
        yield
    finally:
        if office in _PRESTARTED:
            _PRESTARTED.remove(office)
            office.close()


_PRESTARTED: list[_Office] = []


def _check_installed() -> None:
    for program, package in ((SYSTEM_PYTHON, "python3-uno"), (shutil.which(SOFFICE), "libreoffice-writer")):
        if not program or not Path(program).exists():
            raise OfficeError(f"LibreOffice printing needs {package} — install it (make setup)")


class _Replace(Exception):
    """This LibreOffice failed in a way another may not: print again on a fresh one."""


# ---------------------------------------------------------------------------------------------
# a LibreOffice with a client connected to it


class _Office:
    """A listening LibreOffice and the `uno_print.py` client driving it; `folder` holds the files
    of a print."""

    def __init__(self, pipe: str, folder: Path, *, wait: float) -> None:
        self.folder = folder
        self.wait = wait  # how long the client may take to connect: a cold start, or a warm answer
        self.client = subprocess.Popen(
            [SYSTEM_PYTHON, str(SCRIPT), pipe], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, env=_office_env(folder), text=True, preexec_fn=_die_with_parent,
        )
        self.ready = False

    def print(self, docx: bytes, chapters: list[str] | None) -> Printed:
        name = uuid.uuid4().hex
        source, target = self.folder / f"{name}.docx", self.folder / f"{name}.pdf"
        source.write_bytes(docx)
        try:
            started = time.monotonic()
            if not self.ready:
                self._answer(self.wait, "start")
                self.ready = True
            self._send({"docx": str(source), "pdf": str(target), "chapters": chapters})
            reply = self._answer(self.print_seconds - (time.monotonic() - started), "lay out the casebook")
            if "error" in reply or not target.is_file():
                self.failed(reply.get("error", "no PDF written"))
            return Printed(
                pdf=target.read_bytes(),
                pages=int(reply["pages"]),
                bookmarks={k: int(v) for k, v in reply["bookmarks"].items()},
                toc=[(text, page) for text, page in reply["toc"]],
                breaks=[(str(chapter), int(i)) for chapter, i in reply.get("breaks", [])],
                tightened={str(name): int(step) for name, step in reply.get("tightened", {}).items()},
            )
        finally:
            for path in (source, target):
                with contextlib.suppress(OSError):
                    path.unlink()

    print_seconds = TIMEOUT_SECONDS

    def failed(self, reason: str) -> None:
        raise OfficeError(f"LibreOffice could not print the casebook ({reason}) — check that soffice "
                          "starts (`soffice --headless --version`)")

    def _send(self, request: dict[str, Any]) -> None:
        assert self.client.stdin is not None
        try:
            self.client.stdin.write(json.dumps(request, ensure_ascii=False) + "\n")
            self.client.stdin.flush()
        except OSError as exc:  # the client ended: its LibreOffice went away
            self.failed(f"its client ended: {self._stderr()}")
            raise AssertionError from exc  # failed() raises

    def _answer(self, seconds: float, doing: str) -> dict[str, Any]:
        """The client's next line, within `seconds`; LibreOffice ending meanwhile fails at once."""
        assert self.client.stdout is not None
        deadline = time.monotonic() + max(seconds, 0.1)
        while (line := _read_line(self.client.stdout, min(0.5, deadline - time.monotonic()))) is None:
            if time.monotonic() >= deadline:
                self.hung(f"it did not {doing} within {seconds:.0f} s")
            if not self.alive():
                self.failed(f"LibreOffice ended while asked to {doing}")
        if not line:
            self.failed(f"its client ended: {self._stderr()}")
        return json.loads(line)

    def alive(self) -> bool:
        """Whether its LibreOffice still runs (or is starting)."""
        return True

    def hung(self, reason: str) -> None:
        raise OfficeError(f"LibreOffice could not print the casebook: {reason} — try again; if it "
                          "persists, report it")

    def _stderr(self) -> str:
        with contextlib.suppress(subprocess.TimeoutExpired, OSError, ValueError):
            self.client.kill()
            _, err = self.client.communicate(timeout=5)
            return ((err or "").strip().splitlines() or ["no message"])[-1]
        return "no message"

    def close(self) -> None:
        """End the client (LibreOffice is its owner's to stop)."""
        with contextlib.suppress(OSError, ValueError):
            if self.client.stdin is not None:
                self.client.stdin.close()
        try:
            self.client.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.client.kill()
            self.client.wait()
        for stream in (self.client.stdout, self.client.stderr):
            with contextlib.suppress(OSError, ValueError):
                if stream is not None:
                    stream.close()

    def discard(self) -> None:
        """Stop this LibreOffice for good (it failed)."""
        self.close()


class _Private(_Office):
    """A LibreOffice of this print only, in a folder named after this process."""

    @classmethod
    def start(cls) -> _Private:
        folder = Path(tempfile.mkdtemp(prefix=f"{PREFIX}{_identity(os.getpid())}-"))
        pipe = f"casebook-{uuid.uuid4().hex}"
        office = _start_soffice(folder / "profile", pipe, folder)
        private = cls(pipe, folder, wait=TIMEOUT_SECONDS)
        private.office = office
        return private

    office: subprocess.Popen[bytes]

    def alive(self) -> bool:
        return self.office.poll() is None  # the launcher: it restarts soffice.bin on a new profile

    def close(self) -> None:
        super().close()
        _stop_group(self.office)
        shutil.rmtree(self.folder, ignore_errors=True)


class _Warm(_Office):
    """A print on the warm LibreOffice of an anchor process, holding its lock."""

    print_seconds = WARM_PRINT_SECONDS

    def __init__(self, home: _WarmHome, lock: IO[bytes]) -> None:
        self.home = home
        self.lock = lock
        super().__init__(home.pipe(), Path(tempfile.mkdtemp(prefix=f"{PREFIX}{_identity(os.getpid())}-")),
                         wait=WARM_CHECK_SECONDS if home.was_running else TIMEOUT_SECONDS)
        home.touch()

    def failed(self, reason: str) -> None:
        raise _Replace(reason)

    def hung(self, reason: str) -> None:
        raise _Replace(reason)

    def alive(self) -> bool:
        return self.home._office_alive() is not False

    def close(self) -> None:
        super().close()
        shutil.rmtree(self.folder, ignore_errors=True)
        self.lock.close()  # releases the flock

    def discard(self) -> None:
        self.home.stop()
        self.close()


def _warm() -> _Warm | None:
    """A print on the warm LibreOffice of CASEBOOK_OFFICE_ANCHOR (started if it is not running),
    or None: no anchor, or a print is using it."""
    anchor = _anchor()
    if anchor is None:
        return None
    home = _WarmHome(anchor)
    home.folder.mkdir(exist_ok=True)
    lock = (home.folder / "lock").open("wb")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # busy: another print holds it
        lock.close()
        return None
    try:
        home.ensure_running()
        return _Warm(home, lock)
    except BaseException:
        lock.close()
        raise


def _anchor() -> str | None:
    """The identity (pid-start) of the process a warm LibreOffice lives as long as, if asked for."""
    value = os.environ.get(ANCHOR_ENV, "").strip()
    if not value:
        return None
    pid = os.getppid() if value == "parent" else int(value) if value.isdigit() else None
    return _identity(pid) if pid else None


class _WarmHome:
    """The folder of an anchor's warm LibreOffice: its profile, lock, pipe name and watcher."""

    def __init__(self, anchor: str) -> None:
        self.anchor = anchor
        self.folder = Path(tempfile.gettempdir()) / f"{WARM}{os.getuid()}-{anchor}"
        self.was_running = False

    def pipe(self) -> str:
        return (self.folder / "pipe").read_text(encoding="utf-8").strip()

    def touch(self) -> None:
        (self.folder / "used").touch()

    def _watcher(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            pid = int((self.folder / "watcher").read_text(encoding="utf-8").split()[0])
            if _identity(pid) == (self.folder / "watcher").read_text(encoding="utf-8").split()[1]:
                return pid
        return None

    def _office_alive(self) -> bool | None:
        """Whether its LibreOffice runs: the launcher the watcher started, with its soffice.bin
        (None: starting — the watcher has not written it down yet, or soffice.bin is not up)."""
        if self._watcher() is None:
            return False
        try:
            recorded = (self.folder / "office").read_text(encoding="utf-8").strip()
        except OSError:
            return None
        launcher = int(recorded.split("-")[0])
        if _identity(launcher) != recorded:
            return False
        running = [c for c in _children(launcher) if _running(c) and c.name() == "soffice.bin"]
        return True if running else None

    def ensure_running(self) -> None:
        """Start the watcher and its LibreOffice unless they run (the caller holds the lock)."""
        if self._watcher() is not None and (self.folder / "pipe").is_file():
            alive = self._office_alive()
            if alive is not False:  # running, or starting (then answering takes a cold start)
                self.was_running = bool(alive)
                return
        self.stop(keep_folder=True)
        (self.folder / "pipe").write_text(f"casebook-{uuid.uuid4().hex}\n", encoding="utf-8")
        watcher = subprocess.Popen(
            [sys.executable, "-m", "render.office", "watch", str(self.folder), self.anchor],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            cwd=HERE.parent, start_new_session=True,  # outlives this flow run; stops with its anchor
        )
        (self.folder / "watcher").write_text(f"{watcher.pid} {_identity(watcher.pid)}\n", encoding="utf-8")
        self.was_running = False

    def stop(self, *, keep_folder: bool = False) -> None:
        """Stop the watcher and its LibreOffice (one process group)."""
        pid = self._watcher()
        if pid is not None:
            _kill_group(pid)
        _kill_users(self.folder)
        for name in ("watcher", "pipe", "office"):
            with contextlib.suppress(OSError):
                (self.folder / name).unlink()
        shutil.rmtree(self.folder / "profile", ignore_errors=True)
        if not keep_folder:
            shutil.rmtree(self.folder, ignore_errors=True)


def watch(folder: Path, anchor: str) -> None:
    """The watcher of a warm LibreOffice (`python -m render.office watch FOLDER ANCHOR`): start it,
    then stop it when the anchor process ends, when it died, or after IDLE_SECONDS unused."""
    office = _start_soffice(folder / "profile", (folder / "pipe").read_text(encoding="utf-8").strip(), folder,
                            new_session=False)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    anchor_pid = int(anchor.split("-")[0])
    lock = (folder / "lock").open("wb")
    try:
        (folder / "office").write_text(f"{_identity(office.pid)}\n", encoding="utf-8")
        while office.poll() is None and _identity(anchor_pid) == anchor:
            time.sleep(WATCH_SECONDS)
            used = max((folder / n).stat().st_mtime for n in ("pipe", "used") if (folder / n).exists())
            if time.time() - used > IDLE_SECONDS and _try_lock(lock):
                break  # unused, and held: no print can start while it stops
    finally:
        _stop_group(office, group=False)
        if _identity(anchor_pid) != anchor:  # the anchor ended: nobody will use this folder again
            shutil.rmtree(folder, ignore_errors=True)
        else:
            for name in ("watcher", "pipe", "office"):
                with contextlib.suppress(OSError):
                    (folder / name).unlink()
            shutil.rmtree(folder / "profile", ignore_errors=True)
        lock.close()


def _try_lock(lock: IO[bytes]) -> bool:
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True


# ---------------------------------------------------------------------------------------------
# processes and folders


def _start_soffice(
    profile: Path, pipe: str, folder: Path, *, new_session: bool = True
) -> subprocess.Popen[bytes]:
    """A headless soffice listening on `pipe`, with its own profile (several on one machine never
    share a profile lock). soffice is a launcher that starts soffice.bin as its child: both are in
    one process group, stopped together (`_stop_group`)."""
    return subprocess.Popen(
        [SOFFICE, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={profile.as_uri()}", f"--accept=pipe,name={pipe};urp;"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env=_office_env(folder), start_new_session=new_session,
    )


def _office_env(folder: Path) -> dict[str, str]:
    env = {**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF), "HOME": str(folder)}
    env.pop("PYTHONPATH", None)  # the system Python must not see this project's venv
    env.pop("PYTHONHOME", None)
    return env


def _stop_group(process: subprocess.Popen[bytes], *, group: bool = True) -> None:
    """Stop a LibreOffice: its launcher and soffice.bin — its process group, or (`group=False`, it
    shares the caller's) the two processes — SIGTERM, then SIGKILL after 10 s."""
    procs = [p for p in (_process(process.pid), *_children(process.pid)) if p is not None]
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if group:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, sig)
        else:
            for proc in procs:
                with contextlib.suppress(psutil.Error):
                    proc.send_signal(sig)
        _, procs = psutil.wait_procs(procs, timeout=10)
        if not procs:
            break
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.wait(timeout=1)  # reap the launcher


def _children(pid: int) -> list[psutil.Process]:
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid).children(recursive=True)
    return []


def _running(proc: psutil.Process) -> bool:
    with contextlib.suppress(psutil.Error):
        return proc.status() != psutil.STATUS_ZOMBIE
    return False


def _process(pid: int) -> psutil.Process | None:
    with contextlib.suppress(psutil.Error):
        return psutil.Process(pid)
    return None


def _kill_group(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pid, signal.SIGKILL)


def _die_with_parent() -> None:
    """In a child, before exec: SIGKILL when the process that started it dies (Linux)."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG


def _identity(pid: int) -> str | None:
    """`pid-start`: a process id with its start time, so a reused pid is not taken for it."""
    try:
        return f"{pid}-{round(psutil.Process(pid).create_time() * 100)}"
    except psutil.Error:
        return None


def _read_line(stream: IO[str], seconds: float) -> str | None:
    """A line from a child's stdout; None if none came within `seconds`, '' at its end."""
    deadline = time.monotonic() + seconds
    while True:
        ready, _, _ = select.select([stream], [], [], max(0.0, deadline - time.monotonic()))
        if not ready:
            return None
        return stream.readline()


def clear_stale() -> list[Path]:
    """Remove the folders of prints whose process ended (a killed run's copy of the document and
    profile), stopping any LibreOffice still running on them; returns what was removed."""
    tmp = Path(tempfile.gettempdir())
    stale = []
    with contextlib.suppress(OSError):
        for folder in tmp.iterdir():
            if folder.name.startswith(PREFIX) and folder.is_dir() and folder.stat().st_uid == os.getuid() \
                    and _owner_ended(folder.name):
                stale.append(folder)
    for folder in stale:
        _kill_users(folder)
        shutil.rmtree(folder, ignore_errors=True)
    return stale


def _owner_ended(name: str) -> bool:
    """Whether the process a folder is named after has ended (`…-<pid>-<start>-…`)."""
    parts = name.removeprefix(WARM if name.startswith(WARM) else PREFIX).split("-")
    if name.startswith(WARM):
        parts = parts[1:]  # the uid
    if len(parts) < 2 or not (parts[0].isdigit() and parts[1].isdigit()):
        return False  # not named after a process: an older version's, left alone
    return _identity(int(parts[0])) != f"{parts[0]}-{parts[1]}"


def _kill_users(folder: Path) -> None:
    """SIGKILL every process started on `folder` (a LibreOffice on its profile, a client)."""
    needle = str(folder)
    for proc in psutil.process_iter(["cmdline"]):
        with contextlib.suppress(psutil.Error):
            if proc.pid != os.getpid() and any(needle in arg for arg in proc.info["cmdline"] or ()):
                proc.kill()


if __name__ == "__main__" and sys.argv[1:2] == ["watch"]:
    watch(Path(sys.argv[2]), sys.argv[3])
