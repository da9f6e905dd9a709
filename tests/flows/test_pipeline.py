"""The one pipeline (flows/pipeline.py): the records read back from report.json are the records
extracted; every path applies the same errata, files and date; entry points go through it."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from casebook.errors import EditorialError, MissingFileError, SourceError
from flows import pipeline
from flows.cli import main
from flows.editorial import from_values, load_table_settings
from tests.paths import PROJECT, PROJECT_ROOT
from transform.export import report_to_dict
from transform.records import Report


@pytest.fixture(scope="module")
def report_json(report: Report, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The report.json `casebook extract` writes for the shipped PDF."""
    path = tmp_path_factory.mktemp("extract") / "report.json"
    path.write_bytes(pipeline.data_files(report)["report.json"])
    return path


def test_report_json_reads_back_as_the_extracted_records(report: Report, report_json: Path) -> None:
    again = pipeline.read_source(report_json)
    assert report_to_dict(again) == report_to_dict(report)
    assert again.cases[0].steps[0].sections[0].items[0].text == report.cases[0].steps[0].sections[0].items[0].text


def test_validate_reads_report_json_and_applies_the_errata_as_a_build_does(
    report_json: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    review = ["--no-qa-decisions"]
    assert main(["validate", str(report_json), "--out", str(tmp_path / "a"), "--quiet", *review]) == 0
    corrected = json.loads((tmp_path / "a" / "validation.json").read_text(encoding="utf-8"))
    assert main(["validate", str(report_json), "--out", str(tmp_path / "b"), "--quiet", "--no-corrections",
                 *review]) == 0
    raw = json.loads((tmp_path / "b" / "validation.json").read_text(encoding="utf-8"))
    # The shipped errata correct the report's seven defects and the typos the proofreading finds: the
    # findings stay, closed as corrected (the raw text's typo in a credit is one finding with it).
    assert (len(corrected["checks"]), len(raw["checks"])) == (142, 142)
    assert (corrected["summary"]["high"], corrected["summary"]["medium"], corrected["summary"]["corrected"]) == (0, 3, 17)
    assert (raw["summary"]["high"], raw["summary"]["corrected"]) == (7, 0)
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("32 open findings (要対応 0, 要確認 3, 参考 29; new 32, reopened 0), 0 decided, 17 corrected")
    assert "; 19 corrections → " in out[0] and "; 0 corrections → " in out[1]


def test_a_build_s_corrected_records_are_not_corrected_twice(report: Report, tmp_path: Path) -> None:
    corrected = pipeline.correct(report, PROJECT.editorial.corrections)
    with pytest.raises(EditorialError, match=r"already carry 19 corrections .* no errata \(--no-corrections\)"):
        pipeline.correct(corrected.report, PROJECT.editorial.corrections)
    again = pipeline.correct(corrected.report, None)  # --no-corrections: the records as the build left them
    assert again.report is corrected.report
    assert [c.new for c in again.applied] == [c.new for c in corrected.applied]  # the appendix still lists them


def test_a_file_that_is_not_a_report_json_is_one_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "report.json"
    bad.write_text('{"cases": []}', encoding="utf-8")
    with pytest.raises(SourceError) as info:
        pipeline.read_source(bad)
    assert str(info.value).startswith(f"{bad}: not a report.json written by `casebook extract` (")
    assert str(info.value).endswith("— pass the report's PDF, or the report.json of `casebook extract --out DIR`")


def test_missing_editorial_files_fail_before_reading(tmp_path: Path) -> None:
    """QA's decision file too: a path that does not exist is a mistake, never "nothing decided"."""
    with pytest.raises(MissingFileError, match=re.escape(f"{tmp_path / 'cb.yaml'}: codebook file not found — check "
                                                         "the path given as --codebook (-p codebook=…)")):
        replace(PROJECT.editorial, codebook=tmp_path / "cb.yaml").check()
    with pytest.raises(MissingFileError, match=re.escape(
            f"{tmp_path / 'not-yet.yaml'}: QA decisions file not found — check the path given as --qa-decisions "
            "(-p qa_decisions=…) or in casebook.toml, or leave it out (--no-qa-decisions, -p qa_decisions=none)")):
        replace(PROJECT.editorial, qa_decisions=tmp_path / "not-yet.yaml").check()
    with pytest.raises(MissingFileError, match="leave it out"):
        replace(PROJECT.editorial, table_settings=tmp_path / "t.yaml").check()


def test_given_paths_resolve_against_the_caller_s_folder_others_are_the_project_s(tmp_path: Path) -> None:
    editorial = from_values({"codebook": "cb.yaml", "corrections": "none"}, PROJECT.editorial, tmp_path)
    assert (editorial.codebook, editorial.corrections, editorial.reviewed_codings) == (
        tmp_path / "cb.yaml", None, PROJECT_ROOT / "editorial" / "reviewed_codings.yaml")
    with pytest.raises(EditorialError, match="codebook: the codebook file cannot be left out"):
        from_values({"codebook": "none"}, PROJECT.editorial, tmp_path)


def test_a_build_is_dated_in_japan_time_whatever_the_machine_s_zone() -> None:
    # 20:30 UTC on 3 December is 05:30 on 4 December in Japan: the cover prints the 4th.
    utc = datetime(2026, 12, 3, 20, 30, tzinfo=UTC)
    info = pipeline.build_info("第2版", Path("/x/report.pdf"), "ab" * 32, now=utc)
    when = datetime.fromisoformat(info.built_at)
    assert when.utcoffset() == timedelta(hours=9) and when == utc
    assert (when.date().isoformat(), info.edition, info.source_name) == ("2026-12-04", "第2版", "report.pdf")


# The stages' own functions, which only flows/pipeline.py may call: an entry point calling one of
# them directly is a second wiring of the pipeline.
STAGE_INTERNALS = ("extract_report", "build_report", "apply_corrections", "load_corrections", "validate_report",
                   "explain_corrections", "render_print", "render_site", "report_files", "BuildInfo(")
ENTRY_POINTS = ("flows/build.py", "flows/commands/extract.py", "flows/commands/validate.py",
                "flows/commands/render.py", "flows/commands/build.py", "flows/progress.py", "bench/build.py")
# The stages a plan puts in order (flows/pipeline.py `Plan.run`, `Stages`).
STAGES = {"read_source", "extract_pdf", "extract", "correct", "validate", "explain", "render"}


@pytest.mark.parametrize("entry_point", ENTRY_POINTS)
def test_entry_points_go_through_the_pipeline(entry_point: str) -> None:
    source = (PROJECT_ROOT / entry_point).read_text(encoding="utf-8")
    assert [name for name in STAGE_INTERNALS if name in source] == []
    assert "pipeline" in source or "Plan" in source


def _callers_of_two_stages(path: Path) -> list[str]:
    """Functions of `path` that call two or more stages themselves: each composes the pipeline."""
    import ast

    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        called = {
            call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
            for call in ast.walk(node) if isinstance(call, ast.Call)
        }
        if len(called & STAGES) >= 2:
            found.append(f"{path.relative_to(PROJECT_ROOT)} {node.name} calls {sorted(called & STAGES)}")
    return found


def test_one_place_composes_the_stages() -> None:
    """Plan.run is the only function that calls more than one stage; the flow, every command and every
    benchmark run a plan (with their own Stages to time them or run them as tasks)."""
    files = [*sorted((PROJECT_ROOT / "flows").rglob("*.py")), *sorted((PROJECT_ROOT / "bench").glob("*.py"))]
    composers = [line for path in files for line in _callers_of_two_stages(path)]
    assert composers == ["flows/pipeline.py run calls ['correct', 'explain', 'extract', 'render', 'validate']"]


def test_a_bad_table_settings_file_fails_the_check_before_any_reading(tmp_path: Path) -> None:
    settings = tmp_path / "settings.yaml"
    settings.write_text("column_gapp: 1\n", encoding="utf-8")
    with pytest.raises(EditorialError, match=re.escape(f"{settings}: bad table settings: unknown table settings "
                                                       "['column_gapp']; known: ['column_gap_em',")):
        replace(PROJECT.editorial, table_settings=settings).check()
    settings.write_text("column_gap_em: 0.8\n", encoding="utf-8")
    replace(PROJECT.editorial, table_settings=settings).check()
    assert load_table_settings(settings).column_gap_em == 0.8
