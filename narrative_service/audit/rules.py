"""The one function that records an audit event."""

from __future__ import annotations

from typing import Any

from ..extensions import db
from .models import AuditEvent

ACTIONS = {
    "sign_in": "Signed in",
    "sign_in_failed": "Failed sign-in",
    "sign_in_refused": "Sign-in refused (too many attempts or deactivated)",
    "sign_out": "Signed out",
    "access_denied": "Opened a page their role does not allow",
    "user.create": "Created a user",
    "user.change_role": "Changed a role",
    "user.deactivate": "Deactivated a user",
    "user.reactivate": "Reactivated a user",
    "user.reset_password": "Reset a password",
    "narrative.list": "Listed narratives",
    "narrative.view": "Viewed a narrative",
    "narrative.create": "Created a narrative",
    "narrative.update": "Changed a narrative",
    "narrative.complete": "Marked a narrative complete",
    "narrative.withdraw": "Recorded consent withdrawn",
    "narrative.share": "Shared a narrative",
    "narrative.unshare": "Stopped sharing a narrative",
    "narrative.history": "Viewed a narrative's history",
    "conversation.view": "Viewed a conversation",
    "turn.add": "Added a turn to a conversation",
    "prompts.change": "Changed the conversation prompts",
    "turn.edit": "Changed a turn",
    "turn.remove": "Removed a turn",
    "recording.upload": "Uploaded a recording",
    "recording.view": "Viewed a recording and its transcript",
    "recording.retry": "Asked for a recording to be transcribed again",
    "recording.edit_segment": "Corrected a transcript segment",
    "recording.accept": "Accepted a transcript into a narrative",
    "audit.view": "Viewed the audit log",
    "export": "Exported data",
    "demo.load": "Loaded demo data",
}


def record(
    action: str,
    *,
    user_id: int | None,
    subject: Any = None,
    **detail: Any,
) -> AuditEvent:
    """Add an audit event to the current transaction; the caller commits.

    ``detail`` holds field names, counts and outcomes, never record content or
    anything that identifies the person.
    """
    if action not in ACTIONS:
        raise ValueError(f"Unknown audit action {action!r}")
    event = AuditEvent(
        action=action,
        user_id=user_id,
        object_type=type(subject).__name__ if subject is not None else None,
        object_id=getattr(subject, "id", None),
        detail=detail,
    )
    db.session.add(event)
    return event
