"""Who spoke when, from the sound alone: conversations made on the fly with espeak-ng and
flite, each voice a speaker, and the turns' true times to check the labels against."""

from __future__ import annotations

import itertools
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from faster_whisper.audio import decode_audio

from narrative_service.transcription.audio import SAMPLE_RATE
from narrative_service.transcription.speakers import label_speakers, split_points

SENTENCES = [
    "I want to start with the morning the letter came.",
    "It was a brown envelope with a window, and I left it on the table.",
    "When I finally opened it, I had to read it three times.",
    "Nobody told me who had raised the concern, and that frightened me.",
    "My son was the one who rang them back in the end.",
    "The first person who visited kept looking at her watch.",
    "She asked me lots of questions about money and my shopping.",
    "Afterwards I could not remember half of what I had said.",
    "What I needed was for someone to explain things in plain words.",
    "Instead there were forms, and meetings, and people talking about me.",
    "The worry was that my neighbour had been taking money from my account.",
    "He had been kind to me for years, fetching my paper every morning.",
    "In the end a new worker came, and she sat down with me properly.",
    "She wrote down what I said in my own words and read it back to me.",
]
# (synthesiser, voice): a man and a woman from espeak-ng, a woman and a man from flite.
VOICES = {
    "espeak en-gb": ("espeak-ng", "en-gb"),
    "espeak en+f3": ("espeak-ng", "en+f3"),
    "flite slt": ("flite", "slt"),
    "flite rms": ("flite", "rms"),
}


def _require(tool: str) -> None:
    if shutil.which(tool) is None:
        pytest.skip(f"{tool} is not installed (apt-get install -y {tool}), so no speech to label")


def _speak(voice: str, text: str, path: Path) -> np.ndarray:
    synthesiser, name = VOICES[voice]
    _require(synthesiser)
    if synthesiser == "espeak-ng":
        command = ["espeak-ng", "-v", name, "-s", "160", "-w", str(path), text]
    else:
        command = ["flite", "-voice", name, "-t", text, "-o", str(path)]
    subprocess.run(command, check=True, capture_output=True)
    return decode_audio(str(path), sampling_rate=SAMPLE_RATE)


@dataclass
class Conversation:
    samples: np.ndarray
    turns: list[tuple[float, float]]  # each turn's start and end, in seconds
    speakers: list[int]  # who spoke each turn, numbered by voice

    @property
    def seconds(self) -> np.ndarray:
        return np.array([end - start for start, end in self.turns])


def _converse(folder: Path, voices: list[str], order: list[int], gap: float = 0.7):
    """Turns of one sentence, spoken by voices[order[n]], with `gap` seconds between turns
    over a faint hiss (real pauses are never digital silence)."""
    pieces = [np.zeros(int(0.3 * SAMPLE_RATE), np.float32)]
    at = pieces[0].size / SAMPLE_RATE
    turns = []
    for number, speaker in enumerate(order):
        spoken = _speak(voices[speaker], SENTENCES[number % len(SENTENCES)], folder / "turn.wav")
        spoken = spoken * (0.1 / float(np.sqrt(np.mean(spoken**2))))
        turns.append((at, at + spoken.size / SAMPLE_RATE))
        pieces += [spoken, np.zeros(int(gap * SAMPLE_RATE), np.float32)]
        at += (spoken.size + int(gap * SAMPLE_RATE)) / SAMPLE_RATE
    sound = np.concatenate(pieces)
    hiss = np.random.default_rng(7).normal(0.0, 0.002, sound.size)
    return Conversation((sound + hiss).astype(np.float32), turns, list(order))


def _agreement(labels: list[int], conversation: Conversation) -> float:
    """The share of speech time whose label is its speaker's, after the best one-to-one
    match of labels to speakers."""
    seconds = conversation.seconds
    found, speakers = max(labels) + 1, max(conversation.speakers) + 1
    best = 0.0
    for match in itertools.permutations(range(max(found, speakers)), found):
        right = sum(
            time
            for time, label, speaker in zip(seconds, labels, conversation.speakers, strict=True)
            if match[label] == speaker
        )
        best = max(best, right)
    return best / seconds.sum()


@pytest.fixture(scope="module")
def two_voices(tmp_path_factory) -> Conversation:
    folder = tmp_path_factory.mktemp("two-voices")
    return _converse(folder, ["espeak en-gb", "flite slt"], [0, 1, 0, 1, 1, 0, 1, 0, 0, 1])


@pytest.fixture(scope="module")
def three_voices(tmp_path_factory) -> Conversation:
    folder = tmp_path_factory.mktemp("three-voices")
    order = [0, 1, 2, 0, 2, 1, 0, 1, 2, 1, 0, 2]
    return _converse(folder, ["flite rms", "espeak en+f3", "flite slt"], order)


@pytest.fixture(scope="module")
def monologue(tmp_path_factory) -> Conversation:
    folder = tmp_path_factory.mktemp("monologue")
    return _converse(folder, ["flite rms"], [0] * 9, gap=0.4)


def test_two_voices_are_told_apart(two_voices):
    labels = label_speakers(two_voices.samples, two_voices.turns)

    assert len(labels) == len(two_voices.turns)
    assert set(labels) == {0, 1}
    assert labels[0] == 0, "speakers are numbered in order of first appearance"
    assert _agreement(labels, two_voices) >= 0.9


def test_three_voices_are_told_apart(three_voices):
    labels = label_speakers(three_voices.samples, three_voices.turns)

    assert set(labels) == {0, 1, 2}
    assert labels[:3] == [0, 1, 2]
    assert _agreement(labels, three_voices) >= 0.9


def test_a_count_of_two_is_honoured(two_voices, three_voices):
    two = label_speakers(two_voices.samples, two_voices.turns, count=2)
    squeezed = label_speakers(three_voices.samples, three_voices.turns, count=2)

    assert _agreement(two, two_voices) >= 0.9
    assert set(squeezed) == {0, 1}


def test_a_monologue_is_one_speaker(monologue):
    labels = label_speakers(monologue.samples, monologue.turns)

    assert labels == [0] * len(monologue.turns)
    assert split_points(monologue.samples, monologue.turns, labels) == [[]] * len(labels)


def test_empty_short_and_silent_segments_take_a_neighbours_speaker(two_voices):
    turns, speakers = two_voices.turns, two_voices.speakers
    labels = label_speakers(two_voices.samples, turns)
    after_third = turns[2][1]
    inside_fifth = turns[4][0] + 1.0
    segments = [
        *turns,
        (after_third + 0.1, after_third + 0.1),  # empty, in the pause after the third turn
        (inside_fifth, inside_fifth + 0.3),  # too short to say whose it is
        (after_third + 0.05, after_third + 0.6),  # the pause's hiss: long enough, but silent
    ]
    assert speakers[2] != speakers[3], "the pause sits between two speakers"

    with_extras = label_speakers(two_voices.samples, segments)

    assert with_extras[: len(turns)] == labels
    assert with_extras[len(turns) :] == [labels[2], labels[4], labels[2]]


def test_nothing_to_go_on_is_one_speaker_and_nothing_is_nothing(two_voices):
    start = two_voices.turns[0][0]
    short = [(start, start + 0.2), (start + 0.3, start + 0.3), (start + 0.4, start + 0.8)]

    assert label_speakers(two_voices.samples, short) == [0, 0, 0]
    assert label_speakers(two_voices.samples, []) == []
    assert label_speakers(np.zeros(0, np.float32), []) == []


def test_a_change_of_voice_inside_a_long_segment_is_found(two_voices):
    turns = two_voices.turns
    joined = [*turns[:4], (turns[4][0], turns[5][1]), *turns[6:]]
    assert two_voices.speakers[4] != two_voices.speakers[5]

    points = split_points(two_voices.samples, joined)

    assert [len(inside) for inside in points] == [0, 0, 0, 0, 1, 0, 0, 0, 0]
    (change,) = points[4]
    assert turns[4][1] - 0.5 <= change <= turns[5][0] + 0.5


def test_turns_that_are_one_voice_each_are_not_split(two_voices):
    assert split_points(two_voices.samples, two_voices.turns) == [[]] * len(two_voices.turns)


SOUND = np.zeros(SAMPLE_RATE * 4, np.float32)


@pytest.mark.parametrize(
    ("samples", "segments", "options", "message"),
    [
        (SOUND, [(-0.5, 1.0)], {}, r"segment 0 has a negative time \(-0.5 to 1 s\)"),
        (SOUND, [(0.0, 1.0), (3.0, 2.0)], {}, r"segment 1 ends \(2 s\) before it starts \(3 s\)"),
        (SOUND, [(9.0, 10.0)], {}, r"starts at 9 s, after the end of the samples \(4 s\)"),
        (SOUND, [(1.0,)], {}, r"segment 0 must be a \(start, end\) pair of seconds"),
        (SOUND, [(float("nan"), 1.0)], {}, "segment 0 has a time that is not a number"),
        (np.zeros((2, SAMPLE_RATE)), [(0.0, 1.0)], {}, r"one channel of sound \(a 1-D array\)"),
        (
            np.zeros(SAMPLE_RATE, np.int16),
            [(0.0, 1.0)],
            {},
            "floating-point sound between -1 and 1, not int16",
        ),
        ([0.0] * SAMPLE_RATE, [(0.0, 1.0)], {}, "samples must be a numpy array"),
        (np.full(SAMPLE_RATE, np.nan, np.float32), [(0.0, 1.0)], {}, r"not numbers \(NaN"),
        (SOUND, [(0.0, 1.0)], {"count": 0}, "count must be at least 1 speaker, not 0"),
        (SOUND, [(0.0, 1.0)], {"count": 1.5}, "count must be a whole number"),
        (SOUND, [(0.0, 1.0)], {"max_speakers": 0}, "max_speakers must be at least 1"),
    ],
)
def test_bad_input_is_refused_with_a_message_naming_it(samples, segments, options, message):
    with pytest.raises(ValueError, match=message):
        label_speakers(samples, segments, **options)


def test_split_points_want_one_label_per_segment():
    with pytest.raises(ValueError, match="one speaker per segment: 1 for 2"):
        split_points(SOUND, [(0.0, 1.0), (1.0, 2.0)], [0])
    with pytest.raises(ValueError, match="speaker numbers from 0"):
        split_points(SOUND, [(0.0, 1.0)], [-1])
