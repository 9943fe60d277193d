"""Chat-style turns of a narrative: the narrator's and the facilitator's words, in order.

Every turn is saved the moment it is sent. The browser gives each turn a token, so a turn
sent again after a dropped connection is saved once. Turns are edited with their earlier
wording kept (a turn's history), or removed with a reason; nothing is deleted. Several
sittings on different days add to the same conversation, which, speaker by speaker, is
the narrative's text.
"""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..audit.rules import record
from ..auth.models import User
from ..database import rows
from ..errors import DomainError
from ..extensions import db
from ..lines import one_per_line
from ..timeutil import today, utcnow
from ..transcription.rules import by_speaker
from .models import ConversationPrompt, Narrative, NarrativeTurn

SPEAKERS = {"narrator": "Narrator", "facilitator": "Facilitator"}
MAX_TURN_CHARACTERS = 100_000
TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{8,64}$")
MAX_REASON = 500

# Open, non-directive prompts a facilitator may offer, until a lead changes the list.
# Nothing here imposes an agenda: prompts are offered, never required.
MAX_PROMPTS = 12
MAX_PROMPT_CHARACTERS = 300
DEFAULT_PROMPTS = (
    "Tell me what it felt like for you.",
    "What mattered most to you?",
    "What would you want staff to hear?",
    "Is there anything else you would like to say?",
)


def prompts() -> list[str]:
    """The prompts facilitators see: the leads' list, or the defaults if none was saved."""
    saved = db.session.scalars(select(ConversationPrompt).order_by(ConversationPrompt.position))
    texts = [prompt.text for prompt in saved]
    return texts or list(DEFAULT_PROMPTS)


def set_prompts(text: str, *, by: User) -> list[str]:
    """Replace the prompts with one per line of `text` (an empty list restores the defaults)."""
    lines = one_per_line(
        text, item="prompt", most=MAX_PROMPTS, longest=MAX_PROMPT_CHARACTERS, field="prompts"
    )
    for existing in db.session.scalars(select(ConversationPrompt)):
        db.session.delete(existing)
    for position, line in enumerate(lines):
        db.session.add(ConversationPrompt(position=position, text=line, updated_by_id=by.id))
    record("prompts.change", user_id=by.id, count=len(lines))
    return lines or list(DEFAULT_PROMPTS)


def _check_can_add(narrative: Narrative) -> None:
    if narrative.is_withdrawn:
        raise DomainError("Consent for this narrative was withdrawn: nothing can be added.")


def _next_position(narrative: Narrative) -> int:
    highest = db.session.scalar(
        select(func.max(NarrativeTurn.position)).where(NarrativeTurn.narrative_id == narrative.id)
    )
    return (highest or 0) + 1


def _clean_text(text: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise DomainError("Write what was said before sending.", "text")
    if len(text) > MAX_TURN_CHARACTERS:
        raise DomainError(
            f"A turn can hold up to {MAX_TURN_CHARACTERS:,} characters "
            f"(this one has {len(text):,}). Send it as two turns.",
            "text",
        )
    return text


def add_turn(
    narrative: Narrative,
    speaker: str,
    text: str,
    *,
    by: User,
    client_token: str | None = None,
    sitting_on: date | None = None,
) -> tuple[NarrativeTurn, bool]:
    """Add a typed turn; returns (turn, created). A token already seen returns its turn."""
    _check_can_add(narrative)
    if speaker not in SPEAKERS:
        raise DomainError("Choose who is speaking: the narrator or the facilitator.", "speaker")
    token = (client_token or "").strip() or None
    if token is not None:
        if not TOKEN_PATTERN.match(token):
            raise DomainError("The turn's token is not valid; reload the page and send again.")
        existing = _turn_with_token(narrative.id, token)
        if existing is not None:
            return existing, False
    turn = NarrativeTurn(
        narrative_id=narrative.id,
        position=_next_position(narrative),
        speaker=speaker,
        text=_clean_text(text),
        sitting_on=sitting_on or today(),
        client_token=token,
        created_by_id=by.id,
        history=[],
    )
    db.session.add(turn)
    try:
        db.session.flush()
    except IntegrityError:
        # The same turn sent twice at once: the other send saved it first. Nothing else is
        # pending in a send, so the transaction is rolled back and the first send's turn
        # is the answer to both.
        db.session.rollback()
        existing = _turn_with_token(narrative.id, token) if token else None
        if existing is None:
            raise
        return existing, False
    record("turn.add", user_id=by.id, subject=narrative, turn=turn.id, speaker=speaker)
    return turn, True


def _turn_with_token(narrative_id: int, token: str) -> NarrativeTurn | None:
    return db.session.scalar(
        select(NarrativeTurn).where(
            NarrativeTurn.narrative_id == narrative_id, NarrativeTurn.client_token == token
        )
    )


def add_spoken_turn(narrative: Narrative, recording, *, by: User, client_token=None):
    """A turn whose words will come from its recording once it is transcribed."""
    _check_can_add(narrative)
    turn = NarrativeTurn(
        narrative_id=narrative.id,
        position=_next_position(narrative),
        speaker=recording.speaker,
        text="",
        sitting_on=today(),
        client_token=(client_token or None),
        recording_id=recording.id,
        created_by_id=by.id,
        history=[],
    )
    db.session.add(turn)
    db.session.flush()
    record("turn.add", user_id=by.id, subject=narrative, turn=turn.id, speaker=turn.speaker)
    return turn


def fill_spoken_turn(recording, text: str) -> None:
    """The worker's half of a spoken turn: its transcript becomes the turn's words."""
    turn = db.session.scalar(
        select(NarrativeTurn).where(NarrativeTurn.recording_id == recording.id)
    )
    if turn is None or turn.removed_at is not None:
        return
    turn.text = text or "(No speech was found in this recording.)"


def add_transcript_turns(recording, segments, *, by: User) -> int:
    """An accepted interview transcript: a turn at each change of speaker (consecutive
    segments by one speaker make one turn), a named other speaker's turn with their name."""
    narrative = db.session.get(Narrative, recording.narrative_id)
    _check_can_add(narrative)
    groups = by_speaker(segments)
    position = _next_position(narrative)
    for offset, passage in enumerate(groups):
        db.session.add(
            NarrativeTurn(
                narrative_id=narrative.id,
                position=position + offset,
                speaker=passage.speaker,
                speaker_name=passage.speaker_name,
                text=passage.text,
                sitting_on=recording.created_at.date() if recording.created_at else today(),
                recording_id=recording.id,
                created_by_id=by.id,
                history=[],
            )
        )
    return len(groups)


def edit_turn(turn: NarrativeTurn, text: str, *, by: User) -> bool:
    """Change a turn's words, keeping the earlier wording in its history."""
    if turn.removed_at is not None:
        raise DomainError("This turn was removed; it can no longer be changed.")
    text = _clean_text(text)
    if text == turn.text:
        return False
    turn.history = [
        *turn.history,
        {"text": turn.text, "changed_by": by.id, "changed_at": utcnow().isoformat()},
    ]
    turn.text = text
    record("turn.edit", user_id=by.id, subject=turn.narrative, turn=turn.id)
    return True


def remove_turn(turn: NarrativeTurn, reason: str, *, by: User) -> None:
    """Take a turn out of the conversation; it is kept, with who removed it and why."""
    if turn.removed_at is not None:
        raise DomainError("This turn was already removed.")
    reason = " ".join((reason or "").split())
    if not reason:
        raise DomainError("Say why this turn is being removed.", "reason")
    if len(reason) > MAX_REASON:
        raise DomainError(f"Keep the reason under {MAX_REASON} characters.", "reason")
    turn.removed_at = utcnow()
    turn.removed_reason = reason
    record("turn.remove", user_id=by.id, subject=turn.narrative, turn=turn.id)


def conversation(narrative: Narrative) -> list[NarrativeTurn]:
    """The turns in order, removed ones included (pages show them as removed)."""
    return rows(
        select(NarrativeTurn)
        .where(NarrativeTurn.narrative_id == narrative.id)
        .order_by(NarrativeTurn.position)
    )


def turn_count(narrative: Narrative) -> int:
    return db.session.scalar(
        select(func.count())
        .select_from(NarrativeTurn)
        .where(NarrativeTurn.narrative_id == narrative.id, NarrativeTurn.removed_at.is_(None))
    )


def speaker_label(turn: NarrativeTurn) -> str:
    """Who is speaking in a turn: "Narrator", "Facilitator", or a named other's name."""
    return turn.speaker_name or SPEAKERS.get(turn.speaker, turn.speaker.title())


def conversation_text(narrative: Narrative) -> str:
    """The conversation as the narrative's text, speaker by speaker."""
    return "\n\n".join(
        f"{speaker_label(turn)}: {turn.text}"
        for turn in conversation(narrative)
        if turn.removed_at is None and turn.text
    )


def narrative_text(narrative: Narrative) -> str:
    """The narrative's whole text, as it is tagged and anonymised: its written text, then its
    conversation."""
    return "\n\n".join(
        part for part in (narrative.body.strip(), conversation_text(narrative)) if part
    )
