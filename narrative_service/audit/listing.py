"""Reading the log: the filters the list page and the CSV export share, and the export's rows.

Nothing here changes an event.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Select, false, func, select
from sqlalchemy.orm import joinedload

from ..extensions import db
from .chain import canonical_time
from .models import AuditEvent
from .rules import ACTIONS

RECORD_TYPE = re.compile(r"[A-Za-z]\w{0,39}")

EXPORT_HEADINGS = (
    "When (UTC)",
    "Who",
    "Action",
    "Action description",
    "Record type",
    "Record id",
    "Detail",
    "Hash",
)


@dataclass
class Filters:
    """The filters a person chose, from the page's query string; anything malformed is
    left out (an unknown record type matches nothing)."""

    query: Select
    applied: dict[str, Any] = field(default_factory=dict)


def _parse_day(value: str) -> date | None:
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def filtered_events(args: Mapping[str, str]) -> Filters:
    """Events matching the filters action, user, object_type, object_id, from and to
    (days, both included); not yet ordered."""
    query = select(AuditEvent)
    applied: dict[str, Any] = {}
    action = args.get("action", "")
    if action in ACTIONS:
        query = query.where(AuditEvent.action == action)
        applied["action"] = action
    user_id = args.get("user", "")
    if user_id.isdigit():
        query = query.where(AuditEvent.user_id == int(user_id))
        applied["user"] = int(user_id)
    object_type = args.get("object_type", "")
    if object_type:
        if RECORD_TYPE.fullmatch(object_type):
            query = query.where(AuditEvent.object_type == object_type)
            applied["object_type"] = object_type
        else:
            query = query.where(false())
    object_id = args.get("object_id", "")
    if object_id.isdigit():
        query = query.where(AuditEvent.object_id == int(object_id))
        applied["object_id"] = int(object_id)
    since, until = _parse_day(args.get("from", "")), _parse_day(args.get("to", ""))
    if since:
        query = query.where(AuditEvent.at >= datetime.combine(since, time.min))
        applied["from"] = since.isoformat()
    if until:
        query = query.where(AuditEvent.at < datetime.combine(until + timedelta(days=1), time.min))
        applied["to"] = until.isoformat()
    return Filters(query, applied)


@dataclass
class Export:
    """The events an export will hold: those matching when it was asked for, no later ones
    (its own audit event among them)."""

    query: Select
    rows: int


def prepare_export(filters: Filters) -> Export:
    last_id = db.session.scalar(select(func.max(AuditEvent.id))) or 0
    query = filters.query.where(AuditEvent.id <= last_id)
    rows = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    return Export(query.order_by(AuditEvent.id), rows)


def _who(event: AuditEvent) -> str:
    if event.user is None:
        return "system"
    return f"{event.user.name} <{event.user.email}>"


def export_rows(export: Export) -> Iterator[tuple]:
    """The headings, then one row per event, oldest first, read a thousand at a time."""
    yield EXPORT_HEADINGS
    query = export.query.options(joinedload(AuditEvent.user)).execution_options(yield_per=1000)
    for event in db.session.scalars(query):
        yield (
            canonical_time(event.at),
            _who(event),
            event.action,
            ACTIONS.get(event.action, event.action),
            event.object_type or "",
            "" if event.object_id is None else event.object_id,
            json.dumps(event.detail or {}, sort_keys=True, ensure_ascii=False),
            event.hash,
        )
