"""Database settings that differ by engine."""

import threading
from contextlib import AbstractContextManager, nullcontext

from sqlalchemy import event
from sqlalchemy.engine import Engine

# SQLite lets one writer at a time and makes the others sleep and retry, in
# steps of up to 100 ms. Threads of one process queue on this lock instead, so
# a short write waits for a short write, not for a sleep.
_sqlite_write_lock = threading.Lock()


def enable_sqlite_pragmas(engine: Engine) -> None:
    """Foreign keys on, WAL so the worker and the web server can share the file."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()


def write_lock(engine: Engine) -> AbstractContextManager:
    """Hold while committing a short write; a no-op on servers that handle concurrency."""
    return _sqlite_write_lock if engine.dialect.name == "sqlite" else nullcontext()
