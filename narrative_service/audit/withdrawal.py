"""Consent withdrawn: the audit log keeps every event, and never held the person's words."""

from __future__ import annotations

from .. import erasure

HOLDING = erasure.Holding(
    feature="audit",
    kept={
        "audit_events": {
            "action": "what was done, from the fixed list of actions",
            "object_type": "the kind of record it was done to",
            "detail": "ids, counts and choices only: audit.rules.record refuses free text",
        }
    },
)


def init_app() -> None:
    erasure.register(HOLDING)
