"""Paginate .docx files with a running LibreOffice and print them as PDF (run by the system Python:
`python3 uno_print.py PIPE`).

This file is not imported by the package: the `uno` module belongs to the system Python (Debian
python3-uno) and to LibreOffice's own process. `render.office` starts a headless soffice listening
on PIPE (its owner starts and stops it) and runs this client against it:

    python3 uno_print.py PIPE

The client connects (waiting for a starting soffice), closes any document a killed client left
open, and says `{"ready": true}` on stdout. Then, for each JSON line on stdin

    {"docx": IN.docx, "pdf": OUT.pdf, "chapters": [bookmark, …] or null}

it loads IN.docx, runs the layout pass below, updates every index (the table of contents) and field
(PAGE, PAGEREF), exports OUT.pdf with embedded fonts and one PDF bookmark per heading, and answers
with one JSON line

    {"pages": N, "bookmarks": {name: page, …}, "toc": [[entry text, page], …],
     "breaks": [[chapter bookmark, i], …], "tightened": {chapter bookmark: step, …}}

or {"error": "…"}. `bookmarks` are the pages Writer laid the chapters' bookmarks out on (every
visible bookmark when the request names no chapters; a chapter starts a new page with a Heading 1);
`toc` is the text of the updated table of contents as LibreOffice filled it (what the PDF shows);
`breaks` are the headings (by chapter and position among its paragraphs of HEADING_STYLES) that got
a page break so as not to end a page; `tightened` the chapters set tighter so as not to end on a
nearly empty page, with how far (1: leading 100 % and no space after paragraphs; 2: also half the
space before headings). It exits at the end of stdin and leaves soffice running.

The layout pass (`keep_headings`, `pull_back_tails`) puts a page break before any heading chain
Writer left at a page foot, and sets a chapter that would end on a nearly empty page with a tighter
leading; the caller gives the .docx the same, so that Word lays it out alike.
"""

from __future__ import annotations

import itertools
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


# Paragraph styles that head what follows them: none may end a page (keep-with-next chains that
# Writer's layout sometimes leaves at a page foot are broken before their first heading instead).
HEADING_STYLES = ("Heading 2", "Heading 3", "Heading 4", "Reference Heading")
CHAPTER_STYLE = "Heading 1"
# A chapter whose last page would hold less than this share of a page's text is set tighter so that
# its tail comes back onto the page before: first its leading from 115 % to TIGHT_LEADING % and no
# space after its paragraphs (headings keep theirs); if that is not enough, half the space before
# its headings too.
NEAR_EMPTY = 0.2
TIGHT_LEADING = 100  # percent
TIGHT_STEPS = 2  # 1: leading and no space after paragraphs; 2: also half the space before headings
LAYOUT_ROUNDS = 4

# The layout pass below asks Writer about pages and chapters, never about every paragraph: each
# question crosses the UNO bridge, and a paragraph-by-paragraph walk costs seconds.


def chapter_marks(doc, names: list[str] | None = None) -> list[tuple[str, object]]:
    """(bookmark, anchor) of every chapter: the bookmarks named, else every bookmark on a
    Heading 1 (asked once per document)."""
    marks = doc.getBookmarks()
    if names:
        return [(name, marks.getByName(name).getAnchor()) for name in names if marks.hasByName(name)]
    out = []
    for name in (n for n in marks.getElementNames() if not n.startswith("_")):
        anchor = marks.getByName(name).getAnchor()
        if anchor.getText() == doc.getText() and \
                doc.getText().createTextCursorByRange(anchor.getStart()).ParaStyleName == CHAPTER_STYLE:
            out.append((name, anchor))
    return out


def chapters(cursor, marks: list[tuple[str, object]]) -> list[tuple[int, str, object]]:
    """(first page, bookmark, anchor) of the chapters as laid out now, in order."""
    out = []
    for name, anchor in marks:
        cursor.gotoRange(anchor.getStart(), False)
        out.append((cursor.getPage(), cursor.getPosition().Y, name, anchor))
    return [(page, name, anchor) for page, _, name, anchor in sorted(out, key=lambda c: (c[0], c[1]))]


def _chapter_of(parts: list[tuple[int, str, object]], page: int) -> tuple[int, str, object] | None:
    return next((c for c in reversed(parts) if c[0] <= page), None)


def keep_headings(doc, marks: list[tuple[str, object]], only: set[str] | None = None) -> list[list]:
    """A page break before every heading chain Writer left at the foot of a page. Returns each
    as [chapter bookmark, position of the chain's first heading among the chapter's paragraphs of
    HEADING_STYLES], so that the .docx gets the same breaks. `only`: the chapters to look at (each
    starts a new page, so a change inside one never moves the pages of another)."""
    from com.sun.star.style.BreakType import PAGE_BEFORE  # type: ignore[import-not-found]

    cursor = doc.getCurrentController().getViewCursor()
    parts = chapters(cursor, marks)
    count = doc.getCurrentController().getPropertyValue("PageCount")
    ends = [first for first, _, _ in parts[1:]] + [count + 1]
    pages = [page for (first, name, _), end in zip(parts, ends, strict=True)
             if only is None or name in only for page in range(first, end)]
    if only is None:
        pages = sorted(set(range(1, count)) | set(pages))  # the pages before the first chapter too
    breaks = []
    for page in pages:
        cursor.jumpToPage(page)
        cursor.jumpToEndOfPage()
        if cursor.getText() != doc.getText():
            continue  # the page ends inside a table
        last = doc.getText().createTextCursorByRange(cursor.getStart())
        if last.ParaStyleName not in HEADING_STYLES:
            continue
        last.gotoStartOfParagraph(False)
        while last.gotoPreviousParagraph(False) and last.ParaStyleName in HEADING_STYLES:
            pass  # back to the chain's first heading
        if last.ParaStyleName not in HEADING_STYLES:
            last.gotoNextParagraph(False)
        last.BreakType = PAGE_BEFORE  # the chain moves to the page of what it heads
        chapter = _chapter_of(parts, page)
        if chapter is not None:
            breaks.append([chapter[1], _heading_position(doc, chapter[2], last)])
    return breaks


def _heading_position(doc, chapter_anchor, heading) -> int:
    """How many paragraphs of HEADING_STYLES precede `heading` in its chapter."""
    span = doc.getText().createTextCursorByRange(chapter_anchor.getStart())
    end = doc.getText().createTextCursorByRange(heading.getStart())
    end.gotoEndOfParagraph(False)
    span.gotoRange(end, True)
    count, paragraphs = 0, span.createEnumeration()
    while paragraphs.hasMoreElements():
        block = paragraphs.nextElement()
        if block.supportsService("com.sun.star.text.Paragraph") and block.ParaStyleName in HEADING_STYLES:
            count += 1
    return count - 1


def pull_back_tails(doc, marks: list[tuple[str, object]], steps: dict[str, int],
                    only: set[str] | None = None) -> list[str]:
    """Chapters whose last page would be nearly empty, set one step tighter (`steps`: how tight
    each chapter is set already, updated here); returns the chapters set tighter now."""
    from com.sun.star.style import LineSpacing  # type: ignore[import-not-found]

    cursor = doc.getCurrentController().getViewCursor()
    parts = chapters(cursor, marks)
    body = _body_height(doc)
    tightened = []
    for (_, name, anchor), (_, _, following) in itertools.pairwise(parts):
        step = steps.get(name, 0)
        if step >= TIGHT_STEPS or (only is not None and name not in only):
            continue  # as tight as it gets, or not changed since it was measured
        cursor.gotoRange(anchor.getStart(), False)
        first_page = cursor.getPage()  # now: a chapter set tighter above moved the ones below
        cursor.gotoRange(following.getStart(), False)
        cursor.goLeft(1, False)  # the end of this chapter
        last_page, end = cursor.getPage(), cursor.getPosition().Y
        cursor.jumpToStartOfPage()
        if last_page > first_page and end - cursor.getPosition().Y < NEAR_EMPTY * body:
            text = doc.getText().createTextCursorByRange(anchor.getStart())
            text.gotoRange(following.getStart(), False)
            text.goLeft(1, False)  # the chapter's last paragraph, not the next one's heading
            text.gotoRange(anchor.getStart(), True)
            if step == 0:
                leading = LineSpacing()
                leading.Mode, leading.Height = 0, TIGHT_LEADING  # PROP
                text.ParaLineSpacing = leading  # every paragraph of the selection, in one call
            # Margins paragraph by paragraph: one set on a selection resets the other margin too.
            paragraphs = text.createEnumeration()
            while paragraphs.hasMoreElements():
                block = paragraphs.nextElement()
                if not block.supportsService("com.sun.star.text.Paragraph"):
                    continue
                heading = block.ParaStyleName in HEADING_STYLES
                if step == 0 and not heading and block.ParaStyleName != CHAPTER_STYLE:
                    block.ParaBottomMargin = 0  # no space after an item or a paragraph
                elif step == 1 and heading:
                    block.ParaTopMargin = block.ParaTopMargin // 2
            steps[name] = step + 1
            tightened.append(name)
    return tightened


def _body_height(doc) -> int:
    """The text area of the standard page (1/100 mm)."""
    style = doc.getStyleFamilies().getByName("PageStyles").getByName("Standard")
    return style.Height - style.TopMargin - style.BottomMargin


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
    """Lay `source` out: the layout pass first, then the table of contents and the fields updated in
    the final layout (the contents' entries are already written, so only their page numbers change),
    the pages read from it, and the PDF printed from it. `names`: the chapters' bookmarks."""
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(source), "_blank", 0, props(Hidden=True))
    try:
        # A break moves what follows it, a tighter chapter may leave a heading of its own at a
        # page foot: repeat until neither changes anything (twice, in practice).
        breaks: list[list] = []
        tightened: dict[str, int] = {}
        marks = chapter_marks(doc, names)
        changed: set[str] | None = None  # round 1: every chapter; later: those the round before changed
        for _ in range(LAYOUT_ROUNDS):
            new_breaks = keep_headings(doc, marks, changed)
            new_tight = pull_back_tails(doc, marks, tightened, changed)
            breaks += new_breaks
            if not new_breaks and not new_tight:
                break
            changed = {chapter for chapter, _ in new_breaks} | set(new_tight)
        indexes = doc.getDocumentIndexes()
        for i in range(indexes.getCount()):
            indexes.getByIndex(i).update()
        doc.getTextFields().refresh()
        doc.refresh()
        pages = doc.getCurrentController().getPropertyValue("PageCount")
        result = {"pages": pages, "bookmarks": bookmark_pages(doc, names), "toc": toc_entries(doc),
                  "breaks": breaks, "tightened": tightened}
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
            say(print_one(desktop, request["docx"], request["pdf"], request.get("chapters")))
        except Exception as exc:  # the owner decides: a document error, or a LibreOffice to replace
            message = " ".join(str(getattr(exc, "Message", "") or exc).split()) or type(exc).__name__
            say({"error": f"{type(exc).__name__}: {message}"})


if __name__ == "__main__":
    main(sys.argv[1])
