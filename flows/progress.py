"""Reading the PDF with a terminal progress bar over its pages."""

from __future__ import annotations

from pathlib import Path

from tqdm import tqdm

from extract.pdf import check_pdf
from transform.pipeline import read_report
from transform.records import Report


def read_with_progress(pdf: Path, *, workers: int | None = None, quiet: bool = False) -> Report:
    """Extract and transform `pdf`, showing a bar of pages done (stderr) unless quiet."""
    total = check_pdf(pdf)
    with tqdm(total=total, unit="page", desc=pdf.name, disable=quiet, leave=False) as bar:
        return read_report(pdf, workers=workers, on_page=lambda _n: bar.update())
