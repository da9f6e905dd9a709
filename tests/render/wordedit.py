"""Tracked changes and comments written into a .docx by hand (lxml), as Word saves them.

Word keeps a paragraph's text in runs (w:r) that it splits wherever formatting or an editing
session (w:rsidR) changes — often in the middle of a word — and records a reviewer's edits as
w:del (runs of w:delText) and w:ins (runs of w:t) with w:id, w:author and w:date; a comment is a
w:comment in word/comments.xml, anchored by w:commentRangeStart / w:commentRangeEnd and a run
holding w:commentReference. These helpers rewrite the paragraph a casebook bookmark names (or the
first paragraph holding a text) into such runs, so the tests read exactly the XML Word writes.
"""

from __future__ import annotations

import io
import itertools
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
CT = "http://schemas.openxmlformats.org/package/2006/content-types"
REL = "http://schemas.openxmlformats.org/package/2006/relationships"
COMMENTS_RT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"
COMMENTS_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml"
DATE = "2026-12-04T10:15:00Z"
_ids = itertools.count(9000)


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@dataclass
class Revise:
    """Rewrite one paragraph as runs: ("same" | "del" | "ins", text or [texts, one run each]).
    `at`: a casebook bookmark (「_cb3_1_i0_1」) or, with `find`, the first paragraph containing it."""

    at: str
    segments: Sequence[tuple[str, str | list[str]]]
    author: str | None = "校正者A"
    date: str = DATE
    find: bool = False


@dataclass
class Comment:
    """A comment anchored from the start of paragraph `start` to the end of paragraph `end`
    (bookmarks), or on `passage` inside `start` when given."""

    start: str
    text: str
    end: str | None = None
    author: str = "校閲者B"
    date: str = DATE
    passage: str | None = None


def edit(docx: bytes, changes: Sequence[Revise | Comment]) -> bytes:
    """The .docx with the changes written in."""
    parts = _read(docx)
    root = etree.fromstring(parts["word/document.xml"])
    comments: list[etree._Element] = []
    for change in changes:
        if isinstance(change, Revise):
            _revise(root, change)
        else:
            comments.append(_comment(root, change))
    parts["word/document.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if comments:
        _add_comments(parts, comments)
    return _write(parts)


def paragraph(root: etree._Element, at: str, find: bool = False) -> etree._Element:
    for p in root.iter(w("p")):
        if find and at in "".join(t.text or "" for t in p.iter(w("t"))):
            return p
        if not find and any(b.get(w("name")) == at for b in p.iter(w("bookmarkStart"))):
            return p
    raise AssertionError(f"no paragraph {at!r}")


def _revise(root: etree._Element, change: Revise) -> None:
    p = paragraph(root, change.at, change.find)
    text = "".join(t.text or "" for t in p.iter(w("t")))
    printed = "".join("".join(_texts(v)) for op, v in change.segments if op != "ins")
    assert printed == text, f"segments do not spell the paragraph: {printed!r} != {text!r}"
    first = p.find(f"{w('r')}/{w('rPr')}")
    for child in list(p):
        if child.tag in (w("r"), w("hyperlink"), w("ins"), w("del")):
            p.remove(child)
    end = p.find(w("bookmarkEnd"))
    for op, value in change.segments:
        element = _segment(op, _texts(value), change, first)
        for el in element:
            if end is not None:
                end.addprevious(el)
            else:
                p.append(el)


def _segment(op: str, texts: list[str], change: Revise, rpr: etree._Element | None) -> list[etree._Element]:
    def run(text: str, deleted: bool) -> etree._Element:
        r = etree.Element(w("r"))
        r.set(w("rsidR"), f"00{next(_ids):06X}")
        if rpr is not None:
            r.append(etree.fromstring(etree.tostring(rpr)))
        t = etree.SubElement(r, w("delText" if deleted else "t"))
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        t.text = text
        return r

    if op == "same":
        return [run(t, False) for t in texts]
    wrapper = etree.Element(w(op))
    wrapper.set(w("id"), str(next(_ids)))
    if change.author is not None:
        wrapper.set(w("author"), change.author)
    wrapper.set(w("date"), change.date)
    for t in texts:
        wrapper.append(run(t, op == "del"))
    return [wrapper]


def _texts(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _comment(root: etree._Element, change: Comment) -> etree._Element:
    ident = str(next(_ids))
    first = paragraph(root, change.start)
    last = paragraph(root, change.end) if change.end else first
    start = etree.Element(w("commentRangeStart"))
    start.set(w("id"), ident)
    end = etree.Element(w("commentRangeEnd"))
    end.set(w("id"), ident)
    ref = etree.Element(w("r"))
    etree.SubElement(ref, w("commentReference")).set(w("id"), ident)
    if change.passage:  # split the run holding the passage so that the range covers just it
        run = next(r for r in first.iter(w("r")) if change.passage in "".join(t.text or "" for t in r.iter(w("t"))))
        t = run.find(w("t"))
        before, after = t.text.split(change.passage, 1)
        t.text = before
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        middle, tail = (etree.fromstring(etree.tostring(run)) for _ in range(2))
        middle.find(w("t")).text = change.passage
        tail.find(w("t")).text = after
        run.addnext(middle)
        middle.addprevious(start)
        middle.addnext(end)
        end.addnext(ref)
        ref.addnext(tail)
    else:
        ppr = first.find(w("pPr"))
        if ppr is not None:
            ppr.addnext(start)
        else:
            first.insert(0, start)
        last.append(end)
        last.append(ref)
    element = etree.Element(w("comment"), nsmap={"w": W})
    element.set(w("id"), ident)
    element.set(w("author"), change.author)
    element.set(w("date"), change.date)
    element.set(w("initials"), change.author[:1])
    para = etree.SubElement(element, w("p"))
    etree.SubElement(etree.SubElement(para, w("r")), w("annotationRef"))
    etree.SubElement(etree.SubElement(para, w("r")), w("t")).text = change.text
    return element


def _add_comments(parts: dict[str, bytes], comments: list[etree._Element]) -> None:
    root = etree.Element(w("comments"), nsmap={"w": W})
    for comment in comments:
        root.append(comment)
    parts["word/comments.xml"] = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(parts["[Content_Types].xml"])
    override = etree.SubElement(types, f"{{{CT}}}Override")
    override.set("PartName", "/word/comments.xml")
    override.set("ContentType", COMMENTS_CT)
    parts["[Content_Types].xml"] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    rels = etree.fromstring(parts["word/_rels/document.xml.rels"])
    rel = etree.SubElement(rels, f"{{{REL}}}Relationship")
    rel.set("Id", "rIdComments1")
    rel.set("Type", COMMENTS_RT)
    rel.set("Target", "comments.xml")
    parts["word/_rels/document.xml.rels"] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8",
                                                           standalone=True)


def _read(docx: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        return {name: z.read(name) for name in z.namelist()}


def _write(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()
