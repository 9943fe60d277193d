"""What withdrawal of consent erases: the one place every feature registers its copies.

Each feature that holds anything about a narrative registers, when the app is created, a
Holding: its tables and the columns it erases, the columns it keeps and why, and the
function that erases its copies (connected to signals.narrative_withdrawn). Withdrawal
(narratives.withdrawal.withdraw) calls erase(), which returns what was erased as counts.

tests/test_erasure_registry.py walks the database metadata and fails on any text column of
a table about a narrative that no Holding names, so a new column cannot be forgotten.

Erased rows must also leave the files: SQLite runs with secure_delete (freed space is
overwritten), and once the erasure commits its write-ahead log is checkpointed and
truncated. On PostgreSQL the affected tables are vacuumed by the worker; what physical
removal needs beyond that (VACUUM FULL, backups, WAL archives) is in the README.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.orm import Session

from .extensions import db
from .jobs import SHORT_JOB, app_context, huey
from .signals import narrative_withdrawn

log = logging.getLogger(__name__)

Counts = dict[str, int]
Eraser = Callable[..., Counts]

_SCRUB = "erasure.scrub_tables"
_FILES = "erasure.files_to_delete"


@dataclass(frozen=True)
class Holding:
    """What one feature holds about a narrative and what becomes of it on withdrawal.

    erased: {table: (column, ...)} whose values are erased or whose rows are deleted.
    kept: {table: {column: why it is kept}}: never the person's words.
    """

    feature: str
    erased: dict[str, tuple[str, ...]] = field(default_factory=dict)
    kept: dict[str, dict[str, str]] = field(default_factory=dict)
    files: str = ""


_holdings: dict[str, Holding] = {}
_erasers: dict[str, Eraser] = {}


def register(holding: Holding, eraser: Eraser | None = None) -> None:
    """Declare a feature's holding and connect the function that erases it (called once per
    app; registering the same feature again replaces its entry)."""
    _holdings[holding.feature] = holding
    previous = _erasers.pop(holding.feature, None)
    if previous is not None:
        narrative_withdrawn.disconnect(previous)
    if eraser is not None:
        _erasers[holding.feature] = eraser
        narrative_withdrawn.connect(eraser, weak=False)


def holdings() -> list[Holding]:
    return list(_holdings.values())


def declared_columns() -> dict[tuple[str, str], str]:
    """{(table, column): "erased" or the reason it is kept}, across every feature."""
    columns: dict[tuple[str, str], str] = {}
    for holding in _holdings.values():
        for table, names in holding.erased.items():
            columns.update({(table, name): "erased" for name in names})
        for table, reasons in holding.kept.items():
            columns.update({(table, name): reason for name, reason in reasons.items()})
    return columns


def _gather(narrative, *, dry_run: bool) -> Counts:
    counts: Counts = {}
    for _receiver, result in narrative_withdrawn.send(narrative, dry_run=dry_run):
        for what, number in (result or {}).items():
            counts[what] = counts.get(what, 0) + number
    return counts


def preview(narrative) -> Counts:
    """What erase() would erase, counted, with nothing changed."""
    return _gather(narrative, dry_run=True)


def erase(narrative) -> Counts:
    """Erase every copy the features hold of this narrative's content; the caller commits.

    Returns {what: how many}, every registered feature's counts together.
    """
    counts = _gather(narrative, dry_run=False)
    tables = {table for holding in _holdings.values() for table in holding.erased}
    db.session().info.setdefault(_SCRUB, set()).update(tables)
    return counts


def delete_files_after_commit(paths) -> None:
    """Delete these files once the erasure commits: a failed commit deletes nothing, so the
    record and its files never disagree."""
    db.session().info.setdefault(_FILES, []).extend(paths)


# ------------------------------------------------------------------ leaving the files


@event.listens_for(Session, "after_commit")
def _scrub_after_commit(session: Session) -> None:
    for path in session.info.pop(_FILES, ()):
        try:
            path.unlink(missing_ok=True)
        except OSError:
            log.exception("An erased file could not be deleted")
    tables = session.info.pop(_SCRUB, None)
    if tables:
        scrub_storage(sorted(tables))


@event.listens_for(Session, "after_transaction_end")
def _forget_without_commit(session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended (after_commit ran first)
        session.info.pop(_SCRUB, None)
        session.info.pop(_FILES, None)


def scrub_storage(tables: list[str]) -> None:
    """After an erasure commits, take the erased bytes out of the database's files."""
    engine = db.engine
    if engine.dialect.name == "sqlite":
        checkpoint_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        vacuum_tables(tables)


def checkpoint_sqlite(engine) -> None:
    """Copy the write-ahead log into the database and truncate it to nothing.

    secure_delete has already overwritten the freed space in the pages; the log still held
    the old pages until this. It waits (busy_timeout) for readers to finish.
    """
    with engine.connect() as connection:
        busy, _frames, _done = connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").one()
    if busy:
        log.warning("The write-ahead log could not be fully checkpointed after an erasure")


@huey.task(priority=SHORT_JOB)
def vacuum_tables(tables: list[str]) -> int:
    """PostgreSQL: vacuum the tables an erasure touched, so their dead rows are removed and
    the space is reused (VACUUM cannot run inside a transaction, hence autocommit)."""

    with app_context():
        known = set(db.metadata.tables)
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
            for table in tables:
                if table in known:  # names from the registry only, never from input
                    connection.exec_driver_sql(f'VACUUM (ANALYZE) "{table}"')
    return len(tables)
