"""The embedded default backend: SQLite through aiosqlite."""

from storage.sqlite.store import SqliteStorage

__all__ = ["SqliteStorage"]
