"""After consent is withdrawn, the person's words are in no byte under the instance folder.

The real service (`narrative-service serve` with its worker) on a fresh instance folder:
distinctive words are planted in a narrative, a conversation turn, a spoken recording
(transcribed by the worker and accepted into the conversation), theme tags (suggested,
accepted, tagged by hand) and an approved anonymised version. Consent is withdrawn through
the page. Every file under the instance folder (the SQLite database, its -wal and -shm,
the media folder, the job queue) is then searched, byte by byte, while the service still
runs and again after it stops.
"""

from __future__ import annotations

import os
import re
import signal
import sqlite3
from datetime import date
from pathlib import Path

from tests.audio import speak
from tests.service import Browser, free_port, start_service, wait_for

IN_THE_BODY = "marmalade lighthouse quartet"
IN_THE_OUTCOMES = "porcupine harmonica evenings"
IN_A_TURN = "tangerine velvet submarine"
SPOKEN = "The green kettle sang to the cat every morning while I waited for news."


def files_holding(instance: Path, phrases: list[str]) -> dict[str, list[str]]:
    """{phrase: [files whose bytes hold it]}, in the forms SQLite and JSON store text."""
    found: dict[str, list[str]] = {phrase: [] for phrase in phrases}
    for path in sorted(instance.rglob("*")):
        if not path.is_file():
            continue
        data = path.read_bytes().lower()
        for phrase in phrases:
            if phrase.lower().encode() in data:
                found[phrase].append(str(path.relative_to(instance)))
    return {phrase: where for phrase, where in found.items() if where}


def rows(database: Path, query: str, *args) -> list[tuple]:
    with sqlite3.connect(database, timeout=30) as connection:
        return connection.execute(query, args).fetchall()


def test_withdrawal_leaves_no_copy_of_the_persons_words_in_any_file(service_env, tmp_path):
    from narrative_service import create_app
    from narrative_service.extensions import db
    from tests.factories import make_narrative

    instance = Path(service_env["INSTANCE_DIR"])
    database = instance / "narrative_service.db"
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}", "TESTING": True})
    with app.app_context():
        from narrative_service.auth.models import User

        advocate = db.session.query(User).one()
        narrative_id = make_narrative(
            advocate,
            status="complete",
            body=f"Nobody told me what was happening. I felt like a {IN_THE_BODY} left out "
            "in the rain. Nobody listened to me and I was frightened.",
            desired_outcomes=f"I wanted my {IN_THE_OUTCOMES} back.",
        ).id
        db.engine.dispose()
    audio = speak(SPOKEN, tmp_path / "spoken.wav").read_bytes()

    log_path = tmp_path / "service.log"
    port = free_port()
    service = start_service(service_env, port, log_path)
    try:
        browser = Browser(port)
        browser.sign_in("adv@example.nhs.uk")
        page = f"/narratives/{narrative_id}"
        status, _, _ = browser.post(
            f"{page}/conversation",
            {"speaker": "narrator", "text": f"It was like a {IN_A_TURN} in the night."},
            token_from=f"{page}/conversation",
        )
        assert status == 302
        status, _, headers = browser.upload(
            f"{page}/recordings/new",
            {"csrf_token": browser.token(f"{page}/recordings/new"), "speaker": "narrator"},
            "spoken.wav",
            audio,
        )
        assert status == 302
        recording_id = int(headers["Location"].rsplit("/", 1)[1])
        wait_for(
            lambda: (
                rows(database, "SELECT status FROM recordings WHERE id = ?", recording_id)[0][0]
                == "transcribed"
            ),
            180,
            "the worker transcribed the recording",
            log_path,
        )
        heard = " ".join(
            text for (text,) in rows(database, "SELECT machine_text FROM transcript_segments")
        )
        # What the machine heard, in runs of three words: those are the person's words too.
        words = re.findall(r"[a-z']+", heard.lower())
        transcribed = [" ".join(words[i : i + 3]) for i in range(0, len(words) - 2, 3)]
        assert transcribed, f"nothing was transcribed: {heard!r}"
        assert (
            browser.post(
                f"/recordings/{recording_id}/accept", {}, token_from=f"/recordings/{recording_id}"
            )[0]
            == 302
        )

        themes = f"{page}/themes"
        assert browser.post(f"{themes}/suggest", {}, token_from=themes)[0] == 302
        suggested = rows(
            database,
            "SELECT id FROM theme_tags WHERE subject_id = ? AND status = 'suggested'",
            narrative_id,
        )
        assert suggested, "no theme was suggested"
        decide = f"{themes}/tags/{suggested[0][0]}/accept"
        assert browser.post(decide, {}, token_from=themes)[0] == 302
        theme_id = rows(database, "SELECT id FROM themes LIMIT 1")[0][0]
        status, _, _ = browser.post(
            f"{themes}/tags", {"theme_id": theme_id, "quote": IN_THE_BODY}, token_from=themes
        )
        assert status == 302
        anonymised = f"{page}/anonymised"
        assert browser.post(anonymised, {"approve": "1"}, token_from=anonymised)[0] == 302
        assert rows(database, "SELECT COUNT(*) FROM anonymised_versions")[0][0] == 1
        assert rows(database, "SELECT COUNT(*) FROM theme_tags WHERE status = 'accepted'")[0][0]

        planted = [IN_THE_BODY, IN_THE_OUTCOMES, IN_A_TURN, *transcribed]
        before = files_holding(instance, planted)
        assert set(before) == set(planted), "the search finds what is there"

        withdraw = f"{page}/withdraw"
        form = {"withdrawn_on": date.today().isoformat(), "how": "phone", "is_understood": "y"}
        status, _, _ = browser.post(withdraw, form)
        assert status == 302
        _status, shown, _ = browser.request("GET", page)
        assert "What was erased" in shown
        while_running = files_holding(instance, planted)
    finally:
        os.killpg(service.pid, signal.SIGTERM)
        service.wait(timeout=60)

    assert while_running == {}, f"still in the files while the service runs: {while_running}"
    assert files_holding(instance, planted) == {}
    assert rows(database, "SELECT COUNT(*) FROM theme_tags")[0][0] == 0
    assert rows(database, "SELECT COUNT(*) FROM transcript_segments")[0][0] == 0
    assert rows(database, "SELECT COUNT(*) FROM narrative_turns")[0][0] == 0
    assert not any((instance / "media" / "recordings").glob("*"))
