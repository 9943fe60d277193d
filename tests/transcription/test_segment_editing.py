"""Correcting a transcript: confirming a segment (and its unsure mark going), splitting and
merging segments, and finding and replacing words across the transcript, through the pages
and, for the edge cases, the rules.

Segments are made in the database (tests.factories.make_recording): no Whisper runs here.
"""

from __future__ import annotations

import re

import pytest

from narrative_service.auth.models import User
from narrative_service.errors import DomainError
from narrative_service.extensions import db
from narrative_service.transcription import editing, find_replace, rules
from narrative_service.transcription.models import Recording, TranscriptSegment
from tests.factories import make_narrative, make_recording, withdraw


@pytest.fixture
def narrative(users):
    return make_narrative(users["advocate"])


@pytest.fixture
def recording(narrative):
    # The first segment is one the machine was unsure of (factories: avg_logprob -1.4).
    return make_recording(narrative, narrative.created_by)


@pytest.fixture
def advocate(client_as):
    return client_as("advocate")


@pytest.fixture
def author(recording) -> User:
    return db.session.get(User, recording.created_by_id)


def segments(recording: Recording) -> list[TranscriptSegment]:
    db.session.expire_all()
    return rules.segments_of(recording)


def texts(recording: Recording) -> list[str]:
    return [s.text for s in segments(recording)]


def with_words(segment: TranscriptSegment, *timed: tuple[str, float, float, float]) -> None:
    """Give a segment words as the engines store them."""
    segment.words = [
        {"word": word, "start": start, "end": end, "probability": probability}
        for word, start, end, probability in timed
    ]
    segment.machine_text = " ".join(word for word, *_ in timed)


def page_of(client, recording: Recording) -> str:
    return client.get(f"/recordings/{recording.id}").get_data(as_text=True)


def segment_html(page: str, segment: TranscriptSegment) -> str:
    start = page.index(f'id="s{segment.id}"')
    return page[start : page.index("</li>", start)]


# ---------------------------------------------------------------- confirming


def test_confirming_a_segment_takes_away_its_unsure_mark(app, advocate, recording):
    unsure = segments(recording)[0]
    assert ">Unsure</strong>" in segment_html(page_of(advocate, recording), unsure)

    response = advocate.post(
        f"/recordings/{recording.id}/segments/{unsure.id}/confirm", follow_redirects=True
    )
    assert "Segment confirmed." in response.get_data(as_text=True)
    shown = segment_html(page_of(advocate, recording), unsure)
    assert ">Unsure</strong>" not in shown and "app-transcript__segment--unsure" not in shown
    assert "Confirmed as the machine heard it." in shown
    assert "Confirm as right" not in shown
    confirmed = segments(recording)[0]
    assert confirmed.text == "I did not know who to ask."
    assert confirmed.reviewed_by_id == recording.created_by_id
    assert confirmed.avg_logprob == -1.4, "what the machine was sure of is still stored"


def test_unsure_words_stop_being_shown_once_the_segment_is_corrected(
    app, advocate, recording, author
):
    sure = segments(recording)[1]
    with_words(
        sure, ("Then", 4.0, 4.3, 0.9), ("someone", 4.3, 4.8, 0.2), ("listened.", 4.8, 5.5, 0.9)
    )
    db.session.commit()
    assert "Unsure of: someone" in segment_html(page_of(advocate, recording), sure)

    url = f"/recordings/{recording.id}/segments/{sure.id}/edit"
    assert advocate.post(url, data={"text": "Then somebody listened."}).status_code == 302
    shown = segment_html(page_of(advocate, recording), sure)
    assert "Unsure of" not in shown
    assert "Corrected. The machine heard: “Then someone listened.”" in shown
    assert segments(recording)[1].words[1]["probability"] == 0.2


def test_confirming_twice_says_it_was_already_checked(app, advocate, recording):
    first = segments(recording)[0]
    url = f"/recordings/{recording.id}/segments/{first.id}/confirm"
    advocate.post(url)
    again = advocate.post(url, follow_redirects=True)
    assert "This segment was already checked." in again.get_data(as_text=True)


@pytest.mark.parametrize(("role", "status"), [("lead", 302), ("facilitator", 404), ("admin", 403)])
def test_only_those_who_may_change_the_recording_confirm(app, client_as, recording, role, status):
    first = segments(recording)[0]
    response = client_as(role).post(f"/recordings/{recording.id}/segments/{first.id}/confirm")
    assert response.status_code == status
    assert segments(recording)[0].is_reviewed is (status == 302)


# ---------------------------------------------------------------- splitting


def test_a_segment_is_split_where_its_words_were_heard(app, advocate, recording):
    first = segments(recording)[0]
    with_words(
        first,
        ("I", 0.0, 0.2, 0.9),
        ("did", 0.2, 0.5, 0.9),
        ("not", 0.5, 0.8, 0.9),
        ("know.", 0.8, 1.4, 0.9),
        ("Who", 2.1, 2.4, 0.3),
        ("to", 2.4, 2.6, 0.9),
        ("ask?", 2.6, 3.5, 0.9),
    )
    db.session.commit()
    url = f"/recordings/{recording.id}/segments/{first.id}/split"
    page = advocate.get(url).get_data(as_text=True)
    at = first.text.index("Who")
    assert f'value="{at}"' in page and "know. <strong>|</strong> Who to ask?" in page

    response = advocate.post(url, data={"at": str(at)})
    assert response.status_code == 302
    one, two, three = segments(recording)
    assert [s.position for s in (one, two, three)] == [0, 1, 2]
    assert (one.text, one.start_seconds, one.end_seconds) == ("I did not know.", 0.0, 1.4)
    assert (two.text, two.start_seconds, two.end_seconds) == ("Who to ask?", 2.1, 3.5)
    assert (one.machine_text, two.machine_text) == ("I did not know.", "Who to ask?")
    assert [w["word"] for w in two.words] == ["Who", "to", "ask?"]
    assert three.text == "Then someone listened."
    assert response.headers["Location"].endswith(f"#s{two.id}")


def test_without_word_timings_the_time_is_divided_by_characters(app, recording, author):
    first = segments(recording)[0]  # 0.0 to 3.5 s, no words stored
    text = first.text  # "I did not know who to ask."
    at = text.index("who")
    new = editing.split_segment(first, at, by=author)
    assert first.end_seconds == pytest.approx(3.5 * at / len(text))
    assert new.start_seconds == first.end_seconds and new.end_seconds == 3.5
    assert (first.text, new.text) == ("I did not know", "who to ask.")


def test_splitting_a_corrected_segment_divides_what_the_machine_heard_at_the_same_place(
    app, recording, author
):
    first = segments(recording)[0]
    editing.edit_segment(first, "I didn't know whom to ask.", by=author)
    new = editing.split_segment(first, first.text.index("whom"), by=author)
    assert (first.text, first.machine_text) == ("I didn't know", "I did not know")
    assert (new.text, new.machine_text) == ("whom to ask.", "who to ask.")
    assert new.edited_text == "whom to ask." and new.is_reviewed


@pytest.mark.parametrize("at", [0, -3, 26, 99, None])
def test_a_split_with_nothing_on_one_side_is_refused(app, recording, author, at):
    first = segments(recording)[0]
    assert len(first.text) == 26
    with pytest.raises(DomainError) as refused:
        editing.split_segment(first, at, by=author)
    assert refused.value.field == "at"
    assert re.search(r"(no words (before|after) that place|Choose where)", refused.value.message)


def test_a_split_that_is_refused_is_named_on_the_page(app, advocate, recording):
    first = segments(recording)[0]
    response = advocate.post(f"/recordings/{recording.id}/segments/{first.id}/split", data={})
    assert response.status_code == 400
    assert "Choose where to split the segment." in response.get_data(as_text=True)
    assert len(segments(recording)) == 2


# ---------------------------------------------------------------- merging


def test_merging_joins_a_segment_with_the_next(app, advocate, recording, narrative):
    third = make_recording(narrative, narrative.created_by, segments=("One.", "Two.", "Three."))
    one, two, _three = segments(third)
    with_words(one, ("One.", 0.0, 0.5, 0.9))
    with_words(two, ("Two.", 4.0, 4.5, 0.9))
    editing.edit_segment(two, "Two!", by=db.session.get(User, third.created_by_id))
    db.session.commit()
    merged_away = two.id
    response = advocate.post(f"/recordings/{third.id}/segments/{one.id}/merge")
    assert response.status_code == 302
    merged, last = segments(third)
    assert (merged.id, merged.position, last.position) == (one.id, 0, 1)
    assert (merged.text, merged.machine_text) == ("One. Two!", "One. Two.")
    assert (merged.start_seconds, merged.end_seconds) == (0.0, 7.5)
    assert [w["word"] for w in merged.words] == ["One.", "Two."]
    assert db.session.get(TranscriptSegment, merged_away) is None
    assert not merged.is_reviewed, "one half was never checked"


def test_merging_keeps_the_machine_unsure_when_either_half_was(app, recording, author):
    first, second = segments(recording)
    assert not rules.is_low_confidence(second)
    editing.merge_with_next(first, by=author)
    assert rules.is_low_confidence(first) and first.avg_logprob == -1.4


def test_merging_across_two_speakers_is_refused(app, advocate, recording, author):
    first, second = segments(recording)
    editing.set_speaker(recording, [second.id], "other", "Interpreter", by=author)
    db.session.commit()
    merge_url = f"/recordings/{recording.id}/segments/{first.id}/merge"
    assert merge_url not in page_of(advocate, recording), "not offered across two speakers"
    response = advocate.post(merge_url, follow_redirects=True)
    assert "spoken by Narrator and the next by Interpreter" in response.get_data(as_text=True)
    assert len(segments(recording)) == 2


def test_merging_the_last_segment_is_refused(app, recording, author):
    last = segments(recording)[-1]
    with pytest.raises(DomainError, match="This is the last segment"):
        editing.merge_with_next(last, by=author)


def test_a_split_then_a_merge_gives_the_segment_back(app, recording, author):
    first = segments(recording)[0]
    before = (first.text, first.machine_text, first.start_seconds, first.end_seconds)
    editing.split_segment(first, first.text.index("who"), by=author)
    editing.merge_with_next(first, by=author)
    assert (first.text, first.machine_text, first.start_seconds, first.end_seconds) == before
    assert [s.position for s in segments(recording)] == [0, 1]


# ---------------------------------------------------------------- find and replace


def find_url(recording: Recording) -> str:
    return f"/recordings/{recording.id}/find-and-replace"


def previewed(page: str) -> str:
    return re.search(r'name="previewed" type="hidden" value="([0-9a-f]+)"', page).group(1)


def test_find_and_replace_previews_then_changes_exactly_those_segments(app, advocate, narrative):
    recording = make_recording(
        narrative,
        narrative.created_by,
        segments=("Jon said no.", "Nobody asked.", "Then JON came back."),
    )
    assert advocate.get(find_url(recording)).status_code == 200
    form = {"find": "jon", "replace": "John", "preview": "y"}
    preview = advocate.post(find_url(recording), data=form)
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "2 segments would change" in page
    assert '<mark class="app-mark">Jon</mark> said no.' in page
    assert '<mark class="app-mark">John</mark> said no.' in page
    assert 'Then <mark class="app-mark">JON</mark> came back.' in page
    assert "Nobody asked." not in page

    done = advocate.post(
        find_url(recording), data={**form, "previewed": previewed(page), "apply": "y"}
    )
    assert done.status_code == 302
    assert texts(recording) == ["John said no.", "Nobody asked.", "Then John came back."]
    first = segments(recording)[0]
    assert first.machine_text == "Jon said no." and not first.is_reviewed


def test_a_transcript_changed_since_the_preview_is_previewed_again(
    app, advocate, recording, author
):
    form = {"find": "someone", "replace": "somebody", "preview": "y"}
    page = advocate.post(find_url(recording), data=form).get_data(as_text=True)
    seen = previewed(page)
    first = segments(recording)[0]
    editing.edit_segment(first, "I did not know if someone would ask.", by=author)
    db.session.commit()

    again = advocate.post(find_url(recording), data={**form, "previewed": seen, "apply": "y"})
    assert again.status_code == 400
    page = again.get_data(as_text=True)
    assert "has changed since the preview was shown" in page
    assert "2 segments would change" in page and previewed(page) != seen
    assert texts(recording) == ["I did not know if someone would ask.", "Then someone listened."]


def test_changing_what_to_find_after_the_preview_is_previewed_again(app, advocate, recording):
    page = advocate.post(
        find_url(recording), data={"find": "someone", "replace": "X", "preview": "y"}
    ).get_data(as_text=True)
    response = advocate.post(
        find_url(recording),
        data={"find": "someone", "replace": "Y", "previewed": previewed(page), "apply": "y"},
    )
    assert response.status_code == 400
    assert texts(recording) == ["I did not know who to ask.", "Then someone listened."]


@pytest.mark.parametrize(
    ("form", "message"),
    [
        ({"find": "  ", "replace": "x"}, "Write the words to find."),
        ({"find": "parcel", "replace": "x"}, "Nothing in the transcript matches “parcel”."),
        ({"find": "ask", "replace": "ask"}, "would change nothing"),
        ({"find": "Then someone listened.", "replace": ""}, "with no words"),
        ({"find": "x" * 201, "replace": ""}, "200 characters or fewer"),
    ],
)
def test_a_find_and_replace_that_cannot_be_made_says_why(app, advocate, recording, form, message):
    response = advocate.post(find_url(recording), data={**form, "preview": "y"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert message in page and "would change</h2>" not in page


def test_whole_words_and_matching_capitals_narrow_what_is_found(app, recording):
    assert [c.new_text for c in find_replace.find_replacements(recording, "one", "1")] == [
        "Then some1 listened."
    ]
    with pytest.raises(DomainError, match="Nothing in the transcript matches"):
        find_replace.find_replacements(recording, "one", "1", whole_words=True)
    with pytest.raises(DomainError, match="Nothing in the transcript matches"):
        find_replace.find_replacements(recording, "then", "And", match_case=True)


def test_a_replacement_without_a_preview_is_refused(app, recording, author):
    with pytest.raises(find_replace.TranscriptChanged):
        find_replace.replace_all(recording, "someone", "X", previewed="", by=author)


# ---------------------------------------------------------------- once accepted or erased


def test_nothing_changes_once_the_transcript_is_accepted(app, advocate, recording):
    first, second = segments(recording)
    assert advocate.post(f"/recordings/{recording.id}/accept").status_code == 302
    page = page_of(advocate, recording)
    assert "Confirm as right" not in page and "Find and replace" not in page

    for opened in (
        f"/recordings/{recording.id}/segments/{first.id}/split",
        f"/recordings/{recording.id}/segments/{first.id}/edit",
        find_url(recording),
    ):
        response = advocate.get(opened, follow_redirects=True)
        assert "This transcript is already accepted" in response.get_data(as_text=True), opened
    for posted in ("confirm", "merge"):
        response = advocate.post(
            f"/recordings/{recording.id}/segments/{first.id}/{posted}", follow_redirects=True
        )
        assert "This transcript is already accepted" in response.get_data(as_text=True)
    refused = advocate.post(
        f"/recordings/{recording.id}/segments/{first.id}/edit", data={"text": "Changed."}
    )
    assert refused.status_code == 400
    assert "This transcript is already accepted" in refused.get_data(as_text=True)
    assert texts(recording) == ["I did not know who to ask.", "Then someone listened."]
    assert not segments(recording)[0].is_reviewed


def test_nothing_can_be_changed_while_it_is_transcribed_or_once_erased(
    app, recording, narrative, author
):
    first = segments(recording)[0]
    recording.status = "transcribing"
    with pytest.raises(DomainError, match="still being transcribed"):
        editing.confirm_segment(first, by=author)
    recording.status = "transcribed"
    withdraw(narrative, by=author)
    db.session.commit()
    assert recording.status == "erased"
    with pytest.raises(DomainError, match="erased when consent was withdrawn"):
        editing.set_speaker(recording, [], "narrator", by=author)
