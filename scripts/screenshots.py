"""The README's pictures of a published build: PDF pages and the site at desktop and phone widths.

    python scripts/screenshots.py [BUILD_FOLDER] [OUT_DIR]      (default: output/latest docs)

PDF pages are drawn by poppler (pdftoppm); the site by Chromium (Playwright, as the browser tests
use it) from file://, so what is shown is exactly what a reader opens. `make screenshots` builds
the casebook first and runs this.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run"]
# (file, PDF page) — the cover, the overview and a case (first page of 事例1: the contents say where).
PDF_PAGES = (("casebook-cover.png", 1), ("casebook-overview.png", 4))
SHOTS = (  # (file, page of the build folder, viewport width, height)
    ("site-index.png", "html/index.html", 1280, 900),
    ("site-case-mobile.png", "html/case-1.html", 390, 844),
    ("site-changes-mobile.png", "changes.html", 390, 844),
)


def pdf_pages(pdf: Path, out: Path) -> list[Path]:
    made = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, page in (*PDF_PAGES, ("casebook-case.png", first_case_page(pdf))):
            stem = Path(tmp) / name
            subprocess.run(["pdftoppm", "-r", "70", "-png", "-singlefile", "-f", str(page), "-l", str(page),
                            str(pdf), str(stem.with_suffix(""))], check=True)
            target = out / name
            target.write_bytes(stem.read_bytes())
            made.append(target)
    return made


def first_case_page(pdf: Path) -> int:
    """The page 事例1 starts on, read from the PDF's outline (its bookmarks)."""
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    for item in reader.outline:
        if not isinstance(item, list) and str(item.title).startswith("事例1 "):
            return reader.get_destination_page_number(item) + 1
    return 5


def site(build: Path, out: Path) -> list[Path]:
    made = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for name, page_path, width, height in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": height}, device_scale_factor=1)
            page.goto((build / page_path).resolve().as_uri())
            page.screenshot(path=str(out / name))
            page.close()
            made.append(out / name)
        browser.close()
    return made


def main(argv: list[str]) -> int:
    build = Path(argv[0] if argv else "output/latest")
    out = Path(argv[1] if len(argv) > 1 else "docs")
    out.mkdir(parents=True, exist_ok=True)
    for path in [*pdf_pages(build / "casebook.pdf", out), *site(build, out)]:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
