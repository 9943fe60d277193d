"""Background jobs for themes: suggestions for long texts, and after a transcript joins."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session

from ..auth.models import User
from ..extensions import db
from ..jobs import SHORT_JOB, app_context, huey
from . import tagging

# Records waiting, in a database session, for that session's commit before suggesting.
_PENDING = "themes.suggest_when_committed"


def _suggest(subject_type: str, subject_id: int) -> int:
    with app_context():
        text = tagging.subject_text(subject_type, subject_id)
        if not text:
            return 0  # gone, erased, or nothing written yet
        result = tagging.run_suggestions(subject_type, subject_id, text)
        db.session.commit()
        return result.added


@huey.task(priority=SHORT_JOB)
def suggest_for_narrative(narrative_id: int) -> int:
    return _suggest(tagging.NARRATIVE, narrative_id)


@huey.task(priority=SHORT_JOB)
def suggest_for_subject(subject_type: str, subject_id: int) -> int:
    """Suggest themes for any record that is tagged (tagging.SUBJECTS)."""
    return _suggest(subject_type, subject_id)


def suggest_when_committed(subject_type: str, subject_id: int) -> None:
    """Queue suggestions for a record once the transaction that changed it commits.

    Queued at once, the worker could read the text from before the change (or wait on the
    write lock); if the change is rolled back, nothing is queued.
    """
    db.session().info.setdefault(_PENDING, set()).add((subject_type, subject_id))


@event.listens_for(Session, "after_commit")
def _queue_pending(db_session: Session) -> None:
    for subject_type, subject_id in sorted(db_session.info.pop(_PENDING, ())):
        suggest_for_subject(subject_type, subject_id)


@event.listens_for(Session, "after_transaction_end")
def _drop_pending(db_session: Session, transaction) -> None:
    if transaction.parent is None:  # the outermost transaction ended without a commit
        db_session.info.pop(_PENDING, None)


@dataclass
class Outcome:
    """What one request to suggest themes for several records did."""

    texts: int = 0  # records that had any text to suggest for
    added: int = 0
    queued: int = 0
    messages: tuple[str, ...] = ()


def suggest_or_queue(subjects: list[tuple[str, int]], *, by: User) -> Outcome:
    """Suggest themes for each record now, or send the long ones to the background worker
    once the caller commits."""
    outcome = Outcome()
    for subject_type, subject_id in subjects:
        text = tagging.subject_text(subject_type, subject_id)
        if not text or not text.strip():
            continue
        outcome.texts += 1
        if len(text.split()) > tagging.INLINE_WORDS:
            suggest_when_committed(subject_type, subject_id)
            outcome.queued += 1
            continue
        result = tagging.run_suggestions(subject_type, subject_id, text, by=by)
        outcome.added += result.added
        if result.message and result.message not in outcome.messages:
            outcome.messages += (result.message,)
    return outcome
