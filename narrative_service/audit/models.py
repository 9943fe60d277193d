"""The audit trail: who did what to which record, and when. Append-only.

Three guards keep it so: the ORM refuses to change or delete an event; the database itself
refuses any UPDATE, DELETE (and on PostgreSQL TRUNCATE) through triggers, made here for a
schema built from the models and by migration 0010 for one built by Alembic; and the events
form a hash chain (``chain.py``), so what gets past both still shows.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, JSON, DateTime, ForeignKey, Integer, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from ..extensions import SUBJECT_INFO, db
from ..timeutil import utcnow
from . import chain


class AuditEvent(db.Model):
    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"), index=True)
    action: Mapped[str] = mapped_column(String(60), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer, info=SUBJECT_INFO)
    # Never the content of a record: field names, counts, outcomes only.
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    # The chain: unique, so two events can never follow the same one (no fork).
    previous_hash: Mapped[str] = mapped_column(String(64), unique=True, index=True)
    hash: Mapped[str] = mapped_column(String(64))

    user = relationship("User")


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditLogIsAppendOnly("Audit events cannot be changed.")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditLogIsAppendOnly("Audit events cannot be deleted.")


@event.listens_for(Session, "before_flush")
def _seal_new_events(session, flush_context, instances):
    """Chain the events about to be inserted, in the order they were recorded."""
    new = [obj for obj in session.new if isinstance(obj, AuditEvent)]
    if not new:
        return
    new.sort(key=lambda obj: inspect(obj).insert_order)
    for audit_event in new:
        if audit_event.user_id is None and audit_event.user is not None:
            audit_event.user_id = audit_event.user.id
    chain.seal(session.connection(), new)


# The database refuses changes too. The same statements are in migration 0010.
SQLITE_TRIGGERS = (
    """CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be changed'); END""",
    """CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events cannot be deleted'); END""",
)
POSTGRESQL_TRIGGERS = (
    """CREATE OR REPLACE FUNCTION audit_events_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING MESSAGE = 'audit events cannot be changed or deleted (' || TG_OP || ')';
END
$$""",
    """CREATE TRIGGER audit_events_no_update_or_delete BEFORE UPDATE OR DELETE ON audit_events
FOR EACH ROW EXECUTE FUNCTION audit_events_refuse_change()""",
    """CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
FOR EACH STATEMENT EXECUTE FUNCTION audit_events_refuse_change()""",
)

for _statement in SQLITE_TRIGGERS:
    event.listen(AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="sqlite"))
for _statement in POSTGRESQL_TRIGGERS:
    event.listen(
        AuditEvent.__table__, "after_create", DDL(_statement).execute_if(dialect="postgresql")
    )
event.listen(
    AuditEvent.__table__,
    "after_drop",
    DDL("DROP FUNCTION IF EXISTS audit_events_refuse_change()").execute_if(dialect="postgresql"),
)
