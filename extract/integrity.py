"""Integrity of the source PDF: damage that would otherwise pass as a slightly different text.

pdfminer reads damaged files leniently: a stream that fails its checksum is inflated as far as it
goes, a missing object becomes nothing, a broken cross-reference table is rebuilt. Left alone, a
damaged PDF can yield a casebook with a page missing. Two checks refuse such a file:

- `check_structure`, before the pages are read: qpdf (through pikepdf) opens the file and reports
  a broken cross-reference table, a stream whose length does not match, an object it cannot parse;
  every Flate stream is inflated with its zlib checksum verified (qpdf and pdfminer both go on
  past a bad checksum with damaged data); content streams with no checksum are tokenised by qpdf.
- `check_pages`, after the layouts: glyphs the PDF gives no text for (`(cid:N)`, U+FFFD), an
  empty page, and a page that lacks the running header or page number its neighbours say it
  carries (a page whose content stream was emptied by a tool that rewrote the file consistently);
  `check_captions`: a 「図表N-M」 caption with neither a table after it nor a figure on its page.

Messages name the page where they can; every one says to get the file again.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Iterator
from pathlib import Path

import pikepdf

from extract.errors import DamagedPdfError, EncryptedPdfError
from extract.layout import PageLayout, TextRun
from extract.report import Line
from extract.running import PAGE_NUMBER, masked

REMEDY = "the file is damaged: download or copy the PDF again from its source"
_FILTERS_WITHOUT_QPDF_DECODER = {"/DCTDecode", "/JPXDecode", "/JBIG2Decode", "/CCITTFaxDecode"}


def check_structure(path: Path) -> None:
    """Raise `DamagedPdfError` (or `EncryptedPdfError`) if the file's structure is damaged."""
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError as exc:
        raise EncryptedPdfError(
            path, "the PDF is password-protected",
            "save an unprotected copy (e.g. print to PDF) and pass that",
        ) from exc
    except Exception as exc:  # qpdf could not even recover the file
        raise DamagedPdfError(path, f"damaged PDF: {_qpdf_text(exc)}", REMEDY) from exc
    with pdf:
        try:
            problems = list(_problems(pdf))
        except Exception as exc:  # qpdf gave up half-way through an object
            problems = [(None, _qpdf_text(exc))]
        problems += [(None, _qpdf_text(w)) for w in pdf.get_warnings()]
        if problems:
            raise DamagedPdfError(path, _describe(pdf, problems), REMEDY)


def _problems(pdf: pikepdf.Pdf) -> Iterator[tuple[int | None, str]]:
    """(object number, what is wrong) for every stream that does not decode cleanly."""
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Stream):
            continue
        filters = _filters(obj)
        try:
            raw = obj.read_raw_bytes()
            if filters[:1] == ["/FlateDecode"] and raw:  # (qpdf writes an empty stream with no data)
                zlib.decompress(raw)  # verifies the Adler-32 checksum
            elif not _FILTERS_WITHOUT_QPDF_DECODER.intersection(filters):
                obj.read_bytes()
        except (zlib.error, pikepdf.PdfError) as exc:
            yield obj.objgen[0], f"a stream does not decode ({_qpdf_text(exc)})"
    for number, page in enumerate(pdf.pages, start=1):
        contents = page.obj.get("/Contents")
        streams = list(contents) if isinstance(contents, pikepdf.Array) else [contents]
        if all(isinstance(s, pikepdf.Stream) and _filters(s)[:1] == ["/FlateDecode"] for s in streams):
            continue  # checksummed above; tokenising costs more than the whole check otherwise
        try:
            page.parse_contents(_Discard())
        except pikepdf.PdfError as exc:
            yield None, f"page {number}: its content does not parse ({_qpdf_text(exc)})"


class _Discard(pikepdf.StreamParser):
    def handle_object(self, *_args: object) -> None:
        pass

    def handle_eof(self) -> None:
        pass


def _filters(stream: pikepdf.Stream) -> list[str]:
    value = stream.get("/Filter")
    if value is None:
        return []
    return [str(f) for f in value] if isinstance(value, pikepdf.Array) else [str(value)]


_QPDF_PLACE = re.compile(r"^.*?\((?:object (\d+) \d+, )?offset \d+\):\s*")
_QPDF_PAGE_OBJECT = re.compile(r"^.*?page object \d+ \d+ stream (\d+) \d+ \([^)]*\):\s*")


def _qpdf_text(exc: object) -> str:
    """qpdf's message without the file name and byte offset, at most one short line."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    for pattern in (_QPDF_PAGE_OBJECT, _QPDF_PLACE):
        m = pattern.match(text)
        if m:
            text = (f"object {m[1]}: " if m[1] else "") + text[m.end():]
            break
    text = re.sub(r"^(?:stream )?<[^>]*>:\s*|^/\S+:\s*", "", text)
    if text == "file is damaged":  # qpdf's first word on a cross-reference table it must rebuild
        text = "its cross-reference table does not match the file"
    return text[:120]


def _describe(pdf: pikepdf.Pdf, problems: list[tuple[int | None, str]]) -> str:
    """One line: the first problem, the page it touches, how many more there are."""
    objnum, text = problems[0]
    if objnum is None:
        m = re.match(r"object (\d+)\b", text)
        objnum = int(m[1]) if m else None
    where = ""
    if objnum is not None:
        pages = _pages_using(pdf, objnum)
        if pages:
            others = f" (and {len(pages) - 1} more pages)" if len(pages) > 1 else ""
            where = f"page {pages[0]}{others}: "
    more = f" (and {len(problems) - 1} more problems)" if len(problems) > 1 else ""
    return f"damaged PDF: {where}{text}{more}"


def _pages_using(pdf: pikepdf.Pdf, objnum: int) -> list[int]:
    """The pages whose content or resources reach object `objnum` (only asked on failure)."""
    found = []
    for number, page in enumerate(pdf.pages, start=1):
        try:
            if objnum in _reachable(page.obj):
                found.append(number)
        except Exception:
            continue  # a damaged page tree: name no page rather than fail again
    return found


def _reachable(page: pikepdf.Object) -> set[int]:
    seen: set[int] = set()
    stack = [page.get(k) for k in ("/Contents", "/Resources", "/Annots")]
    while stack:
        obj = stack.pop()
        if not isinstance(obj, pikepdf.Object):
            continue  # a number or a name pikepdf gave as a Python value
        if obj.is_indirect:
            if obj.objgen[0] in seen:
                continue
            seen.add(obj.objgen[0])
        if isinstance(obj, pikepdf.Array):
            stack.extend(obj)
        elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            stack.extend(v for k, v in obj.items() if k not in ("/Parent", "/P"))
    return seen


# --- content: what the page layouts show ------------------------------------------------------

def check_layout(lay: PageLayout, page_count: int, path: Path) -> None:
    """Refuse a page with glyphs that have no text, or an empty page (in a PDF of several pages).
    Runs where the page is read (a worker), so a damaged page stops extraction early."""
    if lay.unmapped:
        raise DamagedPdfError(
            path,
            f"damaged PDF: page {lay.number}: {lay.unmapped} glyphs have no text "
            f"(e.g. {lay.unmapped_sample})",
            REMEDY + "; if it opens fine, its fonts lack a text mapping: export it again",
        )
    if lay.char_count == 0 and lay.marks == 0 and page_count > 1:
        raise DamagedPdfError(
            path, f"damaged PDF: page {lay.number} is empty (no text, no drawing)", REMEDY
        )


def check_pages(layouts: list[PageLayout], running: list[list[TextRun]], path: Path) -> None:
    """Refuse pages that lost their text (`check_layout` on each), or lack a running header or
    page number where both neighbouring pages have it. `running[i]` are page i's running runs."""
    for lay in layouts:
        check_layout(lay, len(layouts), path)
    numbers = [_page_numbers(runs) for runs in running]
    headers = [{masked(r.text) for r in runs if not PAGE_NUMBER.match(r.text)} for runs in running]
    for i in range(1, len(layouts) - 1):
        page = layouts[i].number
        if any(b - a == 2 and a + 1 not in numbers[i] for a in numbers[i - 1] for b in numbers[i + 1]):
            raise DamagedPdfError(
                path,
                f"damaged PDF: page {page} lost its page number (the pages around it have theirs)",
                REMEDY,
            )
        # Only a page with no running text at all lost it: a chapter's first page may carry
        # another header (or none by design, but then its number is still there).
        lost = (headers[i - 1] & headers[i + 1]) - headers[i]
        if lost and not headers[i] and not numbers[i]:
            raise DamagedPdfError(
                path,
                f"damaged PDF: page {page} lost its running header 「{min(lost)}」 "
                "(the pages around it have it)",
                REMEDY,
            )


def check_captions(captions: list[Line], layouts: list[PageLayout], path: Path) -> None:
    """Refuse a 「図表N-M」 caption with no table after it on a page with no figure (image or
    chart path): the table under it was lost."""
    by_number = {lay.number: lay for lay in layouts}
    for line in captions:
        if by_number[line.run.page].figures == 0:
            raise DamagedPdfError(
                path,
                f"damaged PDF: page {line.run.page}: the caption 「{line.text}」 has no table or "
                "figure under it",
                REMEDY,
            )


def _page_numbers(runs: list[TextRun]) -> set[int]:
    return {int(m[0]) for r in runs if PAGE_NUMBER.match(r.text) and (m := re.search(r"\d+", r.text))}


__all__ = ["REMEDY", "check_captions", "check_layout", "check_pages", "check_structure"]
