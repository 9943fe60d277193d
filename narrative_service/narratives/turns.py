"""Chat-style turns of a narrative (the capture screens arrive with the voice issue)."""

from __future__ import annotations

from ..timeutil import utcnow
from .models import Narrative


def erase_turns(narrative: Narrative) -> None:
    """Consent withdrawn: keep that each turn existed, erase what was said."""
    for turn in narrative.turns:
        turn.text = ""
        turn.history = []
        turn.removed_at = turn.removed_at or utcnow()
        turn.removed_reason = "Consent withdrawn"
