"""Which interpreter reads the PDF's pages: the fast path, or pdfminer's own.

The fast path — content streams cut into tokens by one regular expression and run through
pdfminer's operators (extract/content.py), glyphs kept as tuples with `LTChar`'s arithmetic
(extract/layout.py) — copies pieces of pdfminer's internals: its `execute` loop, `render_char` and
`LTChar.__init__`. Those copies were checked page by page against pdfminer's own interpreter, on
every edition the tests build, for one pdfminer.six release (`VERIFIED_PDFMINER`, the version
pyproject.toml pins). pdfminer's own interpreter gives the same page layouts, about half as fast.

So the fast path is taken only with that release and unless `CASEBOOK_FAST_PATH=0` turns it off,
and a failure of the fast path is never the user's problem: a page it fails on is read again by
pdfminer's own interpreter. If that reads the page, the failure was ours (a bug, or an API pdfminer
changed) and the whole document is read again by pdfminer's own interpreter; if that fails too,
the PDF is at fault and extract/pdf.py reports it as damaged, as ever — unless that exception was
raised in our own code too (`raised_by_us`): a bug, which keeps its traceback. Whenever the fast
path is not taken, one line on the logger `extract.fastpath` says why.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pdfminer
from pdfplumber.utils.exceptions import PdfminerException

# The pdfminer.six release the fast path was verified against (tests/extract/test_fastpath.py
# compares both paths on every edition the suite builds). Moving the pin in pyproject.toml means
# running those tests with the new release and then moving this.
VERIFIED_PDFMINER = "20260107"
# Set to 0 (or false, no, off) to read every page with pdfminer's own interpreter.
SWITCH = "CASEBOOK_FAST_PATH"
_OFF = frozenset({"0", "false", "no", "off"})

_HERE = Path(__file__).resolve().parent  # the extract package: "our code"

log = logging.getLogger(__name__)

T = TypeVar("T")


class FastPathFailure(Exception):
    """The fast path failed on a page that pdfminer's own interpreter reads: our fault, not the
    PDF's. Raised in a worker process too, so it keeps to plain picklable arguments."""

    def __init__(self, page: int, error: str) -> None:
        super().__init__(page, error)
        self.page = page
        self.error = error

    def __str__(self) -> str:
        return f"page {self.page}: {self.error}"


def installed_pdfminer() -> str:
    return pdfminer.__version__


def refusal() -> str | None:
    """Why the fast path must not read this document, or None if it may."""
    setting = os.environ.get(SWITCH, "").strip().lower()
    if setting in _OFF:
        return f"{SWITCH}={os.environ[SWITCH]}"
    installed = installed_pdfminer()
    if installed != VERIFIED_PDFMINER:
        return f"pdfminer.six {installed} is installed; the fast path was verified with {VERIFIED_PDFMINER}"
    return None


def use_fast_path() -> bool:
    """Decide once per document; log one line when pdfminer's own interpreter is to read it."""
    reason = refusal()
    if reason is not None:
        log.warning("fast path off (%s): pages are read by pdfminer's own interpreter, more slowly", reason)
    return reason is None


def fall_back(failure: FastPathFailure) -> None:
    """The one line for a document read again after the fast path failed on one of its pages."""
    log.warning(
        "fast path failed on %s; the document is read again by pdfminer's own interpreter, more slowly",
        failure,
    )


def read_page(read: Callable[[bool], T], fast: bool, page: int) -> T:
    """`read(fast)`. A fast read that fails is tried again with pdfminer's own interpreter: if
    that fails as well, the PDF is at fault and its exception is raised; if it succeeds, the fast
    path is, and `FastPathFailure` is raised (the caller reads the document without it)."""
    if not fast:
        return read(False)
    try:
        return read(True)
    except Exception as exc:
        read(False)
        raise FastPathFailure(page, _summary(exc)) from exc


def raised_by_us(exc: BaseException) -> bool:
    """Whether `exc` was raised in this package's own code (a bug: an attribute or a signature
    the installed pdfminer does not have, say) rather than inside pdfminer or pdfplumber, which
    raise where a PDF is malformed. Calling a function with the wrong arguments fails in the
    caller's frame, so an API change is ours too."""
    cause = exc.args[0] if isinstance(exc, PdfminerException) and exc.args else None
    if isinstance(cause, BaseException):
        exc = cause  # pdfplumber's wrapper: where the wrapped exception was raised is what counts
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    return Path(tb.tb_frame.f_code.co_filename).resolve().parent == _HERE


def _summary(exc: BaseException) -> str:
    text = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__
