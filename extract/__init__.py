"""Extraction: the source PDF → page layouts → report regions → raw case tables and other tables.

Nothing here normalises text or writes files; `transform/` turns the raw values into records.
"""
