"""Paginate a .docx with LibreOffice and print it as PDF (run by the system Python: `python3 uno_print.py`).

This file is not imported by the package: the `uno` module belongs to the system Python (Debian
python3-uno) and to LibreOffice's own process. `render.office` runs it as a subprocess with

    python3 uno_print.py IN.docx OUT.pdf PIPE PROFILE_URL

It starts a private headless soffice listening on PIPE (a profile of its own, so several runs on
one machine never share a profile lock), loads IN.docx, updates every index (the table of
contents) and field (PAGE, PAGEREF), exports OUT.pdf with embedded fonts and one PDF bookmark per
heading, and prints a JSON object on stdout:

    {"pages": N, "bookmarks": {name: page, …}, "toc": [[entry text, page], …]}

`bookmarks` are the pages Writer laid each bookmark out on; `toc` is the text of the updated
table of contents as LibreOffice filled it (what the PDF shows).
"""

from __future__ import annotations

import json
import subprocess
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

SOFFICE = "soffice"
CONNECT_SECONDS = 60.0


def props(**values):
    out = []
    for name, value in values.items():
        p = PropertyValue()
        p.Name, p.Value = name, value
        out.append(p)
    return tuple(out)


def connect(pipe: str):
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    deadline = time.monotonic() + CONNECT_SECONDS
    while True:
        try:
            return resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
        except NoConnectException:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def bookmark_pages(doc) -> dict[str, int]:
    """The page each bookmark starts on, read from Writer's layout through the view cursor.
    Hidden bookmarks ("_…": the identifiers of every paragraph of case text, Word's _Toc) are no
    link targets: asking for their pages took seconds."""
    cursor = doc.getCurrentController().getViewCursor()
    bookmarks = doc.getBookmarks()
    out = {}
    for name in (n for n in bookmarks.getElementNames() if not n.startswith("_")):
        cursor.gotoRange(bookmarks.getByName(name).getAnchor().getStart(), False)
        out[name] = cursor.getPage()
    return out


def toc_entries(doc) -> list[list]:
    """The lines of the first table of contents: [text, page] (page None when a line has none)."""
    indexes = doc.getDocumentIndexes()
    for i in range(indexes.getCount()):
        index = indexes.getByIndex(i)
        if index.supportsService("com.sun.star.text.ContentIndex"):
            lines = [ln for ln in index.getAnchor().getString().splitlines() if ln.strip()]
            out = []
            for line in lines:
                text, _, page = line.rpartition("\t")
                out.append([text.strip(), int(page)] if page.strip().isdigit() else [line.strip(), None])
            return out
    return []


def main(source: str, target: str, pipe: str, profile: str) -> None:
    desktop = None
    office = subprocess.Popen(
        [SOFFICE, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault",
         f"-env:UserInstallation={profile}", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        ctx = connect(pipe)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, props(Hidden=True))
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        doc.refresh()
        pages = doc.getCurrentController().getPropertyValue("PageCount")
        result = {"pages": pages, "bookmarks": bookmark_pages(doc), "toc": toc_entries(doc)}
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", props(
            ExportBookmarks=True, EmbedStandardFonts=True, UseTaggedPDF=True,
            ExportBookmarksToPDFDestination=True, ConvertOOoTargetToPDFTarget=True,
            ExportLinksRelativeFsys=False,
        ))
        pdf_filter = (*props(FilterName="writer_pdf_Export"), PropertyValue("FilterData", 0, filter_data, 0))
        doc.storeToURL(uno.systemPathToFileUrl(target), pdf_filter)
        doc.close(True)
        json.dump(result, sys.stdout, ensure_ascii=False)
    finally:
        try:
            desktop.terminate()
        except Exception:
            pass
        try:
            office.wait(timeout=15)
        except subprocess.TimeoutExpired:
            office.kill()
            office.wait()


if __name__ == "__main__":
    main(*sys.argv[1:5])
