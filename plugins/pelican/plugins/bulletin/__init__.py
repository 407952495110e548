"""Bulletin: a Pelican plugin for a unit's Vietnamese news bulletin (unit, term and date indexes)."""

from .plugin import register

__all__ = ["register"]
