"""The stages run in this process with a terminal progress bar over the PDF's pages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from flows.pipeline import Stages

if TYPE_CHECKING:
    from transform.records import Report


class ProgressStages(Stages):
    """Extraction shows a bar of pages done (stderr) unless quiet.

    The bar appears with the first finished page, once the file has been checked and its page
    count is known: bad input gets its one-line error and no bar, and the file is opened once.
    """

    def __init__(self, *, workers: int | None = None, quiet: bool = False) -> None:
        super().__init__(workers=workers)
        self.quiet = quiet

    def extract(self, source: Path, table_settings: Path | None) -> Report:
        bars: list[Any] = []

        def done(_page: int, count: int) -> None:
            if not bars:
                from tqdm import tqdm  # only when a bar is shown: its import is a tenth of start-up

                bars.append(tqdm(total=count, unit="page", desc=source.name, leave=False))
            bars[0].update()

        self.on_page = None if self.quiet else done
        try:
            return super().extract(source, table_settings)
        finally:
            for bar in bars:
                bar.close()
