"""Finding and replacing words across one recording's transcript, with a preview first.

What is applied is exactly what was previewed: the preview carries a fingerprint of what to
find, the replacement and every segment's text, and if any of it changed in between, the
preview is shown again instead (TranscriptChanged).
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError
from ..units import clock
from .editing import EDIT, MAX_SEGMENT_CHARACTERS, check_can_change, put_words
from .models import Recording, TranscriptSegment
from .rules import segments_of

MAX_FIND = 200


@dataclass(frozen=True)
class Replacement:
    """One segment that a find and replace would change: its text before and after, each
    as pieces (text, is_match) so a page can highlight what was found and what replaces it."""

    segment: TranscriptSegment
    before: list[tuple[str, bool]]
    after: list[tuple[str, bool]]

    @property
    def new_text(self) -> str:
        """The segment's words once replaced, spaced as every corrected segment is."""
        return " ".join("".join(text for text, _ in self.after).split())


class TranscriptChanged(DomainError):
    """The transcript (or what to find) changed after the preview was shown."""


def _pattern(find: str | None, match_case: bool, whole_words: bool) -> re.Pattern:
    find = (find or "").strip()
    if not find:
        raise DomainError("Write the words to find.", "find")
    if len(find) > MAX_FIND:
        raise DomainError(
            f"Keep what to find to {MAX_FIND} characters or fewer (this has {len(find)}).",
            "find",
        )
    expression = re.escape(find)
    if whole_words:
        expression = rf"(?<!\w){expression}(?!\w)"
    return re.compile(expression, 0 if match_case else re.IGNORECASE)


def find_replacements(
    recording: Recording,
    find: str | None,
    replace: str | None,
    *,
    match_case: bool = False,
    whole_words: bool = False,
) -> list[Replacement]:
    """Each segment whose words would change if `find` were replaced by `replace`
    (not case-sensitive unless `match_case`), in order. Refuses what matches nothing."""
    check_can_change(recording)
    pattern = _pattern(find, match_case, whole_words)
    replace = replace or ""
    if len(replace) > MAX_FIND:
        raise DomainError(
            f"Keep the replacement to {MAX_FIND} characters or fewer (this has {len(replace)}).",
            "replace",
        )
    changes, matched = [], False
    for segment in segments_of(recording):
        before, after, last = [], [], 0
        for match in pattern.finditer(segment.text):
            matched = True
            before += [(segment.text[last : match.start()], False), (match.group(), True)]
            after += [(segment.text[last : match.start()], False), (replace, True)]
            last = match.end()
        if not before:
            continue
        before.append((segment.text[last:], False))
        after.append((segment.text[last:], False))
        change = Replacement(segment, before, after)
        if change.new_text != " ".join(segment.text.split()):
            changes.append(change)
    shown = (find or "").strip()
    if not matched:
        raise DomainError(f"Nothing in the transcript matches “{shown}”.", "find")
    if not changes:
        raise DomainError(f"Replacing “{shown}” with “{replace}” would change nothing.", "replace")
    for change in changes:
        where = clock(change.segment.start_seconds)
        if not change.new_text:
            raise DomainError(
                f"Replacing would leave the segment at {where} with no words. Change what to "
                "find, or correct that segment by itself.",
                "replace",
            )
        if len(change.new_text) > MAX_SEGMENT_CHARACTERS:
            raise DomainError(
                f"Replacing would make the segment at {where} longer than "
                f"{MAX_SEGMENT_CHARACTERS:,} characters.",
                "replace",
            )
    return changes


def fingerprint(
    recording: Recording, find: str | None, replace: str | None, match_case: bool, whole_words: bool
) -> str:
    """A digest of the transcript as it is (every segment's id, place and words) and of what
    is being replaced: a preview carries it, and the replacement is made only if it still
    matches, so exactly the segments previewed are changed."""
    state = {
        "find": (find or "").strip(),
        "replace": replace or "",
        "match_case": bool(match_case),
        "whole_words": bool(whole_words),
        "segments": [[s.id, s.position, s.text] for s in segments_of(recording)],
    }
    serialised = json.dumps(state, ensure_ascii=True, separators=(",", ":"))
    return hashlib.sha256(serialised.encode("ascii")).hexdigest()


def replace_all(
    recording: Recording,
    find: str | None,
    replace: str | None,
    *,
    match_case: bool = False,
    whole_words: bool = False,
    previewed: str | None,
    by: User,
) -> int:
    """Make the replacements a preview showed, if the transcript is still as it was then
    (`previewed` is that preview's fingerprint); returns how many segments changed.
    Segments changed this way are not counted as reviewed: nobody listened to them."""
    check_can_change(recording)
    if not previewed:
        raise TranscriptChanged("Check the changes below before replacing.", "find")
    if previewed != fingerprint(recording, find, replace, match_case, whole_words):
        raise TranscriptChanged(
            "The transcript or what to find has changed since the preview was shown. "
            "Check the changes below again before replacing.",
            "find",
        )
    changes = find_replacements(
        recording, find, replace, match_case=match_case, whole_words=whole_words
    )
    for change in changes:
        put_words(change.segment, change.new_text, by)
    record(
        EDIT,
        user_id=by.id,
        subject=recording,
        change="replace",
        segments=[change.segment.id for change in changes],
    )
    return len(changes)
