"""Validation fixtures live in tests/conftest.py (the renderers' tests use them too)."""
