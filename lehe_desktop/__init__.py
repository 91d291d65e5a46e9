"""Lehe Desktop (乐和社工): offline-first records for Lehe rural social workers."""

__version__ = "0.1.0"
