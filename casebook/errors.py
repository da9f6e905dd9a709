"""The errors a user can act on: one hierarchy, each type with its exit code.

The library raises them with a message that says what is wrong, where (file, case, page) and what
to do; it never prints or exits. The `casebook` command line (flows/cli.py) prints the one line
and exits with `exit_code`; the Prefect flow fails the run with the same line (flows/failures.py).
Any other exception is a bug and keeps its traceback.

    CasebookError                  exit 2
    ├── SourceError                the PDF cannot be read as this report (extract/errors.py: kinds)
    ├── RecordError                the extracted records cannot be trusted
    ├── EditorialError             an editors' file: missing, unreadable, or not applicable
    │   ├── MissingFileError
    │   └── (CorrectionError, CodebookError, ReviewFileError, TableSettingsError where raised)
    ├── RenderError                LibreOffice missing or failing
    ├── PublishError               writing the build failed (disk full, permissions)
    ├── LockTimeoutError           another build holds the output folder
    ├── ServerStartError           the temporary Prefect server did not start
    ├── ErrorChecksError           validation has error checks: publishing is blocked
    └── OpenFindingsError          exit 1: --strict and high or medium findings still open
"""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar


def one_line(exc: BaseException) -> str:
    """The exception's message on one line (YAML and schema errors span several)."""
    return " ".join(str(exc).split())


class CasebookError(Exception):
    """An error a user can act on; str() is the message (what, where, what to do)."""

    exit_code: ClassVar[int] = 2
    kind: ClassVar[str] = "error"  # how the command line introduces the message

    @property
    def message(self) -> str:
        return one_line(self)


class SourceError(CasebookError):
    """The source cannot be turned into records: `path: problem — remedy`."""

    def __init__(self, path: Path | str, problem: str, remedy: str) -> None:
        self.path = str(path)
        self.problem = problem
        self.remedy = remedy
        super().__init__(f"{self.path}: {problem} — {remedy}")

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        # Raised in a worker process and re-raised in the parent: pickle the three parts, not
        # the formatted message (the default would call __init__ with one argument and fail).
        return type(self), (self.path, self.problem, self.remedy)


class RecordError(CasebookError):
    """Raw values that cannot become valid records (names the case and page)."""


class EditorialError(CasebookError):
    """An editors' file (corrections, codebook, reviewed codings, QA decisions, proofreading
    patterns, table settings) that is missing, unreadable or does not apply."""


class MissingFileError(EditorialError):
    """A file the run was told to read does not exist (a path is never silently a default)."""


class RenderError(CasebookError):
    """The casebook could not be laid out or printed (LibreOffice missing or failing)."""


class PublishError(CasebookError):
    """Writing the build failed (disk full, permissions); names the folder and the remedy."""


class LockTimeoutError(CasebookError):
    """Another build holds the output folder's lock for longer than we were willing to wait."""


class ServerStartError(CasebookError):
    """The temporary Prefect server did not answer in time."""


class ErrorChecksError(CasebookError):
    """Validation found error checks: the records cannot be trusted, publishing is blocked."""


class OpenFindingsError(CasebookError):
    """`--strict`: high or medium findings are open or reopened. Not a failure of the tool — a
    gate QA closes with `casebook review` or by fixing the cause."""

    exit_code: ClassVar[int] = 1
    kind: ClassVar[str] = "needs review"
