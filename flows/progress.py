"""Reading the PDF with a terminal progress bar over its pages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from extract.settings import DEFAULT_SETTINGS, TableSettings
from transform.pipeline import read_report
from transform.records import Report


def read_with_progress(
    pdf: Path,
    *,
    workers: int | None = None,
    quiet: bool = False,
    table_settings: TableSettings = DEFAULT_SETTINGS,
) -> Report:
    """Extract and transform `pdf`, showing a bar of pages done (stderr) unless quiet.

    The bar appears with the first finished page, once the file has been checked and its page
    count is known: bad input gets its one-line error and no bar, and the file is opened once.
    """
    bars: list[Any] = []

    def done(_page: int, count: int) -> None:
        if not bars:
            from tqdm import tqdm  # only when a bar is shown: its import is a tenth of start-up

            bars.append(tqdm(total=count, unit="page", desc=pdf.name, leave=False))
        bars[0].update()

    try:
        return read_report(
            pdf, workers=workers, on_page=None if quiet else done, table_settings=table_settings
        )
    finally:
        for bar in bars:
            bar.close()
