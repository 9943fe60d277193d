"""The one function that records an audit event, and the check that none was changed."""

from __future__ import annotations

import re
from typing import Any, TypeVar

from sqlalchemy import select

from ..extensions import db
from . import chain
from .models import AuditEvent

T = TypeVar("T")

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
    "password.change": "Changed their own password",
    "sign_out_everywhere": "Signed out of every device",
    "mfa.set_up": "Set up two-step verification",
    "mfa.recovery_codes": "Made new recovery codes",
    "user.reset_mfa": "Reset a user's two-step verification",
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
    "vocabulary.change": "Changed the word list for transcription",
    "turn.edit": "Changed a turn",
    "turn.remove": "Removed a turn",
    "recording.upload": "Uploaded a recording",
    "recording.view": "Viewed a recording and its transcript",
    "recording.retry": "Asked for a recording to be transcribed again",
    "recording.stop": "Stopped a recording's transcription",
    "recording.resume": "Asked for a stopped transcription to carry on",
    "recording.edit_segment": "Corrected a transcript segment",
    "recording.accept": "Accepted a transcript into a narrative",
    "reflection.create": "Created a reflection session",
    "reflection.update": "Changed a reflection session's details",
    "reflection.view": "Viewed a reflection session",
    "reflection.listen": "Opened a session's listening view",
    "reflection.summary": "Viewed a session's summary",
    "reflection.attendee_add": "Added an attendee to a session",
    "reflection.attendee_remove": "Removed an attendee from a session",
    "reflection.heard": "Recorded who heard the narrative directly",
    "reflection.record": "Saved a session's reflective record",
    "reflection.record_conflict": "Saved a reflective record that conflicted (both kept)",
    "reflection.difference_add": "Recorded a difference of perspective",
    "reflection.difference_remove": "Removed a difference of perspective",
    "reflection.learning_add": "Recorded a learning point",
    "reflection.learning_update": "Changed a learning point",
    "reflection.learning_remove": "Removed a learning point",
    "reflection.confirm": "Confirmed a session summary as a fair record",
    "codebook.load_default": "Loaded the default theme codebook",
    "codebook.import": "Imported a theme codebook",
    "codebook.add_theme": "Added a theme to the codebook",
    "codebook.change_theme": "Changed a theme in the codebook",
    "codebook.delete_theme": "Deleted a theme from the codebook",
    "codebook.merge": "Merged one theme into another",
    "themes.view": "Viewed a record's themes",
    "themes.analysis": "Viewed the themes analysis",
    "themes.suggest": "Suggested themes for a record",
    "themes.accept": "Accepted a suggested theme",
    "themes.reject": "Rejected a suggested theme",
    "themes.tag": "Tagged a record with a theme by hand",
    "themes.decide_all": "Accepted or rejected all of a theme's suggestions on a record",
    "themes.remove": "Removed an accepted theme from a record",
    "themes.recode": "Changed the theme of an accepted tag",
    "milestone.view": "Viewed a milestone",
    "milestone.board_view": "Viewed the board's page",
    "milestone.dissemination": "Recorded a dissemination activity",
    "milestone.action": "Added an action to the action plan",
    "milestone.strategic_plan": "Recorded a milestone's strategic objective",
    "milestone.feedback": "Recorded feedback to the person or family",
    "milestone.training_need": "Recorded a training need",
    "milestone.evidence_file": "Uploaded an evidence file",
    "milestone.evidence_file_removed": "Removed an evidence file",
    "milestone.evidence_file_download": "Downloaded an evidence file",
    "milestone.action_update": "Recorded progress on an action",
    "milestone.dates": "Changed a milestone's dates or weighting",
    "milestone.submitted": "Marked a milestone as submitted",
    "milestone.risk_audit": "Recorded a collaborative risk assessment audit",
    "milestone.shortfall": "Recorded the rationale for a missed audit target",
    "milestone.deliverable": "Recorded a training programme or evaluation",
    "milestone.board_summary": "Approved a learning summary for the board",
    "milestone.board_summary_withdrawn": "Withdrew a learning summary from the board",
    "programme.created": "Created a programme",
    "milestone.digest_sent": "Sent the leads' e-mail digest",
    "redaction.review": "Reviewed a redaction",
    "redaction.approve": "Approved an anonymised version for sharing",
    "audit.view": "Viewed the audit log",
    "export": "Exported data",
    "demo.load": "Loaded demo data",
}


def add_and_record(
    row: T,
    action: str,
    *,
    by: Any,
    subject: Any = None,
    id_as: str | None = None,
    **detail: Any,
) -> T:
    """Add a new row and the audit event that says who added it, in the current transaction.

    The row is flushed first so that its id is known: the event's subject is the row itself
    unless `subject` says otherwise (the milestone a dissemination belongs to), and `id_as`
    puts the row's id in the detail under that name.
    """
    db.session.add(row)
    db.session.flush()
    if id_as:
        detail[id_as] = row.id
    user_id = by.id if by is not None else None
    record(action, user_id=user_id, subject=row if subject is None else subject, **detail)
    return row


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
    _check_detail(detail)
    event = AuditEvent(
        action=action,
        user_id=user_id,
        object_type=type(subject).__name__ if subject is not None else None,
        object_id=getattr(subject, "id", None),
        detail=detail,
    )
    db.session.add(event)
    return event


# Detail is ids, counts, codes and choices. Names that would carry a person's words or a
# file's name are refused outright, and so is any string that reads like free text.
FORBIDDEN_DETAIL = {"name", "filename", "file_name", "text", "title", "quote", "body", "notes"}
SHORT_VALUE = re.compile(r"^[\w./:@+-]*( [\w./:@+-]+){0,2}$")
MAX_VALUE = 80


def _check_detail(value: Any, key: str = "") -> None:
    if key in FORBIDDEN_DETAIL:
        raise ValueError(f"Audit detail {key!r} would hold content; record an id instead")
    if isinstance(value, dict):
        for name, item in value.items():
            _check_detail(item, key or str(name))
    elif isinstance(value, list | tuple | set | frozenset):
        for item in value:
            _check_detail(item, key)
    elif isinstance(value, str):
        if len(value) > MAX_VALUE or not SHORT_VALUE.match(value):
            raise ValueError(f"Audit detail {key!r} looks like free text; record an id instead")
    elif value is not None and not isinstance(value, int | float | bool):
        raise ValueError(f"Audit detail {key!r} must be an id, a count or a code")


def verify_chain() -> chain.Walk:
    """Recompute every event's hash in id order, up to the first broken link."""
    columns = select(
        AuditEvent.id,
        AuditEvent.at,
        AuditEvent.user_id,
        AuditEvent.action,
        AuditEvent.object_type,
        AuditEvent.object_id,
        AuditEvent.detail,
        AuditEvent.previous_hash,
        AuditEvent.hash,
    ).order_by(AuditEvent.id)
    return chain.first_broken_link(db.session.execute(columns.execution_options(yield_per=1000)))
