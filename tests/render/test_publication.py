"""The casebook as its readers get it, built from the shipped report and editorial files as `make run`
builds it: a draft (an empty QA decisions file) and a final edition (the same validation with
every finding decided). Checked on the products themselves — the PDF's pages (pdfplumber), the
Word file's XML, every HTML page of the build, changes.html — for the draft mark, the words no
reader should meet, typography, metadata, and the Word file laid out by a LibreOffice that has
neither the project's font configuration nor any Japanese font installed."""

from __future__ import annotations

import copy
import io
import os
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path

import docx
import pdfplumber
import pytest
from pypdf import PdfReader

from casebook.vocabulary import DRAFT, JST
from flows import pipeline
from flows.changes import change_files, compare
from flows.pipeline import Outcome, Plan, Stages
from render.docx import HANG_CM
from tests.paths import DEFAULT_SOURCE, PROJECT
from transform.records import Publication, Report
from transform.validation.model import Review, ValidationReport

pytestmark = pytest.mark.office

ORGANISATION = "テスト編集室"
# What no reader product may contain (the before-stop hook's list, and more): the QA worklist's
# words, YAML keys, commands, paths, ids of checks and coded attributes, schema words, UTC
# timestamps, a figure with two qualifiers.
FORBIDDEN = re.compile(
    r"未判断|suggestion:|erratum:|casebook review|editorial/|review\.yaml|（[^（）]*）（[^（）]*）"
    r"|business:|table3-1|area\.|multiple|スキーマ|ステップ\d|step \d"
    r"|\b(?:members|business|area|trigger|reason|citation|proofreading|consistency)\.[^\s<]"
    r"|\d{4}-\d{2}-\d{2}T\d{2}:"
)
SEVERITY_WORDS = re.compile(r"要対応|要確認")  # the worklist's badges: validation.html and changes.html only


@dataclass
class Build:
    files: dict[str, bytes]
    validation: ValidationReport
    outcome: Outcome

    @property
    def pdf(self) -> bytes:
        return self.files["casebook.pdf"]

    @property
    def docx(self) -> bytes:
        return self.files["casebook.docx"]

    def pages(self) -> dict[str, str]:
        """Every HTML page a reader can open: the site, validation.html, changes.html."""
        return {name: data.decode() for name, data in self.files.items() if name.endswith(".html")}


class _Given(Stages):
    """The stages, with the session's extraction of the shipped report."""

    def __init__(self, report: Report) -> None:
        super().__init__()
        self.report = report

    def extract(self, source: Path, table_settings: Path | None) -> Report:
        return copy.deepcopy(self.report)


def _with_changes(files: dict[str, bytes], outcome, validation: ValidationReport) -> dict[str, bytes]:
    changes = compare(None, outcome.report, validation.to_dict(), outcome.applied)
    return {**files, **change_files(changes, outcome.info.title)}


@pytest.fixture(scope="module")
def draft(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Build:
    """`make run` with an empty QA decisions file: nothing decided, a draft."""
    empty = tmp_path_factory.mktemp("qa") / "review.yaml"
    empty.write_text("decisions: []\n", encoding="utf-8")
    editorial = replace(PROJECT.editorial, qa_decisions=empty)
    plan = Plan(DEFAULT_SOURCE, editorial, publication=Publication(organisation=ORGANISATION))
    outcome = plan.run(_Given(report))
    return Build(_with_changes(outcome.rendered.files, outcome, outcome.validation), outcome.validation, outcome)


@pytest.fixture(scope="module")
def final(draft: Build) -> Build:
    """The same build with every finding decided: the gate is clean, the final edition."""
    outcome = draft.outcome
    closed = copy.deepcopy(outcome.validation)
    for check in closed.checks:
        if check.is_finding:
            check.review = Review("accepted", "accepted", by="テスト", note="テストのための判断")
    assert closed.blocking(strict=True) is None
    files = Stages().render(outcome.report, closed, outcome.applied, outcome.info).files
    return Build(_with_changes(files, outcome, closed), closed, outcome)


def _pdf_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def _docx_text(data: bytes) -> str:
    """Every text of the Word file: body, headers, footers (the XML, tags removed)."""
    package = zipfile.ZipFile(io.BytesIO(data))
    parts = [n for n in package.namelist() if re.fullmatch(r"word/(document|header\d+|footer\d+)\.xml", n)]
    return "\n".join(re.sub(r"<[^>]+>", "", package.read(n).decode()) for n in parts)


# --- draft and final ---------------------------------------------------------------------------

def test_a_build_with_nothing_decided_is_marked_a_draft_everywhere(draft: Build) -> None:
    assert draft.validation.blocking(strict=True) is not None
    pages = _pdf_text(draft.pdf)
    assert DRAFT in pages[0].replace(" ", "")  # the cover, the PDF's first page
    for number, text in enumerate(pages[1:], start=2):  # the running header of every other page
        first_line = text.replace(" ", "").splitlines()[0]
        assert DRAFT in first_line, number
    document = docx.Document(io.BytesIO(draft.docx))
    assert document.paragraphs[0].text == DRAFT  # the Word file's first page
    headers = [s.header.paragraphs[0].text for s in document.sections]
    assert all(h.startswith(DRAFT) for h in headers)
    for name, html in draft.pages().items():  # every page of the site, validation.html, changes.html
        assert f'<span class="pub-draft">{DRAFT}</span>' in html, name
    assert {"validation.html", "changes.html", "html/index.html", "html/case-29.html"} <= set(draft.pages())


def test_the_final_edition_carries_no_mark(final: Build) -> None:
    assert not any(DRAFT in text.replace(" ", "") for text in _pdf_text(final.pdf))
    assert DRAFT not in _docx_text(final.docx)
    for name, html in final.pages().items():
        assert DRAFT not in html and "未確定" not in html, name


# --- the words readers meet --------------------------------------------------------------------

def _hits(text: str) -> list[str]:
    return sorted({m.group(0) for m in FORBIDDEN.finditer(text)})


def test_no_worklist_id_command_or_path_reaches_a_reader(draft: Build) -> None:
    pdf = "\n".join(_pdf_text(draft.pdf))
    assert _hits(pdf.replace(" ", "")) == [] and not SEVERITY_WORDS.search(pdf)
    word = _docx_text(draft.docx)
    assert _hits(word) == [] and not SEVERITY_WORDS.search(word)
    for name, html in draft.pages().items():
        if name == "validation.html":
            continue  # the QA page: the worklist lives there
        text = re.sub(r"<[^>]+>", " ", html)
        assert _hits(text) == [], name
        if name.startswith("html/"):
            assert not SEVERITY_WORDS.search(text), name


def test_every_page_links_the_publication_s_forms_with_links_that_resolve(draft: Build) -> None:
    """The bar of every HTML page links the Web, PDF and Word editions, the validation report and
    the change report by relative links that work in the published build folder; no link is
    empty."""
    forms = {"html/index.html", "casebook.pdf", "casebook.docx", "validation.html", "changes.html"}
    for name, html in draft.pages().items():
        assert 'href=""' not in html, name
        bar = re.search(r'<nav class="pub-nav"[^>]*>(.*?)</nav>', html, re.S)
        assert bar, name
        hrefs = re.findall(r'href="([^"]+)"', bar.group(1))
        folder = Path(name).parent
        targets = {_resolve(folder, h) for h in hrefs}
        assert targets == forms, name
        assert targets <= set(draft.files), name


def _resolve(folder: Path, href: str) -> str:
    parts = list(folder.parts)
    for piece in href.split("/"):
        if piece == "..":
            parts.pop()
        else:
            parts.append(piece)
    return "/".join(parts)


def test_the_reader_s_appendix_states_conclusions_not_the_worklist(draft: Build) -> None:
    document = docx.Document(io.BytesIO(draft.docx))
    paragraphs = [p.text for p in document.paragraphs]
    start = paragraphs.index("付録A 報告書との照合")
    appendix = "\n".join(paragraphs[start:paragraphs.index("付録B 正誤表（編集上の訂正）")])
    assert "照合したもの" in appendix and "報告書の誤りとその扱い" in appendix
    # The report's own errors, each with what the casebook does about it.
    assert re.search(r"出典「社会福祉法人十日町福祉会【新潟県】」は事例21「[^」]+」を指しています", appendix)
    assert "本事例集は付録Bのとおり訂正して掲載しています。" in appendix  # the shipped errata put it right
    # Counts the case tables cannot evidence, with the report's own method note quoted.
    assert "「※以下、重複カウント有。ヒアリング結果から集計。」" in appendix
    counts = next(t for t in document.tables if t.rows[0].cells[0].text == "項目")
    rows = {r.cells[0].text: [c.text for c in r.cells[1:]] for r in counts.rows[1:]}
    assert rows["地域福祉支援業務の実施件数（総計）"][:2] == ["22（p.56（PDF 59））", "9"]


def test_dates_are_japan_time_in_words(draft: Build) -> None:
    built = datetime.fromisoformat(draft.outcome.info.built_at)
    assert built.utcoffset() == datetime.now(JST).utcoffset()
    day = f"{built.year}年{built.month}月{built.day}日"
    assert day in _pdf_text(draft.pdf)[0].replace(" ", "")
    assert day in draft.pages()["html/index.html"] and day in draft.pages()["validation.html"]


# --- typography, read back from the printed pages ----------------------------------------------

HEADING_MIN_PT = 9  # Reference Heading 9 pt, Heading 4 10.5 pt …; table heads are 8.5 pt


def _last_line(page) -> dict | None:
    lines = [ln for ln in page.extract_text_lines(return_chars=True)
             if not re.fullmatch(r"\d+ / \d+", ln["text"].strip()) and ln["top"] > 60]
    return lines[-1] if lines else None


def test_no_page_ends_with_a_heading(draft: Build) -> None:
    stranded = []
    with pdfplumber.open(io.BytesIO(draft.pdf)) as pdf:
        for page in pdf.pages[1:]:
            last = _last_line(page)
            if last and all(c["fontname"].endswith("IPAexGothic") and c["size"] >= HEADING_MIN_PT
                            for c in last["chars"]):
                stranded.append((page.page_number, last["text"]))
            page.close()
    assert stranded == []


def test_no_chapter_ends_on_a_nearly_empty_page(draft: Build) -> None:
    """A page that continues a chapter holds more than a fifth of a page of text (the layout pass
    sets a chapter tighter rather than leave a few lines on a page of their own)."""
    near_empty = []
    with pdfplumber.open(io.BytesIO(draft.pdf)) as pdf:
        for page in pdf.pages[1:]:
            lines = [ln for ln in page.extract_text_lines(return_chars=True) if ln["top"] > 50
                     and not re.fullmatch(r"\d+ / \d+", ln["text"].strip())]
            starts_chapter = lines and max(c["size"] for c in lines[0]["chars"]) >= 16
            top = lines[0]["top"] if lines else 0
            if lines and not starts_chapter and lines[-1]["bottom"] - top < 0.2 * (page.height - 2 * top):
                near_empty.append((page.page_number, lines[-1]["text"][:30]))
            page.close()
    assert near_empty == []


def test_one_mincho_face_for_the_body_and_one_gothic_for_headings(draft: Build) -> None:
    faces = set()
    simplified = []
    with pdfplumber.open(io.BytesIO(draft.pdf)) as pdf:
        for page in pdf.pages:
            for char in page.chars:
                faces.add(char["fontname"].split("+")[-1])
                if char["text"] == "实":
                    simplified.append(char["fontname"].split("+")[-1])
            page.close()
    assert faces == {"IPAmjMincho", "IPAexGothic"}
    assert set(simplified) <= {"IPAmjMincho"}  # 实, where the errata leave it, in the body face


def test_overview_names_stay_on_one_line_and_no_text_touches_a_rule(draft: Build, report: Report) -> None:
    with pdfplumber.open(io.BytesIO(draft.pdf)) as pdf:
        page = next(p for p in pdf.pages[2:8] if "事例一覧" in (p.extract_text() or "")[:80])
        table = page.find_table()
        rows = table.extract()
        names = {re.sub(r"\s", "", r[1] or "") for r in rows[1:]}
        assert {re.sub(r"\s", "", c.name) for c in report.cases if c.no <= len(rows) - 3} <= names
        assert all("\n" not in (r[1] or "") for r in rows[1:]), "a name wrapped"
        for cell in (c for row in table.rows for c in row.cells if c):
            x0, top, x1, bottom = cell
            inside = [ch for ch in page.chars if x0 <= ch["x0"] and ch["x1"] <= x1 and top <= ch["top"]
                      and ch["bottom"] <= bottom and ch["text"].strip()]
            for ch in inside:  # padding: at least 2 pt between a rule and the text
                assert ch["x0"] - x0 >= 2 and x1 - ch["x1"] >= 2, (ch["text"], cell)


def test_every_table_of_the_word_file_pads_its_cells(draft: Build) -> None:
    document = docx.Document(io.BytesIO(draft.docx))
    for table in document.tables:
        margins = table._tbl.tblPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblCellMar")
        assert margins is not None and len(margins) == 4


def test_the_prefecture_list_hangs_its_cases_under_the_first(draft: Build) -> None:
    with pdfplumber.open(io.BytesIO(draft.pdf)) as pdf:
        page = next(p for p in pdf.pages if "都道府県別の事例" in (p.extract_text() or "")[:60])
        lines = page.extract_text_lines()
        starts = [ln for ln in lines if re.match(r"(北海道|東京都|京都府|大阪府|\S{2,3}県)（\d+）", ln["text"])]
        assert len(starts) >= 10
        left = min(ln["x0"] for ln in starts)
        hang = left + HANG_CM / 2.54 * 72
        wrapped = [ln for ln in lines if starts[0]["top"] < ln["top"] < starts[-1]["top"] and ln not in starts]
        assert wrapped, "no wrapped line to check"
        assert all(abs(ln["x0"] - hang) < 3 for ln in wrapped)


def test_pdf_and_word_properties_say_what_the_casebook_is(draft: Build) -> None:
    info = draft.outcome.info
    reader = PdfReader(io.BytesIO(draft.pdf))
    meta = reader.metadata
    assert meta.title == info.title and meta.author == ORGANISATION
    assert str(reader.trailer["/Root"]["/Lang"]) == "ja-JP" and str(meta["/CreationDate"]).startswith("D:20")
    document = docx.Document(io.BytesIO(draft.docx))
    core = document.core_properties
    built = datetime.fromisoformat(info.built_at)
    assert (core.author, core.title, core.language) == (ORGANISATION, info.title, "ja-JP")
    assert core.created.replace(tzinfo=UTC) == built  # the build's time, stored as UTC
    assert core.created.year == datetime.now(JST).year
    package = zipfile.ZipFile(io.BytesIO(draft.docx))
    assert "docProps/thumbnail.jpeg" not in package.namelist()
    app = package.read("docProps/app.xml").decode()
    assert "<Application>casebook</Application>" in app and "Macintosh" not in app


# --- the Word file elsewhere -------------------------------------------------------------------

BARE_FONTCONFIG = """<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def _convert(docx_path: Path, out: Path, profile: Path, fontconfig: Path | None) -> Path:
    """The .docx as a LibreOffice with a fresh profile prints it (soffice --convert-to pdf)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FONTCONFIG_FILE", "PYTHONPATH")}
    env["HOME"] = str(profile.parent)
    if fontconfig is not None:
        env["FONTCONFIG_FILE"] = str(fontconfig)
    subprocess.run([shutil.which("soffice") or "soffice", f"-env:UserInstallation={profile.as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx_path)],
                   env=env, check=True, capture_output=True, timeout=300)
    return out / (docx_path.stem + ".pdf")


@pytest.mark.parametrize("fonts", ["system", "no-japanese-fonts"])
def test_the_word_file_lays_out_the_same_on_a_clean_libreoffice(draft: Build, tmp_path: Path, fonts: str) -> None:
    """Without render/fonts.conf (system fonts), and with no Japanese font installed at all (only
    the fonts embedded in the .docx can draw it): the page count of casebook.pdf, the table of
    contents' numbers where the headings land, the embedded faces."""
    source = tmp_path / "casebook.docx"
    source.write_bytes(draft.docx)
    fontconfig = None
    if fonts == "no-japanese-fonts":
        fontconfig = tmp_path / "fonts.conf"
        fontconfig.write_text(BARE_FONTCONFIG.format(cache=tmp_path / "fc-cache"), encoding="utf-8")
    pdf = _convert(source, tmp_path / "out", tmp_path / "profile", fontconfig)
    printed = PdfReader(io.BytesIO(draft.pdf))
    converted = PdfReader(str(pdf))
    assert abs(len(converted.pages) - len(printed.pages)) <= 1
    texts = [re.sub(r"\s", "", p.extract_text() or "") for p in converted.pages]
    document = docx.Document(io.BytesIO(draft.docx))
    toc = [p.text.split("\t") for p in document.paragraphs if p.style.name == "toc 1" and "\t" in p.text]
    cases = [(title, int(page)) for title, page in toc if re.match(r"事例\d+ ", title)]
    assert len(cases) == 29
    for title, page in cases:
        landed = next(i for i, t in enumerate(texts[3:], start=4) if re.sub(r"\s", "", title) in t)
        assert landed == page, title
    with pdfplumber.open(str(pdf)) as laid:
        faces = {c["fontname"].split("+")[-1] for c in laid.pages[0].chars}
    assert faces <= {"IPAmjMincho", "IPAexGothic"} and "IPAmjMincho" in faces


def test_build_info_takes_the_publication_settings() -> None:
    info = pipeline.build_info(None, Path("r.pdf"), "0" * 64,
                               publication=Publication.from_mapping({"title": "事例集 第2集",
                                                                     "organisation": "編集室", "edition": "第2版"},
                                                                    Path("casebook.toml")))
    assert (info.title, info.organisation, info.edition) == ("事例集 第2集", "編集室", "第2版")
    assert pipeline.build_info("第3版", Path("r.pdf"), "0" * 64,
                               publication=Publication(edition="第2版")).edition == "第3版"
