"""A narrative as a record that recordings belong to: interviews, whose accepted transcripts
join the conversation speaker by speaker, and spoken chat turns, whose words fill the turn.
The transcription feature knows a narrative only through what this module registers."""

from __future__ import annotations

from flask import url_for

from ..themes.tasks import suggest_for_narrative
from ..transcription import owners
from . import access, turns


def _load(user, narrative_id: int, to_change: bool):
    return access.load(user, narrative_id, to_change=to_change)


def _after_accept(narrative) -> str:
    suggest_for_narrative(narrative.id)  # themes for the words that just joined
    return url_for("conversation.show", narrative_id=narrative.id)


def init_app() -> None:
    owners.register(
        owners.Owner(
            column="narrative_id",
            kind="narrative",
            load=_load,
            may_change=access.may_change,
            take_transcript=lambda recording, segments, by: turns.add_transcript_turns(
                recording, segments, by=by
            ),
            label=lambda narrative: f"Case {narrative.case.reference}",
            accepted_message="The transcript is now in the narrative's conversation.",
            after_accept=_after_accept,
            fill_spoken_turn=turns.fill_spoken_turn,
        )
    )
