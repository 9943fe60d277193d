"""The organisation's word list: error rates on sentences that use its terms, with and without.

    .venv/bin/python benchmarks/vocabulary.py [--set tuning|held-out|both]

Sentences of safeguarding practice with terms a general speech model mishears (section 42,
IMCA, DoLS, MASH, local place and service names, all fictional), spoken by espeak-ng (en-gb,
en-us) and by flite (slt, rms), are transcribed by the product's engine (faster-whisper, the
bundled tiny.en, batched as in production) with no word list and with the list a lead would
keep. Printed for each synthesiser: the word error rate, and the share of the terms heard
exactly, without and with the list.

The TUNING set was used while choosing how the list reaches the decoder (hotwords rather
than an initial prompt). The HELD-OUT set was written at the same time and not looked at
until the figures were printed; it uses some terms the list does not hold, to show what the
list does to the words around them. Everything is made in a temporary folder and removed.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from narrative_service.transcription.engines import EngineSettings, engine_for  # noqa: E402

WORD_LIST = [
    "section 42",
    "IMCA",
    "DoLS",
    "MASH",
    "Care Act",
    "MCA",
    "Making Safeguarding Personal",
    "Thornbury",
    "Saltmarsh House",
    "Kingsbridge",
    "Larchfield",
    "Brackley Lodge",
]

TUNING = [
    "The section 42 enquiry was opened on the Monday after the visit.",
    "An IMCA was appointed because she had nobody else to speak for her.",
    "The DoLS authorisation ran out before anyone noticed.",
    "The referral went to the MASH, and they rang me the next day.",
    "My social worker from Thornbury asked about the Care Act assessment.",
    "We met at Saltmarsh House with the advocate from Kingsbridge.",
    "The safeguarding adults board heard about the section 42 outcome.",
    "Nobody explained what the MCA assessment was for.",
]
HELD_OUT = [
    "They told me the MASH had already spoken to the police.",
    "Mum moved to Brackley Lodge in the spring, and the DoLS was renewed there.",
    "I asked whether the section 42 would stay on her record.",
    "The IMCA came twice and wrote down everything Dad said.",
    "Making Safeguarding Personal means they asked what I wanted to happen.",
    "The home in Larchfield never rang me back about the bruises.",
    "Under the Care Act they have to involve me as her carer.",
    "The best interests meeting was held at Saltmarsh House on a Tuesday.",
    "A CQC inspector visited Larchfield after my complaint.",
    "The MCA assessment said he could decide for himself about the money.",
]
VOICES = [("espeak-ng", "en-gb"), ("espeak-ng", "en-us"), ("flite", "slt"), ("flite", "rms")]
RATE = 16_000


def speak(program: str, voice: str, text: str, folder: Path) -> np.ndarray:
    from faster_whisper.audio import decode_audio

    path = folder / "sentence.wav"
    if program == "flite":
        command = ["flite", "-voice", voice, "-t", text, "-o", str(path)]
    else:
        command = ["espeak-ng", "-v", voice, "-s", "150", "-w", str(path), text]
    subprocess.run(command, check=True, capture_output=True)
    return decode_audio(str(path), sampling_rate=RATE)


def normalise(text: str) -> list[str]:
    try:
        from whisper.normalizers import EnglishTextNormalizer

        text = EnglishTextNormalizer()(text)
    except Exception:  # openai-whisper is optional: a plain normaliser then
        text = re.sub(r"[^\w\s']", " ", text.lower())
    return text.split()


def word_errors(reference: list[str], heard: list[str]) -> int:
    row = list(range(len(heard) + 1))
    for i, said in enumerate(reference, start=1):
        previous, row[0] = row[:], i
        for j, word in enumerate(heard, start=1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (said != word))
    return row[-1]


def terms_in(sentence: str) -> list[str]:
    return [term for term in WORD_LIST if term.lower() in sentence.lower()]


def measure(sentences: list[str], voices, with_list: bool, folder: Path) -> dict:
    settings = EngineSettings(hotwords=", ".join(WORD_LIST) if with_list else "")
    engine = engine_for(settings)
    engine.load()
    figures = {}
    for program, voice in voices:
        errors = words = terms_heard = terms_said = 0
        for sentence in sentences:
            samples = np.concatenate(
                [speak(program, voice, sentence, folder), np.zeros(RATE // 2, np.float32)]
            )
            heard = " ".join(segment.text for segment in engine.segments(samples))
            reference = normalise(sentence)
            errors += word_errors(reference, normalise(heard))
            words += len(reference)
            for term in terms_in(sentence):
                terms_said += 1
                terms_heard += " ".join(normalise(term)) in " ".join(normalise(heard))
        figures[f"{program} {voice}"] = (errors / words, terms_heard / max(terms_said, 1))
    return figures


def mean(figures: dict, k: int) -> float:
    return sum(value[k] for value in figures.values()) / len(figures)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", choices=("tuning", "held-out", "both"), default="both")
    options = parser.parse_args()
    for program in ("espeak-ng", "flite"):
        if shutil.which(program) is None:
            print(f"{program} is not installed (apt-get install -y {program})", file=sys.stderr)
            return 2
    chosen = {"tuning": [("tuning", TUNING)], "held-out": [("held-out", HELD_OUT)]}
    sets = chosen.get(options.set, [("tuning", TUNING), ("held-out", HELD_OUT)])
    folder = Path(tempfile.mkdtemp(prefix="ns-bench-vocabulary-"))
    try:
        print(f"Word list ({len(WORD_LIST)} terms): {', '.join(WORD_LIST)}")
        for name, sentences in sets:
            without = measure(sentences, VOICES, False, folder)
            with_list = measure(sentences, VOICES, True, folder)
            print(f"\n{name} set: {len(sentences)} sentences")
            print(
                f"{'voice':<20}{'WER without':>13}{'WER with':>10}{'terms without':>15}"
                f"{'terms with':>12}"
            )
            for voice in without:
                (wer_a, terms_a), (wer_b, terms_b) = without[voice], with_list[voice]
                print(f"{voice:<20}{wer_a:>13.1%}{wer_b:>10.1%}{terms_a:>15.0%}{terms_b:>12.0%}")
            print(
                f"{'all voices':<20}{mean(without, 0):>13.1%}{mean(with_list, 0):>10.1%}"
                f"{mean(without, 1):>15.0%}{mean(with_list, 1):>12.0%}"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
