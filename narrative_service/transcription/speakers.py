"""Who spoke when: a speaker for each transcript segment, from the sound alone.

Nothing is downloaded and no model is trained: each segment's voice is summed up (voices.py) by
statistics of its voiced frames (the mean and spread of 19 mel cepstra, and the median
pitch), those are put on one scale across the recording, and the segments are grouped
by Ward's agglomerative clustering, refined as k-means. How many speakers there are is
the grouping that keeps them most apart (the silhouette); one speaker when no grouping
stands out, so a monologue is not split in two.

The choices and their thresholds were measured on synthetic conversations
(benchmarks/diarisation.py): segments of a different voice are told apart there; two
voices that differ only in accent are not. Speakers are numbers, never names: it is for
a person to say who speaker 0 is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .audio import SAMPLE_RATE
from .voices import (
    FRAME,
    HOP,
    Voiced,
    segment_voice,
    voice_statistics,
    voiced_frames,
)

SILENT_BELOW_DB = 35.0  # a segment this much quieter than the recording's median is silent
DIGITAL_SILENCE_DB = -80.0
# Segments at least this long decide the speakers; shorter ones are then matched to them.
RELIABLE_SECONDS = 2.0
# At most this many (the longest) are grouped, in a few tables of 11 MB each; the rest
# are matched to the groups.
MAX_GROUPED_SEGMENTS = 1200
# On one scale across the recording each statistic counts once, the median pitch twice.
PITCH_WEIGHT = 2.0
# Below this silhouette no grouping stands out: one speaker. On the tuning set a
# monologue's best grouping scored at most 0.22 and two or three voices' at least 0.35.
ONE_SPEAKER_BELOW = 0.28
# A group with less than this share of the speech time is not counted as a speaker of its
# own when the number is estimated (a cough, a laugh, a door, read as a voice).
MIN_SPEAKER_SHARE = 0.03
# Where the voice changes inside a long segment: 1.5 s windows every 0.25 s are matched to
# the speakers' voices (learnt from windows of every segment, 0.75 s apart); a change needs
# a run of windows nearer another speaker, and is placed at the quietest moment near it.
CHANGE_SEGMENT_SECONDS = 3.0  # shorter segments are not searched
CHANGE_WINDOW_SECONDS = 1.5
CHANGE_HOP_SECONDS = 0.25
MODEL_HOP_SECONDS = 0.75
CHANGE_RUN_WINDOWS = 3  # a run of another speaker's windows this long, at least
WINDOW_VOICED_FRAMES = 40
QUIET_SEARCH_SECONDS = 0.5
# Whisper's last segment may end a little after the sound does.
END_TOLERANCE_SECONDS = 1.0


def label_speakers(
    samples: np.ndarray,
    segments: Sequence[tuple[float, float]],
    count: int | None = None,
    max_speakers: int = 6,
) -> list[int]:
    """A speaker number for each segment, 0 to k-1 in order of first appearance (the
    first segment given is speaker 0).

    `samples` are mono float32 at 16 kHz (the whole recording or a piece of it) and each
    segment is (start, end) in seconds into `samples`. `count` fixes the number of
    speakers (fewer come back only when fewer segments have a voice to go on); None
    estimates it, from one to `max_speakers`. Segments shorter than half a second, or
    silent, take the speaker of their nearest neighbour in time. Raises ValueError, saying
    what is wrong, for samples or segments that cannot be used.
    """
    samples = _checked_samples(samples)
    spans = _checked_segments(segments, samples.size / SAMPLE_RATE)
    voices = [segment_voice(samples, start, end) for start, end in spans]
    return speakers_of(voices, spans, count, max_speakers)


def voice_of(samples: np.ndarray, start: float, end: float):
    """One segment's voice (start..end, seconds into `samples`), for speakers_of; None when
    the segment is too short or silent. For a recording read a piece at a time."""
    samples = _checked_samples(samples)
    ((start, end),) = _checked_segments([(start, end)], samples.size / SAMPLE_RATE)
    return segment_voice(samples, start, end)


def speakers_of(
    voices: Sequence, segments: Sequence[tuple[float, float]], count=None, max_speakers=6
) -> list[int]:
    """label_speakers from voices already taken (voice_of), one per segment, in order."""
    spans = [(float(start), float(end)) for start, end in segments]
    count, max_speakers = _checked_counts(count, max_speakers)
    if not spans:
        return []
    usable = _usable(list(voices))
    labels = np.full(len(spans), -1)
    if usable.size:
        statistics = np.stack([voices[index][0] for index in usable])
        points = _Scale.of(statistics)(statistics)
        seconds = np.array([spans[index][1] - spans[index][0] for index in usable])
        labels[usable] = _speakers(points, seconds, count, max_speakers)
    return _in_order_of_appearance(_from_neighbours(labels, spans))


def split_points(
    samples: np.ndarray,
    segments: Sequence[tuple[float, float]],
    labels: Sequence[int] | None = None,
    count: int | None = None,
    max_speakers: int = 6,
) -> list[list[float]]:
    """Times (seconds into `samples`) inside each segment where the voice changes to another
    speaker's, for segments of CHANGE_SEGMENT_SECONDS or more; most lists are empty.

    `labels` are the segments' speakers from `label_speakers` (worked out here, with
    `count` and `max_speakers`, when not given). Split the segments there (at the nearest
    word) and label the pieces again with `label_speakers`.
    """
    samples = _checked_samples(samples)
    spans = _checked_segments(segments, samples.size / SAMPLE_RATE)
    if labels is None:
        labels = label_speakers(samples, spans, count, max_speakers)
    labels = _checked_labels(labels, len(spans))
    found: list[list[float]] = [[] for _ in spans]
    voices = _window_voices(samples, spans, labels) if len(set(labels)) > 1 else None
    if voices is None:
        return found
    window = int(CHANGE_WINDOW_SECONDS * SAMPLE_RATE) // HOP
    hop = int(CHANGE_HOP_SECONDS * SAMPLE_RATE) // HOP
    for index, (start, end) in enumerate(spans):
        voiced = (
            voiced_frames(samples, start, end) if end - start >= CHANGE_SEGMENT_SECONDS else None
        )
        if voiced is None:
            continue
        starts, points = _windows(voiced, window, hop)
        if len(points) < 2 * CHANGE_RUN_WINDOWS:
            continue
        nearest = voices.nearest(np.stack(points))
        for frame in _changes(nearest, starts + window // 2):
            quiet = _quietest(voiced.energy, frame)
            found[index].append(start + (quiet * HOP + FRAME // 2) / SAMPLE_RATE)
    return found


@dataclass
class _Scale:
    """Statistics as standard deviations from the recording's mean, the pitch weighted."""

    centre: np.ndarray
    spread: np.ndarray

    @classmethod
    def of(cls, statistics: np.ndarray) -> _Scale:
        spread = statistics.std(axis=0)
        return cls(statistics.mean(axis=0), np.where(spread > 1e-9, spread, 1.0))

    def __call__(self, statistics: np.ndarray) -> np.ndarray:
        points = (statistics - self.centre) / self.spread
        points[:, -1] *= PITCH_WEIGHT
        return points


@dataclass
class _WindowVoices:
    """Each speaker's voice as the mean of their windows, on the windows' own scale."""

    scale: _Scale
    speakers: np.ndarray
    centres: np.ndarray

    def nearest(self, statistics: np.ndarray) -> np.ndarray:
        return self.speakers[_nearest(self.scale(statistics), self.centres)]


def _window_voices(samples, spans, labels) -> _WindowVoices | None:
    """The speakers' voices from windows of every segment, as long as split_points looks
    through (a window has a narrower spread of cepstra than a whole segment)."""
    window = int(CHANGE_WINDOW_SECONDS * SAMPLE_RATE) // HOP
    hop = int(MODEL_HOP_SECONDS * SAMPLE_RATE) // HOP
    statistics, owners = [], []
    for (start, end), label in zip(spans, labels, strict=True):
        voiced = voiced_frames(samples, start, end)
        if voiced is not None:
            _, points = _windows(voiced, window, hop)
            statistics += points
            owners += [label] * len(points)
    owners_array = np.array(owners)
    speakers = np.unique(owners_array)
    if speakers.size < 2:
        return None
    scale = _Scale.of(np.stack(statistics))
    points = scale(np.stack(statistics))
    centres = np.stack([points[owners_array == speaker].mean(axis=0) for speaker in speakers])
    return _WindowVoices(scale, speakers, centres)


def _windows(voiced: Voiced, size: int, hop: int) -> tuple[np.ndarray, list[np.ndarray]]:
    """The statistics of each window of `size` frames every `hop` with enough voice, and
    the frame each starts at."""
    last = int(voiced.frames[-1]) + 1
    starts, points = [], []
    for first in range(0, max(last - size, 0) + 1, hop):
        a, b = np.searchsorted(voiced.frames, [first, first + size])
        if b - a >= WINDOW_VOICED_FRAMES:
            starts.append(first)
            points.append(voice_statistics(voiced.cepstra[a:b], voiced.log_pitch[a:b]))
    return np.array(starts, int), points


def _changes(nearest: np.ndarray, centres: np.ndarray) -> list[int]:
    """The frames where one run of windows nearer a speaker gives way to another run, each
    at least CHANGE_RUN_WINDOWS long; shorter runs are read as their neighbours'."""
    runs: list[list[int]] = []  # [speaker, first window, windows]
    for position, speaker in enumerate(nearest):
        if runs and runs[-1][0] == speaker:
            runs[-1][2] += 1
        else:
            runs.append([int(speaker), position, 1])
    long_runs = [run for run in runs if run[2] >= CHANGE_RUN_WINDOWS]
    merged: list[list[int]] = []
    for run in long_runs:
        if merged and merged[-1][0] == run[0]:
            merged[-1][2] = run[1] + run[2] - merged[-1][1]
        else:
            merged.append(list(run))
    changes = []
    for before, after in zip(merged, merged[1:], strict=False):
        last_of_before = before[1] + before[2] - 1
        changes.append(int((centres[last_of_before] + centres[after[1]]) // 2))
    return changes


def _quietest(energy: np.ndarray, frame: int) -> int:
    """The quietest 50 ms near `frame`: a new voice most often starts after a pause."""
    reach = int(QUIET_SEARCH_SECONDS * SAMPLE_RATE) // HOP
    low, high = max(frame - reach, 0), min(frame + reach + 1, energy.size)
    if high - low < 5:
        return frame
    smoothed = np.convolve(energy[low:high], np.ones(5) / 5, mode="same")
    return low + int(np.argmin(smoothed[2:-2])) + 2


# --- Checking what is asked -----------------------------------------------------------


def _checked_samples(samples: np.ndarray) -> np.ndarray:
    if not isinstance(samples, np.ndarray):
        raise ValueError("samples must be a numpy array of mono 16 kHz sound.")
    if samples.ndim != 1:
        raise ValueError(
            f"samples must be one channel of sound (a 1-D array), not an array of shape "
            f"{samples.shape}: mix the channels down first."
        )
    if not np.issubdtype(samples.dtype, np.floating):
        raise ValueError(
            f"samples must be floating-point sound between -1 and 1, not {samples.dtype}."
        )
    # A NaN or an infinity anywhere makes the sum one (audio cannot overflow a float64 sum).
    if not np.isfinite(np.sum(samples, dtype=np.float64)):
        raise ValueError("samples hold values that are not numbers (NaN or infinity).")
    return samples


def _checked_segments(
    segments: Sequence[tuple[float, float]], seconds: float
) -> list[tuple[float, float]]:
    spans = []
    for number, segment in enumerate(segments):
        try:
            start, end = (float(value) for value in segment)
        except (TypeError, ValueError):
            raise ValueError(
                f"segment {number} must be a (start, end) pair of seconds, not {segment!r}."
            ) from None
        if not (np.isfinite(start) and np.isfinite(end)):
            raise ValueError(f"segment {number} has a time that is not a number: {segment!r}.")
        if start < 0 or end < 0:
            raise ValueError(
                f"segment {number} has a negative time ({start:g} to {end:g} s): times are "
                "seconds from the start of the samples."
            )
        if end < start:
            raise ValueError(f"segment {number} ends ({end:g} s) before it starts ({start:g} s).")
        if start > seconds + END_TOLERANCE_SECONDS:
            raise ValueError(
                f"segment {number} starts at {start:g} s, after the end of the samples "
                f"({seconds:g} s): times are seconds into the samples given."
            )
        spans.append((start, end))
    return spans


def _checked_counts(count: int | None, max_speakers: int) -> tuple[int | None, int]:
    if isinstance(max_speakers, bool) or not isinstance(max_speakers, int | np.integer):
        raise ValueError(f"max_speakers must be a whole number, not {max_speakers!r}.")
    if max_speakers < 1:
        raise ValueError(f"max_speakers must be at least 1, not {max_speakers}.")
    if count is not None:
        if isinstance(count, bool) or not isinstance(count, int | np.integer):
            raise ValueError(f"count must be a whole number of speakers or None, not {count!r}.")
        if count < 1:
            raise ValueError(f"count must be at least 1 speaker, not {count}.")
    return (None if count is None else int(count)), int(max_speakers)


def _checked_labels(labels: Sequence[int], count: int) -> list[int]:
    checked = [int(label) for label in labels]
    if len(checked) != count:
        raise ValueError(f"labels must give one speaker per segment: {len(checked)} for {count}.")
    if any(label < 0 for label in checked):
        raise ValueError("labels must be speaker numbers from 0, as label_speakers gives.")
    return checked


# --- A segment's voice ------------------------------------------------------------------


def _usable(voices: list[tuple[np.ndarray, float] | None]) -> np.ndarray:
    """The segments with enough voice, and loud enough beside the rest of the recording."""
    measured = [index for index, voice in enumerate(voices) if voice is not None]
    if not measured:
        return np.zeros(0, int)
    loudness = np.array([voices[index][1] for index in measured])
    floor = max(float(np.median(loudness)) - SILENT_BELOW_DB, DIGITAL_SILENCE_DB)
    loud_enough = [index for index, db in zip(measured, loudness, strict=True) if db > floor]
    return np.array(loud_enough, int)


# --- Grouping -----------------------------------------------------------------------------


def _speakers(
    points: np.ndarray, seconds: np.ndarray, count: int | None, max_speakers: int
) -> np.ndarray:
    """A group for each point: `count` of them, or as many as stand apart."""
    reliable = np.flatnonzero(seconds >= RELIABLE_SECONDS)
    if reliable.size < max(4, 2 * (count or max_speakers)):
        reliable = np.arange(points.shape[0])
    if reliable.size > MAX_GROUPED_SEGMENTS:
        # The longest, in time order: grouping costs the square of their number in memory.
        longest = np.argsort(-seconds[reliable], kind="stable")[:MAX_GROUPED_SEGMENTS]
        reliable = np.sort(reliable[longest])
    core = points[reliable]
    if core.shape[0] < 2:
        return np.zeros(points.shape[0], int)
    merges = _ward(core)
    if count is not None:
        groups = _refined(core, _cut(merges, core.shape[0], min(count, core.shape[0])))
    else:
        groups = _estimated(core, seconds[reliable], merges, max_speakers)
    centres = np.stack([core[groups == group].mean(axis=0) for group in range(groups.max() + 1)])
    return _nearest(points, centres)


def _estimated(
    core: np.ndarray, seconds: np.ndarray, merges: list[tuple[int, int]], max_speakers: int
) -> np.ndarray:
    """The grouping, of two to max_speakers groups, with the best silhouette, if it is at
    least ONE_SPEAKER_BELOW and every group has its share of the time; else one group."""
    distances = np.sqrt(_squared_distances(core, core))
    best, best_score = np.zeros(core.shape[0], int), ONE_SPEAKER_BELOW
    for k in range(2, min(max_speakers, core.shape[0] - 1) + 1):
        groups = _refined(core, _cut(merges, core.shape[0], k))
        if groups.max() + 1 < k:
            continue
        shares = np.bincount(groups, weights=seconds, minlength=k) / seconds.sum()
        if shares.min() < MIN_SPEAKER_SHARE:
            continue
        score = _silhouette(distances, groups)
        if score > best_score:
            best, best_score = groups, score
    return best


def _squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    squared = (a**2).sum(axis=1)[:, None] + (b**2).sum(axis=1)[None, :] - 2 * a @ b.T
    return np.maximum(squared, 0.0)


def _nearest(points: np.ndarray, centres: np.ndarray) -> np.ndarray:
    return np.argmin(_squared_distances(points, centres), axis=1)


def _ward(points: np.ndarray) -> list[tuple[int, int]]:
    """Ward's agglomerative merges, as (kept, absorbed) row numbers, cheapest first.

    The Lance-Williams update keeps one n-by-n table of merge costs: for an hour's
    thousand segments that is 8 MB and a fifth of a second."""
    n = points.shape[0]
    cost = _squared_distances(points, points)
    np.fill_diagonal(cost, np.inf)
    sizes = np.ones(n)
    merges = []
    for _ in range(n - 1):
        kept, absorbed = divmod(int(np.argmin(cost)), n)
        joined = cost[kept, absorbed]
        a, b = sizes[kept], sizes[absorbed]
        row = ((a + sizes) * cost[kept] + (b + sizes) * cost[absorbed] - sizes * joined) / (
            a + b + sizes
        )
        cost[kept, :] = row
        cost[:, kept] = row
        cost[kept, kept] = np.inf
        cost[absorbed, :] = np.inf
        cost[:, absorbed] = np.inf
        sizes[kept] = a + b
        merges.append((kept, absorbed))
    return merges


def _cut(merges: list[tuple[int, int]], n: int, k: int) -> np.ndarray:
    """The k groups left before the last k-1 merges, numbered 0 to k-1."""
    parent = np.arange(n)

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for kept, absorbed in merges[: n - k]:
        parent[root(absorbed)] = root(kept)
    _, groups = np.unique([root(x) for x in range(n)], return_inverse=True)
    return groups


def _refined(points: np.ndarray, groups: np.ndarray, rounds: int = 10) -> np.ndarray:
    """k-means from the given groups, stopping before a group would empty."""
    k = groups.max() + 1
    for _ in range(rounds):
        centres = np.stack([points[groups == group].mean(axis=0) for group in range(k)])
        moved = _nearest(points, centres)
        if np.array_equal(moved, groups) or np.unique(moved).size < k:
            break
        groups = moved
    return groups


def _silhouette(distances: np.ndarray, groups: np.ndarray) -> float:
    """The mean silhouette: how much nearer each point is to its own group than the next."""
    n, k = groups.size, groups.max() + 1
    members = np.zeros((n, k))
    members[np.arange(n), groups] = 1.0
    totals = distances @ members
    sizes = members.sum(axis=0)
    others_in_own = sizes[groups] - 1
    rows = np.arange(n)
    own = np.divide(totals[rows, groups], others_in_own, out=np.zeros(n), where=others_in_own > 0)
    means = totals / sizes
    means[rows, groups] = np.inf
    nearest_other = means.min(axis=1)
    widest = np.maximum(own, nearest_other)
    score = np.divide(
        nearest_other - own, widest, out=np.zeros(n), where=(others_in_own > 0) & (widest > 0)
    )
    return float(score.mean())


# --- Segments left out ------------------------------------------------------------------


def _from_neighbours(labels: np.ndarray, spans: list[tuple[float, float]]) -> np.ndarray:
    """Each unlabelled segment takes the label of the labelled one nearest in time (the
    earlier one on a tie); with none labelled, everyone is one speaker."""
    known = np.flatnonzero(labels >= 0)
    if known.size == 0:
        return np.zeros(len(spans), int)
    starts = np.array([start for start, _ in spans])
    ends = np.array([end for _, end in spans])
    filled = labels.copy()
    for index in np.flatnonzero(labels < 0):
        gaps = np.maximum(starts[known] - ends[index], starts[index] - ends[known])
        gaps = np.maximum(gaps, 0.0)
        nearest = np.flatnonzero(gaps == gaps.min())
        earliest = nearest[np.argmin(starts[known[nearest]])]
        filled[index] = labels[known[earliest]]
    return filled


def _in_order_of_appearance(labels: np.ndarray) -> list[int]:
    numbers: dict[int, int] = {}
    return [numbers.setdefault(int(label), len(numbers)) for label in labels]
