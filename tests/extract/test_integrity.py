"""Integrity checks: what qpdf and zlib report on a damaged file, and what the page checks see."""

from __future__ import annotations

import logging
import pickle
import re
import time
from pathlib import Path

import pikepdf
import pytest

from extract import pdf as pdf_module
from extract.errors import DamagedPdfError, ExtractionError
from extract.integrity import check_captions, check_pages, check_structure
from extract.layout import PageLayout, TextRun
from extract.pdf import read_pdf
from extract.report import Line
from tests.mutants import mutant


def _run(text: str, page: int, top: float) -> TextRun:
    return TextRun(text, 280.0, 300.0, top, top + 9, 9.0, False, page, 285.0)


def _pages(texts: list[list[tuple[str, float]]]) -> tuple[list[PageLayout], list[list[TextRun]]]:
    """Page layouts with the given running runs (text, top); every page has some body text."""
    layouts, running = [], []
    for n, runs in enumerate(texts, start=1):
        heads = [_run(t, n, top) for t, top in runs]
        layouts.append(PageLayout(n, 595.0, 842.0, [*heads, _run("本文", n, 400.0)], [], 10, 0))
        running.append(heads)
    return layouts, running


HEADER = ("株式会社NTTデータ経営研究所", 30.0)


def test_clean_pdf_passes_the_structure_check_quickly(source_pdf: Path) -> None:
    start = time.perf_counter()
    check_structure(source_pdf)
    assert time.perf_counter() - start < 1.0


def test_bad_checksum_in_a_content_stream_names_the_page(source_pdf: Path, tmp_path: Path) -> None:
    """qpdf decodes such a stream without a word (and pdfminer inflates what it can): the zlib
    checksum is what tells."""
    data = bytearray(source_pdf.read_bytes())
    with pikepdf.open(source_pdf) as pdf:
        objnum = pdf.pages[11].obj.Contents.objgen[0]
    start = re.search(rb"(?m)^%d 0 obj\b" % objnum, data).start()
    data[data.index(b"endstream", start) - 2] ^= 0x55  # in the Adler-32 trailer of the data
    path = tmp_path / "flipped.pdf"
    path.write_bytes(bytes(data))
    with pikepdf.open(path) as pdf:  # what qpdf alone says: nothing
        pdf.pages[11].obj.Contents.read_bytes()
        assert pdf.get_warnings() == []
    with pytest.raises(DamagedPdfError) as err:
        check_structure(path)
    assert err.value.problem == (
        "damaged PDF: page 12: a stream does not decode (Error -3 while decompressing data: incorrect data check)"
    )


def test_broken_cross_reference_table(source_pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "cut.pdf"
    path.write_bytes(mutant(source_pdf.read_bytes(), "drop-stream", 0).data)
    with pytest.raises(DamagedPdfError, match="its cross-reference table does not match the file"):
        check_structure(path)


def test_unparsable_object_is_named_without_raw_bytes(source_pdf: Path, tmp_path: Path) -> None:
    path = tmp_path / "flip.pdf"
    path.write_bytes(mutant(source_pdf.read_bytes(), "flip", 2).data)  # inside a font descriptor
    with pytest.raises(DamagedPdfError) as err:
        check_structure(path)
    assert err.value.problem.startswith("damaged PDF: page 1 (and 77 more pages): object 287: unknown token")
    assert "\n" not in str(err.value)


def test_pdfminer_exception_in_a_worker_becomes_one_line(
    source_pdf: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Without the structure check this mutant makes pdfminer raise (with a dump of raw PDF
    bytes) inside a worker process; the parent gets the project's error, naming the page."""
    path = tmp_path / "flip.pdf"
    path.write_bytes(mutant(source_pdf.read_bytes(), "flip", 2).data)
    monkeypatch.setattr(pdf_module, "check_structure", lambda _path: None)
    with pytest.raises(DamagedPdfError) as err:
        read_pdf(path, workers=2)
    message = str(err.value)
    assert re.fullmatch(
        rf"{re.escape(str(path))}: damaged PDF: page \d+ cannot be read \(PSSyntaxError: Invalid dictionary construct.{{1,80}}\) — "
        r"the file is damaged: download or copy the PDF again from its source",
        message,
    ), message
    assert "\\x" not in message and "b'" not in message


def test_extraction_error_survives_pickling() -> None:
    """Raised in a worker, re-raised in the parent: it must unpickle with its three parts."""
    err = pickle.loads(pickle.dumps(DamagedPdfError("/x.pdf", "damaged PDF: page 3", "get it again")))
    assert isinstance(err, ExtractionError)
    assert (err.path, err.problem, err.remedy) == ("/x.pdf", "damaged PDF: page 3", "get it again")
    assert str(err) == "/x.pdf: damaged PDF: page 3 — get it again"


def test_data_loss_reported_by_pdfminer_is_caught_despite_silenced_logger() -> None:
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # as the CLI does
    with pdf_module._data_loss_watch() as lost:
        logging.getLogger("pdfminer.pdftypes").warning("Data-loss while decompressing corrupted data")
        logging.getLogger("pdfminer.pdftypes").warning("some font quirk")
    assert lost == ["Data-loss while decompressing corrupted data"]


def test_unmapped_glyphs_name_the_page() -> None:
    layouts, running = _pages([[HEADER, ("1", 800.0)], [HEADER, ("2", 800.0)]])
    layouts[1].unmapped, layouts[1].unmapped_sample = 311, "(cid:1)(cid:2)(cid:3)"
    with pytest.raises(DamagedPdfError) as err:
        check_pages(layouts, running, Path("r.pdf"))
    assert err.value.problem == "damaged PDF: page 2: 311 glyphs have no text (e.g. (cid:1)(cid:2)(cid:3))"


def test_page_that_lost_its_page_number() -> None:
    layouts, running = _pages([[HEADER, ("1", 800.0)], [HEADER], [HEADER, ("3", 800.0)]])
    with pytest.raises(DamagedPdfError, match="page 2 lost its page number"):
        check_pages(layouts, running, Path("r.pdf"))


def test_page_that_lost_its_running_header() -> None:
    layouts, running = _pages([[HEADER], [], [HEADER]])
    with pytest.raises(DamagedPdfError, match="page 2 lost its running header 「株式会社NTTデータ経営研究所」"):
        check_pages(layouts, running, Path("r.pdf"))


def test_empty_page() -> None:
    layouts, running = _pages([[HEADER], [HEADER], [HEADER]])
    layouts[2].char_count, layouts[2].runs = 0, []
    with pytest.raises(DamagedPdfError, match="page 3 is empty"):
        check_pages(layouts, running, Path("r.pdf"))


def test_no_alarm_for_unnumbered_front_matter_and_numbering_that_restarts() -> None:
    """A cover and a table of contents without numbers, a chapter page without the header,
    numbering that starts at 1 on page 3: nothing is missing."""
    layouts, running = _pages([
        [], [HEADER], [HEADER, ("1", 800.0)], [("2", 800.0)], [HEADER, ("3", 800.0)], [HEADER],
    ])
    running[3] = [_run("第2章", 4, 30.0), _run("2", 4, 800.0)]  # another header text on a chapter page
    layouts[5].char_count = 0  # a last page with only a drawing
    layouts[5].marks = 1
    check_pages(layouts, running, Path("r.pdf"))


def test_caption_with_no_table_or_figure_under_it() -> None:
    layouts, _ = _pages([[HEADER], [HEADER]])
    caption = Line(_run("図表 3-1 ヒアリング対象先一覧", 2, 300.0), full=False)
    with pytest.raises(DamagedPdfError) as err:
        check_captions([caption], layouts, Path("r.pdf"))
    assert err.value.problem == (
        "damaged PDF: page 2: the caption 「図表 3-1 ヒアリング対象先一覧」 has no table or figure under it"
    )
    layouts[1].figures = 1  # a figure's caption (図表2-1 of the shipped PDF is an image)
    check_captions([caption], layouts, Path("r.pdf"))


def test_shipped_pdf_has_one_bare_caption_and_it_is_a_figure(source_pdf: Path) -> None:
    from casebook.vocabulary import CATEGORIES
    from extract.report import find_regions

    layouts = read_pdf(source_pdf).layouts
    regions = find_regions(layouts, CATEGORIES)
    assert [(c.run.page, c.text) for c in regions.bare_captions] == [(7, "図表 2-1 協働化の初期仮説")]
    assert layouts[6].figures == 1
    assert [len(r) for r in regions.running][:5] == [0, 1, 1, 2, 2]  # cover; contents pages; numbered pages
    check_pages(layouts, regions.running, source_pdf)
