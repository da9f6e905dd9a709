"""Typed errors for input the extractor cannot use. Each message says what, where and what to do."""

from __future__ import annotations

from casebook.errors import SourceError


class ExtractionError(SourceError):
    """Base class of the extractor's errors: the input cannot be turned into records."""


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
