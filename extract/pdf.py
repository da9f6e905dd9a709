"""Open the source PDF, classify bad input, and build page layouts on all cores.

Each worker process opens the file once and walks its share of pages, closing every page after
use (pdfplumber keeps per-page caches otherwise). The parent only receives compact `PageLayout`s.

Pages are read on pdfminer's fast path unless extract/fastpath.py says otherwise; if the fast path
fails on a page pdfminer's own interpreter reads, the document is read again without it. An
exception of the PDF library is the PDF's fault (`DamagedPdfError`, naming the page); one raised
in our own code is a bug and keeps its traceback (casebook/errors.py).
"""

from __future__ import annotations

import io
import logging
import multiprocessing as mp
import os
import re
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdevice import PDFDevice
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter
from pdfplumber.utils.exceptions import PdfminerException

from extract import fastpath
from extract.errors import (
    DamagedPdfError,
    EncryptedPdfError,
    ExtractionError,
    NotAPdfError,
    NoTextLayerError,
)
from extract.fastpath import FastPathFailure
from extract.integrity import REMEDY, check_layout, check_structure
from extract.layout import PageLayout, page_layout

_CHUNK = 4  # pages per task: small enough to balance two workers, large enough to amortise IPC
_IN_PROCESS_BELOW = 8  # a pool costs more than it saves on a handful of pages

ProgressFn = Callable[[int, int], None]  # (page number just finished, page count)


def inspect_pdf(path: Path) -> tuple[int, dict[str, str]]:
    """Raise a specific `ExtractionError` if `path` is not a readable PDF; return its page count
    and document information (Title, Author, Subject…)."""
    if not path.is_file():
        raise NotAPdfError(path, "file not found", "check the path, or omit it to use the shipped PDF")
    with path.open("rb") as fh:
        head = fh.read(1024)
        fh.seek(max(0, path.stat().st_size - 2048))
        tail = fh.read()
    if b"%PDF-" not in head:
        raise NotAPdfError(
            path, "not a PDF (no %PDF- header)", "pass the report's PDF file, not another format"
        )
    if b"%%EOF" not in tail:
        raise DamagedPdfError(
            path,
            "damaged PDF: the file ends without %%EOF (truncated download or copy?)",
            "download or copy the PDF again",
        )
    check_structure(path)
    try:
        with pdfplumber.open(path) as pdf:
            count = len(pdf.pages)
            info = {str(k): str(v) for k, v in pdf.metadata.items() if isinstance(v, str | bytes)}
    except PdfminerException as exc:
        # pdfplumber wraps pdfminer's own exception; classify by the wrapped one.
        cause = exc.args[0] if exc.args and isinstance(exc.args[0], Exception) else exc
        raise _classified(path, cause) from exc
    except Exception as exc:
        raise _classified(path, exc) from exc
    if count == 0:
        raise DamagedPdfError(path, "the PDF has no pages", "download or copy the PDF again")
    return count, info


def _classified(path: Path, exc: Exception) -> ExtractionError:
    if isinstance(exc, (PDFPasswordIncorrect, PDFEncryptionError)):
        return EncryptedPdfError(
            path, f"the PDF is password-protected ({type(exc).__name__})",
            "save an unprotected copy (e.g. print to PDF) and pass that",
        )
    return DamagedPdfError(path, f"damaged PDF: {_short(exc)}", REMEDY)


def _short(exc: BaseException) -> str:
    """The library's message as one short line: pdfminer's can hold kilobytes of raw PDF bytes."""
    if isinstance(exc, PdfminerException) and exc.args and isinstance(exc.args[0], BaseException):
        exc = exc.args[0]
    text = str(exc).splitlines()[0] if str(exc).strip() else ""
    text = re.sub(r"b'(?:[^'\\]|\\.)*'|\\x[0-9a-f]{2}", "…", text)
    return f"{type(exc).__name__}: {text[:100]}" if text else type(exc).__name__


@dataclass
class PdfDocument:
    """A PDF read once: its document information and the layout of every page."""

    info: dict[str, str]
    layouts: list[PageLayout]


def read_pdf(path: Path, *, workers: int | None = None, on_page: ProgressFn | None = None) -> PdfDocument:
    """Check the file, then build every page's layout; `on_page(n, count)` is called as pages finish."""
    count, info = inspect_pdf(path)
    fast = fastpath.use_fast_path()
    reported: set[int] = set()

    def once(number: int, count: int) -> None:  # a page read again is not progress
        if on_page is not None and number not in reported:
            reported.add(number)
            on_page(number, count)

    try:
        layouts = _read_layouts(path, count, workers, once, fast)
    except FastPathFailure as failure:
        fastpath.fall_back(failure)
        layouts = _read_layouts(path, count, workers, once, fast=False)
    return PdfDocument(info, layouts)


def _read_layouts(
    path: Path, count: int, workers: int | None, on_page: ProgressFn | None, fast: bool
) -> list[PageLayout]:
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = [list(range(i, min(i + _CHUNK, count + 1))) for i in range(1, count + 1, _CHUNK)]
    if workers <= 1 or count < _IN_PROCESS_BELOW:
        with _open(path) as pdf:
            layouts = [
                lay
                for chunk in chunks
                for lay in _track(_layouts_of_pages(pdf, chunk, path, fast), count, on_page)
            ]
    else:
        shared = _shared_document(path)
        try:
            layouts = _pool_layouts(path, count, chunks, workers, on_page, shared, fast)
        finally:
            if shared is not None:
                shared.close()
    if sum(lay.char_count for lay in layouts) == 0:
        raise NoTextLayerError(
            path,
            f"no text layer on any of its {count} pages (a scanned image?)",
            "run OCR on the PDF first, or use the publisher's digital PDF",
        )
    return layouts


def _pool_layouts(
    path: Path, count: int, chunks: list[list[int]], workers: int, on_page: ProgressFn | None, shared: Any,
    fast: bool,
) -> list[PageLayout]:
    ctx = mp.get_context("fork")
    with ctx.Pool(workers, initializer=_worker_open, initargs=(str(path), shared, fast)) as pool:
        # A worker turns the PDF library's exceptions into ours (`_layouts_of_pages`); what else
        # it raises — a FastPathFailure, a bug of ours — comes through as it is.
        layouts = [
            lay
            for part in pool.imap(_worker_chunk, chunks)
            for lay in _track(part, count, on_page)
        ]
        pool.close()  # let workers exit on their own rather than be terminated
        pool.join()
    return layouts


def _track(layouts: list[PageLayout], count: int, on_page: ProgressFn | None) -> Iterator[PageLayout]:
    for lay in layouts:
        if on_page:
            on_page(lay.number, count)
        yield lay


def _open(path: Path) -> Any:
    try:
        return pdfplumber.open(path)
    except Exception as exc:
        raise DamagedPdfError(path, f"damaged PDF: {_short(exc)}", REMEDY) from exc


def _shared_document(path: Path) -> Any:
    """The PDF opened in memory with every page's fonts loaded, for forked workers to inherit, or
    None if anything goes wrong (then each worker opens the file and meets the problem on the
    page that has it, as before).

    Each worker would otherwise parse the same fonts again (their ToUnicode maps are a tenth of
    the reading); pdfminer caches a font by object number, so a worker reuses it as it reuses a
    font on its own second page. In memory, because forked processes share an open file's offset.
    """
    try:
        pdf = pdfplumber.open(io.BytesIO(path.read_bytes()))
    except Exception:
        return None
    try:
        interpreter = PDFPageInterpreter(pdf.rsrcmgr, PDFDevice(pdf.rsrcmgr))
        with _data_loss_watch() as lost:
            for page in pdf.pages:
                interpreter.init_resources(page.page_obj.resources)
        if not lost:
            return pdf
    except Exception:
        pass
    pdf.close()
    return None


_worker_pdf: Any = None
_worker_path: str = ""
_worker_fast: bool = True
_worker_error: ExtractionError | None = None


def _worker_open(path: str, shared: Any = None, fast: bool = True) -> None:
    global _worker_pdf, _worker_path, _worker_fast, _worker_error
    # A forked worker inherits the parent's signal handlers (an orchestrator's, say); it should
    # stop quietly when the pool stops it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_path = path
    _worker_fast = fast
    if shared is not None:
        _worker_pdf = shared
        return
    try:
        _worker_pdf = pdfplumber.open(path)
    except Exception as exc:
        # An initializer that raises makes the pool start a new worker, forever: keep the error
        # and report it with the first chunk instead.
        _worker_error = DamagedPdfError(path, f"damaged PDF: {_short(exc)}", REMEDY)


def _worker_chunk(numbers: list[int]) -> list[PageLayout]:
    if _worker_error is not None:
        raise _worker_error
    return _layouts_of_pages(_worker_pdf, numbers, Path(_worker_path), _worker_fast)


def _layouts_of_pages(pdf: Any, numbers: list[int], path: Path, fast: bool) -> list[PageLayout]:
    """Layouts of pages `numbers`; any exception of the PDF library becomes a `DamagedPdfError`
    naming the page (it may be raised in a worker: it must pickle and say everything in one line).
    A `FastPathFailure` and any exception raised in our own code pass through as they are."""
    out = []
    for number in numbers:
        page = None
        try:
            with _data_loss_watch() as lost:
                page = pdf.pages[number - 1]
                out.append(fastpath.read_page(partial(page_layout, page), fast, number))
            check_layout(out[-1], len(pdf.pages), path)
            if lost:
                raise DamagedPdfError(
                    path, f"damaged PDF: page {number}: the PDF library lost data ({lost[0]})", REMEDY
                )
        except (ExtractionError, FastPathFailure):
            raise
        except Exception as exc:
            if fastpath.raised_by_us(exc):
                raise
            raise DamagedPdfError(
                path, f"damaged PDF: page {number} cannot be read ({_short(exc)})", REMEDY
            ) from exc
        finally:
            if page is not None:
                page.close()
    return out


# pdfminer logs (and otherwise ignores) a stream it could only partly inflate. The CLI silences
# pdfminer's font chatter by raising the "pdfminer" logger's level, so listen on the one module
# that reports data loss, at its own level, without passing its records on.
_DATA_LOSS_LOGGER = "pdfminer.pdftypes"


class _Collect(logging.Handler):
    def __init__(self, sink: list[str]) -> None:
        super().__init__(logging.WARNING)
        self.sink = sink

    def emit(self, record: logging.LogRecord) -> None:
        if "data-loss" in record.getMessage().lower():
            self.sink.append(record.getMessage())


@contextmanager
def _data_loss_watch() -> Iterator[list[str]]:
    logger = logging.getLogger(_DATA_LOSS_LOGGER)
    lost: list[str] = []
    handler = _Collect(lost)
    level, propagate = logger.level, logger.propagate
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    logger.propagate = False
    try:
        yield lost
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


__all__ = ["ExtractionError", "PdfDocument", "inspect_pdf", "read_pdf"]
