"""Open the source PDF, classify bad input, and build page layouts on all cores.

Each worker process opens the file once and walks its share of pages, closing every page after
use (pdfplumber keeps per-page caches otherwise). The parent only receives compact `PageLayout`s.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pdfplumber
from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfparser import PDFSyntaxError
from pdfminer.psparser import PSException
from pdfplumber.utils.exceptions import PdfminerException

from extract.errors import (
    DamagedPdfError,
    EncryptedPdfError,
    ExtractionError,
    NotAPdfError,
    NoTextLayerError,
)
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
    return DamagedPdfError(
        path, f"damaged PDF: {type(exc).__name__}: {exc}", "download or copy the PDF again"
    )


@dataclass
class PdfDocument:
    """A PDF read once: its document information and the layout of every page."""

    info: dict[str, str]
    layouts: list[PageLayout]


def read_pdf(path: Path, *, workers: int | None = None, on_page: ProgressFn | None = None) -> PdfDocument:
    """Check the file, then build every page's layout; `on_page(n, count)` is called as pages finish."""
    count, info = inspect_pdf(path)
    return PdfDocument(info, _read_layouts(path, count, workers, on_page))


def _read_layouts(
    path: Path, count: int, workers: int | None, on_page: ProgressFn | None
) -> list[PageLayout]:
    workers = workers or min(os.cpu_count() or 1, 4)
    chunks = [list(range(i, min(i + _CHUNK, count + 1))) for i in range(1, count + 1, _CHUNK)]
    if workers <= 1 or count < _IN_PROCESS_BELOW:
        layouts = [lay for chunk in chunks for lay in _track(_layout_chunk(path, chunk), count, on_page)]
    else:
        ctx = mp.get_context("fork")
        with ctx.Pool(workers, initializer=_worker_open, initargs=(str(path),)) as pool:
            layouts = [
                lay
                for part in pool.imap(_worker_chunk, chunks)
                for lay in _track(part, count, on_page)
            ]
            pool.close()  # let workers exit on their own rather than be terminated
            pool.join()
    if sum(lay.char_count for lay in layouts) == 0:
        raise NoTextLayerError(
            path,
            f"no text layer on any of its {count} pages (a scanned image?)",
            "run OCR on the PDF first, or use the publisher's digital PDF",
        )
    return layouts


def _track(layouts: list[PageLayout], count: int, on_page: ProgressFn | None) -> Iterator[PageLayout]:
    for lay in layouts:
        if on_page:
            on_page(lay.number, count)
        yield lay


def _layout_chunk(path: Path, numbers: list[int]) -> list[PageLayout]:
    with pdfplumber.open(path, pages=numbers) as pdf:
        return _layouts_of(pdf, path)


_worker_pdf: Any = None
_worker_path: str = ""


def _worker_open(path: str) -> None:
    global _worker_pdf, _worker_path
    # A forked worker inherits the parent's signal handlers (an orchestrator's, say); it should
    # stop quietly when the pool stops it.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker_pdf = pdfplumber.open(path)
    _worker_path = path


def _worker_chunk(numbers: list[int]) -> list[PageLayout]:
    pages = _worker_pdf.pages
    return _layouts_of_pages([pages[n - 1] for n in numbers], Path(_worker_path))


def _layouts_of(pdf: Any, path: Path) -> list[PageLayout]:
    return _layouts_of_pages(list(pdf.pages), path)


def _layouts_of_pages(pages: list[Any], path: Path) -> list[PageLayout]:
    out = []
    for page in pages:
        try:
            out.append(page_layout(page))
        except (PDFSyntaxError, PSException, ValueError, KeyError) as exc:
            raise DamagedPdfError(
                path, f"page {page.page_number} cannot be read: {exc}", "download the PDF again"
            ) from exc
        finally:
            page.close()
    return out


__all__ = ["ExtractionError", "PdfDocument", "inspect_pdf", "read_pdf"]
