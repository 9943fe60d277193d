"""Windows of speech decoded in batches: no word lost or doubled at a join.

The decoder here is a stand-in that "hears" words placed at known times, so each rule about
joins can be checked exactly; tests/transcription/test_batched_speech.py runs the real model.
"""

from __future__ import annotations

import pytest

from narrative_service.transcription import batching
from narrative_service.transcription.batching import Decoded, Window, Word


def spoken(start: float, end: float, every: float = 0.5) -> list[Word]:
    """Words of `every` seconds from start to end, named by their start time."""
    words, at = [], start
    while at + every <= end + 1e-9:
        words.append(Word(f" w{at:.1f}", at, at + every * 0.8, 0.9))
        at += every
    return words


class Hearer:
    """Hears the words of `truth` that lie inside a window's parts, with the times the model
    would give: in the window's own sound, then mapped back. `stops_after` words per window
    imitates the model stopping early; `once` makes it stop early only the first time."""

    def __init__(self, truth: list[Word], stops_after: int | None = None, once: bool = True):
        self.truth, self.stops_after, self.once = truth, stops_after, once
        self.calls: list[list[Window]] = []

    def __call__(self, windows: list[Window]) -> list[Decoded]:
        self.calls.append(list(windows))
        limit = self.stops_after if (not self.once or len(self.calls) == 1) else None
        results = []
        for window in windows:
            heard = []
            offset = 0.0
            for start, end in window.parts:
                for word in self.truth:
                    if start <= word.middle < end:
                        local = offset + (word.start - start)
                        heard.append(
                            Word(
                                word.text,
                                window.to_recording(local),
                                window.to_recording(local + word.end - word.start),
                                word.probability,
                            )
                        )
                offset += end - start
            results.append(Decoded(window, heard[:limit], -0.2, 0.05))
        return results


def texts(words_by_stretch) -> list[str]:
    return [word.text for stretch in words_by_stretch for word in stretch]


def test_windows_are_cut_only_in_pauses_and_their_own_parts_tile_the_recording():
    speech = [(0.5, 6.0), (6.8, 14.0), (15.0, 22.0), (23.5, 30.0), (31.0, 40.0), (42.0, 50.0)]
    made = batching.windows(speech, duration=55.0)

    assert made[0].own_start == 0.0 and made[-1].own_end == 55.0
    for before, after in zip(made, made[1:], strict=False):
        assert before.own_end == after.own_start
        # the join lies in a pause, never inside a stretch of speech
        assert not any(start < before.own_end < end for start, end in speech)
    for window in made:
        assert window.seconds <= batching.WINDOW_SECONDS
    # every stretch is heard whole by the window that owns it
    for start, end in speech:
        owner = next(w for w in made if w.own_start <= (start + end) / 2 < w.own_end)
        assert any(a <= start and end <= b for a, b in owner.parts)


def test_long_pauses_inside_a_window_shrink_to_a_breath():
    speech = [(1.0, 4.0), (10.0, 13.0), (40.0, 42.0)]
    made = batching.windows(speech, duration=45.0)

    assert len(made) == 1
    window = made[0]
    assert window.seconds < 3 + 3 + 2 + 6 * batching.BREATH_SECONDS + 1e-9
    # a time in the window's sound maps back into the stretch it came from
    assert window.to_recording(0.5) == pytest.approx(window.parts[0][0] + 0.5)
    second = window.parts[0][1] - window.parts[0][0]
    assert window.to_recording(second + 0.5) == pytest.approx(window.parts[1][0] + 0.5)


def test_speech_without_a_pause_is_cut_with_overlap_and_each_word_kept_once():
    speech = [(0.0, 70.0)]
    truth = spoken(0.0, 70.0)
    made = batching.windows(speech, duration=70.0)

    assert len(made) >= 3
    for before, after in zip(made, made[1:], strict=False):
        # each side of a cut inside speech hears past it
        assert before.parts[-1][1] > before.own_end
        assert after.parts[0][0] < after.own_start
    words = batching.transcribe(speech, 70.0, Hearer(truth))
    assert texts(words) == [word.text for word in truth]


def test_a_window_where_the_model_stopped_early_is_decoded_again_and_nothing_doubled():
    speech = [(0.5, 5.0), (5.5, 10.0), (10.5, 15.0), (15.5, 20.0), (30.0, 34.0)]
    truth = [word for start, end in speech for word in spoken(start, end)]
    hearer = Hearer(truth, stops_after=12)

    words = batching.transcribe(speech, 40.0, hearer)

    assert texts(words) == [word.text for word in truth]
    assert len(hearer.calls) == 2  # once for all, once more for what was missing


def test_a_stretch_still_missing_is_tried_alone_at_the_last_attempt():
    speech = [(0.5, 5.0), (5.5, 10.0), (10.5, 15.0)]
    truth = [word for start, end in speech for word in spoken(start, end)]
    hearer = Hearer(truth, stops_after=5, once=False)  # stops early every time it has many

    words = batching.transcribe(speech, 16.0, hearer)

    assert len(hearer.calls) == 1 + batching.AGAIN_AT_MOST
    assert all(len(window.parts) == 1 for window in hearer.calls[-1])
    # alone, each stretch gives its first five words: more than before, and no doubles
    heard = texts(words)
    assert len(heard) == len(set(heard))
    assert len(heard) >= 5 * len(speech)


def test_what_the_model_hears_in_silence_or_noise_is_dropped():
    window = Window(((0.0, 20.0),), 0.0, 20.0)
    invented = Decoded(window, spoken(2.0, 6.0), avg_logprob=-1.4, no_speech_prob=0.8)
    real = Decoded(window, spoken(2.0, 6.0), avg_logprob=-0.3, no_speech_prob=0.8)

    assert batching.kept_words(invented) == []
    assert len(batching.kept_words(real)) == 8


def test_a_repetition_loop_is_cut_to_one_saying():
    words = [Word(f" {w}", n, n + 0.5, 0.9) for n, w in enumerate(["and", "then", "I", "said"])]
    loop = [Word(" thank" if n % 2 == 0 else " you.", 10 + n, 10.5 + n, 0.5) for n in range(20)]
    after = [Word(" goodbye", 40, 40.5, 0.9)]

    kept = batching.without_loops(words + loop + after)

    assert [w.text for w in kept] == [" and", " then", " I", " said", " thank", " you.", " goodbye"]
    # what is said two or three times on purpose stays
    twice = [Word(" no", 0, 0.4, 0.9), Word(" no,", 0.5, 0.9, 0.9), Word(" no", 1, 1.4, 0.9)]
    assert batching.without_loops(twice) == twice


def test_segments_break_at_pauses_and_after_long_sentences():
    first = spoken(0.0, 5.0)
    after_pause = spoken(6.0, 9.0)
    long_run = spoken(10.0, 40.0)
    long_run[20].text = " end."  # a sentence ends about ten seconds in

    pieces = batching.segments([first, after_pause, long_run])

    assert [round(p.start, 1) for p in pieces[:2]] == [0.0, 6.0]
    assert all(p.end - p.start <= batching.LONGEST_SECONDS for p in pieces)
    assert any(p.text.endswith("end.") for p in pieces)
    assert [w.text for p in pieces for w in p.words] == [
        w.text for w in first + after_pause + long_run
    ]
    assert all(-1.0 < p.avg_logprob < 0 for p in pieces)


def test_no_speech_gives_no_windows():
    assert batching.windows([], duration=120.0) == []
    assert batching.transcribe([], 120.0, Hearer([])) == []


def test_a_pause_between_stretches_of_speech_starts_a_new_segment_even_if_words_run_on():
    # The model's word timings can stretch over a pause; the speech detector's cannot.
    first = [Word(" Can", 0.0, 0.5, 0.9), Word(" you?", 0.5, 1.9, 0.9)]
    second = [Word(" Yes.", 2.0, 2.5, 0.9)]
    speech = [(0.0, 1.2), (2.0, 2.5)]

    assert len(batching.segments([first, second])) == 1
    assert [p.text for p in batching.segments([first, second], speech)] == ["Can you?", "Yes."]
