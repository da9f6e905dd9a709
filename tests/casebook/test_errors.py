"""One error hierarchy: every error a user can act on is a CasebookError, its type gives the exit
code, and the command line prints it as one line."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

from casebook.errors import (
    CasebookError,
    EditorialError,
    ErrorChecksError,
    LockTimeoutError,
    OpenFindingsError,
    PublishError,
    RecordError,
    RenderError,
    ServerStartError,
    SourceError,
)
from extract.errors import CaseTableError, NotAPdfError
from flows.cli import main
from flows.editorial import TableSettingsError
from flows.failures import StageFailed, user_error
from render.office import OfficeError
from transform.corrections import CorrectionError
from transform.validation.coding import CodebookError
from transform.validation.review import ReviewFileError


@pytest.mark.parametrize(("error", "family"), [
    (NotAPdfError, SourceError), (CaseTableError, SourceError), (RecordError, CasebookError),
    (CorrectionError, EditorialError), (CodebookError, EditorialError), (ReviewFileError, EditorialError),
    (TableSettingsError, EditorialError), (OfficeError, RenderError), (PublishError, CasebookError),
    (LockTimeoutError, CasebookError), (ServerStartError, CasebookError), (ErrorChecksError, CasebookError),
])
def test_every_user_error_is_a_casebook_error_with_exit_code_2(error: type, family: type) -> None:
    assert issubclass(error, family) and issubclass(error, CasebookError)
    assert error.exit_code == 2 and error.kind == "error"


def test_open_findings_exit_1_and_are_not_called_an_error() -> None:
    assert (OpenFindingsError.exit_code, OpenFindingsError.kind) == (1, "needs review")


def test_a_failed_stage_keeps_the_exit_code_and_kind_of_its_cause() -> None:
    failed = StageFailed("validate", OpenFindingsError("3 open findings need review"))
    assert (str(failed), failed.exit_code, failed.kind) == ("validate: 3 open findings need review", 1, "needs review")
    assert StageFailed("extract", NotAPdfError("a.pdf", "not a PDF", "pass the PDF")).exit_code == 2


def test_errors_survive_pickling_between_processes() -> None:
    """Extraction raises in worker processes, Prefect pickles a Failed state's error."""
    source = NotAPdfError("/x/a.pdf", "not a PDF (no %PDF- header)", "pass the report's PDF file")
    again = pickle.loads(pickle.dumps(StageFailed("extract", source)))
    assert str(again) == "extract: /x/a.pdf: not a PDF (no %PDF- header) — pass the report's PDF file"
    assert isinstance(again.error, NotAPdfError) and again.error.path == "/x/a.pdf"


def test_message_is_one_line() -> None:
    assert CorrectionError("corrections.yaml: line 3:\n  bad  indent").message == "corrections.yaml: line 3: bad indent"


def test_the_user_error_behind_a_wrapped_exception_is_found() -> None:
    cause = LockTimeoutError("output: another build is running")
    try:
        try:
            raise cause
        except LockTimeoutError as exc:
            raise RuntimeError("engine") from exc
    except RuntimeError as wrapped:
        assert user_error(wrapped) is cause
    assert user_error(ValueError("a bug")) is None


def test_the_command_line_prints_one_line_and_exits_with_the_type_s_code(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "validation.json"
    assert main(["review", "--accept-all", "--by", "QA", "--validation", str(missing),
                 "--review", str(tmp_path / "review.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"casebook review: error: {missing}: no such file — ")
    assert err.endswith("— run `casebook validate` or `casebook build` first, or name the file with --validation\n")
    assert err.count("\n") == 1 and not (tmp_path / "review.yaml").exists()
