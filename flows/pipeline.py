"""The casebook pipeline, stage by stage, as plain functions. Every entry point runs it.

    source ─ read_source ─▶ Report ─ correct ─▶ Corrected ─ validate ─▶ ValidationReport
    (PDF or report.json)                          │                        │
                                                  └──── render, data_files ┴─▶ files (bytes by path)

The stages are put in order in one place, `Plan.run`: `casebook extract | validate | render`
run a plan that stops after their stage, the Prefect flow (flows/build.py) runs the whole plan with
each stage as a task (cached on content) before it publishes, and the benchmarks time the same
plan. So every path applies the same editorial files (`Editorial`), the same table settings, and
dates a build the same way (`build_info`). A stage after extraction takes the records in memory or
reads them from the report.json an extraction wrote: the PDF is parsed once.

The functions take the paths their caller chose and return values; they never print, write files
or exit. Errors are `casebook.errors` types. The heavy libraries (pdfplumber, SudachiPy,
python-docx) are imported inside the stage that needs them: `casebook extract` never loads the
renderers, and a cached flow run loads none of them.
"""

from __future__ import annotations

import hashlib
import json
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from casebook.errors import SourceError, one_line
from flows.editorial import Editorial, load_table_settings

if TYPE_CHECKING:
    from extract.pdf import ProgressFn
    from extract.settings import TableSettings
    from transform.records import AppliedCorrection, BuildInfo, Publication, Report
    from transform.validation.model import ValidationReport

# ---------------------------------------------------------------------------------------------
# extract


def read_source(
    source: Path,
    *,
    table_settings: Path | None = None,
    workers: int | None = None,
    on_page: ProgressFn | None = None,
) -> Report:
    """The records of `source`: a PDF is extracted; a report.json that `casebook extract` wrote
    is read as it is (later stages never parse the PDF again)."""
    if source.suffix.lower() == ".json":
        return read_records(source)
    return extract_pdf(source, load_table_settings(table_settings), workers=workers, on_page=on_page)


def extract_pdf(
    pdf: Path, settings: TableSettings | None = None, *, workers: int | None = None,
    on_page: ProgressFn | None = None,
) -> Report:
    """PDF → checked records: extraction (in parallel over pages) and the transform rules."""
    from casebook.vocabulary import CATEGORIES
    from extract.run import extract_report
    from extract.settings import DEFAULT_SETTINGS
    from transform.assemble import build_report

    raw = extract_report(pdf, CATEGORIES, workers=workers, on_page=on_page,
                         table_settings=settings or DEFAULT_SETTINGS)
    return build_report(raw, file_sha256(pdf))


def read_records(path: Path) -> Report:
    """The report.json of an earlier extraction."""
    from transform.export import report_from_dict

    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return report_from_dict(data)
    except FileNotFoundError:
        raise SourceError(path, "no such file", "check the path, or run `casebook extract` first") from None
    except (OSError, ValueError, KeyError, TypeError) as exc:
        problem = f"not a report.json written by `casebook extract` ({one_line(exc)[:80]})"
        remedy = "pass the report's PDF, or the report.json of `casebook extract --out DIR`"
        raise SourceError(path, problem, remedy) from exc


def file_sha256(path: Path) -> str:
    """Content hash of the source PDF (provenance and cache key)."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


# ---------------------------------------------------------------------------------------------
# correct


@dataclass(frozen=True)
class Corrected:
    """The records as extracted, the records with the editors' errata applied, and what each
    correction changed."""

    original: Report
    report: Report
    applied: list[AppliedCorrection] = field(default_factory=list)


def correct(report: Report, corrections: Path | None) -> Corrected:
    """Apply the errata file (None: none). An entry that does not match is an error naming the file."""
    from transform.corrections import CorrectionError, apply_corrections, load_corrections

    if corrections is None:  # records a build corrected keep the list of what was changed
        return Corrected(report, report, list(report.corrections))
    if report.corrections:
        raise CorrectionError(
            f"{report.source}: these records already carry {len(report.corrections)} corrections (a "
            "build's report.json) — pass the PDF or the report.json of `casebook extract`, or no errata "
            "(--no-corrections)"
        )
    try:
        fixed, applied = apply_corrections(report, load_corrections(corrections))
    except CorrectionError as exc:  # name the file: an editor may keep several
        message = one_line(exc)
        raise CorrectionError(message if str(corrections) in message else f"{corrections}: {message}") \
            from None
    return Corrected(report, fixed, applied)


# ---------------------------------------------------------------------------------------------
# validate


def validate(corrected: Corrected, editorial: Editorial) -> ValidationReport:
    """The Chapter 3 counts, Chapter 4 citations and proofreading patterns against the corrected
    records, with QA's decisions applied, the findings the errata resolved kept (against the
    records as extracted) and the review notes attached."""
    from transform.review_notes import load_review_notes
    from transform.validation.run import validate_report

    original = None if corrected.original is corrected.report else corrected.original
    return replace(validate_report(corrected.report, editorial.codebook, editorial.reviewed_codings,
                                   editorial.qa_decisions, editorial.proofreading, original=original),
                   review_notes=load_review_notes(editorial.notes))


def explain(
    corrected: Corrected, validation: ValidationReport, editorial: Editorial
) -> list[AppliedCorrection]:
    """What each correction changed besides its text: the quotes it updated, the counts it moved."""
    if corrected.original is corrected.report:  # nothing applied in this run: already explained
        return corrected.applied
    from transform.validation.errata import explain_corrections

    return explain_corrections(corrected.report, corrected.applied, validation, editorial.reviewed_codings)


# ---------------------------------------------------------------------------------------------
# render


def build_info(
    edition: str | None, source: Path, sha256: str, now: datetime | None = None, *,
    publication: Publication | None = None,
) -> BuildInfo:
    """What the casebook says about its build: dated in Japan time whatever the machine's zone (the
    cover prints the editors' day; a naive `now` is the machine's local time), titled and credited
    as the project's [publication] settings say (`Publication.from_mapping`; None: the defaults).
    An edition given here (--edition) wins over the settings'."""
    from casebook.vocabulary import JST
    from transform.records import BuildInfo, Publication

    publication = publication or Publication()
    when = (now or datetime.now()).astimezone(JST).isoformat(timespec="seconds")
    return BuildInfo(edition or publication.edition, when, source.name, sha256,
                     title=publication.title, organisation=publication.organisation)


@dataclass(frozen=True)
class Rendered:
    """The casebook's files (casebook.docx, casebook.pdf, html/…) and the printed page count."""

    files: dict[str, bytes]
    pages: int


def render(
    report: Report, validation: ValidationReport | None, corrections: list[AppliedCorrection],
    info: BuildInfo,
) -> Rendered:
    """The casebook in Word, PDF (LibreOffice's print of the same document) and HTML.

    LibreOffice starts while the Word document is written, and the site is written while it lays
    the document out (another process: the thread waits on it, not on this one's work)."""
    from render.docx import render_print
    from render.html import render_site
    from render.office import prestarted

    with prestarted(), ThreadPoolExecutor(max_workers=1) as pool:
        site = pool.submit(render_site, report, validation, corrections, info)
        printed = render_print(report, validation, corrections, info)
    files = {"casebook.docx": printed.docx, "casebook.pdf": printed.pdf}
    files |= {f"html/{name}": data for name, data in site.result().items()}
    return Rendered(files, printed.pages)


def data_files(report: Report, validation: ValidationReport | None = None, *,
               casebook_base: str = "html/", title: str | None = None) -> dict[str, bytes]:
    """The records (report.json, cases.json, items.csv, tables/…) and, given a validation, its
    files (validation.json, validation.html, validation-findings.csv, validation.xlsx) linking into
    the site at `casebook_base`, headed with the casebook's `title` (None: the default title)."""
    from transform.export import report_files

    files = report_files(report)
    if validation is not None:
        from render.validation import validation_files

        named = {"title": title} if title else {}
        files |= validation_files(validation, report, casebook_base=casebook_base, **named)
    return files


# ---------------------------------------------------------------------------------------------
# the plan: the one composition of the stages

Stage = Literal["extract", "correct", "validate", "render"]
ORDER: tuple[Stage, ...] = ("extract", "correct", "validate", "render")


class Stages:
    """How each stage runs. This class runs the functions above in this process; the Prefect
    flow runs each as a cached task (flows/build.py) and the benchmarks time them, by overriding
    the methods — never by calling the stages in an order of their own."""

    def __init__(self, *, workers: int | None = None, on_page: ProgressFn | None = None) -> None:
        self.workers = workers
        self.on_page = on_page

    def extract(self, source: Path, table_settings: Path | None) -> Report:
        return read_source(source, table_settings=table_settings, workers=self.workers, on_page=self.on_page)

    def correct(self, report: Report, editorial: Editorial) -> Corrected:
        return correct(report, editorial.corrections)

    def validate(self, corrected: Corrected, editorial: Editorial) -> ValidationReport:
        return validate(corrected, editorial)

    def explain(self, corrected: Corrected, validation: ValidationReport,
                editorial: Editorial) -> list[AppliedCorrection]:
        return explain(corrected, validation, editorial)

    def render(self, report: Report, validation: ValidationReport | None,
               applied: list[AppliedCorrection], info: BuildInfo) -> Rendered:
        """The casebook's files and the data files (records, validation) beside them, written
        while LibreOffice lays the casebook out."""
        with ThreadPoolExecutor(max_workers=1) as pool:
            data = pool.submit(data_files, report, validation, title=info.title)
            rendered = render(report, validation, applied, info)
        return replace(rendered, files=rendered.files | data.result())


@dataclass(frozen=True)
class Plan:
    """What a run does: the source, the editors' files, where to stop, what the casebook says of
    its build. `run` is the one place the stages are put in order."""

    source: Path
    editorial: Editorial
    stop_after: Stage = "render"
    validated: bool = True  # False: render without validation (member counts and 業務 show as —)
    edition: str | None = None
    publication: Publication | None = None  # title, organisation, edition (None: the defaults)

    def run(self, stages: Stages | None = None) -> Outcome:
        stages = stages or Stages()
        last = ORDER.index(self.stop_after)
        report = stages.extract(self.source, self.editorial.table_settings)
        outcome = Outcome(report)
        if last < ORDER.index("correct"):
            return outcome
        corrected = stages.correct(report, self.editorial)
        outcome = replace(outcome, corrected=corrected, applied=corrected.applied)
        if last < ORDER.index("validate"):
            return outcome
        validation = stages.validate(corrected, self.editorial) if self.validated else None
        # Explaining a correction (the quotes it updated, the counts it moved) needs the validation;
        # records a build corrected earlier carry their explanations already.
        applied = corrected.applied
        if validation is not None and corrected.original is not corrected.report:
            applied = stages.explain(corrected, validation, self.editorial)
        outcome = replace(outcome, validation=validation, applied=applied)
        if last < ORDER.index("render"):
            return outcome
        info = build_info(self.edition, self.source, report.sha256, publication=self.publication)
        rendered = stages.render(corrected.report, validation, applied, info)
        return replace(outcome, info=info, rendered=rendered)


@dataclass(frozen=True)
class Outcome:
    """What the stages of a plan produced (None: the stage did not run)."""

    extracted: Report
    corrected: Corrected | None = None
    validation: ValidationReport | None = None
    applied: list[AppliedCorrection] = field(default_factory=list)
    info: BuildInfo | None = None
    rendered: Rendered | None = None

    @property
    def report(self) -> Report:
        """The records as the later stages saw them: corrected when the errata were applied."""
        return self.corrected.report if self.corrected is not None else self.extracted
