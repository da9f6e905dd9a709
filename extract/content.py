"""Read a page's content streams faster than pdfminer's pure-Python tokenizer, with the same result.

pdfminer spends about half of a page's time in `PSBaseParser`, a state machine that feeds the
content stream through a 4 KB buffer one token at a time (with a debug log call per token). Here
one compiled regular expression cuts the whole stream into tokens and the operators are dispatched
to pdfminer's own `do_*` methods, so fonts, text state and geometry stay pdfminer's.

Only the token forms that browsers and office suites write are handled (numbers, names without
`#` escapes, strings without escapes or nested parentheses, hex strings, arrays, dictionaries,
comments). Anything else — an inline image, a procedure, an escape, a token that may run on from
one content stream into the next — sends the page's streams to pdfminer's own `execute`, so every
page gives exactly the objects pdfminer would give. That hand-back is part of the fast path, not a
failure of it. `FastInterpreter._run` copies pdfminer's `execute` loop, so extract/fastpath.py uses
it only with the pdfminer release it was verified against.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

from pdfminer import settings
from pdfminer.pdfinterp import PDFInterpreterError, PDFPageInterpreter
from pdfminer.pdftypes import stream_value
from pdfminer.psparser import KWD, LIT, PSKeyword, PSLiteral, literal_name

_WS = rb"[\s\x00]*"  # pdfminer skips NUL between tokens as it skips white space
# One group per token form, in the order `parse_program` unpacks them, each group holding its
# whole token (so a matched one is never empty); a comment fills no group. The last group catches
# any other character, so a stream is read from end to end without gaps.
_TOKEN = re.compile(
    _WS
    + rb"""(?:
      ([-+0-9][0-9]*(?:\.[0-9]*)?|\.[0-9]*)      # number
    | ([A-Za-z][^#/%\[\]()<>{}\s]*)(?![#])        # keyword (operator, true, false)
    | (/[^#/%\[\]()<>{}\s]*)(?![#])               # name without # escapes
    | (<[0-9A-Fa-f\s]*>)(?!>)                     # hex string
    | (\([^()\\]*\))                            # string without escapes or nesting
    | (<<|>>|[\[\]'"])                            # punctuation
    | %[^\r\n]*                                   # comment
    | ([^\s\x00])                                 # anything else
    )""",
    re.VERBOSE,
)
_SPACE = re.compile(rb"\s")
# pdfminer reads one stream after another; where one ends right after one of these characters it
# carries the token on into the next stream ("<" + "<" is "<<"), where a joining newline would not.
_EDGE = frozenset(b"(<>/\\#")

_ARRAY_BEGIN, _ARRAY_END = KWD(b"["), KWD(b"]")
_DICT_BEGIN, _DICT_END = KWD(b"<<"), KWD(b">>")
_PUNCT = {b"[": _ARRAY_BEGIN, b"]": _ARRAY_END, b"<<": _DICT_BEGIN, b">>": _DICT_END,
          b"'": KWD(b"'"), b'"': KWD(b'"')}
_BOOLS = {b"true": True, b"false": False}


class _Unsupported(Exception):
    """A token form left to pdfminer."""


def _literal(token: bytes) -> PSLiteral:
    try:
        return LIT(str(token, "utf-8"))
    except UnicodeDecodeError:
        return LIT(token)


def _hex(token: bytes) -> bytes:
    digits = _SPACE.sub(b"", token) if _SPACE.search(token) else token
    if len(digits) % 2:
        raise _Unsupported  # pdfminer keeps an odd last digit as a character
    return bytes.fromhex(digits.decode("ascii"))


def parse_program(data: bytes) -> list[object]:
    """The objects pdfminer's `PDFContentParser` yields for `data`: operands (numbers, bytes,
    literals, lists, dicts, booleans) and operators (`PSKeyword`), in order.
    Raises `_Unsupported` for any form not handled exactly as pdfminer does."""
    out: list[object] = []
    stack: list[tuple[bool, list[object]]] = []  # open arrays (False) and dictionaries (True)
    target = out
    keywords: dict[bytes, PSKeyword] = {}
    literals: dict[bytes, PSLiteral] = {}
    value: object
    for num, word, name, hexa, string, punct, other in _TOKEN.findall(data):
        if num:
            try:
                value = float(num) if b"." in num else int(num)
            except ValueError:  # "-" or "." alone: pdfminer drops it silently
                raise _Unsupported from None
        elif word:
            value = keywords.get(word)
            if value is None:
                if word in _BOOLS:
                    value = _BOOLS[word]
                elif stack or word == b"BI" or word == b"ID":
                    raise _Unsupported  # an operator inside an array, or an inline image
                else:
                    value = keywords[word] = KWD(word)
            elif stack:
                raise _Unsupported
        elif name:
            value = literals.get(name)
            if value is None:
                value = literals[name] = _literal(name[1:])
        elif hexa:
            value = _hex(hexa[1:-1])
        elif string:
            value = string[1:-1]
        elif punct:
            mark = _PUNCT[punct]
            if mark is _ARRAY_BEGIN or mark is _DICT_BEGIN:
                stack.append((mark is _DICT_BEGIN, target))
                target = []
                continue
            if mark is _ARRAY_END or mark is _DICT_END:
                if not stack or stack[-1][0] != (mark is _DICT_END):
                    raise _Unsupported
                items = target
                target = stack.pop()[1]
                value = items if mark is _ARRAY_END else _dict(items)
            elif stack:
                raise _Unsupported
            else:
                value = mark
        elif other:
            raise _Unsupported
        else:  # a comment
            continue
        target.append(value)
    if stack:
        raise _Unsupported
    return out


def _dict(items: list[object]) -> dict[str, object]:
    if len(items) % 2 or not all(isinstance(k, PSLiteral) for k in items[::2]):
        raise _Unsupported
    return {literal_name(k): v for k, v in zip(items[::2], items[1::2], strict=True) if v is not None}


def _edges_safe(datas: Sequence[bytes]) -> bool:
    """No stream ends right after a character that starts a token pdfminer would carry on into
    the next stream (it separates streams only when a token is under way)."""
    return not any(data and data[-1] in _EDGE for data in datas)


class FastInterpreter(PDFPageInterpreter):
    """pdfminer's page interpreter with the content stream tokenized by `parse_program`."""

    _methods: ClassVar[dict[PSKeyword, tuple[str, int] | None]] = {}

    def execute(self, streams: Sequence[object]) -> None:
        valid = [stream_value(obj) for obj in streams]
        if any(s.objid is None or s.objid in self.parent_stream_ids for s in valid):
            super().execute(streams)  # pdfminer warns and skips those itself
            return
        datas = [s.get_data() for s in valid]
        try:
            if not _edges_safe(datas):
                raise _Unsupported
            program = parse_program(b"\n".join(datas))
        except _Unsupported:
            super().execute(streams)
            return
        self.stream_ids.clear()
        self.stream_ids.update(s.objid for s in valid)
        self._run(program)

    def _run(self, program: list[object]) -> None:
        """pdfminer's `execute` loop: operands are pushed, an operator takes its arguments off
        the stack (and is skipped if there are too few), unknown operators are ignored."""
        methods = self._methods
        for obj in program:
            if obj.__class__ is not PSKeyword:
                self.argstack.append(obj)
                continue
            entry = methods.get(obj, False)
            if entry is False:
                entry = methods[obj] = self._method(obj)
            if entry is None:
                if settings.STRICT:
                    raise PDFInterpreterError(f"Unknown operator: {obj.name.decode('utf-8', 'ignore')!r}")
                continue
            name, nargs = entry
            if nargs:
                args = self.pop(nargs)
                if len(args) == nargs:
                    getattr(self, name)(*args)
            else:
                getattr(self, name)()

    def _method(self, keyword: PSKeyword) -> tuple[str, int] | None:
        name = str(keyword.name, "utf-8", "ignore")
        method = "do_" + name.replace("*", "_a").replace('"', "_w").replace("'", "_q")
        func = getattr(self, method, None)
        if func is None:
            return None
        return method, func.__code__.co_argcount - 1
