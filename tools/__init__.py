"""Generators of the repository's generated files (each checked by a test)."""
