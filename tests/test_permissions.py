"""Route x role: every route in the URL map has a row here, and every row is checked.

A new route without a row, or a view without a permission decorator, fails this file.
"""

from __future__ import annotations

import io
import os
import shutil
import sqlite3
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

import pytest
from flask import Flask

from narrative_service import create_app
from narrative_service.auth.models import User
from narrative_service.auth.permissions import PUBLIC
from narrative_service.config import PRIVATE_UMASK
from narrative_service.extensions import db, limiter
from narrative_service.jobs import configure_queue
from narrative_service.milestones import evidence as milestone_evidence
from narrative_service.milestones import rules as milestones
from narrative_service.milestones.models import BoardSummary
from narrative_service.milestones.rules import create_programme
from narrative_service.narratives import turns
from narrative_service.reflection import rules as reflection
from narrative_service.themes.models import ThemeTag
from tests.conftest import ROLES, RequestInItsOwnContextClient, base_config, sign_in
from tests.factories import make_narrative, make_recording, make_session, make_theme, make_user

ANON = "signed_out"
EVERYONE = (ANON, *ROLES)


def statuses(default: int, anon: int = 302, **by_role: int) -> dict[str, int]:
    table = {role: default for role in ROLES}
    table[ANON] = anon
    table.update(by_role)
    return table


def only(allowed: dict[str, int]) -> dict[str, int]:
    """Roles named get their status; every other role 403; signed out goes to sign-in."""
    return statuses(403, **allowed)


# Pages of the advocate's narrative: those who may read it (narratives.access).
READS_THE_NARRATIVE = only({"admin": 200, "lead": 200, "advocate": 200, "facilitator": 404})

# endpoint: (method, url arguments, expected status by role)
TABLE = {
    "static": ("GET", {"filename": "css/app.css"}, statuses(200, anon=200)),
    "assets.nhsuk": ("GET", {"filename": "nhsuk-frontend.min.css"}, statuses(200, anon=200)),
    "home.index": ("GET", {}, statuses(302)),
    "home.start": ("GET", {}, statuses(200)),
    "home.health": ("GET", {}, statuses(200, anon=200)),
    "auth.sign_in": ("GET", {}, statuses(302, anon=200)),
    # Without the password step first, the code page sends everyone back to sign in.
    "auth.sign_in_code": ("GET", {}, statuses(302, anon=302)),
    "auth.sign_out": ("POST", {}, statuses(302)),
    "auth.change_password": ("GET", {}, statuses(200)),
    "auth.account": ("GET", {}, statuses(200)),
    "auth.sign_out_everywhere": ("POST", {}, statuses(302)),
    "auth.set_up_two_step": ("GET", {}, statuses(200)),
    # Posted empty: the form asks for the current password.
    "auth.new_recovery_codes": ("POST", {}, statuses(400)),
    "auth.reset_two_step": ("POST", {"user_id": "advocate"}, only({"admin": 302})),
    "auth.users": ("GET", {}, only({"admin": 200})),
    "auth.new_user": ("GET", {}, only({"admin": 200})),
    "auth.user": ("GET", {"user_id": "advocate"}, only({"admin": 200})),
    "auth.deactivate_user": ("POST", {"user_id": "advocate"}, only({"admin": 302})),
    "auth.reactivate_user": ("POST", {"user_id": "advocate"}, only({"admin": 302})),
    "auth.reset_password": ("POST", {"user_id": "advocate"}, only({"admin": 200})),
    "narratives.index": (
        "GET",
        {},
        only({"admin": 200, "lead": 200, "facilitator": 200, "advocate": 200}),
    ),
    "narratives.new": ("GET", {}, only({"lead": 200, "advocate": 200})),
    # The narrative belongs to the advocate and is shared with no one: to a facilitator,
    # whose role may read narratives shared with them, it is as if it did not exist.
    "narratives.show": ("GET", {"narrative_id": "narrative"}, READS_THE_NARRATIVE),
    "narratives.history": ("GET", {"narrative_id": "narrative"}, READS_THE_NARRATIVE),
    "narratives.edit": ("GET", {"narrative_id": "narrative"}, only({"lead": 200, "advocate": 200})),
    "narratives.complete": (
        "POST",
        {"narrative_id": "narrative"},
        only({"lead": 302, "advocate": 302}),
    ),
    "narratives.return_to_draft": (
        "POST",
        {"narrative_id": "narrative"},
        only({"lead": 302, "advocate": 302}),
    ),
    "narratives.withdraw": (
        "GET",
        {"narrative_id": "narrative"},
        only({"lead": 200, "advocate": 200}),
    ),
    "narratives.share": (
        "POST",
        {"narrative_id": "narrative"},
        only({"lead": 302, "advocate": 302}),
    ),
    "narratives.unshare": (
        "POST",
        {"narrative_id": "narrative", "user_id": "facilitator"},
        only({"lead": 302, "advocate": 302}),
    ),
    "audit.index": ("GET", {}, only({"admin": 200, "lead": 200})),
    "audit.export_csv": ("GET", {}, only({"admin": 200, "lead": 200})),
    # Reflection sessions: the session on the advocate's (complete) narrative is facilitated
    # by the facilitator; leads and admins see every session; board members none.
    "reflection.index": ("GET", {}, statuses(200, board=403)),
    "reflection.new": ("GET", {}, only({"facilitator": 200, "lead": 200})),
    "reflection.show": ("GET", {"session_id": "session"}, statuses(200, board=403)),
    "reflection.listen": ("GET", {"session_id": "session"}, statuses(200, board=403)),
    # The session's narrative's recording, played in the listening view: its facilitator,
    # the narrative's author, leads and admins hear it.
    "reflection.narrative_audio": (
        "GET",
        {"session_id": "session", "recording_id": "session_recording"},
        statuses(200, board=403),
    ),
    "reflection.summary": ("GET", {"session_id": "session"}, statuses(200, board=403)),
    "reflection.confirm_summary": (
        "POST",
        {"session_id": "session"},
        statuses(302, board=403),
    ),
    "reflection.edit": ("GET", {"session_id": "session"}, only({"facilitator": 200, "lead": 200})),
    "reflection.record": (
        "GET",
        {"session_id": "session"},
        only({"facilitator": 200, "lead": 200}),
    ),
    "reflection.heard": (
        "POST",
        {"session_id": "session"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection.add_attendee": (
        "POST",
        {"session_id": "session"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection.remove_attendee": (
        "POST",
        {"session_id": "session", "attendee_id": "attendee"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection.add_difference": (
        "POST",
        {"session_id": "session"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection.remove_difference": (
        "POST",
        {"session_id": "session", "difference_id": "difference"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection.add_learning_point": (
        "POST",
        {"session_id": "session"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection.edit_learning_point": (
        "GET",
        {"session_id": "session", "point_id": "learning_point"},
        only({"facilitator": 200, "lead": 200}),
    ),
    "reflection.remove_learning_point": (
        "POST",
        {"session_id": "session", "point_id": "learning_point"},
        only({"facilitator": 302, "lead": 302}),
    ),
    # A session's themes: only those who may change the session (its facilitator, leads).
    "reflection_themes.for_session": (
        "GET",
        {"session_id": "session"},
        only({"facilitator": 200, "lead": 200}),
    ),
    "reflection_themes.suggest": (
        "POST",
        {"session_id": "session"},
        only({"facilitator": 302, "lead": 302}),
    ),
    # Posted empty: the form names what is missing.
    "reflection_themes.tag": (
        "POST",
        {"session_id": "session"},
        only({"facilitator": 400, "lead": 400}),
    ),
    # The tag made for every route is a narrative's, not the session's: not found through it.
    "reflection_themes.decide": (
        "POST",
        {"session_id": "session", "tag_id": "tag", "decision": "accept"},
        only({"facilitator": 404, "lead": 404}),
    ),
    # No suggestion of the theme is waiting on the session: the page says so.
    "reflection_themes.theme_suggestions": (
        "GET",
        {"session_id": "session", "theme_id": "theme"},
        only({"facilitator": 200, "lead": 200}),
    ),
    "reflection_themes.decide_all": (
        "POST",
        {"session_id": "session", "theme_id": "theme", "decision": "accept"},
        only({"facilitator": 302, "lead": 302}),
    ),
    "reflection_themes.change_accepted": (
        "POST",
        {"session_id": "session", "tag_id": "tag", "change": "remove"},
        only({"facilitator": 404, "lead": 404}),
    ),
    # Conversations and recordings follow the narrative's own rules.
    "conversation.show": ("GET", {"narrative_id": "narrative"}, READS_THE_NARRATIVE),
    "conversation.prompts": ("GET", {}, only({"lead": 200})),
    "vocabulary.word_list": ("GET", {}, only({"lead": 200})),
    "analysis.index": ("GET", {}, only({"admin": 200, "lead": 200})),
    "narratives.anonymise": (
        "GET",
        {"narrative_id": "narrative"},
        only({"lead": 200, "advocate": 200}),
    ),
    "milestones.programmes": ("GET", {}, only({"admin": 200, "lead": 200})),
    "milestones.milestone": (
        "GET",
        {"milestone_id": "milestone"},
        only({"admin": 200, "lead": 200}),
    ),
    # The evidence pack leaves the organisation: leads and admins only, never the board.
    "evidence_pack.pdf": ("GET", {"milestone_id": "milestone"}, only({"admin": 200, "lead": 200})),
    "evidence_pack.docx": ("GET", {"milestone_id": "milestone"}, only({"admin": 200, "lead": 200})),
    # Posted empty: the form names what is missing.
    "milestones.add_dissemination": (
        "POST",
        {"milestone_id": "milestone"},
        only({"lead": 400}),
    ),
    "milestones.add_action": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.strategic_plan": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.add_feedback": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.add_training_need": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.new_programme": ("GET", {}, only({"lead": 200})),
    "milestones.board_view": ("GET", {}, only({"board": 200, "lead": 200, "admin": 200})),
    "milestones.dates": ("GET", {"milestone_id": "milestone"}, only({"lead": 200})),
    "milestones.add_evidence_file": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.evidence_file": (
        "GET",
        {"file_id": "evidence_file"},
        only({"admin": 200, "lead": 200}),
    ),
    "milestones.remove_evidence_file": ("POST", {"file_id": "evidence_file"}, only({"lead": 302})),
    "milestones.action": ("GET", {"action_id": "action"}, only({"admin": 200, "lead": 200})),
    # Items are missing and no rationale was given: refused.
    "milestones.submit": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.add_risk_audit": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.shortfall": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.add_deliverable": ("POST", {"milestone_id": "milestone"}, only({"lead": 400})),
    "milestones.new_board_summary": ("GET", {"milestone_id": "milestone"}, only({"lead": 200})),
    "milestones.withdraw_board_summary": (
        "POST",
        {"summary_id": "board_summary"},
        only({"lead": 302}),
    ),
    "analysis.csv": ("GET", {}, only({"admin": 200, "lead": 200})),
    "narrative_themes.for_narrative": ("GET", {"narrative_id": "narrative"}, READS_THE_NARRATIVE),
    # Tagging changes what derives from the narrative: those who may change it (admins
    # and facilitators read, never tag).
    "narrative_themes.suggest": (
        "POST",
        {"narrative_id": "narrative"},
        only({"lead": 302, "advocate": 302}),
    ),
    "narrative_themes.tag": (
        "POST",
        {"narrative_id": "narrative"},
        only({"lead": 400, "advocate": 400}),
    ),
    "narrative_themes.decide": (
        "POST",
        {"narrative_id": "narrative", "tag_id": "tag", "decision": "accept"},
        only({"lead": 302, "advocate": 302}),
    ),
    "narrative_themes.theme_suggestions": (
        "GET",
        {"narrative_id": "narrative", "theme_id": "theme"},
        READS_THE_NARRATIVE,
    ),
    "narrative_themes.decide_all": (
        "POST",
        {"narrative_id": "narrative", "theme_id": "theme", "decision": "accept"},
        only({"lead": 302, "advocate": 302}),
    ),
    "narrative_themes.change_accepted": (
        "POST",
        {"narrative_id": "narrative", "tag_id": "tag", "change": "remove"},
        only({"lead": 302, "advocate": 302}),
    ),
    # The quotes behind one figure of the analysis (the narrative's quarter is 2025/26 Q1).
    "analysis.quotes": (
        "GET",
        {"code": "experience.listened_to", "source": "narratives", "quarter": "2025-26-Q1"},
        only({"admin": 200, "lead": 200}),
    ),
    # The codebook: leads and admins change it; the theme is make_theme's.
    "themes.codebook_page": ("GET", {}, only({"admin": 200, "lead": 200})),
    "themes.add_theme": ("GET", {"group_code": "experience"}, only({"admin": 200, "lead": 200})),
    "themes.edit_theme": (
        "GET",
        {"code": "experience.listened_to"},
        only({"admin": 200, "lead": 200}),
    ),
    "themes.delete_theme": (
        "GET",
        {"code": "experience.listened_to"},
        only({"admin": 200, "lead": 200}),
    ),
    # Posted empty: the form asks for a file.
    "themes.import_codebook": ("POST", {}, only({"admin": 400, "lead": 400})),
    "themes.export_codebook": ("GET", {}, only({"admin": 200, "lead": 200})),
    # Posted empty: the form says what is missing (400) to those who may send turns.
    "conversation.send": (
        "POST",
        {"narrative_id": "narrative"},
        only({"lead": 400, "advocate": 400}),
    ),
    "conversation.edit_turn": (
        "GET",
        {"narrative_id": "narrative", "turn_id": "turn"},
        only({"lead": 200, "advocate": 200}),
    ),
    "conversation.remove_turn": (
        "GET",
        {"narrative_id": "narrative", "turn_id": "turn"},
        only({"lead": 200, "advocate": 200}),
    ),
    "recordings.upload_for_session": (
        "GET",
        {"session_id": "session"},
        only({"facilitator": 200, "lead": 200}),
    ),
    "recordings.upload": (
        "GET",
        {"narrative_id": "narrative"},
        only({"lead": 200, "advocate": 200}),
    ),
    "recordings.show": ("GET", {"recording_id": "recording"}, READS_THE_NARRATIVE),
    "recordings.progress": ("GET", {"recording_id": "recording"}, READS_THE_NARRATIVE),
    "recordings.audio": ("GET", {"recording_id": "recording"}, READS_THE_NARRATIVE),
    "recordings.download": (
        "GET",
        {"recording_id": "recording", "kind": "txt"},
        READS_THE_NARRATIVE,
    ),
    # Facilitators review their sessions' recordings; this one is a narrative's.
    "recordings.retry": (
        "POST",
        {"recording_id": "recording"},
        only({"lead": 302, "advocate": 302, "facilitator": 404}),
    ),
    "recordings.stop": (
        "POST",
        {"recording_id": "recording"},
        only({"lead": 302, "advocate": 302, "facilitator": 404}),
    ),
    "recordings.carry_on": (
        "POST",
        {"recording_id": "recording"},
        only({"lead": 302, "advocate": 302, "facilitator": 404}),
    ),
    "recordings.edit_segment": (
        "GET",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 200, "advocate": 200, "facilitator": 404}),
    ),
    "recordings.accept": (
        "POST",
        {"recording_id": "recording"},
        only({"lead": 302, "advocate": 302, "facilitator": 404}),
    ),
    "recordings.confirm_segment": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 302, "advocate": 302, "facilitator": 404}),
    ),
    "recordings.merge_segment": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 302, "advocate": 302, "facilitator": 404}),
    ),
    "recordings.split_segment": (
        "GET",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 200, "advocate": 200, "facilitator": 404}),
    ),
    "recordings.segment_speakers": (
        "GET",
        {"recording_id": "recording"},
        only({"lead": 200, "advocate": 200, "facilitator": 404}),
    ),
    # Posted empty: the form asks which speaker to rename.
    "recordings.rename_speaker": (
        "POST",
        {"recording_id": "recording"},
        only({"lead": 400, "advocate": 400, "facilitator": 404}),
    ),
    "recordings.find_and_replace": (
        "GET",
        {"recording_id": "recording"},
        only({"lead": 200, "advocate": 200, "facilitator": 404}),
    ),
    # The transcript studio's JSON answers: the same people as the pages they stand in for.
    # Posted empty: no words (a correction), no place (a split), no speaker are refused.
    "studio.save_text": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 400, "advocate": 400, "facilitator": 404}),
    ),
    "studio.confirm": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 200, "advocate": 200, "facilitator": 404}),
    ),
    "studio.split": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 400, "advocate": 400, "facilitator": 404}),
    ),
    "studio.merge": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 200, "advocate": 200, "facilitator": 404}),
    ),
    "studio.speaker": (
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        only({"lead": 400, "advocate": 400, "facilitator": 404}),
    ),
}

# Flask's own static route cannot carry our decorator; it serves only committed CSS and JS.
FRAMEWORK_ENDPOINTS = {"static"}


def test_every_route_has_a_row_in_the_table(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert endpoints - set(TABLE) == set(), "add these routes to TABLE"
    assert set(TABLE) - endpoints == set(), "these rows name routes that no longer exist"


def test_every_view_declares_who_may_use_it(app):
    for endpoint, view in app.view_functions.items():
        if endpoint in FRAMEWORK_ENDPOINTS:
            continue
        assert hasattr(view, "allowed_roles"), f"{endpoint} has no permission decorator"


@pytest.mark.parametrize("endpoint", sorted(set(TABLE) - FRAMEWORK_ENDPOINTS))
def test_table_agrees_with_the_decorators(route_table_records, endpoint):
    allowed = route_table_records.app.view_functions[endpoint].allowed_roles
    expected = TABLE[endpoint][2]
    for role in ROLES:
        if allowed != PUBLIC and role not in allowed:
            assert expected[role] == 403, f"{endpoint}: {role} is not allowed by the decorator"


def _url(app, endpoint, arguments, objects):
    from flask import url_for

    values = {name: objects.get(value, value) for name, value in arguments.items()}
    with app.test_request_context():
        return url_for(endpoint, **values)


def make_objects(users, **narrative_fields) -> dict[str, int]:
    """One of every kind of record the routes take, for the advocate's narratives."""
    narrative = make_narrative(users["advocate"], **narrative_fields)
    recording = make_recording(narrative, users["advocate"])
    turn, _ = turns.add_turn(narrative, "narrator", "It felt like a parcel.", by=users["advocate"])
    db.session.commit()
    heard = make_narrative(users["advocate"], status="complete", **narrative_fields)
    session_recording = make_recording(heard, users["advocate"])
    session = make_session(users["facilitator"], [heard], by=users["lead"])
    attendee = reflection.add_attendee(session, by=users["facilitator"], name="PC Jones")
    reflection.mark_heard(session, {attendee.id: "read_aloud"}, by=users["facilitator"])
    point = reflection.add_learning_point(session, text="Ask first.", by=users["facilitator"])
    difference = reflection.add_difference(
        session, person_view="Scared", practitioner_view="Calm", by=users["facilitator"]
    )
    tag = ThemeTag(
        theme_id=make_theme().id,
        subject_type="narrative",
        subject_id=narrative.id,
        start_char=0,
        end_char=6,
        quote="Nobody",
        origin="suggested",
        status="suggested",
    )
    db.session.add(tag)
    db.session.commit()
    milestone = create_programme("reflecting_on_practice", "2025/26", by=users["lead"]).milestones[
        0
    ]
    db.session.commit()
    action = milestones.add_action(milestone, {"recommendation": "Ask first."}, by=users["lead"])
    evidence_file = milestone_evidence.add_evidence_file(
        milestone, "minutes.txt", io.BytesIO(b"Minutes of the team meeting."), by=users["lead"]
    )
    summary = BoardSummary(
        milestone_id=milestone.id,
        title="Learning",
        text="Ask first.",
        approved_by_id=users["lead"].id,
    )
    db.session.add(summary)
    db.session.commit()
    objects = {
        "action": action.id,
        "evidence_file": evidence_file.id,
        "board_summary": summary.id,
        "milestone": milestone.id,
        "tag": tag.id,
        "theme": tag.theme_id,
        "narrative": narrative.id,
        "recording": recording.id,
        "segment": recording.segments[0].id,
        "turn": turn.id,
        "session": session.id,
        "session_recording": session_recording.id,
        "attendee": attendee.id,
        "learning_point": point.id,
        "difference": difference.id,
        "advocate": users["advocate"].id,
        "facilitator": users["facilitator"].id,
    }
    return objects


class Prepared:
    """An app and its records, made once for this file; each case starts from a copy of them.

    Building an app and the records a route takes costs far more than the request itself,
    so the hundreds of cases below share one app. The records are kept as a copy of the
    database file and the media folder, and put back before every case, so a case that
    posts and changes something leaves nothing behind for the next.
    """

    def __init__(self, folder: Path, migrated_sqlite: Path, build: Callable) -> None:
        self.database = folder / "narrative_service.db"
        self.saved_database = folder / "saved.db"
        self.media = folder / "media"
        self.saved_media = folder / "saved-media"
        shutil.copyfile(migrated_sqlite, self.database)
        umask = os.umask(PRIVATE_UMASK)
        os.umask(umask)
        try:
            self.app: Flask = create_app(base_config(folder, f"sqlite:///{self.database}"))
        finally:
            os.umask(umask)  # create_app tightens it; the tests after this file keep theirs
        self.app.test_client_class = RequestInItsOwnContextClient
        with self.app.app_context():
            people, self.objects = build()
            self.people = {name: user.id for name, user in people.items()}
            db.session.remove()
            db.engine.dispose()
        with (
            closing(sqlite3.connect(self.database)) as source,
            closing(sqlite3.connect(self.saved_database)) as target,
        ):
            source.backup(target)
        shutil.copytree(self.media, self.saved_media)

    def restore(self) -> None:
        """Back to the records as they were made: database, media folder, rate limits."""
        for suffix in ("-wal", "-shm"):
            Path(f"{self.database}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(self.saved_database, self.database)
        shutil.rmtree(self.media)
        shutil.copytree(self.saved_media, self.media)
        # What create_app would set up for a new app: the umask, the app jobs run in (another
        # test's app may have been made since) and rate limits counted from nothing.
        os.umask(PRIVATE_UMASK)
        configure_queue(self.app)
        limiter.reset()

    def client_as(self, name: str):
        client = self.app.test_client()
        sign_in(client, db.session.get(User, self.people[name]))
        return client


def each_case_from(prepared: Prepared):
    prepared.restore()
    with prepared.app.app_context():
        yield prepared
        db.session.remove()
        db.engine.dispose()


def _users_and_objects() -> tuple[dict[str, User], dict[str, int]]:
    users = {role: make_user(role) for role in ROLES}
    return users, make_objects(users)


@pytest.fixture(scope="module")
def route_table_records(tmp_path_factory, migrated_sqlite) -> Prepared:
    """A user per role and make_objects' records, made once for the route x role table."""
    return Prepared(tmp_path_factory.mktemp("route_table"), migrated_sqlite, _users_and_objects)


@pytest.fixture
def route_table(route_table_records):
    yield from each_case_from(route_table_records)


@pytest.mark.parametrize(
    ("endpoint", "role"), [(endpoint, role) for endpoint in sorted(TABLE) for role in EVERYONE]
)
def test_route_gives_each_role_the_expected_status(route_table, endpoint, role):
    app, objects = route_table.app, route_table.objects
    method, arguments, expected = TABLE[endpoint]
    client = app.test_client() if role == ANON else route_table.client_as(role)
    url = _url(app, endpoint, arguments, objects)
    response = client.open(url, method=method)
    assert response.status_code == expected[role], f"{method} {url} as {role}"
    if expected[role] == 302 and role == ANON and endpoint not in ("home.index",):
        assert "/sign-in" in response.headers["Location"]


PLANTED = {
    "name": "Zebedee Quartermaine",
    "nhs_number": "943 476 5919",
    "phone": "07700 900461",
    "street": "14 Larkspur Close",
}


def test_a_board_member_never_receives_identifiable_content(app, users, client_as):
    """Plant identifiers in narratives, conversations, recordings and reflections, then read
    every page the app has as a board member: none of them may appear anywhere."""
    story = (
        f"My name is {PLANTED['name']}, NHS number {PLANTED['nhs_number']}. I live at "
        f"{PLANTED['street']}; ring me on {PLANTED['phone']}. Nobody told me anything."
    )
    objects = make_objects(users, body=story, title=f"About {PLANTED['name']}")
    board = client_as("board")
    seen = []
    for endpoint, (method, arguments, _expected) in sorted(TABLE.items()):
        if method != "GET":
            continue
        url = _url(app, endpoint, arguments, objects)
        response = board.get(url)
        text = response.get_data(as_text=True)
        for label, value in PLANTED.items():
            assert value not in text, f"{label} reached a board member at {url}"
        seen.append((url, response.status_code))
    assert len(seen) >= 20 and any(status == 200 for _url_, status in seen)
    # The same pages do carry them for the case team: the search above is not vacuous.
    lead_page = client_as("lead").get(f"/narratives/{objects['narrative']}")
    assert PLANTED["name"] in lead_page.get_data(as_text=True)


# ---------------------------------------------------------------- people in between
#
# The cases narratives.access decides explicitly, beyond the roles (README: "Who may see a
# narrative"): the facilitator of a session on the narrative, an attendee with an account,
# someone who set a session up while the narrative was shared with them and is no longer,
# and a facilitator who reads it through a share. "words" says whether the narrator's own
# words are on the page (True), must not be (False), or the page has none to show (None).

WORDS = "I felt like a parcel being passed about"


def _people_in_between(users) -> tuple[dict[str, object], dict[str, int]]:
    from narrative_service.narratives import rules as narrative_rules

    narrative = make_narrative(users["advocate"], status="complete", body=f"{WORDS}. Nobody.")
    recording = make_recording(narrative, users["advocate"])
    organiser = make_user("facilitator")
    reader = make_user("facilitator")
    attendee = make_user("advocate")
    narrative_rules.share(narrative, organiser, by=users["advocate"])
    narrative_rules.share(narrative, reader, by=users["advocate"])
    db.session.commit()
    session = make_session(users["facilitator"], [narrative], by=organiser)
    reflection.add_attendee(session, by=users["facilitator"], user_id=attendee.id)
    narrative_rules.unshare(narrative, organiser.id, by=users["advocate"])
    tag = ThemeTag(
        theme_id=make_theme().id,
        subject_type="narrative",
        subject_id=narrative.id,
        start_char=len(WORDS) + 2,
        end_char=len(WORDS) + 8,
        quote="Nobody",
        origin="suggested",
        status="suggested",
    )
    db.session.add(tag)
    db.session.commit()
    people = {
        "session_facilitator": users["facilitator"],
        "attendee": attendee,
        "former_sharee": organiser,
        "read_only_facilitator": reader,
    }
    objects = {
        "narrative": narrative.id,
        "recording": recording.id,
        "session_recording": recording.id,
        "segment": recording.segments[0].id,
        "session": session.id,
        "tag": tag.id,
    }
    return people, objects


N = {"narrative_id": "narrative"}
S = {"session_id": "session"}
HEARD_AUDIO = {"session_id": "session", "recording_id": "session_recording"}
R = {"recording_id": "recording"}
RS = {"recording_id": "recording", "segment_id": "segment"}
IN_BETWEEN = [
    # The session's facilitator hears it in the session, and nowhere else.
    ("session_facilitator", "narratives.show", "GET", N, 404, None),
    ("session_facilitator", "conversation.show", "GET", N, 404, None),
    ("session_facilitator", "narrative_themes.for_narrative", "GET", N, 404, None),
    ("session_facilitator", "recordings.audio", "GET", {"recording_id": "recording"}, 404, None),
    ("session_facilitator", "reflection.listen", "GET", S, 200, True),
    ("session_facilitator", "reflection.summary", "GET", S, 200, True),
    ("session_facilitator", "reflection.narrative_audio", "GET", HEARD_AUDIO, 200, None),
    # An attendee likewise: the listening view, the summary and the audio of their session.
    ("attendee", "narratives.show", "GET", N, 404, None),
    ("attendee", "recordings.show", "GET", {"recording_id": "recording"}, 404, None),
    ("attendee", "reflection.show", "GET", S, 200, False),
    ("attendee", "reflection.listen", "GET", S, 200, True),
    ("attendee", "reflection.summary", "GET", S, 200, True),
    ("attendee", "reflection.narrative_audio", "GET", HEARD_AUDIO, 200, None),
    # Who set the session up while it was shared with them manages it, but since the share
    # ended they hear nothing of it.
    ("former_sharee", "narratives.show", "GET", N, 404, None),
    ("former_sharee", "reflection.show", "GET", S, 200, False),
    ("former_sharee", "reflection.listen", "GET", S, 200, False),
    ("former_sharee", "reflection.summary", "GET", S, 200, False),
    ("former_sharee", "reflection.narrative_audio", "GET", HEARD_AUDIO, 404, None),
    # A facilitator it is shared with reads it, and changes nothing of it.
    ("read_only_facilitator", "narratives.show", "GET", N, 200, True),
    ("read_only_facilitator", "narrative_themes.for_narrative", "GET", N, 200, True),
    ("read_only_facilitator", "narrative_themes.suggest", "POST", N, 403, None),
    ("read_only_facilitator", "narrative_themes.tag", "POST", N, 403, None),
    (
        "read_only_facilitator",
        "narrative_themes.decide",
        "POST",
        {"narrative_id": "narrative", "tag_id": "tag", "decision": "accept"},
        403,
        None,
    ),
    ("read_only_facilitator", "narratives.edit", "GET", N, 403, None),
    (
        "read_only_facilitator",
        "recordings.accept",
        "POST",
        {"recording_id": "recording"},
        403,
        None,
    ),
    (
        "read_only_facilitator",
        "recordings.edit_segment",
        "GET",
        {"recording_id": "recording", "segment_id": "segment"},
        403,
        None,
    ),
    (
        "read_only_facilitator",
        "recordings.confirm_segment",
        "POST",
        {"recording_id": "recording", "segment_id": "segment"},
        403,
        None,
    ),
    ("read_only_facilitator", "recordings.segment_speakers", "GET", R, 403, None),
    *(
        ("read_only_facilitator", f"studio.{route}", "POST", RS, 403, None)
        for route in ("save_text", "confirm", "split", "merge", "speaker")
    ),
    ("read_only_facilitator", "recordings.find_and_replace", "GET", R, 403, None),
    # The case team (author and sharees) sees the sessions on the case.
    ("read_only_facilitator", "reflection.listen", "GET", S, 200, True),
]


def _people_and_objects() -> tuple[dict[str, User], dict[str, int]]:
    return _people_in_between({role: make_user(role) for role in ROLES})


@pytest.fixture(scope="module")
def in_between_records(tmp_path_factory, migrated_sqlite) -> Prepared:
    """The people in between and their narrative's records, made once for the table below."""
    return Prepared(tmp_path_factory.mktemp("in_between"), migrated_sqlite, _people_and_objects)


@pytest.fixture
def in_between(in_between_records):
    yield from each_case_from(in_between_records)


@pytest.mark.parametrize(
    ("person", "endpoint", "method", "arguments", "expected", "words"),
    IN_BETWEEN,
    ids=[f"{row[0]}-{row[1]}" for row in IN_BETWEEN],
)
def test_people_in_between_get_what_the_access_rule_decides(
    in_between, person, endpoint, method, arguments, expected, words
):
    app, objects = in_between.app, in_between.objects
    response = in_between.client_as(person).open(
        _url(app, endpoint, arguments, objects), method=method
    )
    assert response.status_code == expected
    if words is not None:
        assert (WORDS in response.get_data(as_text=True)) is words


def test_read_only_facilitators_are_offered_no_tagging(app, users, client_as):
    people, objects = _people_in_between(users)
    page = client_as(people["read_only_facilitator"]).get(
        _url(app, "narrative_themes.for_narrative", N, objects)
    )
    assert "Suggest themes" not in page.text and "Tag words by hand" not in page.text
    assert "Accept<span" not in page.text


def test_an_attendee_hears_nothing_once_consent_no_longer_covers_reflection(app, users, client_as):
    from narrative_service.narratives.models import Narrative

    people, objects = _people_in_between(users)
    db.session.get(Narrative, objects["narrative"]).has_reflection_consent = False
    db.session.commit()
    client = client_as(people["attendee"])
    listen = client.get(_url(app, "reflection.listen", S, objects))
    assert WORDS not in listen.text and "does not cover staff reflection" in listen.text
    assert (
        client.get(_url(app, "reflection.narrative_audio", HEARD_AUDIO, objects)).status_code == 404
    )
