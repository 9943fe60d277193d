"""Time the narratives list and a narrative's page: 10,000 narratives, 20 concurrent clients.

Issue 3 asks for p95 under 150 ms on this 2-core machine, for the list
(filtered and paginated) and a narrative's page. The script:

1. migrates a fresh database (SQLite in a temporary instance folder, or a
   PostgreSQL database it creates and drops itself) with `narrative-service db upgrade`;
2. bulk-loads users, ~1,000 cases, the narratives and one version each;
3. starts the real `narrative-service serve --no-worker` and signs in over HTTP;
4. runs the clients, checking every response, and prints the figures.

    .venv/bin/python benchmarks/narratives_list_and_detail.py [--narratives 10000]
        [--clients 20] [--requests-per-client 50] [--think-time 0]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

Exit status: 0 when every request succeeded (whether or not the target is met;
the figures are the output), 1 when any failed. Only 127.0.0.1 is contacted.
"""

from __future__ import annotations

import argparse
import http.client
import math
import os
import random
import re
import resource
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.cookies import SimpleCookie
from pathlib import Path

COMMAND = Path(sys.executable).with_name("narrative-service")
PASSWORD = "benchmark password, not a secret"
LEAD_EMAIL = "lead@benchmark.invalid"
ADVOCATE_EMAIL = "advocate@benchmark.invalid"
TARGET_MS = 150.0
PAGE_SIZE = 25  # the service's default PAGE_SIZE; the script expects it
LONG_WORDS = 50_000
SESSIONS_PER_ROLE = 2
ROWS = ("list as lead", "list as advocate", "detail as lead", "detail as advocate")
# Settings that could point outside the temporary instance (a shared Redis, a real database).
OUTSIDE_SETTINGS = (
    "DATABASE_URL",
    "REDIS_URL",
    "RATELIMIT_STORAGE_URI",
    "MEDIA_DIR",
    "QUEUE_PATH",
    "PORT",
    "HOST",
    "PAGE_SIZE",
    "TRUST_PROXY",
)

# --------------------------------------------------------------------------- data

_OPENINGS = [
    "Nobody told me",
    "When the social worker came",
    "At the first meeting",
    "My daughter said",
    "The carer from the agency",
    "After the hospital discharge",
    "On the Tuesday",
    "I remember",
    "The advocate asked me",
    "Before anyone listened",
    "In the end",
    "My neighbour noticed",
    "When the money went missing",
    "At the review",
    "The nurse on the ward",
    "Later that week",
]
_MIDDLES = [
    "what was happening with my own bank account",
    "that they had already decided for me",
    "I felt like a parcel being passed about",
    "whether I could keep seeing my grandson",
    "that my words would be written down as I said them",
    "why the meeting was about me but not with me",
    "how frightened I was to be on my own at night",
    "that nobody had asked what I wanted",
    "that I could stop the interview whenever I liked",
    "my son had the keys and the bank card",
    "the letters kept coming and I could not read them",
    "who to ring when things went wrong",
    "that I was believed for the first time",
    "the plan was changed without telling me",
]
_ENDINGS = [
    "and I did not know who to ask.",
    "and that made all the difference.",
    "so I stopped answering the door.",
    "but nothing changed for weeks.",
    "and I wanted it to stop.",
    "which I still think about.",
    "and somebody finally waited for my answer.",
    "and I was too ashamed to say.",
    "so I said yes to everything.",
    "and I want other people to be heard sooner.",
]


def sentence_pool(rng: random.Random, size: int = 4000) -> list[str]:
    """First-person sentences to build bodies from quickly."""
    return [
        f"{rng.choice(_OPENINGS)} {rng.choice(_MIDDLES)} {rng.choice(_ENDINGS)}"
        for _ in range(size)
    ]


def prose(rng: random.Random, pool: list[str], words: int) -> str:
    """About ``words`` words in paragraphs of three to seven sentences."""
    sentences = rng.choices(pool, k=max(1, words // 14))  # pool sentences average ~14 words
    paragraphs, start = [], 0
    while start < len(sentences):
        end = start + rng.randint(3, 7)
        paragraphs.append(" ".join(sentences[start:end]))
        start = end
    return "\n\n".join(paragraphs)


def body_words(rng: random.Random, number: int) -> int:
    """Mostly a few hundred to a few thousand words; ten in 10,000 are 50,000 words."""
    if number % 1000 == 500:
        return LONG_WORDS
    return int(min(6000, max(200, rng.lognormvariate(math.log(900), 0.8))))


@dataclass
class Loaded:
    """What the clients need to choose requests and check the answers."""

    ids: dict[str, list[int]] = field(default_factory=dict)  # role -> visible narrative ids
    long_ids: dict[str, list[int]] = field(default_factory=dict)
    words: dict[int, int | None] = field(default_factory=dict)  # None: withdrawn, body erased
    rows: list[tuple] = field(default_factory=list)  # (status, narrator, captured, case, visible)
    summary: str = ""
    serving: str = ""


def load(count: int, database: str) -> Loaded:
    """Bulk-insert two users, the cases, the narratives, one version each and some shares."""
    from sqlalchemy import insert, text

    from narrative_service import create_app
    from narrative_service.auth.rules import hash_password
    from narrative_service.extensions import db
    from narrative_service.models import Case, Narrative, NarrativeShare, NarrativeVersion, User
    from narrative_service.narratives import choices
    from narrative_service.narratives.rules import CONTENT_FIELDS

    rng = random.Random(20251125)  # the same data on every run
    pool = sentence_pool(rng)
    app = create_app({"LOG_LEVEL": "WARNING"})
    loaded = Loaded()
    with app.app_context():
        now = datetime.now(UTC)
        password_hash = hash_password(PASSWORD)
        lead = User(email=LEAD_EMAIL, name="Bench Lead", role="lead", password_hash=password_hash)
        advocate = User(
            email=ADVOCATE_EMAIL,
            name="Bench Advocate",
            role="advocate",
            password_hash=password_hash,
        )
        db.session.add_all([lead, advocate])
        db.session.flush()

        case_count = max(1, count // 10)
        cases = [f"SG-{2024 + n % 2}-{n // 2 + 1:04d}" for n in range(case_count)]
        db.session.execute(
            insert(Case),
            [{"id": n + 1, "reference": ref, "created_at": now} for n, ref in enumerate(cases)],
        )
        case_weights = [rng.uniform(0.2, 3.0) for _ in cases]  # some cases have many narratives
        narrators = list(choices.NARRATOR_TYPES)
        first_day, days = date(2024, 4, 1), (date(2026, 3, 31) - date(2024, 4, 1)).days

        shares, text_bytes = [], 0
        for start in range(0, count, 500):
            narratives, versions = [], []
            for number in range(start, min(count, start + 500)):
                narrative_id = number + 1
                case_index = rng.choices(range(case_count), case_weights)[0]
                words = body_words(rng, number)
                status = rng.choices(("draft", "complete", "withdrawn"), (25, 65, 10))[0]
                if words == LONG_WORDS:
                    status = "complete"  # a withdrawn one would have its body erased
                narrator = rng.choices(narrators, (50, 12, 15, 15, 8))[0]
                captured = first_day + timedelta(days=rng.randint(0, days))
                # A fifth are the advocate's, among them half of the long ones.
                is_advocates = number % 5 == 0 and number % 2000 != 1500
                is_shared = not is_advocates and rng.random() < 0.02
                row = _narrative_row(rng, status, narrator, captured, now)
                row["body"] = "" if status == "withdrawn" else prose(rng, pool, words)
                row.update(
                    id=narrative_id,
                    case_id=case_index + 1,
                    created_by_id=advocate.id if is_advocates else lead.id,
                )
                narratives.append(row)
                versions.append(_version_row(row, cases[case_index], CONTENT_FIELDS, now))
                if is_shared:
                    shares.append(
                        {
                            "narrative_id": narrative_id,
                            "user_id": advocate.id,
                            "shared_by_id": lead.id,
                            "shared_at": now,
                        }
                    )
                text_bytes += len(row["body"])
                words = None if status == "withdrawn" else len(row["body"].split())
                loaded.words[narrative_id] = words
                visible = is_advocates or is_shared
                loaded.rows.append((status, narrator, captured, cases[case_index], visible))
                for role, sees in (("lead", True), ("advocate", visible)):
                    if sees:
                        loaded.ids.setdefault(role, []).append(narrative_id)
                        if words and words >= LONG_WORDS * 0.9:
                            loaded.long_ids.setdefault(role, []).append(narrative_id)
            db.session.execute(insert(Narrative), narratives)
            db.session.execute(insert(NarrativeVersion), versions)
        if shares:
            db.session.execute(insert(NarrativeShare), shares)
        if db.engine.dialect.name == "postgresql":
            # Explicit ids leave the sequences behind; and autovacuum would ANALYZE
            # the new rows within a minute anyway: do it now so every run plans alike.
            for table in ("cases", "narratives"):
                db.session.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                        f"(SELECT max(id) FROM {table}))"
                    )
                )
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            with db.engine.connect() as connection:
                connection.execution_options(isolation_level="AUTOCOMMIT").execute(text("ANALYZE"))
        loaded.summary = (
            f"{count:,} narratives ({text_bytes / 1e6:.0f} MB of text, "
            f"{len(loaded.long_ids.get('lead', [])):,} of {LONG_WORDS:,} words), "
            f"{case_count:,} cases, {count:,} versions; the advocate sees "
            f"{len(loaded.ids.get('advocate', [])):,} ({len(shares):,} shared with them); "
            f"{database}"
        )
        loaded.serving = (
            f"{app.config['WEB_SERVER']}, {app.config['WEB_PROCESSES']} processes x "
            f"{app.config['THREADS']} threads"
        )
        db.engine.dispose()
    return loaded


def _narrative_row(rng, status, narrator, captured, now) -> dict:
    is_withdrawn = status == "withdrawn"
    has_consent = status != "draft" or rng.random() < 0.7
    return {
        "title": "Withdrawn narrative" if is_withdrawn else "Being heard about the care at home",
        "status": status,
        "narrator_type": narrator,
        "reason_not_direct": "" if narrator == "service_user" else "Has advanced dementia",
        "facilitator_name": "" if is_withdrawn else "Independent advocate",
        "is_facilitator_independent": rng.random() < 0.8,
        "facilitator_relationship": "",
        "captured_from": captured,
        "captured_to": captured + timedelta(days=rng.choice((0, 0, 7, 14))),
        "capture_method": rng.choice(("written", "audio", "video", "mixed")),
        "has_consent": has_consent,
        "consent_date": captured if has_consent else None,
        "consent_recorded_by": "" if is_withdrawn or not has_consent else "Independent advocate",
        "has_reflection_consent": has_consent and not is_withdrawn,
        "has_dissemination_consent": has_consent and not is_withdrawn and rng.random() < 0.6,
        "has_board_quotes_consent": has_consent and not is_withdrawn and rng.random() < 0.3,
        "were_outcomes_asked": rng.choice(("yes", "yes", "no", "not_sure", "")),
        "desired_outcomes": "" if is_withdrawn else "To stay at home and to be asked first.",
        "outcomes_achieved": rng.choice(("fully", "partially", "not_achieved", "not_yet_known")),
        "are_children_affected": rng.random() < 0.2,
        "are_family_affected": rng.random() < 0.4,
        "think_family_notes": "",
        "age_band": "" if is_withdrawn else rng.choice(("45-54", "65-74", "75-84", "85+")),
        "gender": "" if is_withdrawn else rng.choice(("woman", "man", "prefer_not_to_say")),
        "ethnicity": "" if is_withdrawn else rng.choice(("white_british", "asian_indian", "")),
        "disability": "" if is_withdrawn else rng.choice(("yes", "no", "")),
        "withdrawn_at": now if is_withdrawn else None,
        "milestone_id": None,
        "version_number": 1,
        "created_at": now,
        "updated_at": now,
    }


def _version_row(row: dict, case_reference: str, fields: tuple, now: datetime) -> dict:
    """Version 1 as the rules save it: a snapshot of every field, the body included."""
    is_erased = row["status"] == "withdrawn"
    values = dict(row, case_reference=case_reference)
    snapshot = {
        key: values[key].isoformat() if isinstance(values[key], date) else values[key]
        for key in fields
    }
    return {
        "narrative_id": row["id"],
        "number": 1,
        "created_by_id": row["created_by_id"],
        "created_at": now,
        "summary": "Created",
        "changes": {},
        "snapshot": {} if is_erased else snapshot,
        "is_erased": is_erased,
    }


# --------------------------------------------------------------------------- requests

LIST_COUNT = re.compile(r'id="result-count" role="status">(\d+) narratives?')


@dataclass
class Request:
    row: str  # one of ROWS
    path: str
    expect: str  # text the page must contain, so an error page is never timed as a success
    is_long: bool = False


def list_requests(loaded: Loaded, role: str, rng: random.Random) -> list[Request]:
    """Filter combinations people use, each on a page that exists, with its expected count."""
    quarters = [f"{year} Q{q}" for year in ("2024/25", "2025/26") for q in (1, 2, 3, 4)]
    filters = [{}, {"status": "draft"}]
    filters += [{"status": "complete", "quarter": quarter} for quarter in quarters]
    filters += [{"narrator_type": kind} for kind in ("service_user", "carer", "family_member")]
    filters += [{"case": f"SG-2025-0{digit}"} for digit in range(5)]  # a prefix: ~100 cases
    filters += [{"case": f"SG-2024-{n:04d}"} for n in (7, 123, 314)]  # one case
    requests = []
    for chosen in filters:
        total = sum(1 for row in loaded.rows if _matches(row, chosen, role))
        pages = max(1, math.ceil(total / PAGE_SIZE))
        for page in sorted({1, min(pages, 3), rng.randint(1, pages)}):
            query = dict(chosen, page=page) if page > 1 else dict(chosen)
            path = "/narratives" + ("?" + urllib.parse.urlencode(query) if query else "")
            expected = f'id="result-count" role="status">{total} narrative'
            requests.append(Request(f"list as {role}", path, expected))
    return requests


def _matches(row: tuple, chosen: dict, role: str) -> bool:
    status, narrator, captured, case, visible = row
    if role == "advocate" and not visible:
        return False
    if "status" in chosen and status != chosen["status"]:
        return False
    if "narrator_type" in chosen and narrator != chosen["narrator_type"]:
        return False
    if "case" in chosen and not case.startswith(chosen["case"]):
        return False
    if "quarter" in chosen:
        # The NHS financial year starts on 1 April: Q1 is April to June.
        start = captured.year if captured.month >= 4 else captured.year - 1
        label = f"{start}/{(start + 1) % 100:02d} Q{(captured.month - 4) % 12 // 3 + 1}"
        if label != chosen["quarter"]:
            return False
    return True


def detail_request(loaded: Loaded, role: str, rng: random.Random) -> Request:
    """A narrative this role may see; about one in thirty is a 50,000-word account."""
    is_long = rng.random() < 1 / 30 and bool(loaded.long_ids.get(role))
    narrative_id = rng.choice(loaded.long_ids[role] if is_long else loaded.ids[role])
    words = loaded.words[narrative_id]
    # The word count proves the whole body was read and rendered.
    expected = f"{words:,} words</p>" if words is not None else "<h2>Details</h2>"
    return Request(f"detail as {role}", f"/narratives/{narrative_id}", expected, is_long)


class Browser:
    """One keep-alive connection with its cookies, like a browser tab."""

    def __init__(self, port: int, cookies: dict[str, str] | None = None):
        self.port = port
        self.cookies = dict(cookies or {})
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def request(self, method: str, path: str, body: str | None = None) -> tuple[int, str]:
        headers = {"Accept": "text/html"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                # The server closed an idle keep-alive connection: reconnect once, as browsers do.
                self.connection.close()
                if attempt == 2:
                    raise
        text = response.read().decode()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        return response.status, text

    def sign_in(self, email: str) -> None:
        _, page = self.request("GET", "/sign-in")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page)
        if token is None:
            raise RuntimeError("the sign-in page has no csrf_token field")
        form = {"email": email, "password": PASSWORD, "csrf_token": token.group(1)}
        status, _ = self.request("POST", "/sign-in", urllib.parse.urlencode(form))
        if status != 302:
            raise RuntimeError(f"signing in as {email} answered HTTP {status}, not a redirect")

    def close(self) -> None:
        self.connection.close()


@dataclass
class Results:
    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    long_times: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    wall: float = 0.0
    stopped_early: bool = False


def run_clients(port, cookies, loaded, options) -> Results:
    """The clients, each signed in with one of the shared sessions, run together after warm-up."""
    results = Results()
    lock = threading.Lock()
    ready = threading.Barrier(options.clients + 1)
    deadline = [math.inf]  # set when measuring starts
    rng = random.Random(7)
    lists = {role: list_requests(loaded, role, rng) for role in ("lead", "advocate")}

    def client(number: int) -> None:
        rng = random.Random(number)
        role = "lead" if number % 2 == 0 else "advocate"
        browser = Browser(port, cookies[role][number // 2 % len(cookies[role])])
        try:
            # Warm-up, not timed: each process compiles its templates on first use.
            for request in (rng.choice(lists[role]), detail_request(loaded, role, rng)):
                browser.request("GET", request.path)
        except Exception as error:  # noqa: BLE001 (counted as a failure, and still join in)
            with lock:
                results.failures.append(f"warm-up as {role}: {error!r}")
        ready.wait()
        for _ in range(options.requests_per_client):
            if time.monotonic() > deadline[0]:
                results.stopped_early = True
                break
            if options.think_time:  # a person reading the page before the next click
                time.sleep(rng.uniform(0.5, 1.5) * options.think_time)
            if rng.random() < 0.5:
                request = rng.choice(lists[role])
            else:
                request = detail_request(loaded, role, rng)
            started = time.perf_counter()
            try:
                status, text = browser.request("GET", request.path)
            except Exception as error:  # noqa: BLE001 (a failure to count, not a crash)
                status, text = 0, repr(error)
            elapsed_ms = (time.perf_counter() - started) * 1000
            with lock:
                if status != 200 or request.expect not in text:
                    found = LIST_COUNT.search(text)
                    results.failures.append(
                        f"{request.row} {request.path}: HTTP {status}"
                        + (f", count {found.group(1)}" if found else "")
                        + f", expected {request.expect!r}"
                    )
                else:
                    results.times[request.row].append(elapsed_ms)
                    if request.is_long:
                        results.long_times.append(elapsed_ms)
        browser.close()

    threads = [
        threading.Thread(target=client, args=(n,), daemon=True) for n in range(options.clients)
    ]
    for thread in threads:
        thread.start()
    ready.wait()
    started = time.perf_counter()
    deadline[0] = time.monotonic() + options.time_limit
    for thread in threads:
        thread.join()
    results.wall = time.perf_counter() - started
    return results


# --------------------------------------------------------------------------- figures


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def figures_line(name: str, values: list[float], wall: float) -> str:
    if not values:
        return f"{name:<26}{0:>7}"
    return (
        f"{name:<26}{len(values):>7}"
        + "".join(f"{percentile(values, share):>9.1f}" for share in (0.50, 0.95, 0.99))
        + f"{max(values):>9.1f}{len(values) / wall:>9.1f}"
    )


def access_log_times(log: Path) -> dict[str, list[float]]:
    """Milliseconds inside the app per page, from the service's own access log."""
    pattern = re.compile(
        r"narrative_service\.access GET (/narratives(?:/\d+)?) 200 user=\d+ (\d+)ms"
    )
    times: dict[str, list[float]] = defaultdict(list)
    for match in pattern.finditer(log.read_text(errors="replace")):
        times["list" if match.group(1) == "/narratives" else "detail"].append(float(match.group(2)))
    return times


def cpu_seconds(pid: int) -> float:
    """User and system CPU of a process and its live children, from /proc (Linux)."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(entry.name) == pid or int(fields[1]) == pid:
            total += (int(fields[11]) + int(fields[12])) / ticks
    return total


# --------------------------------------------------------------------------- set-up


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def create_postgres_database(url: str) -> tuple[str, str]:
    """A new, empty database on the server ``url`` names; returns its URL and name."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"narratives_benchmark_{secrets.token_hex(4)}"
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(url).set(database=name).render_as_string(hide_password=False), name


def drop_postgres_database(url: str, name: str) -> None:
    from sqlalchemy import create_engine, text

    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def start_server(env: dict, port: int, log: Path) -> subprocess.Popen:
    command = [str(COMMAND), "serve", "--no-worker", "--port", str(port)]
    with log.open("wb") as output:
        # Its own session, so the gunicorn master and its workers stop together.
        server = subprocess.Popen(  # noqa: S603 (our own command)
            command, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True
        )
    give_up = time.monotonic() + 60
    while time.monotonic() < give_up:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}:\n{log.read_text()}")
        try:
            browser = Browser(port)
            status, _ = browser.request("GET", "/health")
            browser.close()
            if status == 200:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer /health within 60 s:\n{log.read_text()}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def sign_in_sessions(port: int) -> dict[str, list[dict[str, str]]]:
    """A few signed-in sessions per role, shared by the clients.

    Sign-in is limited to 10 a minute per address, and all clients come from
    127.0.0.1; a browser signs in once and reuses its cookie, so sharing a few
    sessions between the clients is faithful and stays under the limit. Each
    sign-in also costs an argon2 verification (~50 ms of CPU), kept out of the timings.
    """
    sessions: dict[str, list[dict[str, str]]] = {"lead": [], "advocate": []}
    for role, email in (("lead", LEAD_EMAIL), ("advocate", ADVOCATE_EMAIL)):
        for _ in range(SESSIONS_PER_ROLE):
            browser = Browser(port)
            browser.sign_in(email)
            sessions[role].append(browser.cookies)
            browser.close()
    return sessions


# --------------------------------------------------------------------------- main


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--narratives", type=int, default=10_000)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests-per-client", type=int, default=50)
    parser.add_argument(
        "--think-time",
        type=float,
        default=0.0,
        help="mean seconds a client waits between requests (default 0: back to back)",
    )
    parser.add_argument(
        "--time-limit", type=float, default=300, help="stop measuring after this many seconds"
    )
    parser.add_argument(
        "--database-url",
        default="",
        help="a PostgreSQL server to create (and afterwards drop) a database on; default SQLite",
    )
    options = parser.parse_args()
    if options.narratives < 10 or options.clients < 1 or options.requests_per_client < 1:
        parser.error("need at least 10 narratives, 1 client and 1 request per client")

    # Keep the benchmark's SIGTERM from skipping the clean-up below.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(143))
    folder = Path(tempfile.mkdtemp(prefix="narratives-benchmark-"))
    for key in OUTSIDE_SETTINGS:
        os.environ.pop(key, None)
    env = dict(os.environ)
    env.update(
        INSTANCE_DIR=str(folder),
        SECRET_KEY=secrets.token_hex(32),
        LOAD_DEMO_DATA="false",
        LOG_LEVEL="INFO",  # the access log gives the time spent inside the app
    )
    database_name = ""
    server = None
    try:
        if options.database_url:
            env["DATABASE_URL"], database_name = create_postgres_database(options.database_url)
            where = f"PostgreSQL database {database_name} (dropped afterwards)"
        else:
            where = "SQLite in a temporary folder"
        os.environ.update(env)  # the loader's create_app reads the same settings as the server
        subprocess.run(  # noqa: S603
            [str(COMMAND), "db", "upgrade"], env=env, check=True, capture_output=True
        )

        started = time.perf_counter()
        loaded = load(options.narratives, where)
        print(f"Loaded {loaded.summary} in {time.perf_counter() - started:.1f} s")

        port, log = free_port(), folder / "server.log"
        server = start_server(env, port, log)
        cookies = sign_in_sessions(port)
        load_before = os.getloadavg()[0]
        server_cpu, own = cpu_seconds(server.pid), resource.getrusage(resource.RUSAGE_SELF)
        results = run_clients(port, cookies, loaded, options)
        server_cpu = cpu_seconds(server.pid) - server_cpu
        after = resource.getrusage(resource.RUSAGE_SELF)
        client_cpu = after.ru_utime - own.ru_utime + after.ru_stime - own.ru_stime
        inside = access_log_times(log)
    finally:
        if server is not None:
            stop_server(server)
        if database_name:
            drop_postgres_database(options.database_url, database_name)
        shutil.rmtree(folder, ignore_errors=True)

    everything = [value for values in results.times.values() for value in values]
    print(
        f"Served by narrative-service serve ({loaded.serving}) on {os.cpu_count()} cores; "
        f"{options.clients} clients sharing {SESSIONS_PER_ROLE} sessions per role, "
        f"think time {options.think_time:g} s, warm-up excluded; load average before: "
        f"{load_before:.2f}"
    )
    print(
        f"{len(everything):,} requests in {results.wall:.1f} s; CPU used: server "
        f"{server_cpu:.1f} s, this load generator {client_cpu:.1f} s "
        f"(of {os.cpu_count() * results.wall:.1f} core-seconds)"
    )
    if results.stopped_early:
        print(f"Stopped at the {options.time_limit:g} s time limit before every request was made.")
    print()
    print(
        f"{'client-side, ms':<26}{'count':>7}{'p50':>9}{'p95':>9}{'p99':>9}{'max':>9}{'req/s':>9}"
    )
    for name in ROWS:
        print(figures_line(name, results.times[name], results.wall))
    print(figures_line("all", everything, results.wall))
    print(figures_line(f"  ({LONG_WORDS:,}-word details)", results.long_times, results.wall))
    print()
    print("inside the app, from its access log (warm-up requests included):")
    for name in ("list", "detail"):
        print(figures_line(f"  {name}", inside.get(name, []), results.wall))
    print()

    over = [
        name
        for name, values in [(row, results.times[row]) for row in ROWS] + [("all", everything)]
        if values and percentile(values, 0.95) >= TARGET_MS
    ]
    verdict = "MET" if everything and not over else "NOT MET"
    detail = f" (p95 over target: {', '.join(over)})" if over else ""
    print(f"p95 target {TARGET_MS:.0f} ms: {verdict}{detail}")
    if results.failures:
        print(f"{len(results.failures)} requests failed, for example:")
        for failure in results.failures[:5]:
            print(f"  {failure}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
