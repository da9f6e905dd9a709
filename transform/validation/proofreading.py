"""Proofreading findings: typos and characters a Japanese publication should not carry, each with
its place (case and step, or report section), the page it is printed on, the sentence it is in
and a suggested erratum.

Five kinds, all severity low (for the record):
- `known-typo`: the editors' patterns (editorial/proofreading.yaml);
- `non-jis`: a simplified Chinese ideograph (「关系性」 → 「関係性」, 「比較的实施し」 → 「比較的実施し」),
  its character set said as the codecs find it (`transform.text.jis_level`) and its suggestion in
  today's standard form (`transform.text.japanese_spelling`: 常用漢字, never an old form);
- `doubled`: a kana doubled across a word boundary where grammar forbids it (「直ちにに」);
- `look-alike`: a pair of kanji the dictionary does not know that becomes a word the report uses
  elsewhere when one kanji is swapped for one that looks like it (「土業」 → 「士業」,
  `transform.text.look_alike_typos`);
- `unknown-word`: a kanji compound SudachiPy does not know, used once in the report and not part
  of a name (`transform.text.unknown_words`); no suggestion — an editor looks it up.
One place, one finding: a hit overlapping an earlier one in the same text (a known pattern that is
also a look-alike) is not reported twice.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from casebook.yamlfile import read_yaml
from transform.records import Report, Step, walk
from transform.text import (
    char_bigrams,
    doubled_kana,
    foreign_ideograph,
    japanese_spelling,
    jis_level,
    known_word,
    look_alike_typos,
    morphemes,
    standard_form,
    unknown_words,
)
from transform.validation.citations import CORPORATE_FORMS
from transform.validation.coding import CodebookError
from transform.validation.evidence import sentence_at
from transform.validation.model import Check, Stated

KINDS = ("known-typo", "non-jis", "doubled", "look-alike", "unknown-word")
RARE = 2  # a dictionary-less word used more often than this is the report's spelling (a name, a term)


@dataclass(frozen=True)
class Pattern:
    """A known typo: a regular expression, its replacement and why."""

    find: re.Pattern[str]
    replace: str
    reason: str


@dataclass(frozen=True)
class Passage:
    """A text of the report with where it is: a case step or a report section. `starts` gives the
    offset where each of its pieces (heading, item, note, paragraph) begins and that piece's
    first page, so that a typo gets the page it is printed on."""

    text: str
    page: int | None
    where: str  # 「事例26 ②」 or 「3.3.(4)」, for people
    key: str  # 「case-26.step-2」 or 「section-3.3.(4)」, for check ids
    case: int | None = None
    step: int | None = None
    section: str | None = None
    starts: tuple[tuple[int, int | None], ...] = field(default=())

    def page_at(self, offset: int) -> int | None:
        """The page of the piece that holds `offset`."""
        page = self.page
        for start, piece_page in self.starts:
            if start > offset:
                break
            page = piece_page if piece_page is not None else page
        return page


@dataclass(frozen=True)
class Typo:
    """One hit: the text to replace, its replacement (None: no suggestion), why, and where."""

    old: str
    new: str | None
    reason: str
    kind: str
    at: int


def load_patterns(path: Path | None) -> list[Pattern]:
    """Read editorial/proofreading.yaml (a missing file has no patterns)."""
    if path is None or not path.exists():
        return []
    data = read_yaml(path, CodebookError, "proofreading patterns file") or {}
    try:
        return [Pattern(re.compile(p["find"]), str(p["replace"]), str(p.get("reason", "")))
                for p in data.get("patterns", [])]
    except (AttributeError, KeyError, TypeError, re.error) as exc:
        raise CodebookError(
            f"{path}: not a list of patterns with 'find' and 'replace' ({exc}) — fix the file"
        ) from exc


def _joined(pieces: list[tuple[str, int | None]]) -> tuple[str, tuple[tuple[int, int | None], ...]]:
    text, starts = "", []
    for piece, page in pieces:
        if text:
            text += "\n"
        starts.append((len(text), page))
        text += piece
    return text, tuple(starts)


def _step_pieces(step: Step) -> list[tuple[str, int | None]]:
    first = step.pages[0] if step.pages else None
    pieces = []
    for section in step.sections:
        if section.heading:
            pieces.append((section.heading, section.pages[0] if section.pages else first))
        pieces += [(item.text, item.pages[0] if item.pages else first) for item, _ in walk(section.items)]
    return pieces + [(note, first) for note in step.notes]


def passages(report: Report) -> Iterator[Passage]:
    """Every text of the cases (by step: sub-headings, items, notes) and of the report (by section:
    its heading and paragraphs) — the places an erratum of editorial/corrections.yaml names."""
    for case in report.cases:
        for step in case.steps:
            text, starts = _joined(_step_pieces(step))
            yield Passage(text, step.pages[0] if step.pages else None, f"事例{case.no} ステップ{step.step}",
                          f"case-{case.no}.step-{step.step}", case=case.no, step=step.step, starts=starts)
    for section in report.outline:
        pieces = [(section.title, section.page)]
        pieces += [(para.text, para.pages[0] if para.pages else section.page) for para in section.paragraphs]
        text, starts = _joined(pieces)
        yield Passage(text, section.page, f"{section.path} {section.title}", f"section-{section.path}",
                      section=section.path, starts=starts)


@dataclass(frozen=True)
class Context:
    """What the rules need to know about the whole report: how often each two-kanji sequence
    occurs (a typo is rarer than the word it spoils), and the names printed in it."""

    usage: Counter[str]
    text: str
    names: tuple[str, ...]

    @classmethod
    def of(cls, report: Report, texts: list[str]) -> Context:
        usage = Counter(b for t in texts for b in char_bigrams(t) if all(_kanji(ch) for ch in b))
        names = tuple({c.name for c in report.cases}
                      | {c.organisation for c in report.citations if c.organisation})
        return cls(usage, "\n".join(texts), names)

    def is_name(self, word: str) -> bool:
        """The word begins an organisation's name somewhere in the report — it follows a corporate
        form (社会福祉法人岳寿会, 医療法人社団奉志会) — or is part of a case heading or a Chapter 4 credit."""
        return any(form + word in self.text for form in CORPORATE_FORMS) or any(word in n for n in self.names)

    def rare(self, word: str) -> bool:
        """Used at most twice in the whole report: a slip, not the report's own spelling."""
        return self.text.count(word) <= RARE


def _kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf"


def proofreading_checks(report: Report, patterns: list[Pattern]) -> list[Check]:
    """One finding per distinct typo per place (the same typo twice in one step is one finding)."""
    found = list(passages(report))
    context = Context.of(report, [p.text for p in found])
    checks: dict[str, Check] = {}
    for passage in found:
        for typo in _typos(passage.text, patterns, context):
            check_id = f"proofreading.{passage.key}.{typo.old}"
            if check_id not in checks:
                checks[check_id] = _finding(check_id, passage, typo)
    return list(checks.values())


def _typos(text: str, patterns: list[Pattern], context: Context) -> list[Typo]:
    """Every typo of a text, one per place: a hit overlapping an earlier one is dropped."""
    out: list[Typo] = []
    for typo in _candidates(text, patterns, context):
        span = range(typo.at, typo.at + len(typo.old))
        if not any(set(span) & set(range(t.at, t.at + len(t.old))) for t in out):
            out.append(typo)
    return out


def _candidates(text: str, patterns: list[Pattern], context: Context) -> Iterator[Typo]:
    """Every hit of every rule, in the order of KINDS."""
    for pattern in patterns:
        for m in pattern.find.finditer(text):
            yield Typo(m[0], m.expand(pattern.replace), pattern.reason, "known-typo", m.start())
    for at, ch in enumerate(text):
        if foreign_ideograph(ch):
            start, old = _word(text, at, 1)
            yield Typo(old, japanese_spelling(old), _foreign_reason(ch), "non-jis", start)
    for at, pair in doubled_kana(text):
        start = max(0, at - 3)
        old = text[start : at + 1 + 2]
        reason = f"「{pair}」の重複（{pair[0]}が一つ多い）"
        yield Typo(old, text[start:at] + text[at + 1 : at + 1 + 2], reason, "doubled", start)
    for at, pair, word in look_alike_typos(text, context.usage):
        if context.is_name(pair) or not context.rare(pair):
            continue
        start, old = _word(text, at, 2, margin=1)
        wrong, right = next((a, b) for a, b in zip(pair, word, strict=True) if a != b)
        new = old[: at - start] + word + old[at - start + 2 :]
        yield Typo(old, new, f"「{pair}」は辞書にない語。「{right}」と字形の似た「{wrong}」の誤りか"
                   f"（報告書の他の箇所では「{word}」を{context.usage[word]}回使用）", "look-alike", start)
    for at, word in unknown_words(text):
        if context.rare(word) and not context.is_name(word):
            start, old = _word(text, at, len(word), margin=1)
            # An old or variant form (凖 for 準) is spelt in its 常用漢字 when that makes a word.
            modern = "".join(standard_form(ch) or ch for ch in word)
            known = modern != word and known_word(modern)
            new = old[: at - start] + modern + old[at - start + len(word) :] if known else None
            variants = "、".join(f"「{a}」は「{b}」の旧字体・異体字"
                                for a, b in zip(word, modern, strict=True) if a != b)
            reason = f"「{word}」は辞書にない語（報告書で{context.text.count(word)}回）。" + (
                variants if known else "誤字でないか確認")
            yield Typo(old, new, reason, "unknown-word", start)


def _foreign_reason(ch: str) -> str:
    """Which Japanese character set has the character, as the codecs say (关: JIS X 0213 第4水準)."""
    level = jis_level(ch)
    where = "JIS X 0208 にも JIS X 0213 にもない" if level is None else f"JIS X 0208 になく、{level}"
    return f"「{ch}」は中国語の簡体字（{where}）"


def _word(text: str, at: int, length: int, margin: int = 2) -> tuple[int, str]:
    """(start, text) of the whole words around [at, at + length) and `margin` characters either
    side, within its line — so that an erratum's `old` reads as words (比較的实施し, not 較的实施し)
    and is unique in its place: widened a word at a time while it occurs more than once."""
    line_start = text.rfind("\n", 0, at) + 1
    line_end = text.find("\n", at)
    line = text[line_start : line_end if line_end >= 0 else len(text)]
    bounds, offset = [0], 0
    for surface, *_ in morphemes(line):
        offset = line.find(surface, offset) + len(surface)
        bounds.append(offset)
    bounds.append(len(line))
    lo, hi = at - line_start - margin, at - line_start + length + margin
    for _ in range(len(bounds)):
        start = max(b for b in bounds if b <= max(lo, 0))
        end = min(b for b in bounds if b >= min(hi, len(line)))
        # Punctuation at the edges is no part of a word (「、土業と」 → 「土業と」).
        while start < at - line_start and unicodedata.category(line[start]).startswith("P"):
            start += 1
        while end > at - line_start + length and unicodedata.category(line[end - 1]).startswith("P"):
            end -= 1
        old = line[start:end]
        if text.count(old) <= 1 or (start == 0 and end == len(line)):
            return line_start + start, old
        lo, hi = start - 1, end + 1
    return line_start, line


def _finding(check_id: str, passage: Passage, typo: Typo) -> Check:
    # The sentence within its heading, item, note or paragraph (they are joined by line breaks).
    line_start = passage.text.rfind("\n", 0, typo.at) + 1
    line_end = passage.text.find("\n", typo.at + len(typo.old))
    line = passage.text[line_start : line_end if line_end >= 0 else len(passage.text)]
    sentence = sentence_at(line, typo.at - line_start, typo.at - line_start + len(typo.old))
    suggestion = f"訂正案:「{typo.old}」→「{typo.new}」" if typo.new is not None else "訂正案なし（要確認）"
    return Check(
        id=check_id,
        title=f"校正: {passage.where}「{typo.old}」",
        group="proofreading",
        status="mismatch",
        stated=Stated(typo.old, passage.page_at(typo.at), sentence, passage.where),
        derived={"suggestion": typo.new, "erratum": None if typo.new is None
                 else erratum(passage, typo.old, typo.new, typo.reason)},
        derived_basis="mechanical",
        message=f"{typo.reason}。{suggestion}",
        flags=[typo.kind],
    )


def erratum(passage: Passage, old: str, new: str, reason: str) -> str:
    """The entry to paste into editorial/corrections.yaml (dumped by PyYAML, so that a text with
    「: 」, a leading 「-」 or quotes stays one valid string)."""
    where = {"case": passage.case, "step": passage.step} if passage.case is not None \
        else {"section": passage.section}
    entry = {**where, "old": old, "new": new, "reason": reason}
    return yaml.safe_dump([entry], allow_unicode=True, sort_keys=False, width=1000).rstrip("\n")
