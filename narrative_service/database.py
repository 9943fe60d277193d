"""Database settings that differ by engine."""

from sqlalchemy import event
from sqlalchemy.engine import Engine


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
