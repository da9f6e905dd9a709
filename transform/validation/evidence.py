"""Evidence a reviewer can cite: every quote behind a finding or a coding as whole sentences of
the case, with the PDF pages they are printed on.

Quotes come from three places — the auto-coder's sentences, the reviewers' quotes in
editorial/reviewed_codings.yaml (parts joined by 「…」) and the fuzzy alignment of a Chapter 4
citation with its case, which starts and ends wherever the best match did (「た。例えば、電力会社
との…」). `cite` finds each in the case's text (whitespace-blind, in its step first), widens it to
the sentences it touches — for an alignment, the sentences it covers at least half of — and takes
the pages of the headings, items and notes those sentences are in. A quote the case does not
contain (the region of a heading, 「【山口県・滋賀県】」) keeps its text and gets the step's pages,
or the heading's page.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from transform.records import Case, Step, walk
from transform.text import compact, sentences
from transform.validation.model import Check, Coding, Evidence

_ELLIPSIS = re.compile(r"…+|\.{3,}")
HALF = 0.5  # an alignment keeps a sentence it covers at least this share of


@dataclass(frozen=True)
class Unit:
    """A heading, item or note of a case: its text and the pages it is printed on."""

    step: int
    text: str
    pages: tuple[int, ...]
    kind: str  # "heading" | "item" | "note"


def units(step: Step) -> list[Unit]:
    """The texts of a step row in reading order (as `coding.step_texts` yields them), with pages."""
    out = []
    for section in step.sections:
        if section.heading:
            out.append(Unit(step.step, section.heading, tuple(section.pages or step.pages), "heading"))
        out += [Unit(step.step, item.text, tuple(item.pages), "item") for item, _level in walk(section.items)]
    out += [Unit(step.step, note, tuple(step.pages), "note") for note in step.notes]
    return out


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence of `transform.text.sentences` in the text."""
    spans, at = [], 0
    for sentence in sentences(text):
        start = text.find(sentence, at)
        if start < 0:  # cannot happen: sentences are stripped slices of the text
            continue
        spans.append((start, start + len(sentence)))
        at = start + len(sentence)
    return spans


def sentence_at(text: str, start: int, end: int | None = None) -> str:
    """The whole sentences of `text` that the span [start, end) touches (one offset: its sentence)."""
    end = start + 1 if end is None else max(end, start + 1)
    touched = [(s, e) for s, e in sentence_spans(text) if s < end and e > start]
    if not touched:
        return text.strip()
    return text[touched[0][0] : touched[-1][1]]


@dataclass(frozen=True)
class _Piece:
    """A sentence of one unit, as a span of the unit's text."""

    unit: int
    start: int
    end: int


class _StepText:
    """A step's units joined without whitespace (as `compact` compares them), with each
    character's place in its unit's own text, so that a match maps back to sentences."""

    def __init__(self, items: list[Unit]) -> None:
        self.units = items
        self.places: list[tuple[int, int]] = []
        chars = []
        for ui, unit in enumerate(items):
            for oi, ch in enumerate(unit.text):
                if not ch.isspace():
                    chars.append(ch)
                    self.places.append((ui, oi))
        self.text = "".join(chars)
        self.sentences = [[_Piece(ui, s, e) for s, e in sentence_spans(u.text)] for ui, u in enumerate(items)]

    def find(self, parts: list[str]) -> list[tuple[int, int]] | None:
        """Each part's (start, end) in the joined text, in order, or None if one is missing."""
        spans, at = [], 0
        for part in parts:
            found = self.text.find(part, at)
            if found < 0:
                return None
            spans.append((found, found + len(part)))
            at = found + len(part)
        return spans

    def pieces(self, start: int, end: int, whole: bool) -> list[_Piece]:
        """The sentences a span of the joined text lies in: every one it touches (`whole`), or
        those it covers at least half of (the best-covered one if none is)."""
        first, last = self.places[start], self.places[end - 1]
        touched = []
        for ui in range(first[0], last[0] + 1):
            lo = first[1] if ui == first[0] else 0
            hi = last[1] + 1 if ui == last[0] else len(self.units[ui].text)
            for piece in self.sentences[ui]:
                overlap = min(hi, piece.end) - max(lo, piece.start)
                if overlap > 0:
                    touched.append((overlap / (piece.end - piece.start), piece))
        if whole or not touched:
            return [p for _share, p in touched]
        kept = [p for share, p in touched if share >= HALF]
        return kept or [max(touched, key=lambda t: t[0])[1]]


def _excerpt(step: _StepText, pieces: list[_Piece]) -> tuple[str, list[int]]:
    """The sentences as one text (「…」 where they are not consecutive) and their pages."""
    order = [p for ps in step.sentences for p in ps]
    index = {p: i for i, p in enumerate(order)}
    chosen = sorted(set(pieces), key=index.__getitem__)
    text, previous, pages = "", None, set()
    for piece in chosen:
        if previous is not None and index[piece] != index[previous] + 1:
            text += "…"
        text += step.units[piece.unit].text[piece.start : piece.end]
        pages.update(step.units[piece.unit].pages)
        previous = piece
    return text, sorted(pages)


def cite(case: Case, evidence: Evidence, texts: _Texts | None = None) -> Evidence:
    """The evidence as whole sentences of the case with their pages (see the module doc)."""
    texts = texts or _Texts()
    parts = [compact(p) for p in _ELLIPSIS.split(evidence.quote) if compact(p)]
    steps = sorted(case.steps, key=lambda s: s.step != evidence.step)  # its own step first
    aligned = evidence.score is not None and evidence.score < 100.0
    for step in steps if parts else []:
        every, items = texts.of(case, step)
        for text in (items, every) if aligned else (every, items):
            spans = text.find(parts)
            if spans:
                pieces = [p for s, e in spans for p in text.pieces(s, e, whole=not aligned)]
                quote, pages = _excerpt(text, pieces)
                return replace(evidence, quote=quote, step=step.step, pages=pages)
    own = next((s for s in case.steps if s.step == evidence.step), None)
    return replace(evidence, pages=list(own.pages) if own else case.pages[:1])


class _Texts:
    """Each step's joined text, built once per run: all its units, and its items alone (what
    Chapter 4 citations are aligned with)."""

    def __init__(self) -> None:
        self._built: dict[tuple[int, int], tuple[_StepText, _StepText]] = {}

    def of(self, case: Case, step: Step) -> tuple[_StepText, _StepText]:
        key = (case.no, step.step)
        if key not in self._built:
            every = units(step)
            self._built[key] = (_StepText(every), _StepText([u for u in every if u.kind == "item"]))
        return self._built[key]


def cite_all(checks: Iterable[Check], codings: Iterable[Coding], cases: list[Case]) -> None:
    """Every evidence of the checks' cases and of the codings, cited in place."""
    by_no = {c.no: c for c in cases}
    texts = _Texts()
    done: dict[tuple[int, str, int | None, float | None], Evidence] = {}

    def cited(no: int, evidence: Evidence) -> Evidence:
        key = (no, evidence.quote, evidence.step, evidence.score)
        if key not in done:
            done[key] = cite(by_no[no], evidence, texts)
        return replace(done[key], pages=list(done[key].pages))

    for check in checks:
        for ref in (*check.cases, *check.others):
            if ref.no in by_no:
                ref.evidence = [cited(ref.no, e) for e in ref.evidence]
    for coding in codings:
        if coding.case in by_no:
            coding.evidence = [cited(coding.case, e) for e in coding.evidence]
