"""The Prefect flow `build-casebook`: extract → correct → validate → render → publish.

One task per stage of the pipeline (flows/pipeline.py — the same plan the `casebook` commands
run). Every stage but correct and publish is cached on content (flows/caching.py): an
unchanged source skips extraction, and with unchanged editorial files a same-day rebuild skips
validation and rendering too. The run holds the output folder's lock, renders everything in
memory, stages it and publishes it as builds/<time>-<hash>; `latest` switches to it only when the
run is Completed.

Final state: Failed when a stage meets a user error (bad source, a correction that does not
match, unreadable codebook, a full disk — one line, "<stage>: <message>"), when a check is an
error, or — with `strict` — while a high or medium finding is open; Completed otherwise, with
「N checks passed, M findings need review …」. A Failed state carries its `casebook.errors` error
as data: `failure(state)` gives it back, and its type gives the exit code.

The stages are the plan's (`pipeline.Plan.run`, the one place they are put in order), each run
as a task here (`TaskStages`). A parameter left out is the project's (casebook.toml); relative
paths are relative to the project's folder, so a deployment runs the same on every machine
(`-p source=sources/new.pdf`).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.cache_policies import INPUTS
from prefect.client.schemas.objects import TaskRun
from prefect.states import Completed, Failed, State
from prefect.tasks import Task
from prefect.utilities.annotations import quote

from casebook.errors import CasebookError
from casebook.vocabulary import summary_line
from flows import artifacts, confine, failures, pipeline, runs
from flows import editorial as editorial_files
from flows.caching import CodeVersion, FileContent, PrintedBuild
from flows.changes import ChangeReport, change_files, compare
from flows.editorial import Editorial
from flows.failures import StageFailed
from flows.pipeline import Corrected, Plan, Rendered, Stages
from flows.publish import build_id, latest_build, mark_latest, publish, run_lock, stage
from transform.records import AppliedCorrection, BuildInfo, Report
from transform.validation.model import ValidationReport, blocking, counts, counts_text
from transform.validation.states import gated_count

CACHE_FOR = timedelta(days=90)

failures.install()  # before any run: Prefect logs a user error as one line, not a traceback

# The code behind each cached stage: the pipeline module and the packages it calls. The stages
# import their heavy libraries (pdfplumber, python-docx) inside the task: a cached run never loads
# them, which keeps a deployment run's process start short.
EXTRACT_CODE = CodeVersion(packages=("flows.build", "flows.pipeline", "casebook", "extract", "transform"))
VALIDATE_CODE = CodeVersion(packages=("flows.build", "flows.pipeline", "casebook", "transform"))
RENDER_CODE = CodeVersion(packages=("flows.build", "flows.pipeline", "casebook", "render", "transform"))


def _transient_io(task: Task[..., Any], task_run: TaskRun, state: State) -> bool:
    """Retry extraction only after an I/O error a second attempt can cure (a network share's
    hiccup); a missing file or a bad PDF fails the same way every time."""
    exc = state.result(raise_on_failure=False)
    permanent = (FileNotFoundError, PermissionError, IsADirectoryError, NotADirectoryError)
    return isinstance(exc, OSError) and not isinstance(exc, permanent)


@task(
    name="extract",
    cache_policy=FileContent(params=("source", "table_settings")) + EXTRACT_CODE,
    cache_expiration=CACHE_FOR,
    retries=2,
    retry_delay_seconds=2,
    retry_condition_fn=_transient_io,
)
def extract(source: str, table_settings: str | None) -> Report:
    """PDF → checked records (the expensive stage)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font quirks are not the editors' concern
    settings = Path(table_settings) if table_settings else None
    report = pipeline.read_source(Path(source), table_settings=settings)
    get_run_logger().info(
        "extracted %d cases, %d tables, %d citations from %d pages",
        len(report.cases), len(report.tables), len(report.citations), report.page_count,
    )
    return report


@task(name="correct")
def correct(report: Report, editorial: Editorial) -> Corrected:
    """Apply the editors' corrections file; an entry that does not match is an error."""
    corrected = pipeline.correct(report, editorial.corrections)
    get_run_logger().info("applied %d corrections from %s", len(corrected.applied), editorial.corrections)
    return corrected


@task(
    name="explain-corrections",
    cache_policy=INPUTS + FileContent(params=("editorial",)) + VALIDATE_CODE,
    cache_expiration=CACHE_FOR,
)
def explain(
    corrected: Corrected, validation: ValidationReport, editorial: Editorial
) -> list[AppliedCorrection]:
    """What each correction changed besides its text: quotes it updated, counts it moved."""
    return pipeline.explain(corrected, validation, editorial)


@task(
    name="validate",
    cache_policy=INPUTS + FileContent(params=("editorial",)) + VALIDATE_CODE,
    cache_expiration=CACHE_FOR,
)
def validate(corrected: Corrected, editorial: Editorial) -> ValidationReport:
    """Chapter 3's counts and the Chapter 4 citations against the records, with QA's decisions."""
    vr = pipeline.validate(corrected, editorial)
    get_run_logger().info("validation: %s", summary_line(vr.summary()))
    return vr


@task(
    name="render",
    cache_policy=(INPUTS - "build") + PrintedBuild(param="build") + RENDER_CODE,
    cache_expiration=CACHE_FOR,
)
def render(
    report: Report, validation: ValidationReport | None, corrections: list[AppliedCorrection],
    build: BuildInfo,
) -> Rendered:
    """Every file of the build but the change report: casebook.docx/.pdf, html/, data, validation."""
    rendered = Stages().render(report, validation, corrections, build)
    get_run_logger().info("rendered casebook.docx, casebook.pdf (%d pages), %d site files and the data files",
                          rendered.pages, sum(1 for name in rendered.files if name.startswith("html/")))
    return rendered


class TaskStages(Stages):
    """The plan's stages as this flow's tasks; a user error names its stage (StageFailed).

    quote(): Prefect would otherwise walk every item of these records looking for futures to wait
    on (measured: half a second per run); there are none, the stages run one after the other.
    """

    def extract(self, source: Path, table_settings: Path | None) -> Report:
        with _stage("extract"):
            return extract(str(source), str(table_settings) if table_settings else None)

    def correct(self, report: Report, editorial: Editorial) -> Corrected:
        with _stage("correct"):
            return correct(quote(report), editorial)

    def validate(self, corrected: Corrected, editorial: Editorial) -> ValidationReport:
        with _stage("validate"):
            return validate(quote(corrected), editorial)

    def explain(self, corrected: Corrected, validation: ValidationReport,
                editorial: Editorial) -> list[AppliedCorrection]:
        with _stage("validate"):
            return explain(quote(corrected), quote(validation), editorial)

    def render(self, report: Report, validation: ValidationReport | None,
               applied: list[AppliedCorrection], info: BuildInfo) -> Rendered:
        with _stage("render"):
            return render(quote(report), quote(validation), applied, info)


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
    """What the validation summary (validation.json `summary`) means for this run."""

    summary: dict[str, int]
    strict: bool

    @property
    def passed(self) -> int:
        return self.summary["pass"]

    @property
    def review(self) -> int:
        """Open findings of high or medium severity: what --strict gates on."""
        return gated_count(self.summary)

    def failure(self, build: Path) -> CasebookError | None:
        """Why the build does not become `latest` (the validation's blocking error), if it does not."""
        return blocking(self.summary, self.strict, f"build kept at {build} for review; latest unchanged")

    @property
    def ok(self) -> bool:
        """The run completes and the build becomes `latest`."""
        return blocking(self.summary, self.strict) is None

    def counts(self) -> str:
        """The message of a run that completes (counted as validate and validation.html count)."""
        return counts_text(self.summary)


@flow(name="build-casebook", description="Regenerate the casebook (事例集) from the PDF and publish it.")
def build_casebook(
    project: str | None = None,
    source: str | None = None,
    output_dir: str | None = None,
    strict: bool = False,
    edition: str | None = None,
    keep: confine.Keep = 5,
    corrections: str | None = None,
    codebook: str | None = None,
    reviewed_codings: str | None = None,
    qa_decisions: str | None = None,
    proofreading: str | None = None,
    table_settings: str | None = None,
    lock_wait: confine.LockWait = 600.0,
    notes: str | None = None,
) -> State:
    """Build the casebook from `source` and publish it under `output_dir` (see the module doc).

    Every path left out is the project's (casebook.toml; `project`: its folder, found as the
    commands find it); relative paths are relative to the project's folder; an editorial file
    given as `none` is not used. `keep`: published builds to keep; `strict` fails on open
    findings; `lock_wait`: seconds to wait for another run on the same output folder. A run not
    started by `casebook build` must keep every path inside its project (flows/confine.py).
    """
    parameters = locals()  # the editorial files by name (flows/editorial.py FILES), spelled once
    try:
        with _stage("inputs"):
            given = {spec.name: parameters[spec.name] for spec in editorial_files.FILES}
            where = confine.run_project(project, {"source": source, "output_dir": output_dir, **given})
            editorial = editorial_files.from_values(given, where.editorial, where.root)
            output = where.path(output_dir) if output_dir else where.output
            plan = Plan(where.path(source) if source else where.source, editorial, edition=edition,
                        publication=where.publication)
            editorial.check()

        def say_waiting() -> None:
            get_run_logger().info("lock: another build of %s is running; waiting up to %g s for it",
                                  output, lock_wait)

        with _stage("lock"), runs.recorded(output), \
                run_lock(output, wait_seconds=lock_wait, on_wait=say_waiting):
            built = _build(plan, output, strict=strict, keep=keep)
    except StageFailed as exc:
        get_run_logger().error("%s", exc)
        artifacts.build_summary(ok=False, message=exc.message, changes=None, build=None,
                                latest=latest_build(output) if "output" in locals() else None)
        return Failed(message=exc.message, data=exc)
    blocked = built.verdict.failure(built.folder)
    message = built.verdict.counts() if blocked is None else blocked.message
    get_run_logger().info("%s; %s", message, built.changes.summary())
    artifacts.checks_table(built.validation.to_dict())
    artifacts.change_report(built.changes)
    artifacts.output_links(built.folder)
    artifacts.build_summary(ok=blocked is None, message=message, changes=built.changes, build=built.folder,
                            latest=latest_build(output))
    if blocked is not None:
        return Failed(message=message, data=blocked)
    return Completed(message=message, data=str(built.folder))


@dataclass(frozen=True)
class Built:
    """A published build: its folder, the run's verdict, what changed, its validation."""

    folder: Path
    verdict: Verdict
    changes: ChangeReport
    validation: ValidationReport


def _build(plan: Plan, output: Path, *, strict: bool, keep: int) -> Built:
    """The plan's stages as tasks, the change report and publishing, under the output folder's lock."""
    previous = latest_build(output)
    outcome = plan.run(TaskStages())
    assert outcome.rendered is not None and outcome.validation is not None and outcome.info is not None
    verdict = Verdict(outcome.validation.summary(), strict)
    changes = compare(previous, outcome.report, outcome.validation.to_dict(), outcome.applied)
    files = {**outcome.rendered.files, **change_files(changes, outcome.info.title),
             "build.json": _build_json(outcome.info, verdict, changes)}
    with _stage("publish"):
        ident = build_id(outcome.extracted.sha256)
        folder = publish_build(str(output), quote(files), ident, verdict.ok, keep)
    return Built(Path(folder), verdict, changes, outcome.validation)


@contextmanager
def _stage(name: str) -> Iterator[None]:
    """A user error inside becomes StageFailed: one line naming the stage (flows/failures.py)."""
    try:
        yield
    except StageFailed:  # an inner stage's: it names its own stage
        raise
    except CasebookError as exc:
        raise StageFailed(name, exc) from exc


def _build_json(info: BuildInfo, verdict: Verdict, changes: ChangeReport) -> bytes:
    data = {
        "build": asdict(info),
        "published_as_latest": False,  # set by mark_latest once `latest` points to the build
        "strict": verdict.strict,
        "validation": counts(verdict.summary),
        "previous": changes.previous,
        "changes": changes.summary(),
        "corrections": [asdict(c) for c in changes.corrections],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def failure(state: State) -> CasebookError | None:
    """The user error a Failed run carries; None for a Completed one. A run that failed otherwise
    (a crash, a bug) gives its exception wrapped as an error with its message."""
    if state.is_completed():
        return None
    data = state.result(raise_on_failure=False)
    if isinstance(data, CasebookError):
        return data
    return CasebookError(state.message or f"the run ended {state.type.value}")
