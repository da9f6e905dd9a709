"""The fast content-stream reader gives exactly what pdfminer gives, or leaves the stream to it."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest
from pdfminer.pdfinterp import PDFContentParser
from pdfminer.pdftypes import PDFStream
from pdfminer.psparser import KWD, LIT, PSEOF

import extract.content as content
import extract.layout as layout
from extract.content import _Unsupported, parse_program


def _pdfminer(data: bytes) -> list[object]:
    parser = PDFContentParser([PDFStream({}, data)])
    out = []
    while True:
        try:
            out.append(parser.nextobject()[1])
        except PSEOF:
            return out


def _typed(obj: object) -> object:
    """Values with their types, so 1 and 1.0 (or True and 1) do not compare equal."""
    if isinstance(obj, list):
        return [_typed(o) for o in obj]
    if isinstance(obj, dict):
        return {k: _typed(v) for k, v in obj.items()}
    return (type(obj).__name__, obj)


# Forms browsers and office suites write (read here), and forms left to pdfminer.
READ = [
    b"0.1 w q 0 0.028 595.275 841.861 re W* n",
    b"BT /F1 8 Tf 410.1 798.589 Td <0102> Tj [<41> -1 <4243>] TJ ET",
    b"/P << /MCID 0 >> BDC (Hello, world) Tj EMC",
    b"1 2 3 4 5 6 cm +.5 -3 .25 4. 0 0 cm %comment\n Q",
    b"true false [ true 1 ] d0 'x' \" <> Tj",
    b"1.2.3 Tz 12/F1 Tf <41 42\n43 44> Tj",
]
LEFT = [
    b"(a\\)b) Tj",  # an escape
    b"(a(b)c) Tj",  # nested parentheses
    b"/F#20 1 Tf",  # a name with a # escape
    b"<414> Tj",  # an odd hex digit (pdfminer keeps it as a character)
    b"[1 <41>> 2",  # ">" right after a hex string
    b"BI /W 1 /H 1 ID x EI",  # an inline image
    b"[ 1 Tj ]",  # an operator inside an array
    b"- 5 Tc",  # a sign alone
    b"{ 1 } exec",  # a procedure
    b"[ 1 2",  # an unclosed array
]


@pytest.mark.parametrize("data", READ)
def test_forms_read_as_pdfminer_reads_them(data: bytes) -> None:
    assert _typed(parse_program(data)) == _typed(_pdfminer(data))


def test_operators_names_and_arrays_are_pdfminer_objects() -> None:
    program = parse_program(b"/F1 8 Tf [<41> -1] TJ")
    assert program == [LIT("F1"), 8, KWD(b"Tf"), [b"A", -1], KWD(b"TJ")]
    assert program[2] is KWD(b"Tf")


@pytest.mark.parametrize("data", LEFT)
def test_other_forms_are_left_to_pdfminer(data: bytes) -> None:
    with pytest.raises(_Unsupported):
        parse_program(data)


def test_page_layouts_match_pdfminers_own(source_pdf: Path) -> None:
    """A sample of the shipped PDF's pages (cover, text, case tables, figures) built both ways:
    fast tokenizer and glyph tuples, and pdfminer's own interpreter and LTChar objects (every page
    of every edition: tests/extract/test_fastpath.py)."""
    numbers = [1, 2, 9, 20, 33, 47, 60, 78]
    with pdfplumber.open(source_pdf) as pdf:
        fast = [layout.page_layout(pdf.pages[n - 1], fast=True) for n in numbers]
    with pdfplumber.open(source_pdf) as pdf:
        slow = [layout.page_layout(pdf.pages[n - 1], fast=False) for n in numbers]
    assert fast == slow
    assert sum(len(lay.runs) for lay in fast) > 250  # real text was read, not two empty lists


def test_a_stream_left_to_pdfminer_gives_the_same_page(source_pdf: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with pdfplumber.open(source_pdf) as pdf:
        fast = layout.page_layout(pdf.pages[8], fast=True)

    left: list[bytes] = []

    def unsupported(data: bytes) -> list[object]:
        left.append(data)
        raise _Unsupported

    monkeypatch.setattr(content, "parse_program", unsupported)
    with pdfplumber.open(source_pdf) as pdf:
        assert layout.page_layout(pdf.pages[8], fast=True) == fast
    assert left  # pdfminer's own execute read the page
