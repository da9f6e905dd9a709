"""Paginate .docx files with a running LibreOffice and print them as PDF (run by the system Python:
`python3 uno_print.py PIPE`).

This file is not imported by the package: the `uno` module belongs to the system Python (Debian
python3-uno) and to LibreOffice's own process. `render.office` starts a headless soffice listening
on PIPE (its owner starts and stops it) and runs this client against it:

    python3 uno_print.py PIPE

The client connects (waiting for a starting soffice), closes any document a killed client left
open, and says `{"ready": true}` on stdout. Then, for each JSON line on stdin

    {"docx": IN.docx, "pdf": OUT.pdf, "bookmarks": [name, …] or null}

it loads IN.docx, updates every index (the table of contents) and field (PAGE, PAGEREF), exports
OUT.pdf with embedded fonts and one PDF bookmark per heading, and answers with one JSON line

    {"pages": N, "bookmarks": {name: page, …}, "toc": [[entry text, page], …]}

or {"error": "…"}. `bookmarks` are the pages Writer laid the named bookmarks out on (all of them
when the request names none); `toc` is the text of the updated table of contents as LibreOffice
filled it (what the PDF shows). It exits at the end of stdin and leaves soffice running.
"""

from __future__ import annotations

import json
import sys
import time

import uno  # type: ignore[import-not-found]
from com.sun.star.beans import PropertyValue  # type: ignore[import-not-found]
from com.sun.star.connection import NoConnectException  # type: ignore[import-not-found]

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
            time.sleep(0.05)


def close_leftovers(desktop) -> None:
    """Close documents a client killed half-way left open in a LibreOffice kept running."""
    components = desktop.getComponents().createEnumeration()
    while components.hasMoreElements():
        try:
            components.nextElement().close(True)
        except Exception:
            pass


def bookmark_pages(doc, names: list[str] | None) -> dict[str, int]:
    """The page each bookmark starts on, read from Writer's layout through the view cursor. Each
    costs a few calls over the pipe: only the ones asked for, else those that can be link targets
    (hidden bookmarks "_…" — the identifiers of every paragraph of case text, Word's _Toc — are
    not: asking for their pages took seconds)."""
    cursor = doc.getCurrentController().getViewCursor()
    bookmarks = doc.getBookmarks()
    if names is None:
        names = [n for n in bookmarks.getElementNames() if not n.startswith("_")]
    out = {}
    for name in names:
        if bookmarks.hasByName(name):
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


def print_one(desktop, source: str, target: str, names: list[str] | None) -> dict:
    """Lay `source` out once: the table of contents and the fields are updated in that layout
    (the contents' entries are already written, so only their page numbers change), the pages
    read from it, and the PDF printed from it."""
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, props(Hidden=True))
    try:
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        pages = doc.getCurrentController().getPropertyValue("PageCount")
        result = {"pages": pages, "bookmarks": bookmark_pages(doc, names), "toc": toc_entries(doc)}
        filter_data = uno.Any("[]com.sun.star.beans.PropertyValue", props(
            ExportBookmarks=True, EmbedStandardFonts=True, UseTaggedPDF=True,
            ExportBookmarksToPDFDestination=True, ConvertOOoTargetToPDFTarget=True,
            ExportLinksRelativeFsys=False,
        ))
        pdf_filter = (*props(FilterName="writer_pdf_Export"), PropertyValue("FilterData", 0, filter_data, 0))
        doc.storeToURL(uno.systemPathToFileUrl(target), pdf_filter)
        return result
    finally:
        doc.close(True)


def say(data: dict) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
    sys.stdout.flush()


def main(pipe: str) -> None:
    ctx = connect(pipe)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    close_leftovers(desktop)
    say({"ready": True})
    for line in sys.stdin:
        if not line.strip():
            continue
        request = json.loads(line)
        try:
            say(print_one(desktop, request["docx"], request["pdf"], request.get("bookmarks")))
        except Exception as exc:  # the owner decides: a document error, or a LibreOffice to replace
            message = " ".join(str(getattr(exc, "Message", "") or exc).split()) or type(exc).__name__
            say({"error": f"{type(exc).__name__}: {message}"})


if __name__ == "__main__":
    main(sys.argv[1])
