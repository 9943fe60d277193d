"""Correcting a transcript before it is accepted: who speaks each segment, correcting or
confirming its words, splitting and merging segments (find and replace: find_replace.py).

A segment keeps what the machine heard (machine_text) beside a person's correction
(edited_text), and a split or a merge divides or joins both. Once a person has corrected or
confirmed a segment (reviewed_at), the machine's doubts about it are no longer shown.

Nothing here may change a transcript that is accepted (its words are in the narrative or the
session's record now, and are corrected there), erased (consent withdrawn), or still being
transcribed (the worker numbers the segments it adds by how many there are).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..audit.rules import record
from ..auth.models import User
from ..errors import DomainError, ValidationFailed
from ..extensions import db
from ..timeutil import utcnow
from .models import MAX_SPEAKER_NAME, OTHER, SPEAKERS, Recording, TranscriptSegment
from .rules import can_review, segments_of

MAX_SEGMENT_CHARACTERS = 10_000
MAX_FIND = 200
EDIT = "recording.edit_segment"


# ------------------------------------------------------------------ may it be changed


def check_can_change(recording: Recording) -> None:
    """Refuse, saying why, any change to a transcript that is no longer (or not yet) open to
    correction."""
    if recording.status == "accepted":
        raise DomainError(
            "This transcript is already accepted, so it can no longer be changed here. "
            "Correct its words where they were placed instead."
        )
    if recording.status == "erased":
        raise DomainError(
            "This recording was erased when consent was withdrawn: there is nothing to change."
        )
    if recording.status in ("queued", "transcribing"):
        raise DomainError(
            "This recording is still being transcribed. Wait until it is finished, then "
            "correct the transcript."
        )
    if not can_review(recording):
        raise DomainError("There is no transcript to change yet.")


def is_open(recording: Recording) -> bool:
    """Whether its transcript may be corrected now (check_can_change says why not)."""
    try:
        check_can_change(recording)
    except DomainError:
        return False
    return True


# ------------------------------------------------------------------ speakers


@dataclass(frozen=True)
class Speaker:
    """Who is speaking in a segment: narrator, facilitator, or another person by name."""

    speaker: str
    name: str | None = None


def speaker_of(choice: str | None, name: str | None, *, known: Iterable[str] = ()) -> Speaker:
    """The speaker a person chose, checked: "narrator", "facilitator", or "other" with a
    name (trimmed, up to 80 characters). A name written as one already in the transcript
    but in other capitals takes that spelling, so one person's words join into one turn;
    a name that says "Narrator" or "Facilitator" is that speaker."""
    name = " ".join((name or "").split())
    choice = (choice or "").strip()
    if choice in SPEAKERS:
        if name:
            raise DomainError(
                f"You chose {SPEAKERS[choice]} and also wrote a name. Choose “Someone else” "
                "to use the name, or clear the name.",
                "speaker_name",
            )
        return Speaker(choice)
    if choice != OTHER:
        raise DomainError(
            "Choose who is speaking: the narrator, the facilitator or someone else.", "speaker"
        )
    if not name:
        raise DomainError(
            "Write who is speaking, such as Interpreter, Daughter or Social worker.",
            "speaker_name",
        )
    if len(name) > MAX_SPEAKER_NAME:
        raise DomainError(
            f"Keep the speaker's name to {MAX_SPEAKER_NAME} characters or fewer "
            f"(this one has {len(name)}).",
            "speaker_name",
        )
    for key, label in SPEAKERS.items():
        if name.casefold() == label.casefold():
            return Speaker(key)
    for existing in known:
        if existing.casefold() == name.casefold():
            return Speaker(OTHER, existing)
    return Speaker(OTHER, name)


def named_speakers(recording: Recording) -> list[str]:
    """The names of the other speakers in this transcript, in the order they first speak."""
    names: list[str] = []
    for segment in segments_of(recording):
        if segment.speaker == OTHER and segment.speaker_name and segment.speaker_name not in names:
            names.append(segment.speaker_name)
    return names


def segments_numbered(recording: Recording, first: int | None, last: int | None) -> list[int]:
    """The ids of the segments numbered first to last (as the page numbers them, from 1)."""
    count = len(segments_of(recording))
    if first is None or last is None:
        raise DomainError("Give the number of the first and of the last segment.", "first")
    if not 1 <= first <= count:
        raise DomainError(f"There is no segment {first}: they are numbered 1 to {count}.", "first")
    if not 1 <= last <= count:
        raise DomainError(f"There is no segment {last}: they are numbered 1 to {count}.", "last")
    if last < first:
        raise DomainError(
            f"The last segment ({last}) comes before the first ({first}): swap them.", "last"
        )
    return [segment.id for segment in segments_of(recording)[first - 1 : last]]


def set_speaker(
    recording: Recording,
    segment_ids: Iterable[int],
    choice: str | None,
    name: str | None = None,
    *,
    by: User,
) -> int:
    """Say who is speaking in the chosen segments of this recording; returns how many
    segments changed speaker."""
    check_can_change(recording)
    wanted = set(segment_ids or ())
    segments = [s for s in segments_of(recording) if s.id in wanted]
    problems: dict[str, str] = {}
    if not wanted:
        problems["segment_ids"] = "Choose at least one segment."
    elif len(segments) != len(wanted):
        problems["segment_ids"] = (
            "One of the chosen segments is not in this transcript: reload the page."
        )
    try:
        speaker = speaker_of(choice, name, known=named_speakers(recording))
    except DomainError as refused:
        problems[refused.field or "speaker"] = refused.message
    if problems:
        raise ValidationFailed(problems)  # each message beside its own field
    changed = [s for s in segments if (s.speaker, s.speaker_name) != _columns(speaker)]
    return _give_speaker(recording, changed, speaker, "speaker", by)


def rename_speaker(
    recording: Recording, old_name: str | None, choice: str | None, name: str | None, *, by: User
) -> int:
    """Give a named speaker another name (or say they are the narrator or the facilitator)
    everywhere in the transcript at once: "Speaker 2" becomes "Daughter". Returns how many
    segments changed."""
    check_can_change(recording)
    old_name = " ".join((old_name or "").split())
    names = named_speakers(recording)
    if not old_name:
        raise DomainError("Choose the speaker to rename.", "old_name")
    if old_name not in names:
        raise DomainError(f"No segment of this transcript is spoken by “{old_name}”.", "old_name")
    speaker = speaker_of(choice, name, known=[n for n in names if n != old_name])
    if _columns(speaker) == (OTHER, old_name):
        raise DomainError(f"“{old_name}” already has that name: nothing to change.", "speaker_name")
    segments = [
        s for s in segments_of(recording) if s.speaker == OTHER and s.speaker_name == old_name
    ]
    return _give_speaker(recording, segments, speaker, "rename_speaker", by)


def _give_speaker(recording, segments, speaker: Speaker, change: str, by: User) -> int:
    """These segments are now spoken by `speaker`: changed, and recorded once if any were."""
    for segment in segments:
        segment.speaker, segment.speaker_name = _columns(speaker)
    if segments:
        record(
            EDIT,
            user_id=by.id,
            subject=recording,
            change=change,
            speaker=speaker.speaker,
            segments=[s.id for s in segments],
        )
    return len(segments)


def _columns(speaker: Speaker) -> tuple[str, str | None]:
    return speaker.speaker, speaker.name if speaker.speaker == OTHER else None


# ------------------------------------------------------------------ words


def _clean_words(text: str | None, field: str = "text") -> str:
    text = " ".join((text or "").split())
    if not text:
        raise DomainError("Write what was said, or leave the segment as it was.", field)
    if len(text) > MAX_SEGMENT_CHARACTERS:
        raise DomainError(
            f"A segment can hold up to {MAX_SEGMENT_CHARACTERS:,} characters "
            f"(this one would have {len(text):,}).",
            field,
        )
    return text


def put_words(segment: TranscriptSegment, text: str, by: User) -> None:
    segment.edited_text = None if text == segment.machine_text else text
    segment.edited_by_id = by.id
    segment.edited_at = utcnow()


def _mark_reviewed(segment: TranscriptSegment, by: User) -> None:
    segment.reviewed_by_id = by.id
    segment.reviewed_at = utcnow()


def edit_segment(segment: TranscriptSegment, text: str, *, by: User) -> bool:
    """Correct a segment's words; the machine's text is kept beside the edit. A corrected
    segment counts as reviewed: its unsure marks are no longer shown."""
    check_can_change(segment.recording)
    text = _clean_words(text)
    if text == segment.text:
        return False
    put_words(segment, text, by)
    _mark_reviewed(segment, by)
    record(EDIT, user_id=by.id, subject=segment.recording, change="words", segment=segment.id)
    return True


def confirm_segment(segment: TranscriptSegment, *, by: User) -> bool:
    """A person listened and the words are right as they are: the segment's unsure marks
    are no longer shown. Returns False if it was already corrected or confirmed."""
    check_can_change(segment.recording)
    if segment.is_reviewed:
        return False
    _mark_reviewed(segment, by)
    record(EDIT, user_id=by.id, subject=segment.recording, change="confirm", segment=segment.id)
    return True


# ------------------------------------------------------------------ split and merge


@dataclass(frozen=True)
class SplitPoint:
    """A place between two words where a segment can be split, for the split page."""

    at: int  # character position in the segment's text: the second part starts here
    before: str  # a few words before it
    after: str  # a few words after it
    has_more_before: bool  # words before those shown
    has_more_after: bool


def split_points(segment: TranscriptSegment, context: int = 4) -> list[SplitPoint]:
    """Every place between two words of the segment's text."""
    text = segment.text
    starts = [match.start() for match in re.finditer(r"\S+", text)]
    words = text.split()
    return [
        SplitPoint(
            at=start,
            before=" ".join(words[max(0, index - context) : index]),
            after=" ".join(words[index : index + context]),
            has_more_before=index > context,
            has_more_after=index + context < len(words),
        )
        for index, start in enumerate(starts)
        if index
    ]


def split_segment(segment: TranscriptSegment, at: int | None, *, by: User) -> TranscriptSegment:
    """Split a segment at a character position of its text: the words before stay, those
    after become a new segment right after it. The time is divided where the words were
    heard (the stored word timings), or else in proportion to the characters; what the
    machine heard is divided at the same place. Returns the new segment."""
    recording = segment.recording
    check_can_change(recording)
    text = segment.text
    if at is None:
        raise DomainError("Choose where to split the segment.", "at")
    if at <= 0 or not text[:at].strip():
        raise DomainError(
            "There are no words before that place: choose a place between two words.", "at"
        )
    if at >= len(text) or not text[at:].strip():
        raise DomainError(
            "There are no words after that place: choose a place between two words.", "at"
        )
    first_text, second_text = text[:at].strip(), text[at:].strip()
    machine = segment.machine_text
    cut = at if segment.edited_text is None else _same_place(text, machine, at)
    first_machine, second_machine = machine[:cut].strip(), machine[cut:].strip()
    first_words, second_words, first_end, second_start = _divide_time(segment, cut, at / len(text))

    segments = segments_of(recording)
    for later in segments[segments.index(segment) + 1 :]:
        later.position += 1
    new = TranscriptSegment(
        recording_id=recording.id,
        position=segment.position + 1,
        start_seconds=second_start,
        end_seconds=segment.end_seconds,
        machine_text=second_machine,
        edited_text=None if second_text == second_machine else second_text,
        speaker=segment.speaker,
        speaker_name=segment.speaker_name,
        avg_logprob=segment.avg_logprob,
        no_speech_prob=segment.no_speech_prob,
        words=second_words,
        edited_by_id=segment.edited_by_id,
        edited_at=segment.edited_at,
        reviewed_by_id=segment.reviewed_by_id,
        reviewed_at=segment.reviewed_at,
    )
    segment.machine_text = first_machine
    segment.edited_text = None if first_text == first_machine else first_text
    segment.end_seconds = first_end
    segment.words = first_words
    if new.edited_text is not None and new.edited_by_id is None:
        new.edited_by_id, new.edited_at = by.id, utcnow()
    if segment.edited_text is not None and segment.edited_by_id is None:
        segment.edited_by_id, segment.edited_at = by.id, utcnow()
    db.session.add(new)
    db.session.flush()
    db.session.expire(recording, ["segments"])
    record(EDIT, user_id=by.id, subject=recording, change="split", segments=[segment.id, new.id])
    return new


def _same_place(text: str, machine: str, at: int) -> int:
    """Where in what the machine heard the corrected text's position `at` falls, at the
    nearest boundary between words: the two texts are lined up character by character."""
    if not machine:
        return 0
    place = len(machine)
    matcher = difflib.SequenceMatcher(None, text, machine, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if i1 <= at < i2:
            if tag == "equal":
                place = j1 + (at - i1)
            elif tag == "replace":
                place = j1 + round((at - i1) * (j2 - j1) / (i2 - i1))
            else:  # deleted from the machine's words: the place is where they were
                place = j1
            break
    boundaries = [0, len(machine)] + [m.start() for m in re.finditer(r"(?<=\s)\S", machine)]
    return min(boundaries, key=lambda boundary: (abs(boundary - place), boundary))


def _word_places(machine: str, words: list) -> list[int] | None:
    """Where each stored word starts in what the machine heard, or None if they do not
    line up with it."""
    places, cursor = [], 0
    for word in words:
        token = str(word.get("word", "")).strip()
        if not token:
            places.append(cursor)
            continue
        found = machine.find(token, cursor)
        if found < 0:
            return None
        places.append(found)
        cursor = found + len(token)
    return places


def _divide_time(
    segment: TranscriptSegment, cut: int, share: float
) -> tuple[list, list, float, float]:
    """The words of each part and the time the first part ends and the second starts."""
    words = list(segment.words or [])
    start, end = segment.start_seconds, segment.end_seconds
    places = _word_places(segment.machine_text, words) if words else None
    if places is not None:
        first = [word for word, place in zip(words, places, strict=True) if place < cut]
        second = words[len(first) :]
        if first and second:
            first_end = min(max(float(first[-1].get("end", start)), start), end)
            second_start = min(max(float(second[0].get("start", end)), first_end), end)
            return first, second, first_end, second_start
    moment = start + (end - start) * share
    first = [word for word in words if float(word.get("start", start)) < moment]
    return first, words[len(first) :], moment, moment


def merge_with_next(segment: TranscriptSegment, *, by: User) -> TranscriptSegment:
    """Join a segment and the one after it: their words (and what the machine heard) are
    joined, the time spans both. Refused across two speakers: say who speaks first."""
    recording = segment.recording
    check_can_change(recording)
    segments = segments_of(recording)
    index = segments.index(segment)
    if index == len(segments) - 1:
        raise DomainError("This is the last segment: there is none after it to merge with.")
    following = segments[index + 1]
    if (segment.speaker, segment.speaker_name) != (following.speaker, following.speaker_name):
        raise DomainError(
            f"This segment is spoken by {segment.speaker_label} and the next by "
            f"{following.speaker_label}, so they cannot be one segment. If one speaker says "
            "both, change the speaker of one of them first, then merge."
        )
    text = " ".join(part for part in (segment.text.strip(), following.text.strip()) if part)
    if len(text) > MAX_SEGMENT_CHARACTERS:
        raise DomainError(
            f"Together the two segments would pass {MAX_SEGMENT_CHARACTERS:,} characters; "
            "correct them separately."
        )
    machine = " ".join(
        part for part in (segment.machine_text.strip(), following.machine_text.strip()) if part
    )
    segment.edited_text = None if text == machine else text
    if segment.edited_text is not None and segment.edited_by_id is None:
        segment.edited_by_id = following.edited_by_id or by.id
        segment.edited_at = following.edited_at or utcnow()
    segment.machine_text = machine
    segment.start_seconds = min(segment.start_seconds, following.start_seconds)
    segment.end_seconds = max(segment.end_seconds, following.end_seconds)
    segment.words = list(segment.words or []) + list(following.words or [])
    # The merged segment is as doubtful as its more doubtful half, and reviewed only if
    # both halves were: merging never hides what nobody has checked.
    segment.avg_logprob = _lowest(segment.avg_logprob, following.avg_logprob)
    segment.no_speech_prob = _highest(segment.no_speech_prob, following.no_speech_prob)
    if not following.is_reviewed:
        segment.reviewed_at, segment.reviewed_by_id = None, None
    merged_away = following.id
    db.session.delete(following)
    for later in segments[index + 2 :]:
        later.position -= 1
    db.session.flush()
    db.session.expire(recording, ["segments"])
    record(
        EDIT, user_id=by.id, subject=recording, change="merge", segments=[segment.id, merged_away]
    )
    return segment


def _lowest(*values: float | None) -> float | None:
    known = [value for value in values if value is not None]
    return min(known) if known else None


def _highest(*values: float | None) -> float | None:
    known = [value for value in values if value is not None]
    return max(known) if known else None
