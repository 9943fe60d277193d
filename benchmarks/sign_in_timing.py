"""Median sign-in time for an email that has an account and one that has not.

A wrong password for a known account and any password for an unknown address
should take about as long, so that timing does not tell which addresses have
accounts; and once the throttle answers, it should answer for both after the
same work. Runs the app in this process (Flask's test client) on a fresh SQLite
database in a temporary folder, with the per-address request limit off so the
throttle is what is measured.

    .venv/bin/python benchmarks/sign_in_timing.py [--attempts 40]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attempts", type=int, default=40, help="sign-ins timed per case")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="ns-sign-in-"))
    os.environ.update(INSTANCE_DIR=str(folder), LOG_LEVEL="WARNING")
    try:
        from flask_migrate import upgrade

        from narrative_service import create_app
        from narrative_service.auth import rules

        app = create_app(
            {
                "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
                "SECRET_KEY": "benchmark-" + "x" * 40,
                "WTF_CSRF_ENABLED": False,
                "RATELIMIT_ENABLED": False,
                "MEDIA_DIR": str(folder / "media"),
            }
        )
        with app.app_context():
            upgrade()
            from narrative_service.extensions import db

            rules.create_user(
                email="known@bench.invalid",
                name="Bench Advocate",
                role="advocate",
                password="tidal marble orchard lantern",
            )
            db.session.commit()
        client = app.test_client()

        def timed(email: str, address: str) -> float:
            started = time.perf_counter()
            response = client.post(
                "/sign-in",
                data={"email": email, "password": "not the password"},
                environ_base={"REMOTE_ADDR": address},
            )
            elapsed = (time.perf_counter() - started) * 1000
            assert response.status_code == 401, response.status_code
            return elapsed

        client.post("/sign-in", data={"email": "warm@bench.invalid", "password": "x"})
        accounts = {"known": "known@bench.invalid", "unknown": "nobody@bench.invalid"}
        throttled_at = {"known": "203.0.113.7", "unknown": "203.0.113.8"}
        for label, email in accounts.items():  # one address each, far past the free attempts
            for _ in range(5):
                timed(email, throttled_at[label])
        cases = {f"{kind}, {label} account": [] for kind in ("wrong password", "throttled")
                 for label in accounts}  # fmt: skip
        # Known and unknown take turns, so that the machine's other work falls on both alike.
        for n in range(options.attempts):
            for label, email in accounts.items():
                # A new address each time: below the throttle.
                address = f"198.51.{n // 250}.{n % 250 + 1}"
                cases[f"wrong password, {label} account"].append(timed(email, address))
                cases[f"throttled, {label} account"].append(timed(email, throttled_at[label]))
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    print(f"{'case':<34} {'n':>4} {'median ms':>10} {'p10 ms':>8} {'p90 ms':>8}")
    for label, values in cases.items():
        deciles = statistics.quantiles(values, n=10)
        print(
            f"{label:<34} {len(values):>4} {statistics.median(values):>10.1f} "
            f"{deciles[0]:>8.1f} {deciles[-1]:>8.1f}"
        )
    for kind in ("wrong password", "throttled"):
        known = statistics.median(cases[f"{kind}, known account"])
        unknown = statistics.median(cases[f"{kind}, unknown account"])
        print(f"{kind}: unknown / known median = {unknown / known:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
