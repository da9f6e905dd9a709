"""The fast path is contained: pinned, checked at start, equal to pdfminer's own interpreter on
every edition the suite builds, and never the user's problem when it fails.

- Which interpreter: the fast path with the verified pdfminer.six, pdfminer's own interpreter
  with another release or with CASEBOOK_FAST_PATH=0 — same records, one log line.
- A failure of ours on a page (an API pdfminer changed, say) reads the document again with
  pdfminer's own interpreter, one log line; a damaged PDF is still a `DamagedPdfError`; an
  exception raised in our own code where pdfminer's own interpreter reads is a bug, not the PDF's.
- Path equivalence: every page of the shipped PDF, the report rewritten by cairo, and every
  Chromium and LibreOffice edition the suite builds gives the same `PageLayout` both ways.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from pdfminer.layout import LTCurve

import extract.content as content
import extract.layout as layout
import extract.pdf as pdf_module
from extract import fastpath
from extract.errors import DamagedPdfError
from extract.layout import PageLayout, page_layout
from extract.pdf import read_pdf
from flows.pipeline import extract_pdf
from tests.editions import chromium_edition
from tests.editions.hostile import hostile_cases
from tests.editions.report import report_edition
from tests.extract.test_editions import EDITIONS as CASE_TABLE_EDITIONS
from tests.extract.test_report_editions import EDITIONS as REPORT_EDITIONS
from tests.mutants import mutant
from transform.export import report_to_dict
from transform.records import Report

ROOT = Path(__file__).resolve().parents[2]
LOGGER = "extract.fastpath"


def _lines(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOGGER]


@pytest.fixture
def fast_path_on(monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever the shell running the tests says, the fast path is on unless a test turns it off."""
    monkeypatch.delenv(fastpath.SWITCH, raising=False)


@pytest.fixture(scope="module")
def excerpt(source_pdf: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped PDF's first 12 pages (cover, contents, case tables): enough pages for the
    worker pool (8 or more), few enough to read quickly both ways."""
    out = tmp_path_factory.mktemp("excerpt") / "excerpt.pdf"
    with pikepdf.open(source_pdf) as src:
        del src.pages[12:]
        src.save(out)
    return out


@pytest.fixture(scope="module")
def excerpt_plain(excerpt: Path) -> list[PageLayout]:
    with pdfplumber.open(excerpt) as pdf:
        return [page_layout(page, fast=False) for page in pdf.pages]


# --- which interpreter ------------------------------------------------------------------------


def test_pdfminer_is_pinned_to_the_release_the_fast_path_was_verified_with() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    pins = [d for d in project["dependencies"] if d.startswith("pdfminer.six")]
    assert pins == [f"pdfminer.six=={fastpath.VERIFIED_PDFMINER}"]
    assert fastpath.installed_pdfminer() == fastpath.VERIFIED_PDFMINER  # `make setup` installs the pin


@pytest.mark.usefixtures("fast_path_on")
def test_the_fast_path_is_taken_with_the_verified_release_and_says_nothing(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert fastpath.use_fast_path() is True
    assert _lines(caplog) == []


@pytest.mark.parametrize("value", ["0", "false", "Off", "no"])
def test_casebook_fast_path_0_turns_it_off_with_one_line(
    value: str, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("CASEBOOK_FAST_PATH", value)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        assert fastpath.use_fast_path() is False
    assert _lines(caplog) == [
        f"fast path off (CASEBOOK_FAST_PATH={value}): pages are read by pdfminer's own interpreter, more slowly"
    ]


@pytest.mark.usefixtures("fast_path_on")
def test_another_pdfminer_release_is_read_by_pdfminer_s_own_interpreter_to_the_same_records(
    source_pdf: Path, report: Report, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    """The version check simulated: the installed release is not the verified one. The fast
    path's interpreter would fail if it ran (and say so in a second line)."""
    monkeypatch.setattr(fastpath, "VERIFIED_PDFMINER", "20231228")

    def no_fast_path(*_args: object) -> None:
        raise AssertionError("the fast path ran")

    monkeypatch.setattr(content.FastInterpreter, "execute", no_fast_path)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        again = extract_pdf(source_pdf, workers=2)
    assert _lines(caplog) == [
        f"fast path off (pdfminer.six {fastpath.installed_pdfminer()} is installed; the fast path was "
        "verified with 20231228): pages are read by pdfminer's own interpreter, more slowly"
    ]
    assert report_to_dict(again) == report_to_dict(report)


def test_casebook_extract_with_the_fast_path_off_writes_the_same_report_json(
    source_pdf: Path, report: Report, tmp_path: Path
) -> None:
    """As a user runs it: `CASEBOOK_FAST_PATH=0 casebook extract` — the same report.json, and
    the one line on stderr (the command configures no logging: Python prints warnings)."""
    env = {**os.environ, "CASEBOOK_FAST_PATH": "0"}
    done = subprocess.run(
        [sys.executable, "-m", "flows.cli", "extract", str(source_pdf), "--out", str(tmp_path), "--quiet"],
        env=env, cwd=ROOT, capture_output=True, text=True, check=True,
    )
    written = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    fast = report_to_dict(report)
    for part in ("cases", "tables", "outline", "citations", "page_labels"):
        assert written[part] == json.loads(json.dumps(fast[part], ensure_ascii=False)), part
    assert len(written["cases"]) == 29
    assert done.stderr.splitlines() == [
        "fast path off (CASEBOOK_FAST_PATH=0): pages are read by pdfminer's own interpreter, more slowly"
    ]


# --- failures: ours, or the PDF's -------------------------------------------------------------


def _api_break(monkeypatch: pytest.MonkeyPatch, pages: set[int] | None = None) -> None:
    """The fast path's interpreter meets a pdfminer without an attribute it uses (on `pages`, or
    on every page), as after an upgrade that renamed it."""
    run = content.FastInterpreter._run

    def broken(self: content.FastInterpreter, program: list[object]) -> None:
        if pages is None or self.device.pageno in pages:
            raise AttributeError("'FastInterpreter' object has no attribute 'argstack'")
        run(self, program)

    monkeypatch.setattr(content.FastInterpreter, "_run", broken)


@pytest.mark.usefixtures("fast_path_on")
@pytest.mark.parametrize("workers", [1, 2])
@pytest.mark.parametrize("pages", [None, {9}], ids=["every-page", "page-9"])
def test_a_failure_of_the_fast_path_reads_the_document_with_pdfminer_s_own_interpreter(
    workers: int, pages: set[int] | None, excerpt: Path, excerpt_plain: list[PageLayout],
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
) -> None:
    _api_break(monkeypatch, pages)
    done: list[int] = []
    with caplog.at_level(logging.INFO, logger=LOGGER):
        document = read_pdf(excerpt, workers=workers, on_page=lambda n, _count: done.append(n))
    assert document.layouts == excerpt_plain
    assert sum(len(lay.runs) for lay in document.layouts) > 100
    first = 1 if pages is None else 9
    assert _lines(caplog) == [
        f"fast path failed on page {first}: AttributeError: 'FastInterpreter' object has no attribute "
        "'argstack'; the document is read again by pdfminer's own interpreter, more slowly"
    ]
    assert sorted(done) == list(range(1, 13))  # every page once: a page read again is not progress


@pytest.mark.usefixtures("fast_path_on")
def test_the_fast_path_s_own_glyph_boxes_failing_is_ours_too(
    excerpt: Path, excerpt_plain: list[PageLayout], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """The copy of `LTChar.__init__` meets a font object without a method it calls."""

    def render_char(*_args: object) -> float:
        raise TypeError("PDFCIDFont.char_disp() missing 1 required positional argument: 'vertical'")

    monkeypatch.setattr(layout._GlyphAggregator, "render_char", render_char)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        document = read_pdf(excerpt, workers=1)
    assert document.layouts == excerpt_plain
    assert len(_lines(caplog)) == 1 and _lines(caplog)[0].startswith("fast path failed on page 1: TypeError: ")


@pytest.mark.usefixtures("fast_path_on")
@pytest.mark.parametrize("workers", [1, 2])
def test_a_damaged_pdf_is_still_reported_as_damaged_and_logs_nothing(
    workers: int, source_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """pdfminer's own interpreter fails on the page as the fast path did: the PDF's fault."""
    path = tmp_path / "flip.pdf"
    path.write_bytes(mutant(source_pdf.read_bytes(), "flip", 2).data)  # inside a font descriptor
    monkeypatch.setattr(pdf_module, "check_structure", lambda _path: None)
    with caplog.at_level(logging.INFO, logger=LOGGER), pytest.raises(DamagedPdfError) as err:
        read_pdf(path, workers=workers)
    assert re.fullmatch(r"damaged PDF: page \d+ cannot be read \(PSSyntaxError: Invalid dictionary construct.*\)",
                        err.value.problem), err.value.problem
    assert _lines(caplog) == []


@pytest.mark.usefixtures("fast_path_on")
@pytest.mark.parametrize("workers", [1, 2])
def test_our_own_bug_is_a_bug_not_a_damaged_pdf(
    workers: int, excerpt: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An exception raised in our code where pdfminer's own interpreter reads the page too keeps
    its type and traceback: here pdfminer's drawn shapes have renamed `fill`, as a release might."""
    init = LTCurve.__init__

    def renamed(self: LTCurve, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        self.filled = self.__dict__.pop("fill")

    monkeypatch.setattr(LTCurve, "__init__", renamed)
    with pytest.raises(AttributeError, match="'LTRect' object has no attribute 'fill'"):
        read_pdf(excerpt, workers=workers)


def test_an_exception_raised_inside_the_pdf_library_is_not_ours() -> None:
    from pdfminer.psparser import PSBaseParser

    try:
        PSBaseParser(None).seek(0)  # type: ignore[arg-type]  # pdfminer's code fails on the None
    except AttributeError as exc:
        assert not fastpath.raised_by_us(exc)
    try:
        layout._descent(None)
    except AttributeError as exc:
        assert fastpath.raised_by_us(exc)


def test_the_tokenizer_hands_a_form_it_does_not_read_to_pdfminer_without_failing(
    excerpt: Path, excerpt_plain: list[PageLayout], monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A token form the tokenizer leaves to pdfminer is not a failure: pdfminer's `execute` reads
    those streams and the fast path goes on (no log line, no second reading)."""
    left: list[bytes] = []

    def unsupported(data: bytes) -> list[object]:
        left.append(data)
        raise content._Unsupported

    monkeypatch.delenv(fastpath.SWITCH, raising=False)
    monkeypatch.setattr(content, "parse_program", unsupported)
    with caplog.at_level(logging.INFO, logger=LOGGER):
        document = read_pdf(excerpt, workers=1)
    assert document.layouts == excerpt_plain
    assert len(left) >= 12 and _lines(caplog) == []


# --- path equivalence over every edition the suite builds ---------------------------------------


# Every edition the suite builds, by the test module that builds it: the shipped PDF; the report
# rewritten by cairo (test_producers.py: CJK fonts declaring a descent of -1.05 em); Chromium's A5
# edition of hostile text (test_hostile_text.py: templates, quotes, markup); the case tables typeset
# by Chromium and LibreOffice (test_editions.py); the whole report typeset again (test_report_editions.py).
EDITIONS = [
    "shipped", "cairo", "chromium-a5-hostile", *CASE_TABLE_EDITIONS, *(f"report-{n}" for n in REPORT_EDITIONS),
]


def _edition(name: str, source_pdf: Path, report: Report, out: Path) -> Path:
    if name == "shipped":
        return source_pdf
    if name == "cairo":
        if shutil.which("pdftocairo") is None:
            pytest.fail("pdftocairo is missing: run `make setup` (Debian poppler-utils)")
        subprocess.run(["pdftocairo", "-pdf", str(source_pdf), str(out)], check=True, capture_output=True)
        return out
    if name == "chromium-a5-hostile":
        return chromium_edition(hostile_cases(), out, paper="A5")
    if name.startswith("report-"):
        return report_edition(report, out, **REPORT_EDITIONS[name.removeprefix("report-")])
    return CASE_TABLE_EDITIONS[name](report.cases, out)


def _marks(name: str) -> list[pytest.MarkDecorator]:
    if name in ("shipped", "cairo"):
        return []
    return [pytest.mark.office if name.removeprefix("report-").startswith("libreoffice") else pytest.mark.browser]


@pytest.fixture
def counted(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Whether the tokenizer read each content program itself (True) or left it to pdfminer."""
    seen: list[bool] = []
    parse = content.parse_program

    def counting(data: bytes) -> list[object]:
        try:
            program = parse(data)
        except content._Unsupported:
            seen.append(False)
            raise
        seen.append(True)
        return program

    monkeypatch.setattr(content, "parse_program", counting)
    yield seen


@pytest.mark.parametrize("name", [pytest.param(name, marks=_marks(name)) for name in EDITIONS])
def test_every_page_reads_the_same_on_both_paths(
    name: str, source_pdf: Path, report: Report, counted: list[bool], tmp_path: Path
) -> None:
    pdf = _edition(name, source_pdf, report, tmp_path / f"{name}.pdf")
    differ: list[int] = []
    runs = 0
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            fast = page_layout(page, fast=True)
            if page_layout(page, fast=False) != fast:
                differ.append(page.page_number)
            runs += len(fast.runs)
            page.close()
        pages = len(doc.pages)
    assert differ == [], f"{name}: pages {differ} differ"
    assert runs > 10 * pages, name  # real text was compared, not empty pages
    # The comparison is not vacuous: the tokenizer itself read a good share of the content (all of
    # the browsers' and office suites'; cairo escapes parentheses and writes octal codes in its
    # strings, forms left to pdfminer, so about a third of its pages).
    read = sum(counted)
    print(f"{name}: the tokenizer read {read} of {len(counted)} content programs (pages, forms)")
    assert read >= len(counted) / 4, f"{name}: {read} of {len(counted)} read by the tokenizer"
