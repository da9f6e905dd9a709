"""Failures an editor can act on: one line each — what, which file, what to do — in the CLI, in
the flow run's state and in every log (the terminal's, the worker's, the server's), never a
Prefect traceback.

A stage that meets such an error fails the run with `StageFailed` ("<stage>: <message>").
Prefect's engine would still log the exception with its traceback, once for the task and, in a
worker's flow-run process, once more for the failed flow ("Engine execution exited with
unexpected exception"); `OneLineFailures` turns those records into one line. A bug (any other
exception) keeps its traceback: that one is for the developers.

Every record of a user error is marked (`USER_ERROR`). `quiet_console()` (`casebook build
--quiet`) keeps those off the terminal — the command prints the error as its last line, once —
while the run's log on the server keeps them.
"""

from __future__ import annotations

import logging

from casebook.errors import CasebookError, one_line


class StageFailed(CasebookError):
    """A stage of the build failed with a user error; str() is the one line for the editor,
    the exit code that of the error."""

    def __init__(self, stage: str, error: CasebookError) -> None:
        super().__init__(f"{stage}: {error.message}")
        self.stage = stage
        self.error = error

    @property
    def exit_code(self) -> int:  # type: ignore[override]
        return self.error.exit_code

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.error.kind

    def __reduce__(self) -> tuple[type, tuple[str, CasebookError]]:
        return type(self), (self.stage, self.error)


def user_error(exc: BaseException | None) -> CasebookError | None:
    """The user error behind `exc` (itself, or what it was raised from), if there is one."""
    while exc is not None:
        if isinstance(exc, CasebookError):
            return exc
        exc = exc.__cause__
    return None


class OneLineFailures(logging.Filter):
    """Turn Prefect's records of a user error into one line without a traceback.

    - a task's "Task run failed with exception: …" with the traceback → the error's one line;
    - that task's "Finished in state Failed(…)" that repeats it as a repr → dropped;
    - "Engine execution exited with unexpected exception" for a flow run that returned its
      Failed state deliberately (a FailedRun, message already logged by the flow) → dropped.
    """

    def __init__(self) -> None:
        super().__init__()
        self._failed_tasks: set[str] = set()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            return self._filter(record)
        except Exception:  # a log filter must never break the run it logs
            return True

    def _filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        task_run = str(getattr(record, "task_run_id", ""))
        if exc is not None and (cause := user_error(exc)) is not None:
            record.msg, record.args = one_line(cause), ()
            record.exc_info, record.exc_text = None, None
            setattr(record, USER_ERROR, True)
            if task_run:
                self._failed_tasks.add(task_run)
            return True
        if isinstance(record.args, tuple) and any(isinstance(a, CasebookError) for a in record.args):
            setattr(record, USER_ERROR, True)  # the flow's own line for a failed stage
        if exc is not None and _deliberate_failure(exc):
            return False
        if task_run in self._failed_tasks and record.getMessage().startswith("Finished in state Failed"):
            self._failed_tasks.discard(task_run)
            return False
        return True


def _deliberate_failure(exc: BaseException) -> bool:
    from prefect.exceptions import FailedRun

    return isinstance(exc, FailedRun)


USER_ERROR = "casebook_user_error"  # set on a log record that reports a user error


class QuietConsole(logging.Filter):
    """Keeps the records of user errors off a console handler (the command prints the error)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not getattr(record, USER_ERROR, False)


_FILTER = OneLineFailures()
_QUIET = QuietConsole()


def install() -> None:
    """Attach the filter to the loggers of Prefect's run engine (idempotent).

    Called when flows.build is imported: by `casebook build`, and by a worker's or serve's
    flow-run process when it loads the flow, before the engine logs anything.
    """
    for name in ("prefect.task_runs", "prefect.flow_runs"):
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)


def quiet_console() -> None:
    """Keep user errors off Prefect's console handlers (after Prefect has set up its logging)."""
    from prefect.logging.handlers import PrefectConsoleHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, PrefectConsoleHandler) and _QUIET not in handler.filters:
            handler.addFilter(_QUIET)
