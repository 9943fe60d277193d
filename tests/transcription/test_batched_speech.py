"""The real model, batched: two synthesised voices taking turns, long silence and noise.

Speech is made on the fly with espeak-ng and flite. A sentence counts as heard when most of
its words come back in order; the batched transcript must hear every sentence once, keep each
word's timing and confidence, and write nothing in the silence or the noise.
"""

from __future__ import annotations

import difflib
import re

import numpy as np
import pytest

from narrative_service.transcription import batching
from narrative_service.transcription.engines import EngineSettings, engine_for
from tests.audio import samples_of, speak, speak_flite

RATE = 16_000
TURNS = [
    ("espeak", "I want to start with the morning the letter came, because that is when it began."),
    (
        "flite",
        "Nobody told me who had raised the concern, and that frightened me more than anything.",
    ),
    ("espeak", "She sat at my kitchen table and let me talk for an hour without hurrying me."),
    ("flite", "My son helps with the post now, and we talk about it openly."),
    ("espeak", "The worst part was waiting for a phone call that did not come for two weeks."),
    ("flite", "I would say to anyone working in this area that you should read the notes first."),
    ("espeak", "When the meeting ended I felt that somebody had finally listened to me."),
    ("flite", "I feel safer now, and I know who to ring if it happens again."),
]


def words(text: str) -> list[str]:
    return re.findall(r"[a-z']+", text.lower())


def heard_share(sentence: str, transcript: list[str]) -> float:
    """The share of the sentence's words found, in order, in the transcript."""
    said = words(sentence)
    matcher = difflib.SequenceMatcher(None, said, transcript, autojunk=False)
    return sum(block.size for block in matcher.get_matching_blocks()) / len(said)


@pytest.fixture(scope="module")
def conversation(tmp_path_factory):
    """The turns with short pauses, then two minutes of silence, one turn, two minutes of
    noise, and the last turn: (samples, where the silence is, where the noise is)."""
    folder = tmp_path_factory.mktemp("speech")
    pieces = []
    for n, (voice, text) in enumerate(TURNS[:-1]):
        path = folder / f"turn{n}.wav"
        made = speak(text, path) if voice == "espeak" else speak_flite(text, path)
        pieces += [samples_of(made), np.zeros(int(0.6 * RATE), np.float32)]
    rng = np.random.default_rng(7)
    silence = np.zeros(120 * RATE, np.float32)
    noise = (rng.standard_normal(120 * RATE) * 0.04).astype(np.float32)
    last = samples_of(speak_flite(TURNS[-1][1], folder / "last.wav"))
    before = sum(p.size for p in pieces)
    quiet = (before / RATE, (before + silence.size) / RATE)
    middle = samples_of(speak(TURNS[0][1], folder / "again.wav"))
    noisy_from = (before + silence.size + middle.size) / RATE
    samples = np.concatenate([*pieces, silence, middle, noise, last])
    return samples, quiet, (noisy_from, noisy_from + 120)


def test_every_turn_is_heard_once_with_timings_and_nothing_in_silence_or_noise(conversation):
    samples, (quiet_from, quiet_to), (noisy_from, noisy_to) = conversation
    engine = engine_for(EngineSettings())  # batched is the default
    assert engine.batched

    segments = list(engine.segments(samples))

    transcript = words(" ".join(s.text for s in segments))
    for _, sentence in TURNS:
        assert heard_share(sentence, transcript) >= 0.7, sentence
    # nothing doubled at a join: no more words than were said, give or take a few
    said = sum(len(words(text)) for _, text in TURNS) + len(words(TURNS[0][1]))
    assert said * 0.9 <= len(transcript) <= said * 1.05
    every_word = [w for s in segments for w in s.words]
    assert every_word and all(0 <= w.start <= w.end and 0 < w.probability <= 1 for w in every_word)
    assert [w.start for w in every_word] == sorted(w.start for w in every_word)
    for w in every_word:
        assert not (quiet_from + 1 < w.start < quiet_to - 1), f"{w.word!r} heard in silence"
        assert not (noisy_from + 1 < w.start < noisy_to - 1), f"{w.word!r} heard in noise"
    # a new segment at each pause between turns: no segment spans two voices' turns
    assert len(segments) >= len(TURNS)


def test_batched_hears_what_one_window_at_a_time_hears(conversation):
    samples, *_ = conversation
    speech = samples[: int(40 * RATE)]
    batched = engine_for(EngineSettings())
    one_at_a_time = engine_for(EngineSettings(batch_size=1))
    assert not one_at_a_time.batched

    heard_batched = words(" ".join(s.text for s in batched.segments(speech)))
    heard_alone = words(" ".join(s.text for s in one_at_a_time.segments(speech)))

    matcher = difflib.SequenceMatcher(None, heard_alone, heard_batched, autojunk=False)
    assert matcher.ratio() >= 0.85


def test_segment_times_are_offset_into_the_whole_recording(conversation):
    samples, *_ = conversation
    engine = engine_for(EngineSettings())
    piece = samples[: int(12 * RATE)]

    segments = list(engine.segments(piece, offset=600.0))

    assert segments and all(600.0 <= s.start < s.end <= 612.5 for s in segments)
    assert all(w.start >= 600.0 for s in segments for w in s.words)
    assert all(s.end - s.start <= batching.LONGEST_SECONDS + 1 for s in segments)
