"""What a segment's voice sounds like, from the sound alone: statistics of its voiced frames.

Frames of 25 ms every 10 ms; 19 mel cepstra (numpy: a mel filterbank, the log, a DCT-II)
and the pitch (autocorrelation below 1 kHz). A segment's voice is the mean and spread of its
cepstra and its median pitch; speakers.py groups segments by them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .audio import SAMPLE_RATE

MIN_SEGMENT_SECONDS = 0.5  # shorter segments have no voice of their own: a neighbour's
MIN_VOICED_FRAMES = 20  # 0.2 s of voice; fewer and the segment counts as silent
# Frames: 25 ms every 10 ms, a 40-band mel filterbank from 60 Hz to 7.6 kHz, and cepstra
# 1 to 19 (c0 is loudness, which says more about the microphone than the voice).
FRAME = int(0.025 * SAMPLE_RATE)
HOP = int(0.010 * SAMPLE_RATE)
FFT_SIZE = 512
MEL_BANDS = 40
CEPSTRA = 20
PRE_EMPHASIS = 0.97
SPEECH_RANGE_DB = 30.0  # frames within this of a segment's loud frames are speech
# Pitch: autocorrelation of the sound below 1 kHz, taken down to 4 kHz, in 40 ms frames.
PITCH_RATE = 4_000
PITCH_CUTOFF_HZ = 1_000.0
PITCH_FRAME = int(0.040 * PITCH_RATE)
PITCH_HOP = HOP * PITCH_RATE // SAMPLE_RATE
PITCH_FFT = 256  # at least PITCH_FRAME + the longest lag: no wrap-around
LOWEST_PITCH_HZ = 60.0
HIGHEST_PITCH_HZ = 400.0
OCTAVE_GUARD = 0.9
VOICING = 0.5  # normalised autocorrelation at the pitch period for a frame to be voiced


class _MelFilterbank:
    """Triangular mel filters, applied as two sums over runs of FFT bins.

    Every bin between two band edges lies on the rising side of one band and the falling
    side of the one below, so the filterbank is two weighted `np.add.reduceat`s: no matrix
    product, whose BLAS threads stall when the machine is busy (transcribing, say)."""

    def __init__(self) -> None:
        def mel(hz):
            return 2595.0 * np.log10(1.0 + hz / 700.0)

        def hz(mels):
            return 700.0 * (10 ** (mels / 2595.0) - 1.0)

        edges = hz(np.linspace(mel(60.0), mel(7600.0), MEL_BANDS + 2))
        frequencies = np.fft.rfftfreq(FFT_SIZE, 1.0 / SAMPLE_RATE)
        self.bins = np.flatnonzero((frequencies > edges[0]) & (frequencies < edges[-1]))
        between = np.searchsorted(edges, frequencies[self.bins], side="right") - 1
        low, high = edges[between], edges[between + 1]
        self.rising = (frequencies[self.bins] - low) / (high - low)
        self.starts = np.searchsorted(between, np.arange(MEL_BANDS + 1))
        # Each band is wider than a bin (41 Hz against 31 Hz at the bottom): no run is empty.
        assert np.all(np.diff(np.append(self.starts, self.bins.size)) > 0)

    def __call__(self, power: np.ndarray) -> np.ndarray:
        inside = power[:, self.bins]
        rising = np.add.reduceat(inside * self.rising, self.starts, axis=1)
        falling = np.add.reduceat(inside * (1.0 - self.rising), self.starts, axis=1)
        return rising[:, :MEL_BANDS] + falling[:, 1:]


def _dct_matrix() -> np.ndarray:
    """The orthonormal DCT-II, rows 0 to CEPSTRA-1, over the log mel energies."""
    bands = np.arange(MEL_BANDS)
    rows = np.arange(CEPSTRA)[:, None]
    matrix = np.cos(np.pi * rows * (2 * bands + 1) / (2 * MEL_BANDS)) * np.sqrt(2 / MEL_BANDS)
    matrix[0] /= np.sqrt(2.0)
    return matrix


_WINDOW = np.hamming(FRAME).astype(np.float32)
_MEL = _MelFilterbank()
_TO_CEPSTRA = np.ascontiguousarray(_dct_matrix().T)
_PITCH_WINDOW = np.hanning(PITCH_FRAME).astype(np.float32)
_SHORTEST_LAG = int(PITCH_RATE / HIGHEST_PITCH_HZ)
_LONGEST_LAG = int(np.ceil(PITCH_RATE / LOWEST_PITCH_HZ))
# The window's own autocorrelation, divided out so a long period is not penalised.
_window_power = np.abs(np.fft.rfft(_PITCH_WINDOW, PITCH_FFT)) ** 2
_window_lags = np.fft.irfft(_window_power, PITCH_FFT)[: _LONGEST_LAG + 2]
_PITCH_WINDOW_LAGS = (_window_lags / _window_lags[0]).astype(np.float32)


def _frames(sound: np.ndarray, size: int, hop: int, count: int) -> np.ndarray:
    """`count` frames of `size` samples every `hop`, as a view (the sound padded to fit)."""
    needed = (count - 1) * hop + size
    if sound.size < needed:
        sound = np.pad(sound, (0, needed - sound.size))
    return np.lib.stride_tricks.sliding_window_view(sound[:needed], size)[::hop]


@dataclass
class Voiced:
    """One segment's voiced frames: which 10 ms frames they are, their cepstra and pitch."""

    frames: np.ndarray  # frame numbers from the segment's start
    cepstra: np.ndarray  # (voiced frames, 19)
    log_pitch: np.ndarray  # log2 Hz
    energy: np.ndarray  # every frame's energy in dB, voiced or not
    loudness: float  # the segment's loud frames, in dB


def voiced_frames(samples: np.ndarray, start: float, end: float) -> Voiced | None:
    """The segment's voiced frames, or None if it has too little voice to say whose it
    is. Only this segment's frames are in memory at a time."""
    if end - start < MIN_SEGMENT_SECONDS:
        return None
    piece = samples[int(start * SAMPLE_RATE) : int(end * SAMPLE_RATE)].astype(np.float32)
    count = 1 + (piece.size - FRAME) // HOP
    if count < MIN_VOICED_FRAMES:
        return None
    frames = _frames(piece, FRAME, HOP, count)
    energy = 10 * np.log10(np.einsum("ij,ij->i", frames, frames) / FRAME + 1e-12)
    loudness = float(np.percentile(energy, 95))
    speech = np.flatnonzero(energy > loudness - SPEECH_RANGE_DB)
    pitch, strength = _pitch(piece, count, speech)
    is_voiced = strength > VOICING
    voiced = speech[is_voiced]
    if voiced.size < MIN_VOICED_FRAMES:
        return None
    chosen = frames[voiced]
    emphasised = chosen[:, 1:] - PRE_EMPHASIS * chosen[:, :-1]
    spectrum = np.fft.rfft(emphasised * _WINDOW[1:], FFT_SIZE)
    power = spectrum.real**2 + spectrum.imag**2
    cepstra = (np.log(_MEL(power).astype(np.float64) + 1e-10) @ _TO_CEPSTRA)[:, 1:]
    return Voiced(voiced, cepstra, np.log2(pitch[is_voiced]), energy, loudness)


def voice_statistics(cepstra: np.ndarray, log_pitch: np.ndarray) -> np.ndarray:
    """A voice in numbers: each cepstrum's mean and spread, and the median pitch."""
    return np.concatenate([cepstra.mean(axis=0), cepstra.std(axis=0), [np.median(log_pitch)]])


def segment_voice(samples: np.ndarray, start: float, end: float) -> tuple[np.ndarray, float] | None:
    """(the segment's voice statistics, its loudness in dB), or None when it is too short."""
    voiced = voiced_frames(samples, start, end)
    if voiced is None:
        return None
    return voice_statistics(voiced.cepstra, voiced.log_pitch), voiced.loudness


def _pitch(piece: np.ndarray, count: int, which: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Pitch (Hz) and voicing strength (0 to 1) of the chosen 10 ms frames of a piece."""
    # A power-of-two length: the FFT of an awkward length is many times slower.
    padded = 1 << int(np.ceil(np.log2(max(piece.size, 2))))
    spectrum = np.fft.rfft(piece, padded)
    size = padded * PITCH_RATE // SAMPLE_RATE
    kept = np.zeros(size // 2 + 1, spectrum.dtype)
    low = min(int(padded * PITCH_CUTOFF_HZ / SAMPLE_RATE), kept.size)
    kept[:low] = spectrum[:low]
    slow = np.fft.irfft(kept, size)[: piece.size * PITCH_RATE // SAMPLE_RATE] * (size / padded)
    # Centre each 40 ms pitch frame on its 25 ms frame.
    slow = np.pad(slow, ((PITCH_FRAME - FRAME * PITCH_RATE // SAMPLE_RATE) // 2, 0))
    chosen = _frames(slow, PITCH_FRAME, PITCH_HOP, count)[which]
    chosen = chosen - chosen.mean(axis=1, keepdims=True)
    power = np.fft.rfft(chosen * _PITCH_WINDOW, PITCH_FFT)
    lags = np.fft.irfft(power.real**2 + power.imag**2, PITCH_FFT)[:, : _LONGEST_LAG + 2]
    lags = lags / (lags[:, :1] + 1e-12) / _PITCH_WINDOW_LAGS
    searched = lags[:, _SHORTEST_LAG : _LONGEST_LAG + 1]
    # The shortest lag nearly as strong as the strongest: a period's multiples are as
    # strong as the period itself, and picking one halves the pitch.
    peaks = np.zeros(searched.shape, bool)
    middle = searched[:, 1:-1]
    peaks[:, 1:-1] = (middle >= searched[:, :-2]) & (middle >= searched[:, 2:])
    strong = peaks & (searched >= OCTAVE_GUARD * searched.max(axis=1, keepdims=True))
    strongest = np.argmax(searched, axis=1)
    best = np.where(strong.any(axis=1), np.argmax(strong, axis=1), strongest) + _SHORTEST_LAG
    rows = np.arange(best.size)
    before, at, after = lags[rows, best - 1], lags[rows, best], lags[rows, best + 1]
    # A parabola through the peak and its neighbours places it between whole lags.
    curve = before - 2 * at + after
    shift = np.divide(before - after, 2 * curve, out=np.zeros_like(at), where=curve < -1e-6)
    return PITCH_RATE / (best + np.clip(shift, -0.5, 0.5)), at
