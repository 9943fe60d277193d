"""Decoding many stretches of speech at once without losing or doubling a word at a join.

Whisper hears 30 seconds at a time. Decoding those windows one after another (what plain
faster-whisper does) leaves the CPU's second core mostly idle; decoding several in one batch
uses both. Batching alone loses words, measured: where a window is cut in the middle of
speech the word at the cut is garbled, and when the model is asked for text without
timestamps it sometimes stops before the end of a window. So this module

1. finds the speech (Silero voice-activity detection, as faster-whisper ships it) and groups
   it into windows of at most WINDOW_SECONDS that are cut only in silence, half-way into the
   pause; speech that runs on without a pause is cut with OVERLAP_SECONDS of overlap each
   side, and each word belongs to the window whose own part holds its middle;
2. decodes the windows in batches, with word timings;
3. checks every stretch of speech against the words that came back: a stretch whose words
   cover too little of it is decoded again on its own, and the stretch keeps the reading
   with more words (never both);
4. drops what Whisper invents: windows it judges to hold no speech, and repetition loops;
5. makes transcript segments from the words: a new segment at each pause long enough for
   someone else to speak, and at a sentence's end once a segment is long enough to read.

Nothing here knows of narratives or the database: samples in, segments out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np

SAMPLE_RATE = 16_000
SLOT_SECONDS = 30.0  # what Whisper hears at once
WINDOW_SECONDS = 25.0  # below it, so a window is never truncated
PAD_SECONDS = 0.4  # silence kept either side of speech, at most half the pause
OVERLAP_SECONDS = 1.0  # each side of a cut made inside speech
BREATH_SECONDS = 0.4  # inside a window, a longer pause keeps this much either side
MIN_PAUSE_MS = 160  # a pause the detector must hear before it may end a stretch of speech
# A stretch of speech whose words cover less than this share of it is decoded again.
MIN_COVERAGE = 0.35
MIN_CHECKED_SECONDS = 0.4  # shorter stretches are breaths and clicks: not checked
AGAIN_AT_MOST = 2  # decodings of what is missing: together, then each stretch alone
# Whisper's own rule for "no speech here": a high no-speech probability and a low score.
NO_SPEECH_PROB = 0.6
LOW_LOGPROB = -1.0
# Segments: a new one after a pause this long, or after a sentence once it is this long.
SPEAKER_PAUSE_SECONDS = 0.6
READABLE_SECONDS = 8.0
LONGEST_SECONDS = 20.0
# Repetition loops: a run of 1 to LOOP_LONGEST words said more than LOOP_TIMES times in a row.
LOOP_LONGEST = 8
LOOP_TIMES = 3
SENTENCE_ENDS = (".", "?", "!")


@dataclass(frozen=True)
class Window:
    """What Whisper hears at once: `parts` of the recording (start, end), laid end to end so
    that long pauses between them shrink to a breath; and the part of the recording
    (`own_start`..`own_end`) whose words this window keeps. The own parts of all windows tile
    the recording, so every word belongs to exactly one window."""

    parts: tuple[tuple[float, float], ...]
    own_start: float
    own_end: float

    @property
    def seconds(self) -> float:
        return sum(end - start for start, end in self.parts)

    def to_recording(self, at: float) -> float:
        """A time in the window's sound (0 at its start) as a time in the recording."""
        for start, end in self.parts:
            if at <= end - start:
                return start + max(at, 0.0)
            at -= end - start
        return self.parts[-1][1]


@dataclass
class Word:
    text: str  # as the model wrote it, with its leading space
    start: float
    end: float
    probability: float
    no_speech_prob: float = 0.0  # the model's, for the window the word came from

    @property
    def middle(self) -> float:
        return (self.start + self.end) / 2


@dataclass
class Decoded:
    """What one window gave back: its words, and the model's scores for the window."""

    window: Window
    words: list[Word]
    avg_logprob: float
    no_speech_prob: float


# A decoder takes windows and gives back one Decoded for each, in the same order.
Decoder = Callable[[Sequence[Window]], list[Decoded]]


def windows(
    speech: Sequence[tuple[float, float]],
    duration: float,
    longest: float = WINDOW_SECONDS,
) -> list[Window]:
    """Group stretches of speech (start, end), in order, into windows of at most `longest`
    seconds of sound. Windows meet half-way into a pause; inside a window a pause is kept
    to at most 2 × BREATH_SECONDS. A stretch longer than a window (speech without a pause
    the detector could hear) is cut inside it, each side overlapping the other by
    OVERLAP_SECONDS, and its words are shared out at the cut."""
    pieces: list[tuple[float, float, bool]] = []  # (start, end, begins at a cut in speech)
    reach = longest - 2 * OVERLAP_SECONDS
    for start, end in speech:
        cut = False
        while end - start > reach:
            pieces.append((start, start + reach, cut))
            start, cut = start + reach, True
        pieces.append((start, end, cut))

    def edges(n: int) -> tuple[float, float]:
        """Where the silence around piece n begins and ends."""
        before = pieces[n - 1][1] if n else 0.0
        after = pieces[n + 1][0] if n + 1 < len(pieces) else duration
        return before, after

    made: list[Window] = []
    parts: list[tuple[float, float]] = []
    own_start = 0.0
    for n, (start, end, cut) in enumerate(pieces):
        before, after = edges(n)
        cut_after = n + 1 < len(pieces) and pieces[n + 1][2]
        lead = OVERLAP_SECONDS if cut else min(PAD_SECONDS, (start - before) / 2)
        trail = OVERLAP_SECONDS if cut_after else min(PAD_SECONDS, (after - end) / 2)
        part = (max(0.0, start - lead), min(duration, end + trail))
        if parts and not cut:
            # Shrink the pause between the window's last piece and this one to a breath.
            squeezed = (max(part[0], start - BREATH_SECONDS), part[1])
            last = parts[-1]
            shorter = (last[0], min(last[1], pieces[n - 1][1] + BREATH_SECONDS))
            if (
                sum(b - a for a, b in parts[:-1])
                + (shorter[1] - shorter[0])
                + (squeezed[1] - squeezed[0])
                <= longest
            ):
                parts[-1] = shorter
                parts.append(squeezed)
                continue
        if parts:
            boundary = pieces[n - 1][1] if cut else (before + start) / 2
            made.append(Window(tuple(parts), own_start, boundary))
            own_start = boundary
        parts = [part]
    if parts:
        made.append(Window(tuple(parts), own_start, duration))
    return made


def kept_words(decoded: Decoded) -> list[Word]:
    """The window's words that belong to it (their middle in its own part), without what
    the model invents in silence or noise, and with repetition loops cut."""
    if decoded.no_speech_prob > NO_SPEECH_PROB and decoded.avg_logprob < LOW_LOGPROB:
        return []
    own = [
        word
        for word in decoded.words
        if decoded.window.own_start <= word.middle < decoded.window.own_end and word.text.strip()
    ]
    return without_loops(own)


def without_loops(words: list[Word]) -> list[Word]:
    """Cut a run of words said over and over (a decoding loop) down to one saying."""
    kept: list[Word] = []
    i = 0
    while i < len(words):
        for size in range(1, LOOP_LONGEST + 1):
            times = 1
            while _same(words, i, i + times * size, size):
                times += 1
            if times > LOOP_TIMES:
                kept.extend(words[i : i + size])
                i += times * size
                break
        else:
            kept.append(words[i])
            i += 1
    return kept


def _same(words: list[Word], a: int, b: int, size: int) -> bool:
    if b + size > len(words):
        return False
    return all(_bare(words[a + k].text) == _bare(words[b + k].text) for k in range(size))


def _bare(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def covered_share(words: Iterable[Word], start: float, end: float) -> float:
    """How much of start..end the words whose middle lies in it cover."""
    spoken = sum(
        min(word.end, end) - max(word.start, start) for word in words if start <= word.middle < end
    )
    return max(0.0, spoken) / (end - start) if end > start else 1.0


def transcribe(
    speech: Sequence[tuple[float, float]], duration: float, decode: Decoder
) -> list[list[Word]]:
    """Decode the speech in windows, check every stretch for missing words and decode
    again where words are missing; returns the words of each stretch of speech, in order.
    Words the model placed in silence join the stretch nearest to them."""
    first = [word for decoded in decode(windows(speech, duration)) for word in kept_words(decoded)]
    by_stretch = _assign(first, speech)
    for attempt in range(1, AGAIN_AT_MOST + 1):
        missing = [
            n
            for n, (start, end) in enumerate(speech)
            if end - start >= MIN_CHECKED_SECONDS
            and covered_share(by_stretch[n], start, end) < MIN_COVERAGE
        ]
        if not missing:
            break
        # Missing stretches often come in a run (the model stopped early in a window):
        # together again, or each alone at the last attempt.
        stretches = [speech[n] for n in missing]
        again = (
            [_alone(speech, n, duration) for n in missing]
            if attempt == AGAIN_AT_MOST
            else windows(stretches, duration)
        )
        heard = [word for decoded in decode(again) for word in kept_words(decoded)]
        for n, words in zip(missing, _assign(heard, stretches), strict=True):
            start, end = speech[n]
            if covered_share(words, start, end) > covered_share(by_stretch[n], start, end):
                by_stretch[n] = words
    return by_stretch


def _alone(speech: Sequence[tuple[float, float]], n: int, duration: float) -> Window:
    """A window for one stretch of speech by itself, its own part the pauses' halves."""
    start, end = speech[n]
    before = speech[n - 1][1] if n else 0.0
    after = speech[n + 1][0] if n + 1 < len(speech) else duration
    own_start, own_end = (before + start) / 2, (end + after) / 2
    part = (max(own_start, start - PAD_SECONDS), min(own_end, end + PAD_SECONDS))
    return Window((part,), own_start, own_end)


def _assign(words: list[Word], speech: Sequence[tuple[float, float]]) -> list[list[Word]]:
    """Each word to the stretch of speech its middle is in, or the nearest one."""
    by_stretch: list[list[Word]] = [[] for _ in speech]
    if not speech:
        return by_stretch
    starts = np.array([start for start, _ in speech])
    ends = np.array([end for _, end in speech])
    for word in sorted(words, key=lambda w: w.start):
        distance = np.maximum(starts - word.middle, 0) + np.maximum(word.middle - ends, 0)
        by_stretch[int(np.argmin(distance))].append(word)
    return by_stretch


@dataclass
class Piece:
    """A transcript segment in the making: its words, in order."""

    words: list[Word]

    @property
    def start(self) -> float:
        return self.words[0].start

    @property
    def end(self) -> float:
        return self.words[-1].end

    @property
    def text(self) -> str:
        return "".join(word.text for word in self.words).strip()

    @property
    def avg_logprob(self) -> float:
        """The mean log-probability of its words: how sure the model was of this segment."""
        return float(np.mean([np.log(max(word.probability, 1e-6)) for word in self.words]))

    @property
    def no_speech_prob(self) -> float:
        return max(word.no_speech_prob for word in self.words)


def segments(
    words_by_stretch: Sequence[list[Word]],
    speech: Sequence[tuple[float, float]] | None = None,
) -> list[Piece]:
    """Words into segments a person can read and correct: a new segment after a pause in
    which someone else could have spoken (between the stretches of speech, when `speech`
    gives them, or between words), after a sentence once the segment is long enough to
    read, and never longer than LONGEST_SECONDS."""
    made: list[Piece] = []
    current: list[Word] = []
    previous_end: float | None = None
    for n, stretch in enumerate(words_by_stretch):
        paused = (
            speech is not None
            and n > 0
            and speech[n][0] - speech[n - 1][1] >= SPEAKER_PAUSE_SECONDS
        )
        if paused and current:
            made.append(Piece(current))
            current = []
        for word in stretch:
            if current:
                length = word.end - current[0].start
                ends_sentence = current[-1].text.rstrip().endswith(SENTENCE_ENDS)
                if (
                    (
                        previous_end is not None
                        and word.start - previous_end >= SPEAKER_PAUSE_SECONDS
                    )
                    or (ends_sentence and current[-1].end - current[0].start >= READABLE_SECONDS)
                    or length > LONGEST_SECONDS
                ):
                    made.append(Piece(current))
                    current = []
            current.append(word)
            previous_end = word.end
    if current:
        made.append(Piece(current))
    return made
