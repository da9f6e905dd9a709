"""A casebook .docx that came back from review, read as paragraphs with their tracked changes and
comments: what `casebook absorb` turns into corrections and review notes (render/absorb.py).

The package is read as a zip of XML parts (lxml), following its relationships as Word does:
the main document, its styles, comments, headers, footers and notes. Each paragraph keeps its
text as pieces — unchanged, inserted (w:ins, w:moveTo) or deleted (w:del, w:moveFrom), each
revision with its author and date — the bookmarks naming its place (render/wordids.py), its
style's name, a revision of its paragraph mark (a paragraph added, removed, split or joined) and
formatting changes. Comments keep their author, date, text and where their range starts and ends
(paragraph, character offset). Headers, footers and notes carry no case text: their revisions are
kept only to be listed as not absorbable.

A file that is not a .docx, a damaged one, one without the casebook's identifiers, and a revision
without an author are `ReviewedDocumentError`s (exit 2), one line each.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath, PureWindowsPath

from lxml import etree

from casebook.errors import EditorialError
from render import wordids

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
OFFICE_DOCUMENT = RT + "officeDocument"
STRICT_OFFICE_DOCUMENT = "http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


P, R, T, DEL_TEXT, TAB, BR, CR = (_w(t) for t in ("p", "r", "t", "delText", "tab", "br", "cr"))
NO_BREAK_HYPHEN, PPR, RPR, PSTYLE = (_w(t) for t in ("noBreakHyphen", "pPr", "rPr", "pStyle"))
INS, DEL, MOVE_FROM, MOVE_TO = (_w(t) for t in ("ins", "del", "moveFrom", "moveTo"))
RPR_CHANGE, PPR_CHANGE = _w("rPrChange"), _w("pPrChange")
BOOKMARK_START = _w("bookmarkStart")
COMMENT_START, COMMENT_END = _w("commentRangeStart"), _w("commentRangeEnd")
COMMENT_REF = _w("commentReference")
TBL, SECT_PR, DRAWING, PICT = _w("tbl"), _w("sectPr"), _w("drawing"), _w("pict")
REVISION_TAGS = {INS: "ins", MOVE_TO: "ins", DEL: "del", MOVE_FROM: "del"}
NOT_TEXT = {RPR, _w("instrText"), _w("delInstrText"), DRAWING, PICT, _w("object"), _w("fldChar")}
# The parts beside the main document whose tracked changes are listed (never absorbed).
OTHER_PARTS = {RT + "header": "ヘッダー", RT + "footer": "フッター", RT + "footnotes": "脚注",
               RT + "endnotes": "文末脚注"}

# lxml would expand entities and could fetch a DTD: a reviewed file comes from outside.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


class ReviewedDocumentError(EditorialError):
    """A reviewed .docx that cannot be absorbed: `file: problem — what to do`."""

    def __init__(self, file: str, problem: str, remedy: str) -> None:
        super().__init__(f"{file}: {problem} — {remedy}")


@dataclass(frozen=True)
class Revision:
    """One tracked change: w:ins / w:del (moves count as both), a paragraph mark's, or formatting."""

    id: str
    kind: str  # "ins" | "del" | "format"
    author: str
    date: str  # as recorded (ISO 8601), "" if none

    @property
    def day(self) -> str:
        return day(self.date)


@dataclass(frozen=True)
class RevisedStretch:
    """A stretch of a paragraph's text: unchanged, or inserted and/or deleted by a revision."""

    text: str
    inserted: Revision | None = None
    deleted: Revision | None = None

    @property
    def revised(self) -> bool:
        return self.inserted is not None or self.deleted is not None


@dataclass
class DocParagraph:
    """A paragraph of the reviewed document, in document order."""

    index: int
    style: str  # the style's name, lower case ("heading 1", "list bullet")
    bookmarks: list[str] = field(default_factory=list)
    pieces: list[RevisedStretch] = field(default_factory=list)
    mark: Revision | None = None  # its paragraph mark inserted or deleted (added, split, joined)
    formatting: list[Revision] = field(default_factory=list)
    in_table: bool = False

    @property
    def text(self) -> str:
        """Every character, deleted ones included: the offsets comments and pieces use."""
        return "".join(p.text for p in self.pieces)

    @property
    def before(self) -> str:
        """The text as the casebook printed it (insertions left out)."""
        return "".join(p.text for p in self.pieces if p.inserted is None)

    @property
    def after(self) -> str:
        """The text as the reviewer left it (deletions left out)."""
        return "".join(p.text for p in self.pieces if p.deleted is None)

    @property
    def revisions(self) -> list[Revision]:
        """Every revision of the paragraph's text, its mark and its formatting."""
        out = [r for p in self.pieces for r in (p.inserted, p.deleted) if r is not None]
        out += [self.mark] if self.mark is not None else []
        return list(dict.fromkeys(out + self.formatting))

    @property
    def places(self) -> list[wordids.Place]:
        """The case-text places its bookmarks name (render/wordids.py)."""
        return [place for name in self.bookmarks if (place := wordids.parse(name)) is not None]

    def is_heading(self, level: int) -> bool:
        return self.style == f"heading {level}"


@dataclass(frozen=True)
class Position:
    """A point in the document: a paragraph and a character offset in its `text`."""

    paragraph: int
    offset: int


@dataclass
class Comment:
    """A comment and the range it is anchored on (start = end for a comment on a point)."""

    id: str
    author: str
    date: str
    text: str
    start: Position | None = None
    end: Position | None = None

    @property
    def day(self) -> str:
        return day(self.date)


@dataclass(frozen=True)
class OtherRevision:
    """A tracked change outside the body (a header, footer or note)."""

    part: str  # 「ヘッダー」
    revision: Revision
    text: str


@dataclass
class ReviewedDocument:
    """What a reviewed casebook or confirmation sheet says, read from its .docx."""

    name: str  # the file's name, for messages and notes
    kind: str  # wordids.CASEBOOK or wordids.SHEET
    scheme: str
    source_sha256: str
    paragraphs: list[DocParagraph]
    comments: list[Comment]
    other: list[OtherRevision] = field(default_factory=list)


def read_reviewed(data: bytes, name: str) -> ReviewedDocument:
    """Read a reviewed .docx: its bytes, and its path as messages name it (notes keep its file name)."""
    package = _Package(data, name)
    properties = package.custom_properties()
    kind = properties.get(wordids.KIND_PROPERTY, "")
    if kind not in wordids.KINDS:
        raise ReviewedDocumentError(
            name, "not a casebook or confirmation sheet (it carries no casebook identifiers)",
            "absorb the casebook.docx a build published or a sheet `casebook sheets` wrote, as it came back")
    main = package.main_part()
    rels = package.relationships(main)
    styles = package.style_names(rels)
    reader = _BodyReader(name, styles)
    reader.read(package.xml(main))
    comments = package.comments(rels)
    for comment in comments:
        comment.start = reader.comment_starts.get(comment.id) or reader.comment_refs.get(comment.id)
        comment.end = reader.comment_ends.get(comment.id) or reader.comment_refs.get(comment.id)
    other = [o for rel_type, label in OTHER_PARTS.items() for target in rels.get(rel_type, [])
             for o in _other_revisions(package, target, label)]
    return ReviewedDocument(PureWindowsPath(name).name, kind, properties.get(wordids.SCHEME_PROPERTY, ""),
                            properties.get(wordids.SOURCE_PROPERTY, ""), reader.paragraphs, comments, other)


class _Package:
    """The zip, its parts and relationships; every failure to read it is one clear error."""

    def __init__(self, data: bytes, name: str) -> None:
        self.name = name
        if not data.startswith(b"PK"):
            raise ReviewedDocumentError(name, "not a .docx (not a zip package)",
                                        "save it in Word as a Word document (.docx) and absorb that")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            self.names = set(self.zip.namelist())
        except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
            raise self.damaged(exc) from None

    def damaged(self, exc: BaseException) -> ReviewedDocumentError:
        detail = " ".join(str(exc).split())[:80]
        return ReviewedDocumentError(self.name, f"damaged .docx ({detail})",
                                     "copy the file again from where it was sent, or save it again in Word")

    def read(self, part: str) -> bytes:
        try:
            return self.zip.read(part)
        except KeyError:
            raise ReviewedDocumentError(self.name, f"damaged .docx (the part {part} is missing)",
                                        "copy the file again, or save it again in Word") from None
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise self.damaged(exc) from None

    def xml(self, part: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(part), _PARSER)
        except etree.XMLSyntaxError as exc:
            raise self.damaged(exc) from None

    def relationships(self, part: str) -> dict[str, list[str]]:
        """The relationships of a part (`""`: the package's own): type → target parts."""
        folder, base = posixpath.split(part)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.names:
            return {}
        out: dict[str, list[str]] = {}
        for rel in self.xml(rels).iter(f"{{{REL}}}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = rel.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
                posixpath.join(folder, target))
            out.setdefault(rel.get("Type", ""), []).append(path)
        return out

    def main_part(self) -> str:
        package = self.relationships("")
        main = (package.get(OFFICE_DOCUMENT) or package.get(STRICT_OFFICE_DOCUMENT) or [None])[0]
        if main is None or main not in self.names:
            raise ReviewedDocumentError(self.name, "not a Word document (no main document part)",
                                        "absorb the casebook's .docx, not another kind of file")
        return main

    def custom_properties(self) -> dict[str, str]:
        targets = self.relationships("").get(wordids.CUSTOM_RT, [])
        if not targets or targets[0] not in self.names:
            return {}
        try:
            return wordids.read_properties(self.read(targets[0]))
        except etree.XMLSyntaxError as exc:
            raise self.damaged(exc) from None

    def style_names(self, rels: dict[str, list[str]]) -> dict[str, str]:
        """Style id → name (lower case): Word in Japanese names its heading 1 style "1"."""
        out = {}
        for target in rels.get(RT + "styles", []):
            for style in self.xml(target).iter(_w("style")):
                name = style.find(_w("name"))
                value = name.get(_w("val")) if name is not None else None
                out[style.get(_w("styleId"), "")] = (value or style.get(_w("styleId"), "")).lower()
        return out

    def comments(self, rels: dict[str, list[str]]) -> list[Comment]:
        out = []
        for target in rels.get(RT + "comments", []):
            for element in self.xml(target).iter(_w("comment")):
                paragraphs = ["".join(t.text or "" for t in p.iter(T)) for p in element.iter(P)]
                out.append(Comment(element.get(_w("id"), ""), element.get(_w("author"), "") or "",
                                   element.get(_w("date"), "") or "", "\n".join(paragraphs).strip()))
        return out


class _BodyReader:
    """Walks the main document in order: paragraphs (also in tables), their pieces and bookmarks,
    comment anchors. Bookmarks and comment anchors between paragraphs go to the nearest one."""

    def __init__(self, name: str, styles: dict[str, str]) -> None:
        self.name = name
        self.styles = styles
        self.paragraphs: list[DocParagraph] = []
        self.comment_starts: dict[str, Position] = {}
        self.comment_ends: dict[str, Position] = {}
        self.comment_refs: dict[str, Position] = {}
        self._pending_bookmarks: list[str] = []
        self._pending_starts: list[str] = []
        self._chapter = ""  # the last Heading 1 read, for messages

    def read(self, root: etree._Element) -> None:
        body = root.find(_w("body"))
        if body is None:
            raise ReviewedDocumentError(self.name, "damaged .docx (the document has no body)",
                                        "copy the file again, or save it again in Word")
        self._block(body, in_table=False)

    def _block(self, element: etree._Element, in_table: bool) -> None:
        for child in element:
            tag = child.tag
            if tag == P:
                self._paragraph(child, in_table)
            elif tag == BOOKMARK_START:
                self._pending_bookmarks.append(child.get(_w("name"), ""))
            elif tag == COMMENT_START:
                self._pending_starts.append(child.get(_w("id"), ""))
            elif tag == COMMENT_END and self.paragraphs:
                last = self.paragraphs[-1]
                self.comment_ends[child.get(_w("id"), "")] = Position(last.index, len(last.text))
            elif tag != SECT_PR and isinstance(tag, str):
                self._block(child, in_table or tag == TBL)

    def _paragraph(self, p: etree._Element, in_table: bool) -> None:
        para = DocParagraph(len(self.paragraphs), self._style(p), list(self._pending_bookmarks),
                            in_table=in_table)
        self._pending_bookmarks.clear()
        self.paragraphs.append(para)
        for ident in self._pending_starts:
            self.comment_starts[ident] = Position(para.index, 0)
        self._pending_starts.clear()
        self._inline(p, para, None, None)
        if para.is_heading(1):
            self._chapter = para.before

    def _style(self, p: etree._Element) -> str:
        style = p.find(f"{PPR}/{PSTYLE}")
        ident = style.get(_w("val"), "") if style is not None else ""
        return self.styles.get(ident, ident.lower())

    def _inline(self, element: etree._Element, para: DocParagraph, ins: Revision | None,
                dele: Revision | None) -> None:
        for child in element:
            tag = child.tag
            if not isinstance(tag, str):
                continue
            if tag == PPR:
                self._paragraph_properties(child, para)
            elif tag in REVISION_TAGS:
                revision = self._revision(child, REVISION_TAGS[tag], para)
                if revision.kind == "ins":
                    self._inline(child, para, revision, dele)
                else:
                    self._inline(child, para, ins, revision)
            elif tag == R:
                self._run(child, para, ins, dele)
            elif tag == BOOKMARK_START:
                para.bookmarks.append(child.get(_w("name"), ""))
            elif tag == COMMENT_START:
                self.comment_starts[child.get(_w("id"), "")] = Position(para.index, len(para.text))
            elif tag == COMMENT_END:
                self.comment_ends[child.get(_w("id"), "")] = Position(para.index, len(para.text))
            elif tag == P:  # a paragraph inside a content control or a text box: its own
                self._paragraph(child, para.in_table)
            elif tag not in NOT_TEXT:  # hyperlinks, fields, content controls, smart tags
                self._inline(child, para, ins, dele)

    def _run(self, r: etree._Element, para: DocParagraph, ins: Revision | None,
             dele: Revision | None) -> None:
        for child in r:
            tag = child.tag
            text = None
            if tag in (T, DEL_TEXT):
                text = child.text or ""
            elif tag == TAB:
                text = "\t"
            elif tag in (BR, CR):
                text = "\n"
            elif tag == NO_BREAK_HYPHEN:
                text = "-"
            elif tag == RPR:
                change = child.find(RPR_CHANGE)
                if change is not None:
                    para.formatting.append(self._revision(change, "format", para))
            elif tag == COMMENT_REF:
                self.comment_refs[child.get(_w("id"), "")] = Position(para.index, len(para.text))
            if text:
                para.pieces.append(RevisedStretch(text, ins, dele))

    def _paragraph_properties(self, ppr: etree._Element, para: DocParagraph) -> None:
        mark = ppr.find(RPR)
        if mark is not None:
            for tag, kind in ((INS, "ins"), (DEL, "del"), (MOVE_TO, "ins"), (MOVE_FROM, "del")):
                element = mark.find(tag)
                if element is not None:
                    para.mark = self._revision(element, kind, para)
        change = ppr.find(PPR_CHANGE)
        if change is not None:
            para.formatting.append(self._revision(change, "format", para))

    def _revision(self, element: etree._Element, kind: str, para: DocParagraph) -> Revision:
        author = (element.get(_w("author")) or "").strip()
        ident = element.get(_w("id"), "?")
        if not author:
            where = f"{self._chapter}, " if self._chapter else ""
            raise ReviewedDocumentError(
                self.name, f"tracked change w:id={ident} ({where}「{_excerpt(para.text)}」) has no author "
                "(w:author)", "record the change again in Word or LibreOffice with a user name set, "
                "or accept or reject it before absorbing")
        return Revision(ident, kind, author, element.get(_w("date"), "") or "")


def _other_revisions(package: _Package, part: str, label: str) -> list[OtherRevision]:
    out = []
    root = package.xml(part)
    for tag, kind in REVISION_TAGS.items():
        for element in root.iter(tag):
            author = (element.get(_w("author")) or "").strip()
            if not author:
                raise ReviewedDocumentError(
                    package.name, f"tracked change w:id={element.get(_w('id'), '?')} in the {label} "
                    f"({PurePosixPath(part).name}) has no author (w:author)",
                    "record the change again with a user name set, or accept or reject it")
            text = "".join(t.text or "" for t in element.iter(T, DEL_TEXT))
            out.append(OtherRevision(label, Revision(element.get(_w("id"), "?"), kind, author,
                                                     element.get(_w("date"), "") or ""), text))
    return out


def day(date: str) -> str:
    """The day of a w:date (2026-12-04), or "" where none was recorded (LibreOffice writes
    0-00-00T00:00:00Z for a comment without a date)."""
    value = date[:10]
    return value if len(value) == 10 and value[:4].isdigit() and value[:4] != "0000" else ""


def _excerpt(text: str, limit: int = 20) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
