"""The audit trail: who did what to which record, and when. Append-only."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Integer, String, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import SUBJECT_INFO, db
from ..timeutil import utcnow


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

    user = relationship("User")


class AuditLogIsAppendOnly(Exception):
    pass


@event.listens_for(AuditEvent, "before_update")
def _refuse_update(mapper, connection, target):
    raise AuditLogIsAppendOnly("Audit events cannot be changed.")


@event.listens_for(AuditEvent, "before_delete")
def _refuse_delete(mapper, connection, target):
    raise AuditLogIsAppendOnly("Audit events cannot be deleted.")
