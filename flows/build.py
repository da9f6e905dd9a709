"""The Prefect flow `build-casebook`: extract → correct → validate → render → publish.

One task per stage. Every stage but correct and publish is cached on content (flows/caching.py):
an unchanged source skips extraction, and with unchanged editorial files a same-day rebuild skips
validation and rendering too. The run holds the output folder's lock, renders everything in
memory, stages it and publishes it as builds/<time>-<hash>; `latest` switches to it only when the
run is Completed.

Final state: Failed when a stage meets a user error (bad source, a correction that does not
match, unreadable codebook, a full disk — see flows/failures.py: one line, "<stage>: <message>"),
when a check is an error, or — with `strict` — when a check needs review; Completed otherwise,
with 「N checks passed, M need review」.

Relative paths in the parameters are relative to the project root, so a deployment runs the same
on every machine (`-p source=sources/new.pdf`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import INPUTS
from prefect.client.schemas.objects import TaskRun
from prefect.states import Completed, Failed, State
from prefect.tasks import Task
from prefect.utilities.annotations import quote

from casebook.vocabulary import summary_line
from flows import artifacts, failures
from flows.caching import CodeVersion, FileContent, PrintedBuild
from flows.changes import ChangeReport, change_files, compare
from flows.failures import USER_ERRORS, StageFailed, check_files, naming_file, one_line
from flows.paths import DEFAULT_SOURCE, PROJECT_ROOT
from flows.publish import build_id, latest_build, mark_latest, publish, run_lock, stage
from transform.corrections import CorrectionError, apply_corrections, explain_corrections, load_corrections
from transform.records import AppliedCorrection, BuildInfo, Report
from transform.validation.model import ValidationReport

SOURCE = DEFAULT_SOURCE.relative_to(PROJECT_ROOT).as_posix()
CACHE_FOR = timedelta(days=90)
STRICT = "strict: "  # prefix of the message of a run failed only by --strict (exit code 1)

failures.install()  # before any run: Prefect logs a user error as one line, not a traceback

# The code behind each cached stage (this module holds the task bodies). The stages import their
# heavy libraries (pdfplumber, python-docx) inside the task: a cached run never loads them,
# which keeps a deployment run's process start short.
EXTRACT_CODE = CodeVersion(packages=("flows.build", "extract", "transform"))
VALIDATE_CODE = CodeVersion(packages=("flows.build", "transform"))
RENDER_CODE = CodeVersion(packages=("flows.build", "render", "transform"))


def _transient_io(task: Task[..., Any], task_run: TaskRun, state: State) -> bool:
    """Retry extraction only after an I/O error a second attempt can cure (a network share's
    hiccup); a missing file or a bad PDF fails the same way every time."""
    exc = state.result(raise_on_failure=False)
    permanent = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)
    return isinstance(exc, OSError) and not isinstance(exc, permanent)


@task(
    name="extract",
    cache_policy=FileContent(params=("source",)) + EXTRACT_CODE,
    cache_expiration=CACHE_FOR,
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_transient_io,
)
def extract(source: str) -> Report:
    """PDF → checked records (the expensive stage)."""
    from transform.pipeline import read_report

    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font quirks are not the editors' concern
    report = read_report(Path(source))
    get_run_logger().info(
        "extracted %d cases, %d tables, %d citations from %d pages",
        len(report.cases), len(report.tables), len(report.citations), report.page_count,
    )
    return report


@task(name="correct")
def correct(report: Report, corrections: str) -> tuple[Report, list[AppliedCorrection]]:
    """Apply the editors' corrections file; an entry that does not match is an error."""
    path = Path(corrections)
    try:
        fixed, applied = apply_corrections(report, load_corrections(path))
    except CorrectionError as exc:  # name the file: an editor may keep several
        raise CorrectionError(naming_file(one_line(exc), path)) from None
    get_run_logger().info("applied %d corrections from %s", len(applied), corrections)
    return fixed, applied


@task(
    name="explain-corrections",
    cache_policy=INPUTS + FileContent(params=("codebook", "reviewed")) + VALIDATE_CODE,
    cache_expiration=CACHE_FOR,
)
def explain(
    report: Report, fixed: Report, validation: ValidationReport, applied: list[AppliedCorrection],
    codebook: str, reviewed: str | None,
) -> list[AppliedCorrection]:
    """What each correction changed besides its text: quotes it updated, counts it moved."""
    return explain_corrections(report, fixed, validation, applied, Path(codebook),
                               Path(reviewed) if reviewed else None)


@task(
    name="validate",
    cache_policy=(
        INPUTS + FileContent(params=("codebook", "reviewed", "review", "proofreading")) + VALIDATE_CODE
    ),
    cache_expiration=CACHE_FOR,
)
def validate(
    report: Report, codebook: str, reviewed: str | None, review: str | None, proofreading: str | None
) -> ValidationReport:
    """Chapter 3's counts and the Chapter 4 citations against the records, with QA's decisions."""
    from transform.validation.run import validate_report

    vr = validate_report(report, Path(codebook), Path(reviewed) if reviewed else None,
                         Path(review) if review else None, Path(proofreading) if proofreading else None)
    get_run_logger().info("validation: %s", summary_line(vr.summary()))
    return vr


@task(
    name="render",
    cache_policy=(INPUTS - "build") + PrintedBuild(param="build") + RENDER_CODE,
    cache_expiration=CACHE_FOR,
)
def render(
    report: Report, validation: ValidationReport, corrections: list[AppliedCorrection], build: BuildInfo
) -> dict[str, bytes]:
    """Every file of the build but the change report: casebook.docx/.pdf, html/, data, validation."""
    from render.docx import render_print
    from render.html import render_site
    from render.validation import validation_files
    from transform.export import report_files

    printed = render_print(report, validation, corrections, build)
    files = {"casebook.docx": printed.docx, "casebook.pdf": printed.pdf}
    site = render_site(report, validation, corrections, build)
    files |= {f"html/{name}": data for name, data in site.items()}
    files |= report_files(report) | validation_files(validation, report, casebook_base="html/")
    get_run_logger().info("rendered casebook.docx, %d site files and the data files", len(site))
    return files


# No retries: staging and renames on a local disk fail for reasons (disk full, permissions) that a
# second attempt does not cure, and a half-done attempt must not be repeated blindly.
@task(name="publish")
def publish_build(output: str, files: dict[str, bytes], ident: str, switch_latest: bool, keep: int) -> str:
    """Stage the build's files, rename them to builds/<id> and, for a good build, switch `latest`.

    build.json is staged saying "not latest" and says "latest" only once `latest` points to it.
    """
    final = publish(Path(output), stage(Path(output), files), ident, switch_latest=switch_latest, keep=keep)
    if switch_latest:
        mark_latest(final)
    get_run_logger().info("published %s (%s)", final, "now latest" if switch_latest else "latest unchanged")
    return str(final)


@dataclass(frozen=True)
class Verdict:
    """What the validation summary means for this run."""

    passed: int
    review: int  # open or reopened findings of high or medium severity: what --strict gates on
    errors: int
    strict: bool
    low: int = 0
    decided: int = 0

    @classmethod
    def of(cls, summary: dict[str, int], strict: bool) -> Verdict:
        return cls(summary["pass"], summary["high"] + summary["medium"], summary["error"], strict,
                   summary["low"], summary["decided"])

    @property
    def ok(self) -> bool:
        """The run completes and the build becomes `latest`."""
        return self.errors == 0 and not (self.strict and self.review)

    def message(self, build: Path) -> str:
        counts = (f"{self.passed} checks passed, {self.review} findings need review "
                  f"(要対応・要確認), {self.low} for the record, {self.decided} decided")
        kept = f"build kept at {build} for review; latest unchanged"
        if self.errors:
            errors = f"{self.errors} checks are errors (the records cannot be trusted; see validation.html)"
            return f"{errors}; {counts} — {kept}"
        if not self.ok:
            return f"{STRICT}{self.review} open findings need review; {self.passed} checks passed — {kept}"
        return counts


@flow(name="build-casebook", description="Regenerate the casebook (事例集) from the PDF and publish it.")
def build_casebook(
    source: str = SOURCE,
    output_dir: str = "output",
    strict: bool = False,
    edition: str | None = None,
    keep: int = 5,
    corrections: str = "editorial/corrections.yaml",
    codebook: str = "editorial/codebook.yaml",
    reviewed: str | None = "editorial/reviewed_codings.yaml",
    review: str | None = "editorial/review.yaml",
    proofreading: str | None = "editorial/proofreading.yaml",
    lock_wait: float = 600.0,
) -> State:
    """Build the casebook from `source` and publish it under `output_dir` (see the module doc).

    `keep`: published builds to keep; `reviewed`: None validates from the auto-coding alone;
    `review`: QA's decisions on findings (`casebook review`); `strict` fails on open ones;
    `lock_wait`: seconds to wait for another run on the same output folder before failing.
    """
    output = project_path(output_dir)
    editorial = {"corrections": project_path(corrections), "codebook": project_path(codebook),
                 "reviewed": project_path(reviewed) if reviewed else None,
                 "review": project_path(review) if review else None,
                 "proofreading": project_path(proofreading) if proofreading else None}
    def say_waiting() -> None:
        get_run_logger().info("lock: another build of %s is running; waiting up to %g s for it",
                              output, lock_wait)

    try:
        with _stage("inputs"):
            check_files(editorial)
        with _stage("lock"), run_lock(output, wait_seconds=lock_wait, on_wait=say_waiting):
            build, verdict, changes, validation = _build(
                project_path(source), output, edition=edition, strict=strict, keep=keep, **editorial
            )
    except StageFailed as exc:
        get_run_logger().error("%s", exc)
        artifacts.build_summary(ok=False, message=exc.message, changes=None, build=None,
                                latest=latest_build(output))
        return Failed(message=exc.message)
    message = verdict.message(build)
    get_run_logger().info("%s; %s", message, changes.summary())
    artifacts.checks_table(validation)
    artifacts.change_report(changes)
    artifacts.output_links(build)
    artifacts.build_summary(ok=verdict.ok, message=message, changes=changes, build=build,
                            latest=latest_build(output))
    return Completed(message=message, data=str(build)) if verdict.ok else Failed(message=message)


def _build(
    source: Path, output: Path, *, edition: str | None, strict: bool, keep: int,
    corrections: Path, codebook: Path, reviewed: Path | None, review: Path | None,
    proofreading: Path | None,
) -> tuple[Path, Verdict, ChangeReport, dict[str, Any]]:
    """The stages, under the output folder's lock."""
    previous = latest_build(output)
    with _stage("extract"):
        report = extract(str(source))
    # quote(): Prefect would otherwise walk every item of these records looking for futures to wait
    # on (measured: half a second per run); there are none, the stages run one after the other.
    with _stage("correct"):
        fixed, applied = correct(quote(report), str(corrections))
    with _stage("validate"):
        vr = validate(quote(fixed), str(codebook), str(reviewed) if reviewed else None,
                      str(review) if review else None, str(proofreading) if proofreading else None)
        if applied:
            applied = explain(quote(report), quote(fixed), quote(vr), applied, str(codebook),
                              str(reviewed) if reviewed else None)
    built_at = datetime.now().astimezone().isoformat(timespec="seconds")  # local time: the cover's date
    info = BuildInfo(edition, built_at, source.name, report.sha256)
    with _stage("render"):
        files = render(quote(fixed), quote(vr), applied, info)
    validation = json.loads(files["validation.json"])
    verdict = Verdict.of(validation["summary"], strict)
    changes = compare(previous, fixed, validation, applied)
    files = {**files, **change_files(changes), "build.json": _build_json(info, verdict, changes)}
    with _stage("publish"):
        build = publish_build(str(output), quote(files), build_id(report.sha256), verdict.ok, keep)
    return Path(build), verdict, changes, validation


@contextmanager
def _stage(name: str) -> Iterator[None]:
    """A user error inside becomes StageFailed: one line naming the stage (flows/failures.py)."""
    try:
        yield
    except USER_ERRORS as exc:
        raise StageFailed(name, one_line(exc)) from exc


def _build_json(info: BuildInfo, verdict: Verdict, changes: ChangeReport) -> bytes:
    data = {
        "build": asdict(info),
        "published_as_latest": False,  # set by mark_latest once `latest` points to the build
        "strict": verdict.strict,
        "validation": {"pass": verdict.passed, "open": verdict.review, "low": verdict.low,
                       "decided": verdict.decided, "error": verdict.errors},
        "previous": changes.previous,
        "changes": changes.summary(),
        "corrections": [asdict(c) for c in changes.corrections],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def project_path(value: str) -> Path:
    """A parameter path: absolute as given, relative to the project root otherwise."""
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def exit_code(state: State) -> int:
    """0 Completed; 1 failed only because of --strict (checks need review); 2 any other failure."""
    if state.is_completed():
        return 0
    return 1 if (state.message or "").startswith(STRICT) else 2
