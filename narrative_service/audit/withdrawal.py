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
            "previous_hash": "the hash chain's link to the event before (no content)",
            "hash": "a SHA-256 hash of the event's own fields, which hold no content",
        }
    },
)


def init_app() -> None:
    erasure.register(HOLDING)
