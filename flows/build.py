"""The Prefect flow `build-casebook`: extract → correct → validate → render → publish.

One task per stage. Extraction is cached on the source PDF's content hash plus the task's code,
so an unchanged source skips it on the next run (in any process sharing PREFECT_HOME). The run
holds the output folder's lock, writes into a staging folder and publishes it as
builds/<time>-<hash>; `latest` switches only to a complete build without error checks.

Final state: Failed when a stage raises, when a check is an error, or — with `strict` — when a
check is a mismatch; Completed otherwise, with 「N checks passed, M need review」.
"""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from prefect import flow, get_run_logger, task
from prefect.artifacts import create_link_artifact, create_markdown_artifact, create_table_artifact
from prefect.cache_policies import TASK_SOURCE, CachePolicy
from prefect.states import Completed, Failed, State

from flows.changes import ChangeReport, change_files, compare
from flows.paths import DEFAULT_OUTPUT, DEFAULT_SOURCE, PROJECT_ROOT
from flows.publish import build_id, latest_build, new_staging, publish, run_lock
from render.docx import render_docx
from render.html import render_site
from transform.corrections import apply_corrections, load_corrections
from transform.export import report_files
from transform.pipeline import file_sha256, read_report
from transform.records import AppliedCorrection, BuildInfo, Report
from transform.validation.model import ValidationReport
from transform.validation.output import validation_files
from transform.validation.run import validate_report

EDITORIAL = PROJECT_ROOT / "editorial"


@cache
def _code_digest() -> str:
    """Hash of the extraction and transform code: a new version must not reuse old records."""
    digest = hashlib.sha256()
    for package in ("extract", "transform"):
        for path in sorted((PROJECT_ROOT / package).rglob("*.py")):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


@dataclass
class SourceContent(CachePolicy):
    """Cache key: the content of the file named by a task argument (not its path or mtime), and
    the code that reads it."""

    param: str = "source"

    def compute_key(self, task_ctx: Any, inputs: dict[str, Any], flow_parameters: Any, **kwargs: Any) -> str:
        return f"source-{file_sha256(Path(inputs[self.param]))}-code-{_code_digest()}"


@task(cache_policy=SourceContent() + TASK_SOURCE, cache_expiration=timedelta(days=90))
def extract(source: str) -> Report:
    """PDF → checked records (the expensive stage; cached by content)."""
    logging.getLogger("pdfminer").setLevel(logging.ERROR)  # font quirks are not run problems
    report = read_report(Path(source))
    get_run_logger().info(
        "extracted %d cases, %d tables, %d citations from %d pages",
        len(report.cases),
        len(report.tables),
        len(report.citations),
        report.page_count,
    )
    return report


@task
def correct(report: Report, corrections: str) -> tuple[Report, list[AppliedCorrection]]:
    """Apply the editors' corrections file; an entry that does not match is an error."""
    fixed, applied = apply_corrections(report, load_corrections(Path(corrections)))
    get_run_logger().info("applied %d corrections from %s", len(applied), corrections)
    return fixed, applied


@task
def validate(report: Report, codebook: str, reviewed: str) -> ValidationReport:
    """Chapter 3's counts and the cross-references against the records."""
    vr = validate_report(report, Path(codebook), Path(reviewed) if reviewed else None)
    get_run_logger().info("validation: %s", vr.summary())
    return vr


@task
def render(
    report: Report, validation: ValidationReport, corrections: list[AppliedCorrection], build: BuildInfo
) -> dict[str, bytes]:
    """casebook.docx and the static site, as files relative to the build folder."""
    files = {"casebook.docx": render_docx(report, validation, corrections, build)}
    files |= {
        f"html/{name}": data for name, data in render_site(report, validation, corrections, build).items()
    }
    get_run_logger().info("rendered casebook.docx and %d site files", len(files) - 1)
    return files


# Publishing only moves folders on the local disk; a retry helps with a transient filesystem
# error (a busy network share), not with anything the build itself got wrong.
@task(retries=2, retry_delay_seconds=1)
def publish_build(output: str, staging: str, ident: str, switch_latest: bool, keep: int) -> str:
    """Move the staged build into builds/ and (for a good build) switch `latest` to it."""
    final = publish(Path(output), Path(staging), ident, switch_latest=switch_latest, keep=keep)
    get_run_logger().info("published %s%s", final, " (now latest)" if switch_latest else "")
    return str(final)


@flow(name="build-casebook", log_prints=True)
def build_casebook(
    source: str = str(DEFAULT_SOURCE),
    output_dir: str = str(DEFAULT_OUTPUT),
    strict: bool = False,
    edition: str | None = None,
    keep: int = 5,
    corrections: str = str(EDITORIAL / "corrections.yaml"),
    codebook: str = str(EDITORIAL / "codebook.yaml"),
    reviewed: str = str(EDITORIAL / "reviewed_codings.yaml"),
    lock_wait: float = 600.0,
) -> State:
    """Regenerate the casebook from `source` and publish it under `output_dir`."""
    logger = get_run_logger()
    output = Path(output_dir).resolve()
    source_path = Path(source).resolve()
    with run_lock(output, wait_seconds=lock_wait):
        previous = latest_build(output)
        staging = new_staging(output)
        report = extract(str(source_path))
        fixed, applied = correct(report, corrections)
        vr = validate(fixed, codebook, reviewed)
        now = datetime.now(UTC)
        info = BuildInfo(edition, now.isoformat(timespec="seconds"), source_path.name, report.sha256)
        changes = compare(previous, fixed, vr, applied)
        files = render(fixed, vr, applied, info)
        files |= report_files(fixed) | validation_files(vr, fixed, casebook_base="html/")
        files |= change_files(changes)
        summary = vr.summary()
        good = summary["error"] == 0 and not (strict and summary["mismatch"])
        files["build.json"] = _build_json(info, summary, applied, good)
        _write(staging, files)
        final = Path(publish_build(str(output), str(staging), build_id(now, report.sha256), good, keep))
    logger.info(changes.summary())
    _artifacts(vr, changes, final, good, strict)
    return _final_state(summary, strict, final)


def _write(staging: Path, files: dict[str, bytes]) -> None:
    for rel, data in files.items():
        target = staging / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)


def _build_json(
    info: BuildInfo, summary: dict[str, int], applied: list[AppliedCorrection], good: bool
) -> bytes:
    data = {
        "build": asdict(info),
        "validation": summary,
        "published_as_latest": good,
        "corrections": [asdict(c) for c in applied],
    }
    return (json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _final_state(summary: dict[str, int], strict: bool, final: Path) -> State:
    passed, review, errors = summary["pass"], summary["mismatch"], summary["error"]
    message = f"{passed} checks passed, {review} need review"
    if errors:
        return Failed(
            message=f"{errors} checks are errors (records cannot be trusted); {message}. "
            f"Build kept at {final}; latest unchanged"
        )
    if strict and review:
        return Failed(message=f"strict: {review} checks need review; build kept at {final}; latest unchanged")
    return Completed(message=message)


def _artifacts(vr: ValidationReport, changes: ChangeReport, final: Path, good: bool, strict: bool) -> None:
    """Stable-keyed artifacts for the Prefect UI: checks table, run summary, links to outputs."""
    create_table_artifact(
        key="validation-checks",
        table=[
            {
                "id": c.id,
                "title": c.title,
                "status": c.status,
                "stated": None if c.stated is None else str(c.stated.value),
                "page": None if c.stated is None else c.stated.page,
                "derived": str(c.derived),
                "basis": c.derived_basis,
            }
            for c in vr.checks
        ],
        description="Chapter 3 counts and cross-references: stated vs derived",
    )
    s = vr.summary()
    lines = [
        "# 事例集ビルド",
        "",
        f"- status: **{'published as latest' if good else 'not published as latest'}**"
        + (" (strict)" if strict else ""),
        f"- checks: {s['pass']} pass, {s['mismatch']} mismatch, {s['error']} error",
        f"- changes: {changes.summary()}",
        f"- build folder: `{final}`",
    ]
    lines += [
        f"- 事例{c.no}: steps {', '.join(str(st.step) for st in c.steps)} changed"
        for c in changes.cases_changed
    ]
    create_markdown_artifact(key="build-summary", markdown="\n".join(lines), description="Casebook build")
    for key, rel, text in (
        ("casebook-docx", "casebook.docx", "casebook.docx (Word)"),
        ("casebook-html", "html/index.html", "casebook site (HTML)"),
        ("validation-report", "validation.html", "validation report (QA)"),
        ("change-report", "changes.html", "changes since the previous build"),
    ):
        create_link_artifact(key=key, link=(final / rel).as_uri(), link_text=text)
