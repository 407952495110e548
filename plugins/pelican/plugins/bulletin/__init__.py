"""Bulletin: a Pelican plugin for a unit's Vietnamese news bulletin (unit, term and date indexes)."""


def register() -> None:
    """Connect the plugin to Pelican's signals (plugin.py). Imported only when Pelican calls this, so a worker process
    that needs one module (the search index's, the photos') does not import the whole plugin and Pelican with it."""
    from .plugin import register as connect

    connect()


__all__ = ["register"]
