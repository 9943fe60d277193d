"""Database settings that differ by engine."""

from sqlalchemy import Select, event
from sqlalchemy.engine import Engine

from .extensions import db


def enable_sqlite_pragmas(engine: Engine) -> None:
    """Foreign keys on, WAL so the worker and the web server can share the file, and
    secure_delete so the space a deleted or changed row leaves is overwritten (an erased
    narrative's words must not stay in free pages)."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, connection_record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA secure_delete=ON")
        cursor.close()


def refresh_statistics(engine: Engine) -> None:
    """Let SQLite's query planner see how the data is spread (PostgreSQL's autovacuum does this).

    Without statistics SQLite may pick a poorer index for a filtered list once the tables
    grow. The sample limit keeps this quick however large the database is.
    """
    if engine.dialect.name != "sqlite":
        return
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA analysis_limit=1000")
        connection.exec_driver_sql("ANALYZE")
        connection.commit()


def rows(query: Select) -> list:
    """The rows a query selects, as a list."""
    return list(db.session.scalars(query))
