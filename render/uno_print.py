"""Paginate a .docx with LibreOffice and print it as PDF (run by the system Python: `python3 uno_print.py`).

This file is not imported by the package: the `uno` module belongs to the system Python (Debian
python3-uno) and to LibreOffice's own process. `render.office` runs it as a subprocess with

    python3 uno_print.py IN.docx OUT.pdf PIPE PROFILE_URL [CHAPTERS_JSON]

It starts a private headless soffice listening on PIPE (a profile of its own, so several runs on
one machine never share a profile lock), loads IN.docx, updates every index (the table of
contents) and field (PAGE, PAGEREF), exports OUT.pdf with embedded fonts and one PDF bookmark per
heading, and prints a JSON object on stdout:

    {"pages": N, "bookmarks": {name: page, …}, "toc": [[entry text, page], …],
     "breaks": [[chapter bookmark, i], …], "tightened": {chapter bookmark: step, …}}

`bookmarks` are the pages Writer laid each bookmark out on (the chapters' only, where
CHAPTERS_JSON names their bookmarks: a chapter starts a new page with a Heading 1); `toc` is the
text of the updated table of contents as LibreOffice filled it (what the PDF shows); `breaks` are
the headings (by chapter and position among its paragraphs of HEADING_STYLES) that got a page
break so as not to end a page; `tightened` the chapters set tighter so as not to end on a nearly
empty page, with how far (1: leading 100 % and no space after paragraphs; 2: also half the
space before headings).

Before exporting, a layout pass (`keep_headings`, `pull_back_tails`) puts a page break before any
heading chain Writer left at a page foot, and sets a chapter that would end on a nearly empty page
with a tighter leading; the caller gives the .docx the same, so that Word lays it out alike.
"""

from __future__ import annotations

import itertools
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


def bookmark_pages(doc, names: list[str] | None = None) -> dict[str, int]:
    """The page each bookmark (of `names`, else every visible one) starts on, read from Writer's
    layout through the view cursor. Hidden bookmarks ("_…": the identifiers of every paragraph of
    case text, Word's _Toc) are no link targets: asking for their pages took seconds."""
    cursor = doc.getCurrentController().getViewCursor()
    bookmarks = doc.getBookmarks()
    out = {}
    for name in names or [n for n in bookmarks.getElementNames() if not n.startswith("_")]:
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


def main(source: str, target: str, pipe: str, profile: str, chapters_json: str = "[]") -> None:
    names = json.loads(chapters_json) or None  # the chapters' bookmarks, if the caller knows them
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
        # The contents and the page references, once, from the final layout (the document comes
        # with its contents' lines already written, so the pass above saw the same pages).
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
    main(*sys.argv[1:6])
