"""Typed errors for input the extractor cannot use. Each message says what, where and what to do."""

from __future__ import annotations

from pathlib import Path


class ExtractionError(Exception):
    """Base class: the input cannot be turned into records."""

    def __init__(self, path: Path | str, problem: str, remedy: str) -> None:
        self.path = str(path)
        self.problem = problem
        self.remedy = remedy
        super().__init__(f"{self.path}: {problem} — {remedy}")

    def __reduce__(self) -> tuple[type, tuple[str, str, str]]:
        # Raised in a worker process and re-raised in the parent: pickle the three parts, not
        # the formatted message (the default would call __init__ with one argument and fail).
        return type(self), (self.path, self.problem, self.remedy)


class NotAPdfError(ExtractionError):
    """The file is not a PDF at all (wrong header)."""


class DamagedPdfError(ExtractionError):
    """The file claims to be a PDF but cannot be parsed (truncated or corrupt)."""


class EncryptedPdfError(ExtractionError):
    """The PDF is password-protected."""


class NoTextLayerError(ExtractionError):
    """The PDF has pages but no extractable text (a scan)."""


class NotThisReportError(ExtractionError):
    """The PDF has text but no case tables of the expected shape."""


class CaseTableError(ExtractionError):
    """A case table was found but could not be parsed; names the case and page."""
