"""The transcript studio's JSON answers (transcription/studio_views.py) and the shading of
doubtful words on the recording page: what a correction in place saves, what it refuses and
where it says so, and who may make it.

Segments are made in the database (tests.factories.make_recording): no Whisper runs here.
The page's JavaScript is driven in a real browser in tests/browser/test_transcript_studio.py.
"""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser

import pytest

from narrative_service import create_app
from narrative_service.extensions import db
from narrative_service.transcription import rules
from narrative_service.transcription.models import Recording, TranscriptSegment
from tests.conftest import RequestInItsOwnContextClient, base_config, sign_in
from tests.factories import make_narrative, make_recording, make_user

INTERVIEW = ("I did not know who to ask.", "Then someone listened.", "Did anyone explain it?")


@pytest.fixture
def narrative(users):
    return make_narrative(users["advocate"])


@pytest.fixture
def recording(narrative):
    return make_recording(narrative, narrative.created_by, segments=INTERVIEW)


@pytest.fixture
def advocate(client_as):
    return client_as("advocate")


def segments(recording: Recording) -> list[TranscriptSegment]:
    db.session.expire_all()
    return rules.segments_of(recording)


def url(recording: Recording, segment: TranscriptSegment, action: str) -> str:
    return f"/recordings/{recording.id}/segments/{segment.id}/{action}.json"


def with_words(segment: TranscriptSegment, *heard: tuple[str, float]) -> None:
    """Give a segment the words the engine heard, each with how sure it was."""
    segment.words = [
        {"word": word, "start": n * 0.5, "end": n * 0.5 + 0.4, "probability": probability}
        for n, (word, probability) in enumerate(heard)
    ]
    segment.machine_text = " ".join(word for word, _ in heard)
    db.session.commit()


def segment_html(client, recording: Recording, segment: TranscriptSegment) -> str:
    page = client.get(f"/recordings/{recording.id}").get_data(as_text=True)
    start = page.index(f'id="s{segment.id}"')
    return page[start : page.index("</li>", start)]


class _Words(HTMLParser):
    """The text inside the segment's words, without the words for screen readers."""

    def __init__(self):
        super().__init__()
        self.depth = 0  # inside the segment's words: how many elements deep
        self.hidden_at = None  # the depth of the visually hidden span being skipped
        self.text = []

    def handle_starttag(self, tag, attrs):
        classes = (dict(attrs).get("class") or "").split()
        if self.depth:
            self.depth += 1
            if "nhsuk-u-visually-hidden" in classes and self.hidden_at is None:
                self.hidden_at = self.depth
        elif "app-transcript__text" in classes:
            self.depth = 1

    def handle_endtag(self, tag):
        if self.depth:
            if self.hidden_at == self.depth:
                self.hidden_at = None
            self.depth -= 1

    def handle_data(self, data):
        if self.depth and self.hidden_at is None:
            self.text.append(data)


def words_shown(html: str) -> str:
    """The segment's words as a sighted reader sees them."""
    parser = _Words()
    parser.feed(html)
    return "".join(parser.text)


# ---------------------------------------------------------------- correcting in place


def test_a_correction_answers_the_segment_as_it_now_is(app, advocate, recording):
    second = segments(recording)[1]
    response = advocate.post(
        url(recording, second, "text"), data={"text": "Then  somebody listened."}
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["changed"] is True
    assert answer["segment"] == {
        "id": second.id,
        "text": "Then somebody listened.",
        "machine_text": "Then someone listened.",
        "is_corrected": True,
        "is_reviewed": True,
        "speaker": "narrator",
        "speaker_name": None,
        "speaker_label": "Narrator",
        "start": second.start_seconds,
        "end": second.end_seconds,
    }
    saved = segments(recording)[1]
    assert saved.edited_text == "Then somebody listened."
    assert saved.machine_text == "Then someone listened."
    shown = segment_html(advocate, recording, saved)
    assert "Corrected. The machine heard: “Then someone listened.”" in shown


def test_the_same_words_again_change_nothing(app, advocate, recording):
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, "text"), data={"text": first.text})
    assert response.status_code == 200 and response.get_json()["changed"] is False
    assert segments(recording)[0].edited_text is None


def test_an_empty_correction_is_refused_beside_the_text_and_nothing_changes(
    app, advocate, recording
):
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, "text"), data={"text": "   "})
    assert response.status_code == 400
    answer = response.get_json()
    assert answer["errors"] == {"text": "Write what was said, or leave the segment as it was."}
    assert answer["message"] == "Write what was said, or leave the segment as it was."
    assert segments(recording)[0].text == "I did not know who to ask."
    assert not segments(recording)[0].is_reviewed


def test_confirming_in_place_answers_a_reviewed_segment(app, advocate, recording):
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, "confirm"))
    assert response.status_code == 200
    assert response.get_json()["changed"] is True
    assert response.get_json()["segment"]["is_reviewed"] is True
    again = advocate.post(url(recording, first, "confirm"))
    assert again.status_code == 200 and again.get_json()["changed"] is False
    assert segments(recording)[0].is_reviewed


# ---------------------------------------------------------------- split and merge


def test_a_split_at_a_character_position_answers_both_parts(app, advocate, recording):
    second = segments(recording)[1]
    at = second.text.index("someone")
    response = advocate.post(url(recording, second, "split"), data={"at": str(at)})
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["segment"]["text"] == "Then"
    assert answer["new"]["text"] == "someone listened."
    assert [s.text for s in segments(recording)] == [
        "I did not know who to ask.",
        "Then",
        "someone listened.",
        "Did anyone explain it?",
    ]
    assert answer["new"]["id"] == segments(recording)[2].id


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("", "Choose where to split the segment."),
        ("not a number", "Choose where to split the segment."),
        ("0", "There are no words before that place: choose a place between two words."),
        ("22", "There are no words after that place: choose a place between two words."),
    ],
)
def test_a_split_with_no_words_on_one_side_is_refused_on_its_place(
    app, advocate, recording, at, message
):
    second = segments(recording)[1]
    response = advocate.post(url(recording, second, "split"), data={"at": at})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {"at": message}
    assert len(segments(recording)) == 3


def test_a_merge_joins_a_segment_and_the_next(app, advocate, recording):
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, "merge"))
    assert response.status_code == 200
    assert response.get_json()["segment"]["text"] == (
        "I did not know who to ask. Then someone listened."
    )
    assert len(segments(recording)) == 2


def test_a_merge_across_two_speakers_is_refused_saying_who_they_are(app, advocate, recording):
    first, second, _third = segments(recording)
    second.speaker, second.speaker_name = "other", "Daughter"
    db.session.commit()
    response = advocate.post(url(recording, first, "merge"))
    assert response.status_code == 400
    message = response.get_json()["message"]
    assert "spoken by Narrator and the next by Daughter" in message
    assert len(segments(recording)) == 3


# ---------------------------------------------------------------- who is speaking


def test_one_segment_is_given_a_new_named_speaker(app, advocate, recording):
    third = segments(recording)[2]
    response = advocate.post(
        url(recording, third, "speaker"), data={"speaker": "other", "speaker_name": " Daughter "}
    )
    assert response.status_code == 200
    answer = response.get_json()
    assert answer["changed"] == 1
    assert answer["segment"]["speaker_label"] == "Daughter"
    assert answer["named_speakers"] == ["Daughter"]
    assert [(s.speaker, s.speaker_name) for s in segments(recording)] == [
        ("narrator", None),
        ("narrator", None),
        ("other", "Daughter"),
    ]


def test_a_name_already_used_keeps_its_spelling(app, advocate, recording):
    first, _second, third = segments(recording)
    advocate.post(
        url(recording, third, "speaker"), data={"speaker": "other", "speaker_name": "Daughter"}
    )
    response = advocate.post(
        url(recording, first, "speaker"), data={"speaker": "other", "speaker_name": "daughter"}
    )
    assert response.get_json()["segment"]["speaker_name"] == "Daughter"


def test_someone_else_without_a_name_is_refused_beside_the_name(app, advocate, recording):
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, "speaker"), data={"speaker": "other"})
    assert response.status_code == 400
    assert response.get_json()["errors"] == {
        "speaker_name": "Write who is speaking, such as Interpreter, Daughter or Social worker."
    }
    assert segments(recording)[0].speaker == "narrator"


def test_no_speaker_chosen_is_refused_beside_the_choice(app, advocate, recording):
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, "speaker"), data={})
    assert response.status_code == 400
    assert set(response.get_json()["errors"]) == {"speaker"}


# ---------------------------------------------------------------- closed and not allowed


@pytest.mark.parametrize(
    ("status", "said"),
    [("accepted", "already accepted"), ("transcribing", "still being transcribed")],
)
@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("text", {"text": "Something else."}),
        ("confirm", {}),
        ("split", {"at": "5"}),
        ("merge", {}),
        ("speaker", {"speaker": "facilitator"}),
    ],
)
def test_a_transcript_that_cannot_be_changed_is_refused_as_the_pages_refuse_it(
    app, advocate, narrative, status, said, action, data
):
    recording = make_recording(narrative, narrative.created_by, status=status, segments=INTERVIEW)
    first = segments(recording)[0]
    response = advocate.post(url(recording, first, action), data=data)
    assert response.status_code == 409
    assert said in response.get_json()["message"]
    assert [s.text for s in segments(recording)] == list(INTERVIEW)
    assert not any(s.is_reviewed for s in segments(recording))
    assert segments(recording)[0].speaker == "narrator"


def test_a_segment_of_another_recording_is_not_found(app, advocate, narrative, recording):
    other = make_recording(narrative, narrative.created_by)
    their_segment = segments(other)[0]
    response = advocate.post(
        f"/recordings/{recording.id}/segments/{their_segment.id}/text.json",
        data={"text": "Changed."},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404
    assert response.get_json()["error"] == "Page not found"
    assert segments(other)[0].text == "I did not know who to ask."


def test_someone_outside_the_case_team_is_told_nothing_and_changes_nothing(
    app, client_as, recording
):
    outsider = client_as("facilitator")
    first = segments(recording)[0]
    response = outsider.post(
        url(recording, first, "text"),
        data={"text": "Changed."},
        headers={"Accept": "application/json"},
    )
    assert response.status_code == 404
    assert segments(recording)[0].text == "I did not know who to ask."


@pytest.fixture
def app_with_csrf(tmp_path, migrated_sqlite):
    path = tmp_path / "csrf.db"
    shutil.copyfile(migrated_sqlite, path)
    app = create_app({**base_config(tmp_path, f"sqlite:///{path}"), "WTF_CSRF_ENABLED": True})
    app.test_client_class = RequestInItsOwnContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def test_a_change_without_the_pages_token_is_refused(app_with_csrf):
    advocate = make_user("advocate")
    recording = make_recording(make_narrative(advocate), advocate, segments=INTERVIEW)
    client = app_with_csrf.test_client()
    sign_in(client, advocate)
    first = segments(recording)[0]
    json = {"Accept": "application/json"}

    refused = client.post(url(recording, first, "text"), data={"text": "Changed."}, headers=json)
    assert refused.status_code == 400
    assert refused.get_json()["error"] == "This form has expired"
    assert segments(recording)[0].text == "I did not know who to ask."

    page = client.get(f"/recordings/{recording.id}").get_data(as_text=True)
    token = re.search(r'data-csrf="([^"]+)"', page).group(1)
    saved = client.post(
        url(recording, first, "text"),
        data={"text": "Changed."},
        headers={**json, "X-CSRFToken": token},
    )
    assert saved.status_code == 200
    assert segments(recording)[0].text == "Changed."


# ---------------------------------------------------------------- shading doubtful words


def test_doubtful_words_are_shaded_in_two_bands_with_words_for_screen_readers(
    app, advocate, recording
):
    second = segments(recording)[1]
    with_words(second, ("Then", 0.95), ("someone", 0.3), ("listened.", 0.6))
    shown = segment_html(advocate, recording, second)
    assert (
        '<span class="app-word app-word--unsure">someone'
        '<span class="nhsuk-u-visually-hidden"> (unsure)</span></span>'
    ) in shown
    assert (
        '<span class="app-word app-word--not-sure">listened.'
        '<span class="nhsuk-u-visually-hidden"> (not quite sure)</span></span>'
    ) in shown
    assert 'app-word--unsure">Then' not in shown and 'app-word--not-sure">Then' not in shown
    assert words_shown(shown) == "Then someone listened."
    assert 'data-text="Then someone listened."' in shown, "the words to correct, unsplit"
    assert "Unsure of: someone" in shown


def test_the_shading_goes_once_the_segment_is_confirmed(app, advocate, recording):
    second = segments(recording)[1]
    with_words(second, ("Then", 0.95), ("someone", 0.3), ("listened.", 0.6))
    assert "app-word" in segment_html(advocate, recording, second)
    advocate.post(url(recording, second, "confirm"))
    shown = segment_html(advocate, recording, second)
    assert "app-word" not in shown and "(unsure)" not in shown
    assert words_shown(shown) == "Then someone listened."


def test_the_shading_goes_once_the_segment_is_corrected(app, advocate, recording):
    second = segments(recording)[1]
    with_words(second, ("Then", 0.95), ("someone", 0.3), ("listened.", 0.6))
    advocate.post(url(recording, second, "text"), data={"text": "Then somebody listened."})
    shown = segment_html(advocate, recording, second)
    assert "app-word" not in shown
    assert words_shown(shown) == "Then somebody listened."


def test_words_that_no_longer_match_the_text_are_not_shaded(app, advocate, recording):
    """Words replaced across the transcript are not reviewed, but the stored words no longer
    say which of the new ones the machine doubted."""
    second = segments(recording)[1]
    with_words(second, ("Then", 0.95), ("someone", 0.3), ("listened.", 0.6))
    second.edited_text = "Then the advocate listened."
    db.session.commit()
    shown = segment_html(advocate, recording, second)
    assert "app-word" not in shown
    assert words_shown(shown) == "Then the advocate listened."


def test_the_studio_controls_and_the_addresses_of_each_change_are_on_the_page(
    app, advocate, recording
):
    first = segments(recording)[0]
    page = advocate.get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert '<label class="nhsuk-label" for="playback-speed">Playback speed</label>' in page
    for speed in ("0.75×", "1×", "1.25×", "1.5×", "2×"):
        assert f">{speed}</option>" in page
    assert "Keys: <kbd>Ctrl</kbd>+<kbd>Space</kbd> play or pause" in page
    for action in ("text", "confirm", "split", "merge", "speaker"):
        assert f'="{url(recording, first, action)}"' in page


def test_a_reader_who_may_not_change_it_is_offered_no_change(
    app, users, client_as, narrative, recording
):
    from narrative_service.narratives import rules as narrative_rules

    reader = make_user("facilitator")
    narrative_rules.share(narrative, reader, by=users["advocate"])
    db.session.commit()
    page = client_as(reader).get(f"/recordings/{recording.id}").get_data(as_text=True)
    assert "Playback speed" in page
    assert ".json" not in page and "data-can-edit" not in page
    assert "Correcting a segment" not in page
