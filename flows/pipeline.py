"""The casebook pipeline, stage by stage, as plain functions. Every entry point runs it.

    source ─ read_source ─▶ Report ─ correct ─▶ Corrected ─ validate ─▶ ValidationReport
    (PDF or report.json)                          │                        │
                                                  └──── render, data_files ┴─▶ files (bytes by path)

`casebook extract | validate | render` call these functions in turn, the Prefect flow
(flows/build.py) runs each as a task (cached on content) before it publishes, and the benchmarks
time them. So every path applies the same editorial files (`Editorial`), the same table settings,
and dates a build the same way (`build_info`). A stage after extraction takes the records in
memory or reads them from the report.json an extraction wrote: the PDF is parsed once.

The functions take the paths their caller chose and return values; they never print, write files
or exit. Errors are `casebook.errors` types. The heavy libraries (pdfplumber, SudachiPy,
python-docx) are imported inside the stage that needs them: `casebook extract` never loads the
renderers, and a cached flow run loads none of them.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from casebook.errors import EditorialError, MissingFileError, SourceError, one_line
from flows.paths import PROJECT_ROOT

if TYPE_CHECKING:
    from extract.pdf import ProgressFn
    from extract.settings import TableSettings
    from transform.records import AppliedCorrection, BuildInfo, Report
    from transform.validation.model import ValidationReport

EDITORIAL = PROJECT_ROOT / "editorial"


class TableSettingsError(EditorialError):
    """An edition's table-settings file that cannot be read or names unknown settings."""


@dataclass(frozen=True)
class Editorial:
    """The editors' files a run reads. None: not used (no errata; counts from the auto-coding
    alone; no QA decisions; no typo patterns; the default table settings)."""

    corrections: Path | None = EDITORIAL / "corrections.yaml"
    codebook: Path = EDITORIAL / "codebook.yaml"
    reviewed: Path | None = EDITORIAL / "reviewed_codings.yaml"
    review: Path | None = EDITORIAL / "review.yaml"
    proofreading: Path | None = EDITORIAL / "proofreading.yaml"
    table_settings: Path | None = None

    def files(self) -> dict[str, Path | None]:
        """Each file by its option's name (`--table-settings` → "table_settings")."""
        return {name: getattr(self, name) for name in LABELS}

    def check(self) -> None:
        """Every file named must exist: a run fails at once, before the PDF is read, rather than
        falling back silently to a default. QA's decision file may be missing: nothing decided yet
        (`casebook review` creates it), which can only show more findings open, never fewer."""
        for name, path in self.files().items():
            if name == "review" and path is not None and not path.exists():
                continue
            if path is not None and not path.is_file():
                raise MissingFileError(f"{path}: {LABELS[name]} file not found — {_remedy(name)}")
        if self.table_settings is not None:  # cheap to read: a typo in it fails before the PDF is read
            load_table_settings(self.table_settings)

    def resolved(self, base: Path) -> Editorial:
        """Relative paths made absolute against `base` (the CLI: the current folder; the flow and
        a deployment: the project root, so a run is the same on every machine)."""
        return replace(self, **{name: _under(base, path) for name, path in self.files().items()})


# How messages name each editorial file, and the shipped file to restore when one is missing.
LABELS = {"corrections": "corrections", "codebook": "codebook", "reviewed": "reviewed codings",
          "review": "QA decisions", "proofreading": "proofreading patterns",
          "table_settings": "table settings"}
SHIPPED = {"corrections": "corrections.yaml", "codebook": "codebook.yaml",
           "reviewed": "reviewed_codings.yaml", "review": "review.yaml",
           "proofreading": "proofreading.yaml"}


def _remedy(name: str) -> str:
    option = name.replace("_", "-")
    given = f"check the path given as --{option} (-p {name}=…)"
    if name in SHIPPED:
        return f"{given}, or restore the shipped one: git checkout -- editorial/{SHIPPED[name]}"
    return f"{given}, or leave the option out for the default settings"


def _under(base: Path, path: Path | None) -> Path | None:
    if path is None:
        return None
    path = path.expanduser()
    return path if path.is_absolute() else base / path


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


def load_table_settings(path: Path | None) -> TableSettings:
    """The default table-finding thresholds, overridden by an edition's settings file."""
    from extract.settings import DEFAULT_SETTINGS, TableSettings

    if path is None:
        return DEFAULT_SETTINGS
    import yaml

    try:
        return TableSettings.from_mapping(yaml.safe_load(path.read_text(encoding="utf-8")))
    except (OSError, yaml.YAMLError, ValueError, TypeError, AttributeError) as exc:
        raise TableSettingsError(f"{path}: bad table settings: {one_line(exc)} — fix or remove the file") \
            from exc


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


def validate(report: Report, editorial: Editorial) -> ValidationReport:
    """Chapter 3's counts, the Chapter 4 citations and the proofreading patterns against the
    (corrected) records, with QA's decisions applied."""
    from transform.validation.run import validate_report

    return validate_report(report, editorial.codebook, editorial.reviewed, editorial.review,
                           editorial.proofreading)


def explain(
    corrected: Corrected, validation: ValidationReport, editorial: Editorial
) -> list[AppliedCorrection]:
    """What each correction changed besides its text: the quotes it updated, the counts it moved."""
    if corrected.original is corrected.report:  # nothing applied in this run: already explained
        return corrected.applied
    from transform.corrections import explain_corrections

    return explain_corrections(corrected.original, corrected.report, validation, corrected.applied,
                               editorial.codebook, editorial.reviewed)


# ---------------------------------------------------------------------------------------------
# render


def build_info(edition: str | None, source: Path, sha256: str, now: datetime | None = None) -> BuildInfo:
    """What the casebook says about its build. Local time: the cover prints the editors' day."""
    from transform.records import BuildInfo

    when = (now or datetime.now()).astimezone().isoformat(timespec="seconds")
    return BuildInfo(edition, when, source.name, sha256)


@dataclass(frozen=True)
class Rendered:
    """The casebook's files (casebook.docx, casebook.pdf, html/…) and the printed page count."""

    files: dict[str, bytes]
    pages: int


def render(
    report: Report, validation: ValidationReport | None, corrections: list[AppliedCorrection],
    info: BuildInfo,
) -> Rendered:
    """The casebook in Word, PDF (LibreOffice's print of the same document) and HTML."""
    from render.docx import render_print
    from render.html import render_site

    printed = render_print(report, validation, corrections, info)
    files = {"casebook.docx": printed.docx, "casebook.pdf": printed.pdf}
    site = render_site(report, validation, corrections, info)
    files |= {f"html/{name}": data for name, data in site.items()}
    return Rendered(files, printed.pages)


def data_files(report: Report, validation: ValidationReport | None = None, *,
               casebook_base: str = "html/") -> dict[str, bytes]:
    """The records (report.json, cases.json, items.csv, tables/…) and, given a validation, its
    files (validation.json, validation.html, validation-findings.csv) linking into the site at
    `casebook_base`."""
    from transform.export import report_files

    files = report_files(report)
    if validation is not None:
        from render.validation import validation_files

        files |= validation_files(validation, report, casebook_base=casebook_base)
    return files
