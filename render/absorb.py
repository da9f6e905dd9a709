"""A reviewed casebook or confirmation sheet → correction entries and review notes.

Each paragraph of case text carries its place (render/wordids.py). A tracked change inside one
becomes a correction of that place — the case's name, or a step (label, sub-headings, items,
notes) — with `old` the printed text it replaces, widened by a few characters of context and then
until it occurs exactly once in its place (as `transform.corrections` requires), `new` the text
the reviewer left, `by` and `date` from the revision, and `reason` the comment anchored on it
(else 「Wordでの修正（校正者A、2026-12-04）」). Revisions that touch, or whose context overlaps,
are one entry. A comment anchored in a case that is no edit's reason becomes a review note.

Anything else is listed, never applied in part: changes outside case text (cover, contents,
tables, appendix, the generated 「事例3」 and circled numbers, headers), a paragraph added, removed,
split or joined, formatting changes, comments outside the cases. An edit that no longer fits the
records — its old text gone or ambiguous, or overlapping an earlier correction or another edit of
the same file — is a conflict. An edit already in the corrections file, and a note already in the
notes file, count as absorbed and add nothing: absorbing a file twice changes nothing.

A document built from another source (its SHA-256 differs from the records') cannot trust its
places: each edit is mapped by its text, with a warning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from casebook.vocabulary import circled, circled_number
from render import wordids
from render.revisions import Comment, DocParagraph, ReviewedDocument, day
from render.wordids import Place
from transform.corrections import Correction
from transform.records import Report, walk
from transform.review_notes import ReviewNote

CONTEXT = 3  # unchanged characters kept on each side of a change: an entry an editor can read
EXCERPT = 16
CASE_PREFIX = re.compile(r"事例\s*\d+\s*")  # how the casebook heads a case: 「事例3 」 + its name

Key = tuple[int, int | None]  # (case, step): where a correction applies; step None: the case's name


@dataclass(frozen=True)
class NotAbsorbable:
    """A change or comment that cannot become a correction or note: where it is, what, why."""

    where: str
    what: str
    why: str


@dataclass(frozen=True)
class Conflict:
    """An edit that does not fit the records or the corrections file as they are now."""

    where: str
    old: str
    new: str
    why: str


@dataclass
class Absorption:
    """What a reviewed document adds to the corrections and notes files, and what it cannot."""

    document: str
    corrections: list[Correction] = field(default_factory=list)  # new entries, in document order
    notes: list[ReviewNote] = field(default_factory=list)
    already: int = 0  # edits the corrections file already has
    notes_already: int = 0
    not_absorbable: list[NotAbsorbable] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Sub:
    """One change inside a passage: printed text [start, end) replaced by `text`."""

    start: int
    end: int
    text: str


@dataclass
class _Cluster:
    """Changes close enough to be one entry, and the passage [start, end) it replaces."""

    start: int
    end: int
    subs: list[_Sub]
    revisions: set[tuple[str, str]] = field(default_factory=set)  # (author, date)
    stream: list[tuple[int, int]] = field(default_factory=list)  # the revised characters' offsets

    def old(self, printed: str) -> str:
        return printed[self.start:self.end]

    def new(self, printed: str) -> str:
        out, at = [], self.start
        for sub in sorted(self.subs, key=lambda s: s.start):
            out += [printed[at:sub.start], sub.text]
            at = sub.end
        return "".join([*out, printed[at:self.end]])


def absorb(
    doc: ReviewedDocument,
    current: Report,
    existing: Sequence[Correction],
    notes: Sequence[ReviewNote] = (),
) -> Absorption:
    """The corrections and notes `doc` adds. `current`: the records with the corrections file
    applied (what the casebook prints now; its `corrections` are the file's, applied);
    `existing`: the file's entries; `notes`: the notes file's."""
    return _Absorber(doc, current, existing, notes).run()


class _Absorber:
    def __init__(self, doc: ReviewedDocument, current: Report, existing: Sequence[Correction],
                 notes: Sequence[ReviewNote]) -> None:
        self.doc = doc
        self.current = current
        self.existing = list(existing)
        self.existing_notes = list(notes)
        self.out = Absorption(doc.name)
        self.by_text = doc.source_sha256 != current.sha256 or doc.scheme != wordids.SCHEME
        self.texts = _record_texts(current)  # what the casebook prints now, changed as edits are taken
        self.printed = _printed_texts(doc)  # what the document printed, by place
        self.labels = {(c.no, s.step): s.label for c in current.cases for s in c.steps}
        self.consumed: set[str] = set()  # comments that became an edit's reason
        self.chapters = _chapters(doc)

    def run(self) -> Absorption:
        for para in self.doc.paragraphs:
            if para.revisions:
                self.paragraph(para)
        for other in self.doc.other:
            self.out.not_absorbable.append(NotAbsorbable(
                other.part, _change(other.revision.kind, other.text),
                "ヘッダー・フッター・脚注は生成される部分のため取り込めません"))
        for comment in self.doc.comments:
            if comment.id not in self.consumed:
                self.comment(comment)
        return self.out

    # --- tracked changes --------------------------------------------------------------------

    def paragraph(self, para: DocParagraph) -> None:
        places = para.places
        where = self.where(para)
        if para.mark is not None:
            self.skip(where, para, "段落の追加・削除・分割・結合は取り込めません — 訂正は段落の中の文字の"
                                   "置き換えとして記入してください")
            return
        if para.formatting:
            self.out.not_absorbable.append(NotAbsorbable(
                where, "書式の変更", "書式の変更は取り込めません（本文の文字の修正だけを取り込みます）"))
        if not any(p.revised for p in para.pieces):
            return
        if not places:
            self.skip(where, para, "事例の本文（事例名・ステップ名・見出し・項目・注記）以外の変更は、"
                                   "ビルドのたびに生成される部分のため取り込めません")
            return
        place = places[0]
        prefix = self.prefix(place, para.before)
        chars = _stream(para)
        if any(c.changed and c.at < prefix for c in chars):
            self.skip(where, para, "生成された表示（「事例N」の番号・丸数字）の変更は取り込めません")
            return
        printed = para.before[prefix:]
        clusters = _clusters(chars, prefix)
        if not clusters:
            return
        texts = self.printed.get(_key(place), [printed])
        for cluster in _widen(clusters, printed, texts):
            self.edit(para, place, where, printed, texts, cluster)

    def skip(self, where: str, para: DocParagraph, why: str) -> None:
        self.out.not_absorbable.append(NotAbsorbable(where, _change_of(para), why))

    def prefix(self, place: Place, printed: str) -> int:
        """How many leading characters of the paragraph the casebook generated."""
        if place.kind == "name":
            match = CASE_PREFIX.match(printed)
            return match.end() if match else 0
        if place.kind == "label" and place.step is not None:
            label = self.labels.get(_key(place), printed)
            shown = circled(place.step)
            if printed.startswith(shown) and circled_number(label) is None:
                return len(shown)
        return 0

    def edit(self, para: DocParagraph, place: Place, where: str, printed: str, texts: list[str],
             cluster: _Cluster) -> None:
        old, new = cluster.old(printed), cluster.new(printed)
        if old == new:
            return
        if not new:
            self.out.not_absorbable.append(NotAbsorbable(
                where, f"削除「{_excerpt(old)}」",
                "文の全体を消す変更は取り込めません（訂正は文字の置き換えです）"))
            return
        if sum(t.count(old) for t in texts) != 1:
            self.out.conflicts.append(Conflict(where, old, new, f"the passage occurs more than once in "
                                               f"{_place_name(place)} of this document, even as a whole"))
            return
        authors = list(dict.fromkeys(a for a, _ in sorted(cluster.revisions)))
        by = "・".join(authors)
        date = max((d for _, d in cluster.revisions), default="")
        reason = self.reason(para, cluster) or f"Wordでの修正（{'、'.join(p for p in (by, date) if p)}）"
        key = _key(place)
        if self.by_text:
            found = self.find_by_text(old, new, key)
            if found is None:
                self.out.conflicts.append(Conflict(where, old, new, self.missing_why(old, key)))
                return
            self.out.warnings.append(
                    f"{where}: mapped by its text to {_key_name(found)} — {self.doc.name} was built from "
                    f"another source (SHA-256 {self.doc.source_sha256[:12] or '?'}…, the records' "
                f"{self.current.sha256[:12]}…); check the entry")
            key = found
        entry = Correction(key[0], key[1], old, new, reason, by=by, date=date,
                           note=f"{self.doc.name} の変更履歴から取り込み（{where}）")
        if any(_same(entry, e) for e in [*self.existing, *self.out.corrections]):
            self.out.already += 1
            return
        problem = self.misfit(old, new, key, cluster, printed)
        if problem:
            self.out.conflicts.append(Conflict(where, old, new, problem))
            return
        self.take(key, old, new)
        self.out.corrections.append(entry)

    def reason(self, para: DocParagraph, cluster: _Cluster) -> str:
        """The text of the comments anchored on the cluster's revised characters."""
        texts = []
        for comment in self.doc.comments:
            span = _span_in(comment, para)
            if span is None or not comment.text:
                continue
            lo, hi = span
            if any((lo < b and a < hi) or (lo == hi and a <= lo <= b) for a, b in cluster.stream):
                texts.append(comment.text)
                self.consumed.add(comment.id)
        return " ".join(" ".join(t.split()) for t in texts)

    def find_by_text(self, old: str, new: str, key: Key) -> Key | None:
        """Where the old text occurs exactly once now (the document's own place first); an entry
        already in the file counts where it was made."""
        for entry in self.existing:
            if entry.old == old and entry.new == new and entry.section is None:
                return (entry.case, entry.step)
        places = [k for k, texts in self.texts.items() if sum(t.count(old) for t in texts) == 1
                  and (k[1] is None) == (key[1] is None)]
        if key in places:
            return key
        return places[0] if len(places) == 1 else None

    def misfit(self, old: str, new: str, key: Key, cluster: _Cluster, printed: str) -> str:
        """Why the entry cannot be added to the file as it is now ("" if it can)."""
        texts = self.texts.get(key)
        if texts is None:
            return f"{_key_name(key)} is not in the records any more — the source changed since this document"
        count = sum(t.count(old) for t in texts)
        if count != 1:
            return self.missing_why(old, key) if count == 0 else (
                f"the old text occurs {count} times in {_key_name(key)} of the records now — edit it in the "
                "corrections file by hand, with more of the text around it")
        slot = next(t for t in texts if old in t)
        at = slot.index(old)
        changed = [(at + s.start - cluster.start, at + s.end - cluster.start) for s in cluster.subs]
        for number, applied in enumerate(self.current.corrections, start=1):
            if (applied.case, applied.step) != key or applied.section is not None:
                continue
            for start in _occurrences(slot, applied.new):
                end = start + len(applied.new)
                if any((a < end and start < b) or (a == b and start <= a <= end) for a, b in changed):
                    return (f"overlaps correction #{number} (「{applied.old}」→「{applied.new}」) of the "
                            "corrections file — amend that correction instead")
        return ""

    def missing_why(self, old: str, key: Key) -> str:
        for number, applied in enumerate(self.current.corrections, start=1):
            if (applied.case, applied.step) == key and old in applied.before and old not in applied.after:
                return (f"overlaps correction #{number} (「{applied.old}」→「{applied.new}」) of the "
                        "corrections file, which changed this passage — amend that correction instead")
        taken = [e for e in self.out.corrections if (e.case, e.step) == key]
        if taken:
            return "overlaps another edit of this document in the same place — make it one edit"
        return (f"the old text does not occur in {_key_name(key)} of the records now — the source or the "
                "corrections changed since this document was built; review the edit by hand")

    def take(self, key: Key, old: str, new: str) -> None:
        texts = self.texts[key]
        index = next(i for i, t in enumerate(texts) if old in t)
        texts[index] = texts[index].replace(old, new, 1)

    # --- comments ---------------------------------------------------------------------------

    def comment(self, comment: Comment) -> None:
        what = f"コメント「{_excerpt(comment.text, 24)}」"
        if comment.start is None or comment.end is None:
            self.out.not_absorbable.append(NotAbsorbable("（位置が分からないコメント）", what,
                                                         "本文に付いていないコメントは取り込めません"))
            return
        paragraphs = self.doc.paragraphs[comment.start.paragraph:comment.end.paragraph + 1]
        place = next((p.places[0] for p in paragraphs if p.places), None)
        case = place.case if place is not None else self.chapters[comment.start.paragraph][2]
        if case is None:
            where = self.where(self.doc.paragraphs[comment.start.paragraph])
            self.out.not_absorbable.append(NotAbsorbable(
                where, what, "事例の外のコメントは取り込めません（事例の本文か見出しに付けてください）"))
            return
        if not comment.text:
            return
        step = place.step if place is not None and place.case == case else None
        quote = _excerpt("／".join(q for p in paragraphs if (q := _quoted(comment, p))), 80)
        note = ReviewNote(case, step, " ".join(comment.text.split()), comment.author or "（不明）",
                          day(comment.date), quote, self.doc.name)
        if note in self.existing_notes or note in self.out.notes:
            self.out.notes_already += 1
            return
        self.out.notes.append(note)

    # --- where ------------------------------------------------------------------------------

    def where(self, para: DocParagraph) -> str:
        """How a reader finds the paragraph: 「事例3 ① 項目「社会福祉法人の…」」, 「表紙」, 「付録B …」."""
        if para.places:
            return _place_where(para.places[0], para.before)
        chapter, sub, _case = self.chapters[para.index]
        inside = f"{chapter} › {sub}" if sub else chapter
        return f"{inside}（「{_excerpt(para.before or para.after)}」）"


# --- the text as printed and as the records hold it ---------------------------------------------


def _key(place: Place) -> Key:
    return (place.case, place.step)


def _record_texts(report: Report) -> dict[Key, list[str]]:
    """Every place's texts as the corrections see them (transform.corrections' slots)."""
    out: dict[Key, list[str]] = {}
    for case in report.cases:
        out[(case.no, None)] = [case.name]
        for step in case.steps:
            texts = [step.label]
            for section in step.sections:
                texts += [section.heading] if section.heading else []
                texts += [item.text for item, _ in walk(section.items)]
            out[(case.no, step.step)] = texts + list(step.notes)
    return out


def _printed_texts(doc: ReviewedDocument) -> dict[Key, list[str]]:
    """Every place's texts as the document printed them (the generated 「事例N」 left out)."""
    out: dict[Key, list[str]] = {}
    for para in doc.paragraphs:
        for place in para.places[:1]:
            text = para.before
            if place.kind == "name" and (match := CASE_PREFIX.match(text)):
                text = text[match.end():]
            out.setdefault(_key(place), []).append(text)
    return out


@dataclass(frozen=True)
class _Char:
    """A character of a paragraph: printed by the casebook? kept by the reviewer? where it stands
    in the printed text, and who changed it when."""

    ch: str
    printed: bool
    kept: bool
    at: int
    revisions: tuple[tuple[str, str], ...]

    @property
    def changed(self) -> bool:
        return not (self.printed and self.kept)


def _stream(para: DocParagraph) -> list[_Char]:
    """The paragraph's characters in order (deleted and inserted ones included)."""
    out, printed = [], 0
    for piece in para.pieces:
        revisions = tuple((r.author, r.day) for r in (piece.inserted, piece.deleted) if r is not None)
        was, kept = piece.inserted is None, piece.deleted is None
        for ch in piece.text:
            out.append(_Char(ch, was, kept, printed, revisions))
            printed += was
    return out


def _clusters(chars: list[_Char], prefix: int) -> list[_Cluster]:
    """Each run of changed characters as a change of the printed text (offsets after the
    prefix), the text its deletion and insertion share at either end trimmed away."""
    out: list[_Cluster] = []
    i = 0
    while i < len(chars):
        if not chars[i].changed:
            i += 1
            continue
        j = i
        while j < len(chars) and chars[j].changed:
            j += 1
        run = chars[i:j]
        old = "".join(c.ch for c in run if c.printed)
        new = "".join(c.ch for c in run if c.kept)
        if old != new:
            k = 0
            while k < min(len(old), len(new)) and old[k] == new[k]:
                k += 1
            m = 0
            while m < min(len(old), len(new)) - k and old[-1 - m] == new[-1 - m]:
                m += 1
            start = run[0].at - prefix
            sub = _Sub(start + k, start + len(old) - m, new[k:len(new) - m])
            out.append(_Cluster(sub.start, sub.end, [sub], {r for c in run for r in c.revisions}, [(i, j)]))
        i = j
    return out


def _widen(clusters: list[_Cluster], printed: str, texts: list[str]) -> list[_Cluster]:
    """Each cluster with CONTEXT characters either side, then widened until its old text occurs
    once among `texts` (its place, as printed); clusters that come to touch are merged."""
    for cluster in clusters:
        cluster.start = max(0, cluster.start - CONTEXT)
        cluster.end = min(len(printed), cluster.end + CONTEXT)
    clusters = _merge(clusters)
    while True:
        grown = False
        for cluster in clusters:
            turn = 0
            while sum(t.count(cluster.old(printed)) for t in texts) > 1 and \
                    (cluster.start > 0 or cluster.end < len(printed)):
                if (turn % 2 == 0 and cluster.end < len(printed)) or cluster.start == 0:
                    cluster.end += 1
                else:
                    cluster.start -= 1
                turn += 1
                grown = True
        merged = _merge(clusters)
        if not grown or len(merged) == len(clusters):
            return merged
        clusters = merged


def _merge(clusters: list[_Cluster]) -> list[_Cluster]:
    out: list[_Cluster] = []
    for cluster in sorted(clusters, key=lambda c: c.start):
        if out and cluster.start <= out[-1].end:
            last = out[-1]
            last.end = max(last.end, cluster.end)
            last.subs += cluster.subs
            last.stream += cluster.stream
            last.revisions |= cluster.revisions
        else:
            out.append(cluster)
    return out


def _occurrences(text: str, part: str) -> list[int]:
    out, at = [], text.find(part)
    while part and at >= 0:
        out.append(at)
        at = text.find(part, at + 1)
    return out


def _same(a: Correction, b: Correction) -> bool:
    return (a.case, a.step, a.section, a.old, a.new) == (b.case, b.step, b.section, b.old, b.new)


def _span_in(comment: Comment, para: DocParagraph) -> tuple[int, int] | None:
    """The part of `para` (offsets in its text) a comment's range covers, if any."""
    start, end = comment.start, comment.end
    if start is None or end is None or not start.paragraph <= para.index <= end.paragraph:
        return None
    lo = start.offset if para.index == start.paragraph else 0
    hi = end.offset if para.index == end.paragraph else len(para.text)
    return lo, hi


def _quoted(comment: Comment, para: DocParagraph) -> str:
    span = _span_in(comment, para)
    if span is None:
        return ""
    lo, hi = span
    at, out = 0, []
    for piece in para.pieces:
        for ch in piece.text:
            if lo <= at < hi and piece.inserted is None:
                out.append(ch)
            at += 1
    return "".join(out)


def _chapters(doc: ReviewedDocument) -> list[tuple[str, str, int | None]]:
    """For every paragraph: its chapter (the Heading 1 above it), the nearest sub-heading in the
    chapter, and the case the chapter is (None outside the cases)."""
    out = []
    chapter = "シートの案内" if doc.kind == wordids.SHEET else "表紙"
    sub, case = "", None
    for para in doc.paragraphs:
        if para.is_heading(1):
            chapter, sub = para.before, ""
            case = next((p.case for p in para.places if p.kind == "name"), None)
        elif para.style.startswith("toc") and case is None:
            chapter = "目次"
        elif any(para.is_heading(level) for level in (2, 3, 4)):
            sub = para.before
        out.append((chapter, sub, case))
    return out


# --- words for messages ---------------------------------------------------------------------------


def _place_name(place: Place) -> str:
    return _key_name(_key(place))


def _key_name(key: Key) -> str:
    case, step = key
    return f"事例{case} 事例名" if step is None else f"事例{case} {circled(step)}"


def _place_where(place: Place, text: str) -> str:
    base = _place_name(place)
    what = {"name": "", "label": " ステップ名", "heading": " 見出し", "item": " 項目",
            "note": " 注記"}[place.kind]
    shown = "" if place.kind in ("name", "label") else f"「{_excerpt(text)}」"
    return f"{base}{what}{shown}"


def _change(kind: str, text: str) -> str:
    if kind not in ("ins", "del"):
        return "書式の変更"
    return f"{'挿入' if kind == 'ins' else '削除'}「{_excerpt(text)}」"


def _change_of(para: DocParagraph) -> str:
    deleted = "".join(p.text for p in para.pieces if p.deleted is not None and p.inserted is None)
    inserted = "".join(p.text for p in para.pieces if p.inserted is not None and p.deleted is None)
    parts = [f"削除「{_excerpt(deleted)}」"] if deleted else []
    parts += [f"挿入「{_excerpt(inserted)}」"] if inserted else []
    return "、".join(parts) or "段落の追加・削除"


def _excerpt(text: str, limit: int = EXCERPT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"
