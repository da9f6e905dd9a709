"""Reading the source with a terminal progress bar over the PDF's pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.pipeline import read_source

if TYPE_CHECKING:
    from transform.records import Report


def read_with_progress(
    source: Path, *, table_settings: Path | None = None, workers: int | None = None, quiet: bool = False
) -> Report:
    """The records of `source` (a PDF, extracted; or a report.json, read), showing a bar of
    pages done (stderr) unless quiet.

    The bar appears with the first finished page, once the file has been checked and its page
    count is known: bad input gets its one-line error and no bar, and the file is opened once.
    """
    bars: list[Any] = []

    def done(_page: int, count: int) -> None:
        if not bars:
            from tqdm import tqdm  # only when a bar is shown: its import is a tenth of start-up

            bars.append(tqdm(total=count, unit="page", desc=source.name, leave=False))
        bars[0].update()

    try:
        return read_source(source, table_settings=table_settings, workers=workers,
                           on_page=None if quiet else done)
    finally:
        for bar in bars:
            bar.close()
