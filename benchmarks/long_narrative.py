"""A 60,000-word narrative: suggesting its themes, and serving its Themes and anonymised pages.

The targets (issue 16, item 1): suggesting themes for it finishes in under 30 s on two cores,
in the worker's code path; its Themes page and its anonymised page each serve in under 1 s
and weigh under 500 KB.

    .venv/bin/python benchmarks/long_narrative.py [--words 60000] [--repeats 3]

The narrative is the themes benchmark's passages (benchmarks/data/themes_eval.jsonl), in a
fixed shuffled order, repeated to the length asked for. Everything runs in this process on
the embedded SQLite default in a temporary folder (removed afterwards): the app, a signed-in
advocate (Flask's test client, so the figures are the app's own time, without a web server),
and `tagging.run_suggestions`, the function the worker's job calls.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PASSAGES = Path(__file__).with_name("data") / "themes_eval.jsonl"
TARGET_SUGGEST_SECONDS = 30.0
TARGET_PAGE_SECONDS = 1.0
TARGET_PAGE_KB = 500.0


def long_text(words: int) -> str:
    passages = [json.loads(line)["text"] for line in PASSAGES.read_text().splitlines() if line]
    rng = random.Random(20261204)
    chosen, count = [], 0
    while count < words:
        order = passages[:]
        rng.shuffle(order)
        for passage in order:
            chosen.append(passage)
            count += len(passage.split())
            if count >= words:
                break
    return "\n\n".join(chosen)


def verdict(is_met: bool) -> str:
    return "met" if is_met else "NOT MET"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=int, default=60_000)
    parser.add_argument("--repeats", type=int, default=3)
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ns-bench-long-narrative-"))
    try:
        from narrative_service import create_app
        from narrative_service.extensions import db
        from narrative_service.themes import tagging
        from narrative_service.themes.codebook import load_default_if_empty
        from tests.conftest import sign_in
        from tests.factories import make_narrative, make_user

        app = create_app(
            {
                "TESTING": True,
                "INSTANCE_DIR": str(folder),
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'narrative_service.db'}",
                "SECRET_KEY": "benchmark-" + "x" * 40,
                "QUEUE_IMMEDIATE": True,
                "WTF_CSRF_ENABLED": False,
            }
        )
        with app.app_context():
            from flask_migrate import upgrade

            upgrade(directory=str(Path(__file__).resolve().parent.parent / "migrations"))
            load_default_if_empty()
            advocate = make_user("advocate")
            text = long_text(options.words)
            narrative = make_narrative(advocate, body=text, status="complete")
            db.session.commit()
            print(f"A narrative of {len(text.split()):,} words")

            started = time.perf_counter()
            result = tagging.run_suggestions("narrative", narrative.id, text)
            db.session.commit()
            suggest_seconds = time.perf_counter() - started
            print(
                f"Suggesting its themes: {suggest_seconds:.1f} s, {result.added:,} suggestions "
                f"(target under {TARGET_SUGGEST_SECONDS:g} s: "
                f"{verdict(suggest_seconds < TARGET_SUGGEST_SECONDS)})"
            )
            client = app.test_client()
            sign_in(client, advocate)
            for label, url in (
                ("Themes page", f"/narratives/{narrative.id}/themes"),
                ("anonymised page", f"/narratives/{narrative.id}/anonymised"),
            ):
                times, size, status = [], 0, 0
                for _ in range(options.repeats):
                    started = time.perf_counter()
                    response = client.get(url)
                    times.append(time.perf_counter() - started)
                    size, status = len(response.data), response.status_code
                median = statistics.median(times)
                print(
                    f"{label}: HTTP {status}, {median:.2f} s (median of {len(times)}), "
                    f"{size / 1024:,.0f} KB (targets under {TARGET_PAGE_SECONDS:g} s: "
                    f"{verdict(median < TARGET_PAGE_SECONDS)}; under {TARGET_PAGE_KB:g} KB: "
                    f"{verdict(size / 1024 < TARGET_PAGE_KB)})"
                )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
