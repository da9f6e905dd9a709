"""Validation: Chapter 3's stated counts and the report's cross-references against the records."""
