"""Importing this module registers every record type, in dependency order."""

from . import people  # noqa: F401
