"""A reflection session as a record that recordings belong to: an accepted transcript joins
the session's reflective record as a new version. The transcription feature knows a session
only through what this module registers."""

from __future__ import annotations

from flask import url_for

from ..transcription import owners
from . import access as reflection_access
from . import rules


def _load(user, session_id: int, to_change: bool):
    return reflection_access.load_for(user, session_id, to_change=to_change)


def init_app() -> None:
    owners.register(
        owners.Owner(
            column="reflection_session_id",
            kind="session",
            load=_load,
            may_change=reflection_access.can_change,
            take_transcript=lambda recording, segments, by: rules.add_transcript_to_record(
                recording.reflection_session, segments, by=by
            ),
            label=lambda session: f"Reflection session, {session.held_on:%-d %B %Y}",
            accepted_message="The transcript is now in the session's reflective record.",
            after_accept=lambda session: url_for(
                "reflection.show", session_id=session.id, _anchor="record"
            ),
        )
    )
