"""The audit log as a hash chain: each event stores the hash of the one before it and a hash
of its own fields with that link, so a changed, removed or inserted event shows.

The model seals events as they are flushed (``seal``); ``narrative-service audit verify``
walks the log and names the first broken link (``first_broken_link``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection

from ..timeutil import as_utc, utcnow

# The link the first event points back to.
GENESIS = "0" * 64

# Taken for the rest of the transaction before the last hash is read, so two transactions
# on PostgreSQL never both extend the chain from the same event. Any fixed number will do;
# this one is the ASCII of "audit" (0x6175646974).
CHAIN_LOCK = 418_581_342_580


@dataclass(frozen=True)
class BrokenLink:
    event_id: int
    problem: str


@dataclass(frozen=True)
class Walk:
    """What a walk along the chain found: how many events it read, the first broken link
    (reading stops there), and the newest event with its hash when none was broken."""

    count: int
    broken: BrokenLink | None = None
    last_id: int | None = None
    last_hash: str | None = None


def canonical_time(moment: datetime) -> str:
    """The time in UTC to the microsecond, as both databases store it."""
    return as_utc(moment).astimezone(UTC).isoformat(timespec="microseconds")


def canonical_detail(detail: Any) -> Any:
    """The detail as it reads back from the JSON column (tuples become lists, keys strings)."""
    return json.loads(json.dumps(detail if detail is not None else {}))


def event_hash(
    *,
    id: int,
    at: datetime,
    user_id: int | None,
    action: str,
    object_type: str | None,
    object_id: int | None,
    detail: Any,
    previous_hash: str,
) -> str:
    """SHA-256, in hex, of the event's own fields and the hash of the event before it."""
    fields = {
        "id": id,
        "at": canonical_time(at),
        "user_id": user_id,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "detail": canonical_detail(detail),
        "previous_hash": previous_hash,
    }
    serialised = json.dumps(fields, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
    return hashlib.sha256(serialised.encode("ascii")).hexdigest()


# The event's own fields that its hash covers, besides the link to the one before.
CHAINED_FIELDS = ("id", "at", "user_id", "action", "object_type", "object_id", "detail")


def hash_of(event: Any, previous_hash: str) -> str:
    """event_hash of anything with the chained fields as attributes: an event, or a row."""
    fields = {name: getattr(event, name) for name in CHAINED_FIELDS}
    return event_hash(**fields, previous_hash=previous_hash)


def _hold_the_chain(connection: Connection) -> None:
    """Make this transaction the only one extending the chain until it ends."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": CHAIN_LOCK})
    elif connection.dialect.name == "sqlite":
        # The driver runs a SELECT outside any transaction and begins one only at the first
        # write; so take the write lock first, or another writer could append between our
        # reading the last hash and our insert. A transaction that has written already
        # holds it.
        driver = connection.connection.driver_connection
        if not driver.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def _next_id(connection: Connection, last_id: int) -> int:
    if connection.dialect.name == "postgresql":
        return connection.execute(
            text("SELECT nextval(pg_get_serial_sequence('audit_events', 'id'))")
        ).scalar_one()
    return last_id + 1


def seal(connection: Connection, events: list) -> None:
    """Give new events, in order, their id, time, link and hash, inside the transaction
    that inserts them. ``events`` are AuditEvent objects not yet in the database."""
    _hold_the_chain(connection)
    last = connection.execute(
        text("SELECT id, hash FROM audit_events ORDER BY id DESC LIMIT 1")
    ).first()
    last_id, previous = (last.id, last.hash) if last else (0, GENESIS)
    for event in events:
        last_id = _next_id(connection, last_id)
        event.id = last_id
        event.at = as_utc(event.at or utcnow()).astimezone(UTC)
        event.detail = canonical_detail(event.detail)
        event.previous_hash = previous
        event.hash = hash_of(event, previous)
        previous = event.hash


def first_broken_link(rows: Iterable[Any]) -> Walk:
    """Walk events in id order, recomputing each hash.

    Each row has the event's columns as attributes. A row whose own hash no longer matches
    its fields was changed; a row whose link does not match the hash of the row before it
    follows a removed event, or one changed and given a new hash. Removing the newest
    events leaves no broken link: only a copy of the last hash, kept elsewhere, shows it.
    """
    count = 0
    before_id, before_hash = None, GENESIS
    for row in rows:
        count += 1
        recomputed = hash_of(row, row.previous_hash or "")
        if row.hash != recomputed:
            problem = (
                "its own fields have changed since it was recorded (they no longer match its hash)."
            )
            return Walk(count, BrokenLink(row.id, problem))
        if row.previous_hash != before_hash:
            if before_id is None:
                problem = (
                    "it is the first event but links to an earlier one, "
                    "so the events before it are missing."
                )
            else:
                problem = (
                    f"its link does not match event {before_id} before it, so an event between "
                    f"them is missing, or event {before_id} was changed and given a new hash."
                )
            return Walk(count, BrokenLink(row.id, problem))
        before_id, before_hash = row.id, row.hash
    return Walk(count, None, before_id, None if before_id is None else before_hash)
