"""Theme suggestions against a hand-labelled set: precision, recall and words per second.

The targets (issue): theme micro-recall of at least 0.80 at a micro-precision of at least
0.60, and at least 5,000 words a second per core, batched with `nlp.pipe`.

There are two sets, one JSON object a line: {"id", "voice", "text", "themes": [codes]}.
- main, benchmarks/data/themes_eval.jsonl: the set the codebook's patterns are tuned on.
- held-out, benchmarks/data/themes_held_out.jsonl: written and labelled with the same rules
  before the patterns were tuned, and never used to tune them: its figures are the ones
  to trust for text the codebook has not seen.
Both hold fictional passages of two to six sentences in the voices the service hears
(service users, carers, family, advocates, staff in reflection sessions). They were written
the way people talk and labelled against the codebook's descriptions, before the suggester
was run on them, with these rules:
- A theme is labelled when a person coding the passage would tag it: the passage is about
  it, whether it went well, went badly or was missing ("nobody explained" is about being
  told what is happening; "I'm not frightened now" is about feeling safe).
- Abuse: the kinds of harm described or plainly suspected, named or not. A kind the
  passage rules out ("no suggestion anyone has touched her money") is not labelled.
- Family and carers: when a relative or an unpaid carer (a friend, a neighbour) takes
  part in the story (helping, left out, worn out, causing harm), not for a passing
  mention. Paid care workers, whom people also call carers, are not this theme.
- Agencies working together: when more than one agency takes part in the response, or
  information is shared (or not), or the person tells their story again and again.
- Choice and control: whether the person was asked and part of the decisions.
  Empowerment: the person was supported to decide or speak for themselves.
One label was corrected after the first run, where it broke these rules: t65, whose
husband harms her, is also about family and carers.

Scoring: a suggestion at or above --min-score whose code is among the passage's labels is a
true positive, any other a false positive; a label with no such suggestion is a false
negative. Micro figures add these up over every passage and theme.

Speed is measured apart, in this process: `suggest_many` (the function the CLI, the app
and the worker call) over the passages repeated to about 200,000 words, and over one
document of about 200,000 words, on one core.

    .venv/bin/python benchmarks/themes.py [--set main|held-out|both] [--min-score 0.7]
        [--show-errors 3] [--words 200000] [--long-words 200000] [--no-speed]

Both sets are reported by default, each apart; speed is measured on the main set's passages.

The CLI runs with INSTANCE_DIR in a temporary folder, which is removed afterwards.
"""

from __future__ import annotations

import os

# One thread for any numeric library spaCy loads: the target is per core.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import json  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from collections import Counter, defaultdict  # noqa: E402
from dataclasses import dataclass  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = Path(__file__).resolve().parent / "data"
SETS = {"main": DATA_DIR / "themes_eval.jsonl", "held-out": DATA_DIR / "themes_held_out.jsonl"}
COMMAND = Path(sys.executable).with_name("narrative-service")
TARGET_RECALL = 0.80
TARGET_PRECISION = 0.60
TARGET_WORDS_PER_SECOND = 5_000
THRESHOLDS = (0.0, 0.65, 0.7, 0.8, 0.85, 0.9, 0.95)

sys.path.insert(0, str(ROOT))


@dataclass
class Passage:
    id: str
    voice: str
    text: str
    themes: set[str]


@dataclass
class Found:
    code: str
    score: float
    evidence: list[str]


def load_passages(path: Path, codes: tuple[str, ...]) -> list[Passage]:
    passages = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        item = json.loads(line)
        unknown = set(item["themes"]) - set(codes)
        if unknown:
            raise SystemExit(f"{path.name} line {number}: not codebook codes: {sorted(unknown)}")
        passages.append(Passage(item["id"], item["voice"], item["text"], set(item["themes"])))
    return passages


def run_cli(path: Path) -> tuple[dict[str, list[Found]], float]:
    """The real `narrative-service themes --jsonl`, as an operator would run it."""
    folder = Path(tempfile.mkdtemp(prefix="ns-bench-"))
    env = dict(
        os.environ,
        INSTANCE_DIR=str(folder),
        SECRET_KEY="benchmark-" + "x" * 40,
        LOG_LEVEL="WARNING",
        LOAD_DEMO_DATA="false",
    )
    env.pop("REDIS_URL", None)
    env.pop("DATABASE_URL", None)
    try:
        started = time.perf_counter()
        done = subprocess.run(
            [str(COMMAND), "themes", "--jsonl", str(path)],
            env=env,
            capture_output=True,
            text=True,
        )
        wall = time.perf_counter() - started
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"narrative-service themes failed ({done.returncode}):\n{done.stderr}")
    results = {}
    for line in done.stdout.splitlines():
        item = json.loads(line)
        results[item["id"]] = [
            Found(t["code"], t["score"], [e["text"] for e in t["evidence"]]) for t in item["themes"]
        ]
    return results, wall


def count(passages: list[Passage], results: dict[str, list[Found]], min_score: float):
    """True positives, false positives and false negatives per code, with examples."""
    tp, fp, fn = Counter(), Counter(), Counter()
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)
    for passage in passages:
        suggested = {f.code: f for f in results[passage.id] if f.score >= min_score}
        for code, found in suggested.items():
            if code in passage.themes:
                tp[code] += 1
            else:
                fp[code] += 1
                quotes = ", ".join(f"“{text}”" for text in found.evidence[:2])
                examples[(code, "fp")].append(f"{passage.id} {quotes}")
        for code in passage.themes - suggested.keys():
            fn[code] += 1
            examples[(code, "fn")].append(passage.id)
    return tp, fp, fn, examples


def micro(tp: Counter, fp: Counter, fn: Counter) -> tuple[float, float, float]:
    hits, wrong, missed = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = hits / (hits + wrong) if hits + wrong else 0.0
    recall = hits / (hits + missed) if hits + missed else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def verdict(precision: float, recall: float) -> str:
    met = recall >= TARGET_RECALL and precision >= TARGET_PRECISION
    return "MET" if met else "NOT MET"


def print_accuracy(passages, results, codes, min_score: float, show_errors: int) -> None:
    tp, fp, fn, examples = count(passages, results, min_score)
    print(f"\nPer theme, suggestions scoring at least {min_score:g}:")
    print(f"{'theme':<34}{'support':>8}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}")
    for code in codes:
        support = tp[code] + fn[code]
        suggested = tp[code] + fp[code]
        precision = f"{tp[code] / suggested:.2f}" if suggested else "-"
        recall = f"{tp[code] / support:.2f}" if support else "-"
        print(
            f"{code:<34}{support:>8}{tp[code]:>5}{fp[code]:>5}{fn[code]:>5}"
            f"{precision:>11}{recall:>8}"
        )
        if show_errors:
            if examples[(code, "fp")]:
                print(f"{'':<6}wrongly: {'; '.join(examples[(code, 'fp')][:show_errors])}")
            if examples[(code, "fn")]:
                print(f"{'':<6}missed in: {', '.join(examples[(code, 'fn')][:show_errors])}")
    precision, recall, f1 = micro(tp, fp, fn)
    print(
        f"\nMicro, at {min_score:g}: precision {precision:.3f}, recall {recall:.3f}, F1 {f1:.3f} "
        f"({sum(tp.values())} right, {sum(fp.values())} wrong, {sum(fn.values())} missed)"
    )
    print(
        f"Target recall >= {TARGET_RECALL:.2f} at precision >= {TARGET_PRECISION:.2f}: "
        f"{verdict(precision, recall)}"
    )

    print(f"\n{'min score':>10}{'precision':>11}{'recall':>8}{'F1':>7}{'per passage':>13}  target")
    for threshold in sorted(set(THRESHOLDS) | {min_score}):
        tp, fp, fn, _ = count(passages, results, threshold)
        precision, recall, f1 = micro(tp, fp, fn)
        per_passage = (sum(tp.values()) + sum(fp.values())) / len(passages)
        print(
            f"{threshold:>10g}{precision:>11.3f}{recall:>8.3f}{f1:>7.3f}{per_passage:>13.1f}"
            f"  {verdict(precision, recall)}"
        )


def machine_busy() -> tuple[float, float]:
    """Busy and total CPU seconds of the whole machine so far, from /proc/stat."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    ticks = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + fields[4]  # idle and iowait
    return (sum(fields) - idle) / ticks, sum(fields) / ticks


def timed(function, *args):
    """Run function(*args); return its result, wall seconds, CPU seconds of this process,
    and the share of the machine's CPU that other processes used meanwhile."""
    busy_before, _ = machine_busy()
    wall_before, cpu_before = time.perf_counter(), time.process_time()
    result = function(*args)
    wall = time.perf_counter() - wall_before
    cpu = time.process_time() - cpu_before
    busy_after, _ = machine_busy()
    others = max(0.0, busy_after - busy_before - cpu) / (wall * (os.cpu_count() or 1))
    return result, wall, cpu, others


def words(text: str) -> int:
    return len(text.split())


def print_speed(passages, cli_results, words_target: int, long_words: int) -> None:
    core = 0 if 0 in os.sched_getaffinity(0) else min(os.sched_getaffinity(0))
    os.sched_setaffinity(0, {core})
    print(f"\nSpeed, in this process, pinned to core {core} (OMP_NUM_THREADS=1):")

    from narrative_service.themes.suggest import model_name, suggest_many, suggester

    configured = os.environ.get("SPACY_MODEL", "")
    engine, load_wall, _, _ = timed(suggester, configured)
    meta = engine.nlp.meta
    print(
        f"model {model_name(configured)} ({meta.get('lang')}_{meta.get('name')} "
        f"{meta.get('version')}), pipes {', '.join(engine.nlp.pipe_names)}; "
        f"loaded with the codebook's matchers in {load_wall:.1f} s"
    )

    texts = [p.text for p in passages]
    first = suggest_many(engine, texts)  # also warms the pipeline up
    same = all(
        [(s.code, round(s.score, 3)) for s in found]
        == [(f.code, f.score) for f in cli_results[p.id]]
        for p, found in zip(passages, first, strict=True)
    )
    print(f"in-process suggestions are the CLI's: {'yes' if same else 'NO'}")

    batch: list[str] = []
    while sum(map(words, batch)) < words_target:
        batch.extend(texts)
    long_text = ""
    while words(long_text) < long_words:
        long_text += "\n\n".join(texts) + "\n\n"
    print(
        f"{'run':<34}{'words':>9}{'wall s':>8}{'CPU s':>7}{'words/s':>9}"
        f"{'per CPU s':>10}{'others':>8}"
    )
    rates = []
    for name, job in (
        (f"{len(batch):,} passages, batched", batch),
        (f"one document, {len(long_text):,} chars", [long_text]),
    ):
        results, wall, cpu, others = timed(suggest_many, engine, job)
        count_words = sum(map(words, job))
        rates.append(count_words / cpu)
        print(
            f"{name:<34}{count_words:>9,}{wall:>8.1f}{cpu:>7.1f}{count_words / wall:>9,.0f}"
            f"{count_words / cpu:>10,.0f}{others:>8.0%}"
        )
    (long_result,) = results
    evidence = [e for s in long_result for e in s.evidence]
    is_exact = all(long_text[e.start : e.end] == e.text for e in evidence)
    print(
        f"the long document: {len(long_result)} themes, {len(evidence):,} pieces of evidence, "
        f"offsets {'all point at their words' if is_exact else 'WRONG'}"
    )
    rate = min(rates)
    print(
        f"Target {TARGET_WORDS_PER_SECOND:,} words/s per core: "
        f"{'MET' if rate >= TARGET_WORDS_PER_SECOND else 'NOT MET'} "
        f"({rate:,.0f} words per CPU second, the slower run)"
    )


def describe(passages: list[Passage], codes: tuple[str, ...]) -> str:
    voices = Counter(p.voice for p in passages)
    return (
        f"{len(passages)} passages ({', '.join(f'{n} {v}' for v, n in voices.most_common())}), "
        f"{sum(words(p.text) for p in passages):,} words, "
        f"{sum(len(p.themes) for p in passages)} labels, "
        f"{len({c for p in passages for c in p.themes})} of {len(codes)} themes"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--set",
        dest="which",
        choices=[*SETS, "both"],
        default="both",
        help="the labelled set(s) to report on, each apart (default: both)",
    )
    parser.add_argument("--data", type=Path, help="another labelled file instead of the sets")
    parser.add_argument(
        "--min-score", type=float, default=0.0, help="count only suggestions scoring this or more"
    )
    parser.add_argument(
        "--show-errors",
        type=int,
        default=3,
        metavar="N",
        help="for each theme, N passages it was wrongly suggested for (with the words) and N "
        "it was missed in (0: none)",
    )
    parser.add_argument("--words", type=int, default=200_000, help="words in the batched run")
    parser.add_argument("--long-words", type=int, default=200_000, help="words in the long one")
    parser.add_argument("--no-speed", action="store_true", help="measure accuracy only")
    options = parser.parse_args()

    from narrative_service.themes.codebook import REQUIRED_CODES

    if options.data:
        chosen = {options.data.name: options.data}
    elif options.which == "both":
        chosen = dict(SETS)
    else:
        chosen = {options.which: SETS[options.which]}

    print(f"Load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    speed_on = None
    for name, path in chosen.items():
        passages = load_passages(path, REQUIRED_CODES)
        print(f"\n=== {name} set ({path.name}): {describe(passages, REQUIRED_CODES)}")
        results, cli_wall = run_cli(path)
        missing = [p.id for p in passages if p.id not in results]
        if missing:
            print(f"The CLI gave no result for {missing}")
            return 1
        print(f"`narrative-service themes --jsonl` took {cli_wall:.1f} s, start-up included")
        print_accuracy(passages, results, REQUIRED_CODES, options.min_score, options.show_errors)
        if speed_on is None or name == "main":
            speed_on = (passages, results)
    if not options.no_speed:
        print_speed(*speed_on, options.words, options.long_words)
    print(f"\nLoad average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
