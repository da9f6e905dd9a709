"""Final or draft: the one place a build decides which edition it publishes.

A build whose high or medium findings are still open (or reopened), or whose records have error
checks, or that was not validated at all, is a draft: every reader product says so — the cover and
first page of the Word file and the PDF, their running header, every page of the site,
validation.html and changes.html — with `casebook.vocabulary.DRAFT`. A build whose gate is clean
is the final edition and carries no mark. The rule is the strict gate of validation itself
(`transform.validation.model.blocking`), so `casebook validate --strict` exiting 0 and a final
edition are the same thing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from casebook.vocabulary import DRAFT, DRAFT_NOTE
from transform.validation.model import ValidationReport, blocking


@dataclass(frozen=True)
class Edition:
    """Whether a build is a draft, and the words that say so (empty for the final edition)."""

    draft: bool

    @property
    def mark(self) -> str:
        """「校正刷り（未確定）」 on a draft; nothing on the final edition."""
        return DRAFT if self.draft else ""

    @property
    def note(self) -> str:
        """The sentence under the mark on the cover and the first page."""
        return DRAFT_NOTE if self.draft else ""


def edition_of(summary: Mapping[str, int] | None) -> Edition:
    """The edition a validation summary (ValidationReport.summary(), or validation.json's
    `summary`) allows: final only when nothing blocks a strict run. No validation: a draft."""
    if summary is None:
        return Edition(draft=True)
    return Edition(draft=blocking(dict(summary), strict=True) is not None)


def edition(validation: ValidationReport | None) -> Edition:
    """The edition of a build with this validation (None: not validated, a draft)."""
    return edition_of(validation.summary() if validation is not None else None)
