"""What a recording belongs to, and what happens to its transcript there.

Recordings are a capability any record can have: a narrative's interviews and spoken chat
turns, a reflection session's recording. This feature knows nothing of those records. Each
feature that owns recordings registers an ``Owner`` when the app is created (its
``init_app``), saying how to load the record for a person, who may change it, and where an
accepted transcript goes. The pages and the worker look the owner up by the recording's
column, so following ``rules.accept`` never leaves this package except through the owner.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..auth.models import User
from ..errors import NotFound
from .models import Recording


@dataclass(frozen=True)
class Owner:
    """One kind of record that recordings belong to."""

    column: str  # the Recording column holding the owner's id: "narrative_id"
    kind: str  # how pages tell owners apart: "narrative" or "session"
    # The record, for a person who may see it (or change it); NotFound or NotAllowed if not.
    load: Callable[[User, int, bool], Any]
    may_change: Callable[[User, Any], bool]
    # An accepted transcript joins the record; returns how many turns or passages it added.
    take_transcript: Callable[[Recording, list, User], int]
    # What the pages say: "Case AB-12 · Title" and "in the narrative's conversation".
    label: Callable[[Any], str]
    accepted_message: str
    # Where a person goes after accepting, and anything to start once it is saved (such as
    # theme suggestions for the words that just joined). Called after the commit.
    after_accept: Callable[[Any], str]
    # The worker's half of a spoken chat turn, for owners that have turns.
    fill_spoken_turn: Callable[[Recording, str], None] | None = None


OWNERS: dict[str, Owner] = {}


def register(owner: Owner) -> None:
    OWNERS[owner.column] = owner


def owner_of(recording: Recording) -> tuple[Owner, int]:
    """The registered owner of this recording and the owning record's id."""
    for column, owner in OWNERS.items():
        owner_id = getattr(recording, column)
        if owner_id is not None:
            return owner, owner_id
    raise NotFound()


def load_owner(user: User, recording: Recording, *, to_change: bool = False) -> tuple[Owner, Any]:
    """The owner and its record, if this person may see (or change) that record."""
    owner, owner_id = owner_of(recording)
    return owner, owner.load(user, owner_id, to_change)
