"""Small factories for tests: one call, one realistic record."""

from __future__ import annotations

import itertools
from datetime import date
from typing import Any

from narrative_service.auth.models import User
from narrative_service.auth.rules import hash_password
from narrative_service.extensions import db
from narrative_service.narratives import rules as narratives
from narrative_service.narratives.models import Narrative
from narrative_service.timeutil import utcnow

TEST_PASSWORD = "a long and memorable test password"
_PASSWORD_HASH = hash_password(TEST_PASSWORD)  # argon2 is slow on purpose: hash once
_numbers = itertools.count(1)


# The authenticator app of every test user who has two-step verification.
TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def make_user(
    role: str,
    *,
    name: str | None = None,
    email: str | None = None,
    has_two_step: bool | None = None,
    **fields,
) -> User:
    """A user; admins and leads (whose role needs it by default) have two-step verification
    set up with TEST_TOTP_SECRET, unless has_two_step says otherwise."""
    from narrative_service.auth import mfa

    number = next(_numbers)
    if has_two_step is None:
        has_two_step = role in mfa.DEFAULT_REQUIRED_ROLES
    if has_two_step:
        fields.setdefault("totp_secret", mfa.encrypt(TEST_TOTP_SECRET))
        fields.setdefault("totp_enabled_at", utcnow())
    user = User(
        email=email or f"{role}{number}@example.nhs.uk",
        name=name or f"{role.title()} {number}",
        role=role,
        password_hash=_PASSWORD_HASH,
        **fields,
    )
    db.session.add(user)
    db.session.commit()
    return user


def current_code(secret: str = TEST_TOTP_SECRET, *, now=None, steps_ahead: int = 0) -> str:
    """The code an authenticator app with this secret shows now (or a step or so later)."""
    from narrative_service.auth import mfa

    return mfa.code_at(secret, mfa.time_step(now or utcnow()) + steps_ahead)


def narrative_data(**overrides: Any) -> dict[str, Any]:
    """A valid narrative's fields, as the form would send them to the rules."""
    number = next(_numbers)
    data = {
        "case_reference": f"SG-2025-{number:04d}",
        "title": "Being listened to about the money",
        "narrator_type": "service_user",
        "reason_not_direct": "",
        "facilitator_name": "Independent advocate",
        "is_facilitator_independent": True,
        "facilitator_relationship": "",
        "captured_from": date(2025, 5, 14),
        "captured_to": None,
        "capture_method": "written",
        "has_consent": True,
        "consent_date": date(2025, 5, 14),
        "consent_recorded_by": "Independent advocate",
        "has_reflection_consent": True,
        "has_dissemination_consent": True,
        "has_board_quotes_consent": False,
        "were_outcomes_asked": "yes",
        "desired_outcomes": "I wanted it to stop and to keep seeing my grandson.",
        "outcomes_achieved": "partially",
        "are_children_affected": True,
        "are_family_affected": False,
        "think_family_notes": "Grandson visits at weekends.",
        "age_band": "75-84",
        "gender": "woman",
        "ethnicity": "white_british",
        "disability": "no",
        "body": "Nobody told me what was happening. I felt like a parcel being passed about.",
    }
    data.update(overrides)
    return data


def make_narrative(
    by: User, *, status: str = "draft", consent: bool = True, **overrides
) -> Narrative:
    if not consent:
        overrides.setdefault("has_consent", False)
    narrative = narratives.create(narrative_data(**overrides), by=by)
    if status in ("complete", "withdrawn"):
        narratives.mark_complete(narrative, by=by)
    if status == "withdrawn":
        withdraw(narrative, by=by)
    db.session.commit()
    return narrative


def withdraw(narrative: Narrative, *, by: User, how: str = "in_person"):
    """Record that consent was withdrawn today (the caller commits); returns the counts."""
    from narrative_service.narratives import withdrawal
    from narrative_service.timeutil import today

    return withdrawal.withdraw(narrative, by=by, withdrawn_on=today(), how=how)


def make_recording(
    narrative: Narrative,
    by: User,
    *,
    status: str = "transcribed",
    segments: tuple[str, ...] = ("I did not know who to ask.", "Then someone listened."),
    content: bytes = b"not really audio: the file only has to exist for these tests",
):
    """A recording already transcribed, without running Whisper (for page and rule tests)."""
    import hashlib
    from pathlib import Path

    from flask import current_app

    from narrative_service.transcription.models import Recording, TranscriptSegment

    folder = Path(current_app.config["MEDIA_DIR"]) / "recordings"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"test-{next(_numbers)}.wav"
    (folder / name).write_bytes(content)
    recording = Recording(
        narrative_id=narrative.id,
        stored_path=f"recordings/{name}",
        original_filename="interview.wav",
        content_type="audio/wav",
        size_bytes=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        duration_seconds=4.0 * len(segments),
        progress_seconds=4.0 * len(segments),
        status=status,
        created_by_id=by.id,
    )
    db.session.add(recording)
    db.session.flush()
    for position, text in enumerate(segments):
        db.session.add(
            TranscriptSegment(
                recording_id=recording.id,
                position=position,
                start_seconds=4.0 * position,
                end_seconds=4.0 * position + 3.5,
                machine_text=text,
                avg_logprob=-0.3 if position else -1.4,
                no_speech_prob=0.01,
                words=[],
            )
        )
    db.session.commit()
    return recording


def make_session(
    facilitator: User,
    narratives: list[Narrative],
    *,
    held_on=None,
    by: User | None = None,
    **details,
):
    """A reflection session on complete narratives whose consent covers reflection.

    Set up by `by` (default: the facilitator, who must be able to see the narratives).
    """
    from narrative_service.reflection import rules as reflection

    session = reflection.create_session(
        reflection.SessionDetails(
            held_on=held_on or date(2025, 7, 10),
            is_group=details.pop("is_group", True),
            is_online=details.pop("is_online", False),
            facilitator_id=facilitator.id,
            narrative_ids=[n.id for n in narratives],
            early_date_reason=details.pop("early_date_reason", ""),
        ),
        by=by or facilitator,
    )
    db.session.commit()
    return session


def make_theme(code: str = "experience.listened_to", name: str = "Being listened to"):
    from narrative_service.themes.models import Theme, ThemeGroup

    group_code = code.split(".", 1)[0]
    group = db.session.query(ThemeGroup).filter_by(code=group_code).one_or_none()
    if group is None:
        group = ThemeGroup(code=group_code, name=group_code.title())
        db.session.add(group)
        db.session.flush()
    theme = db.session.query(Theme).filter_by(code=code).one_or_none()
    if theme is None:
        theme = Theme(group_id=group.id, code=code, name=name, description="", patterns=[])
        db.session.add(theme)
        db.session.commit()
    return theme
