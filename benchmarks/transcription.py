"""Transcribe speech made with espeak-ng through the real CLI: speed, memory and accuracy.

The targets, on a 2-core CPU with the default engine (faster-whisper, the bundled
tiny.en, int8): a real-time factor (seconds transcribing ÷ seconds of audio) of at
most 0.10, a peak resident set of at most 1 GB, and a word error rate of at most
10 % on espeak-ng's voices.

    .venv/bin/python benchmarks/transcription.py [--lengths 2,20] [--voices en-gb,en-us]
        [--speeds 150,130,175] [--engines faster-whisper,openai-whisper] [--quick]

The spoken text is benchmarks/transcription_narrative.txt (fictional), shuffled the
same way on every run and repeated to reach each length. Each clip is transcribed by
`narrative-service transcribe FILE --json` in a child process of its own, whose peak
memory comes from os.wait4. Everything lives in a temporary folder that is removed
afterwards; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import json
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
from dataclasses import dataclass
from pathlib import Path

COMMAND = Path(sys.executable).with_name("narrative-service")
SOURCE = Path(__file__).with_name("transcription_narrative.txt")
DEFAULT_ENGINE = "faster-whisper"
TARGET_RTF = 0.10
TARGET_RSS_MB = 1024.0
TARGET_WER = 0.10
GAP_SECONDS = 0.25  # a breath between sentences, on top of espeak-ng's own pause
SEED = 20261125  # the same order of sentences on every run


@dataclass
class Clip:
    minutes: float
    voice: str
    speed: int
    path: Path
    seconds: float
    reference: str  # exactly the sentences spoken, in order

    @property
    def label(self) -> str:
        return f"{self.minutes:g} min {self.voice} {self.speed} wpm"


@dataclass
class Run:
    clip: Clip
    engine: str
    model: str = ""
    processing_seconds: float = 0.0
    model_load_seconds: float = 0.0
    wall_seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_rss_mb: float = 0.0
    others_cpu_share: float | None = None  # of the whole machine, while this run ran
    wer: float = 0.0
    errors: tuple[Counter, Counter, Counter] | None = None
    transcript: str = ""
    failure: str = ""

    @property
    def rtf(self) -> float:
        return self.processing_seconds / self.clip.seconds


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


def why_engine_unavailable(engine: str) -> str:
    """'' when the engine's library imports here, or the reason it does not."""
    if engine != "openai-whisper":
        return ""
    try:
        import whisper  # noqa: F401
    except Exception as error:
        return f"`import whisper` failed ({type(error).__name__}: {error})"
    return ""


def read_sentences() -> list[str]:
    return [line.strip() for line in SOURCE.read_text().splitlines() if line.strip()]


def speak(sentence: str, voice: str, speed: int, folder: Path) -> tuple[tuple, bytes]:
    """One sentence as (WAV parameters, frames) from espeak-ng."""
    path = folder / "sentence.wav"
    subprocess.run(
        ["espeak-ng", "-v", voice, "-s", str(speed), "-w", str(path), sentence],
        check=True,
        capture_output=True,
    )
    with wave.open(str(path), "rb") as reader:
        return reader.getparams()[:3], reader.readframes(reader.getnframes())


def make_clip(sentences: list[str], minutes: float, voice: str, speed: int, folder: Path) -> Clip:
    """Sentences in a fixed shuffled order, spoken until the clip is at least `minutes` long.

    The order depends on the length alone, so every voice and speed says the same text.
    """
    rng = random.Random(f"{SEED}-{minutes}")
    spoken: dict[str, tuple[tuple, bytes]] = {}
    path = folder / f"{minutes:g}min-{voice}-{speed}wpm.wav"
    said: list[str] = []
    frames_written = 0
    with wave.open(str(path), "wb") as writer:
        params = None
        while params is None or frames_written < minutes * 60 * params[2]:
            order = sentences[:]
            rng.shuffle(order)
            for sentence in order:
                if sentence not in spoken:
                    spoken[sentence] = speak(sentence, voice, speed, folder)
                sentence_params, frames = spoken[sentence]
                if params is None:
                    params = sentence_params
                    writer.setnchannels(params[0])
                    writer.setsampwidth(params[1])
                    writer.setframerate(params[2])
                    gap = b"\0" * (int(GAP_SECONDS * params[2]) * params[0] * params[1])
                writer.writeframes(frames + gap)
                frames_written += (len(frames) + len(gap)) // (params[0] * params[1])
                said.append(sentence)
                if frames_written >= minutes * 60 * params[2]:
                    break
    with wave.open(str(path), "rb") as reader:
        seconds = reader.getnframes() / reader.getframerate()
    return Clip(minutes, voice, speed, path, seconds, " ".join(said))


def busy_cpu_seconds() -> float | None:
    """Seconds of CPU the whole machine has spent busy since boot (Linux), or None."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    except OSError:
        return None
    ticks = [int(value) for value in fields]
    idle = ticks[3] + (ticks[4] if len(ticks) > 4 else 0)  # idle and waiting for I/O
    return (sum(ticks[:8]) - idle) / os.sysconf("SC_CLK_TCK")


def transcribe(clip: Clip, engine: str, env: dict, folder: Path) -> Run:
    """Run the real CLI on the clip in a fresh child process and measure that process."""
    run = Run(clip, engine)
    command = [str(COMMAND), "transcribe", str(clip.path), "--json", "--engine", engine]
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
    process.returncode = os.waitstatus_to_exitcode(status)
    run.cpu_seconds = usage.ru_utime + usage.ru_stime
    run.peak_rss_mb = usage.ru_maxrss / 1024  # kilobytes on Linux
    if busy_before is not None and busy_after is not None:
        others = max(0.0, busy_after - busy_before - run.cpu_seconds)
        run.others_cpu_share = others / (run.wall_seconds * (os.cpu_count() or 1))
    if process.returncode != 0:
        tail = " | ".join(err_path.read_text().strip().splitlines()[-3:]) or "no message"
        if process.returncode < 0:
            run.failure = f"killed by {signal.Signals(-process.returncode).name}: {tail}"
        else:
            run.failure = f"exit {process.returncode}: {tail}"
        return run
    result = json.loads(out_path.read_text())
    run.model = result["model"]
    run.processing_seconds = result["processing_seconds"]
    run.model_load_seconds = result["model_load_seconds"]
    run.transcript = result["text"]
    return run


def score(run: Run, normalise: Callable[[str], str]) -> None:
    import jiwer

    output = jiwer.process_words(normalise(run.clip.reference), normalise(run.transcript))
    run.wer = output.wer
    substitutions, insertions, deletions = jiwer.collect_error_counts(output)
    run.errors = (Counter(substitutions), Counter(insertions), Counter(deletions))


def keep_transcript(run: Run, normalise: Callable[[str], str], folder: Path) -> None:
    """The source text and what was heard, normalised, one word a line (for `diff`)."""
    folder.mkdir(parents=True, exist_ok=True)
    name = run.clip.path.stem
    for suffix, text in (("reference", run.clip.reference), (run.engine, run.transcript)):
        (folder / f"{name}.{suffix}.txt").write_text("\n".join(normalise(text).split()) + "\n")


def verdict(is_met: bool) -> str:
    return "ok" if is_met else "NOT MET"


HEADER = (
    f"{'clip':<30}{'engine':<16}{'audio s':>8}{'proc s':>8}{'RTF':>7}{'load s':>7}"
    f"{'wall s':>8}{'CPU s':>8}{'RSS MB':>8}{'WER %':>7}{'others':>8}  targets"
)


def row(run: Run, baseline: Run | None) -> str:
    if run.failure:
        return f"{run.clip.label:<30}{run.engine:<16}FAILED {run.failure}"
    others = "-" if run.others_cpu_share is None else f"{run.others_cpu_share:.0%}"
    if run.engine == DEFAULT_ENGINE:
        notes = (
            f"RTF {verdict(run.rtf <= TARGET_RTF)}, RSS {verdict(run.peak_rss_mb <= TARGET_RSS_MB)}"
            f", WER {verdict(run.wer <= TARGET_WER)}"
        )
    elif baseline is not None and not baseline.failure and baseline.processing_seconds:
        ratio = run.processing_seconds / baseline.processing_seconds
        notes = f"{ratio:.1f}x faster-whisper's processing time"
    else:
        notes = "(targets are for faster-whisper)"
    return (
        f"{run.clip.label:<30}{run.engine:<16}{run.clip.seconds:>8.1f}"
        f"{run.processing_seconds:>8.1f}{run.rtf:>7.3f}{run.model_load_seconds:>7.1f}"
        f"{run.wall_seconds:>8.1f}{run.cpu_seconds:>8.1f}{run.peak_rss_mb:>8.0f}"
        f"{run.wer * 100:>7.1f}{others:>8}  {notes}"
    )


def summarise_target(name: str, runs: list[Run], value, is_met, shown) -> None:
    if not runs:
        return
    missed = [r for r in runs if not is_met(value(r))]
    worst = max(runs, key=value)
    print(
        f"{name}: {'MET' if not missed else 'NOT MET'}, {len(runs) - len(missed)} of "
        f"{len(runs)} clips within (worst {shown(value(worst))}, {worst.clip.label}; "
        f"median {shown(statistics.median(value(r) for r in runs))})"
    )


def show_errors(runs: list[Run], count: int) -> None:
    for engine in dict.fromkeys(r.engine for r in runs):
        totals = [Counter(), Counter(), Counter()]
        for run in runs:
            if run.engine == engine and run.errors:
                for total, counts in zip(totals, run.errors, strict=True):
                    total.update(counts)
        substitutions, insertions, deletions = totals
        print(f"Most frequent errors, {engine}:")
        said = ", ".join(f"{a!r}->{b!r} {n}" for (a, b), n in substitutions.most_common(count))
        print(f"  heard wrongly: {said or 'none'}")
        print(f"  missed: {', '.join(f'{w!r} {n}' for w, n in deletions.most_common(count))}")
        print(f"  added: {', '.join(f'{w!r} {n}' for w, n in insertions.most_common(count))}")


def listed(text: str) -> list[str]:
    return [item.strip() for item in text.split(",") if item.strip()]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lengths", default="2,20", help="clip lengths in minutes (default 2,20)")
    parser.add_argument(
        "--voices",
        default="en-gb,en-us,en-gb-scotland",
        help="espeak-ng voices (espeak-ng --voices=en lists them); the first is the main one",
    )
    parser.add_argument(
        "--speeds", default="150,130,175", help="words per minute; the first is the main one"
    )
    parser.add_argument(
        "--engines",
        default="faster-whisper,openai-whisper",
        help="engines for `transcribe --engine`; one whose library is missing is skipped",
    )
    parser.add_argument(
        "--every-combination",
        action="store_true",
        help="every voice and speed at every length (by default, only the shortest length "
        "has every voice and speed; longer ones use the main voice and speed)",
    )
    parser.add_argument("--quick", action="store_true", help="one 2-minute clip only")
    parser.add_argument(
        "--keep-transcripts",
        type=Path,
        metavar="DIR",
        help="write each clip's normalised source text and transcripts here, to compare",
    )
    parser.add_argument(
        "--show-errors", type=int, default=5, metavar="N", help="the N most frequent errors"
    )
    options = parser.parse_args()

    try:
        import jiwer  # noqa: F401
    except ImportError:
        print("jiwer is not installed: .venv/bin/pip install -e '.[bench]'", file=sys.stderr)
        return 2
    if shutil.which("espeak-ng") is None:
        print("espeak-ng is not installed (Debian: apt-get install espeak-ng)", file=sys.stderr)
        return 2

    lengths = sorted(float(n) for n in listed(options.lengths))
    voices, speeds = listed(options.voices), [int(s) for s in listed(options.speeds)]
    if options.quick:
        lengths, voices, speeds = [2.0], voices[:1], speeds[:1]
    plan = [
        (minutes, voice, speed)
        for minutes in lengths
        for voice in (voices if options.every_combination or minutes == lengths[0] else voices[:1])
        for speed in (speeds if options.every_combination or minutes == lengths[0] else speeds[:1])
    ]
    engines, skipped = [], []
    for engine in listed(options.engines):
        reason = why_engine_unavailable(engine)
        if reason:
            skipped.append((engine, reason))
        else:
            engines.append(engine)
    normalise, normaliser_name = pick_normaliser()
    print(f"{os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.2f} at the start")
    print(f"Word error rate after normalising with {normaliser_name}")
    for engine, reason in skipped:
        print(f"{engine}: skipped, because {reason}")

    folder = Path(tempfile.mkdtemp(prefix="ns-bench-transcription-"))
    env = dict(
        os.environ,
        INSTANCE_DIR=str(folder / "instance"),
        SECRET_KEY="benchmark-" + "x" * 40,
        LOG_LEVEL="WARNING",
        LOAD_DEMO_DATA="false",
    )
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    runs: list[Run] = []
    try:
        sentences = read_sentences()
        started = time.perf_counter()
        clips = [make_clip(sentences, m, v, s, folder) for m, v, s in plan]
        spoken_words = sum(len(c.reference.split()) for c in clips)
        spoken_minutes = sum(c.seconds for c in clips) / 60
        print(
            f"Made {len(clips)} clip{'s' if len(clips) > 1 else ''} ({spoken_minutes:.1f} minutes, "
            f"{spoken_words:,} words) with espeak-ng in {time.perf_counter() - started:.1f} s"
        )
        print(HEADER)
        for clip in clips:
            baseline = None
            for engine in engines:
                run = transcribe(clip, engine, env, folder)
                if not run.failure:
                    score(run, normalise)
                    if options.keep_transcripts:
                        keep_transcript(run, normalise, options.keep_transcripts)
                if engine == DEFAULT_ENGINE:
                    baseline = run
                runs.append(run)
                print(row(run, baseline), flush=True)
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    done = [r for r in runs if not r.failure]
    default = [r for r in done if r.engine == DEFAULT_ENGINE]
    print(f"Load average {os.getloadavg()[0]:.2f} at the end. 'others': the machine's CPU used")
    print("by other processes while a clip was transcribed; above ~10 % the figures are disturbed.")
    if default:
        print(f"Model: {default[0].model}. RTF: seconds transcribing ÷ seconds of audio, model")
        print("load apart (wall s is the whole command, from start-up to exit).")
    summarise_target(
        f"real-time factor <= {TARGET_RTF:.2f}",
        default,
        lambda r: r.rtf,
        lambda v: v <= TARGET_RTF,
        lambda v: f"{v:.3f}",
    )
    summarise_target(
        f"peak RSS <= {TARGET_RSS_MB:.0f} MB",
        default,
        lambda r: r.peak_rss_mb,
        lambda v: v <= TARGET_RSS_MB,
        lambda v: f"{v:.0f} MB",
    )
    summarise_target(
        f"word error rate <= {TARGET_WER:.0%}",
        default,
        lambda r: r.wer,
        lambda v: v <= TARGET_WER,
        lambda v: f"{v:.1%}",
    )
    for engine in engines:
        if engine == DEFAULT_ENGINE:
            continue
        pairs = [
            (r, b)
            for r in done
            if r.engine == engine
            for b in default
            if b.clip is r.clip and b.processing_seconds
        ]
        if pairs:
            ratios = [r.processing_seconds / b.processing_seconds for r, b in pairs]
            spread = f"; {min(ratios):.1f}x to {max(ratios):.1f}x" if len(ratios) > 1 else ""
            print(
                f"{engine}: {statistics.median(ratios):.1f}x faster-whisper's processing time "
                f"(median of {len(ratios)} clip{'s' if len(ratios) > 1 else ''}{spread}), "
                f"WER median {statistics.median(r.wer for r, _ in pairs):.1%}, "
                f"peak RSS up to {max(r.peak_rss_mb for r, _ in pairs):.0f} MB"
            )
    for engine, reason in skipped:
        print(f"{engine}: skipped, because {reason}")
    if options.show_errors and done:
        show_errors(done, options.show_errors)
    failed = [r for r in runs if r.failure]
    if failed:
        print(f"{len(failed)} transcriptions failed to run, e.g. {failed[0].failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
