"""The transcript studio in a real browser: a two-speaker interview, made on the fly (espeak-ng
for one voice, flite for the other), is uploaded, transcribed by a real worker, and corrected
on its one page with the keyboard: playback, corrections, a split at the caret, a merge and a
new speaker; then accepted into the narrative's conversation and downloaded as WebVTT.
"""

from __future__ import annotations

import re

import numpy as np
from playwright.sync_api import expect

from narrative_service.extensions import db
from narrative_service.transcription import rules
from narrative_service.transcription.models import Recording
from tests.audio import samples_of, speak, speak_flite, write_wav
from tests.browser.accessibility import assert_accessible
from tests.browser.test_voice_turn import service  # noqa: F401 (the live app and its worker)
from tests.factories import TEST_PASSWORD, make_narrative, make_recording, make_user

NARRATOR = "Nobody told me what was happening to my mother. I asked the social worker every week."
DAUGHTER = "Did anyone explain the safeguarding plan to you?"
NARRATOR_AGAIN = "No. Then an advocate sat with me and listened to me."
# The daughter's question, as the machine may hear it: the words the test looks for.
QUESTION = re.compile(r"\b(anyone|explain|safeguarding)\b", re.IGNORECASE)

PLAYER = "document.getElementById('player')"
# Each segment as the page shows it: its words without what only screen readers hear.
SEGMENTS = """() => Array.from(document.querySelectorAll('#transcript .app-transcript__segment'),
    (li) => {
        const words = li.querySelector('.app-transcript__text').cloneNode(true);
        words.querySelectorAll('.nhsuk-u-visually-hidden').forEach((hidden) => hidden.remove());
        return {id: li.id, text: words.textContent, speaker: li.dataset.speaker};
    })"""


def interview(folder) -> bytes:
    """Two voices taking turns, with a pause at each change of speaker."""
    pause = np.zeros(int(1.5 * 16_000), dtype=np.float32)
    parts = [
        samples_of(speak(NARRATOR, folder / "narrator.wav")),
        pause,
        samples_of(speak_flite(DAUGHTER, folder / "daughter.wav")),
        pause,
        samples_of(speak(NARRATOR_AGAIN, folder / "narrator-again.wav")),
    ]
    return write_wav(np.concatenate(parts), folder / "interview.wav").read_bytes()


def sign_in(page, email: str) -> None:
    page.goto("/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Hello")


def segments(page) -> list[dict]:
    return page.evaluate(SEGMENTS)


def segment(page, segment_id: str):
    return page.locator(f"#{segment_id}")


def wait_for_count(page, count: int) -> list[dict]:
    expect(page.locator("#transcript .app-transcript__segment")).to_have_count(count)
    return segments(page)


def put_caret(page, at: int) -> None:
    """Move the caret of the open text box to `at` characters from its start, by keyboard."""
    page.keyboard.press("Control+Home")
    for _ in range(at):
        page.keyboard.press("ArrowRight")


def assert_focused(page, selector: str) -> None:
    expect(page.locator(selector)).to_be_focused()


def split_before(page, segment_id: str, at: int) -> list[dict]:
    """Split a segment with its Split link and the Split here button."""
    before = segments(page)
    segment(page, segment_id).get_by_role("link", name=re.compile("^Split")).click()
    box = segment(page, segment_id).locator("textarea")
    expect(box).to_be_focused()
    put_caret(page, at)
    segment(page, segment_id).get_by_role("button", name="Split here").click()
    return wait_for_count(page, len(before) + 1)


def sentence_start(text: str, match: re.Match) -> int:
    """Where the sentence holding the match starts."""
    ends = [m.end() for m in re.finditer(r"[.?!]\s+", text[: match.start()])]
    return ends[-1] if ends else 0


def sentence_end(text: str, match: re.Match) -> int:
    found = re.search(r"[.?!](\s+|$)", text[match.end() :])
    return match.end() + found.end() if found else len(text)


def isolate_the_question(page) -> dict:
    """The daughter's question in a segment of its own, split off where the machine ran it
    together with what the narrator said before or after it."""
    for _ in range(2):
        found = next(s for s in segments(page) if QUESTION.search(s["text"]))
        match = QUESTION.search(found["text"])
        start, end = sentence_start(found["text"], match), sentence_end(found["text"], match)
        if start > 0:
            split_before(page, found["id"], start)
        elif end < len(found["text"].rstrip()):
            split_before(page, found["id"], end)
        else:
            return found
    return next(s for s in segments(page) if QUESTION.search(s["text"]))


def test_an_advocate_corrects_a_two_speaker_interview_on_one_page(
    tmp_path,
    service,  # noqa: F811
    browser,
):
    app, address = service
    sound = interview(tmp_path)
    with app.app_context():
        advocate = make_user("advocate", name="Priya Nair")
        narrative_id = make_narrative(advocate).id
        email = advocate.email
    context = browser.new_context(base_url=address, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    problems = []
    page.on("pageerror", lambda error: problems.append(str(error)))
    sign_in(page, email)

    # Uploaded as the advocate; the page reloads itself when the worker has transcribed it.
    page.goto(f"/narratives/{narrative_id}/recordings/new")
    page.locator("input[type=file][name=recording]").set_input_files(
        files=[{"name": "interview.wav", "mimeType": "audio/wav", "buffer": sound}]
    )
    page.get_by_role("button", name="Upload and transcribe").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Recording and transcript")
    recording_id = int(re.search(r"/recordings/(\d+)", page.url).group(1))
    expect(page.locator("#transcript")).to_be_visible(timeout=60_000)
    expect(page.locator("#studio")).to_be_visible()
    expect(page.locator("#studio-keys")).to_contain_text("Keys: Ctrl+Space play or pause")
    assert_accessible(page, "the recording page at 1280 px")
    page.set_viewport_size({"width": 320, "height": 800})
    assert_accessible(page, "the recording page at 320 px")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, "scrolls sideways"
    page.set_viewport_size({"width": 1280, "height": 900})
    first_texts = segments(page)
    assert first_texts and any(QUESTION.search(s["text"]) for s in first_texts), first_texts

    # Playback by keyboard: Ctrl+Space anywhere; k and Space when not typing.
    page.get_by_role("heading", level=1).click()
    assert page.evaluate(f"{PLAYER}.paused")
    page.keyboard.press("Control+Space")
    page.wait_for_function(f"!{PLAYER}.paused")
    page.keyboard.press("Control+Space")
    page.wait_for_function(f"{PLAYER}.paused")
    page.keyboard.press("k")
    page.wait_for_function(f"!{PLAYER}.paused")
    page.keyboard.press("Space")
    page.wait_for_function(f"{PLAYER}.paused")

    # Play from the last segment's time; it is highlighted. Back 5 seconds with Ctrl+, and j.
    last = segments(page)[-1]["id"]
    segment(page, last).locator("[data-seek]").click()
    expect(segment(page, last)).to_have_class(re.compile("app-transcript__segment--playing"))
    page.keyboard.press("Control+Space")
    page.wait_for_function(f"{PLAYER}.paused")
    heard_to = page.evaluate(f"{PLAYER}.currentTime")
    assert heard_to > 10, heard_to
    page.keyboard.press("Control+,")
    assert abs(page.evaluate(f"{PLAYER}.currentTime") - (heard_to - 5)) < 0.05
    page.keyboard.press("j")
    assert abs(page.evaluate(f"{PLAYER}.currentTime") - (heard_to - 10)) < 0.05

    # The speed.
    page.get_by_label("Playback speed").select_option("1.5")
    assert page.evaluate(f"{PLAYER}.playbackRate") == 1.5

    # The playing segment is scrolled into view, but not while the person is correcting one.
    page.set_viewport_size({"width": 1280, "height": 480})
    ends = segment(page, segments(page)[-1]["id"])
    seek_to_last = f"{PLAYER}.currentTime = {float(ends.get_attribute('data-start')) + 0.2}"
    page.evaluate("window.scrollTo(0, 0)")
    expect(ends).not_to_be_in_viewport()
    page.evaluate(seek_to_last)
    page.keyboard.press("Control+Space")
    expect(ends).to_be_in_viewport()
    page.evaluate(f"{PLAYER}.currentTime = 0.1")
    expect(segment(page, segments(page)[0]["id"])).to_have_class(re.compile("--playing"))
    segment(page, segments(page)[0]["id"]).get_by_role("link", name=re.compile("^Correct")).click()
    where = page.evaluate("window.scrollY")
    page.evaluate(seek_to_last)
    expect(ends).to_have_class(re.compile("--playing"))
    assert page.evaluate("window.scrollY") == where
    page.keyboard.press("Control+Space")
    page.wait_for_function(f"{PLAYER}.paused")
    page.keyboard.press("Escape")
    page.set_viewport_size({"width": 1280, "height": 900})

    # Split the first segment at the caret (Ctrl+Enter) where its second sentence starts.
    first = segments(page)[0]
    second_sentence = re.search(r"[.?!]\s+(?=\S)", first["text"])
    at = second_sentence.end() if second_sentence else first["text"].index(" ") + 1
    segment(page, first["id"]).get_by_role("link", name=re.compile("^Correct")).click()
    assert_focused(page, f"#{first['id']} textarea")
    # Ctrl+Space plays and pauses while typing too.
    page.keyboard.press("Control+Space")
    page.wait_for_function(f"!{PLAYER}.paused")
    page.keyboard.press("Control+Space")
    page.wait_for_function(f"{PLAYER}.paused")
    put_caret(page, at)
    page.keyboard.press("Control+Enter")
    after_split = wait_for_count(page, len(first_texts) + 1)
    assert after_split[0]["text"] == first["text"][:at].strip()
    assert after_split[1]["text"] == first["text"][at:].strip()
    assert_focused(page, f"#{after_split[1]['id']}")

    # Correct the first segment with Enter: it is saved and the next one opens.
    one, two = after_split[0]["id"], after_split[1]["id"]
    segment(page, one).get_by_role("link", name=re.compile("^Correct")).click()
    page.keyboard.press("Control+A")
    page.keyboard.type("Nobody told me what was happening to my mum.")
    page.keyboard.press("Enter")
    assert_focused(page, f"#{two} textarea")
    expect(segment(page, one).locator(".app-transcript__text")).to_have_text(
        "Nobody told me what was happening to my mum."
    )
    expect(segment(page, one)).to_contain_text(
        f"Corrected. The machine heard: “{after_split[0]['text']}”"
    )
    expect(segment(page, one).locator(".app-word")).to_have_count(0)

    # Esc cancels the next one's correction: its words are as they were.
    page.keyboard.type(" and nobody else")
    page.keyboard.press("Escape")
    expect(segment(page, two).locator("textarea")).to_have_count(0)
    assert segments(page)[1]["text"] == after_split[1]["text"]
    assert_focused(page, f"#{two} [data-action=correct]")

    # An empty correction is refused beside the text box, and what was typed stays.
    segment(page, two).get_by_role("link", name=re.compile("^Correct")).click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    page.keyboard.press("Enter")
    error = segment(page, two).locator(".nhsuk-error-message")
    expect(error).to_have_text("Error: Write what was said, or leave the segment as it was.")
    box = segment(page, two).locator("textarea")
    assert error.get_attribute("id") in box.get_attribute("aria-describedby").split()
    assert_accessible(page, "the recording page with a correction refused")
    page.keyboard.press("Escape")

    # Merge the two halves again: one segment, the correction and the rest joined.
    segment(page, one).get_by_role("button", name=re.compile("^Merge with the next")).click()
    merged = wait_for_count(page, len(first_texts))
    assert merged[0]["text"] == (
        f"Nobody told me what was happening to my mum. {after_split[1]['text']}"
    )
    assert_focused(page, f"#{one}")

    # The daughter's question: a segment of its own, then a new named speaker.
    question = isolate_the_question(page)
    button = segment(page, question["id"]).locator("[data-speaker-button]")
    button.click()
    chooser = segment(page, question["id"]).locator("form.app-studio__speakers")
    chooser.get_by_label("Someone else, by a new name").check()
    chooser.get_by_role("button", name="Save the speaker").click()
    refused = chooser.locator(".nhsuk-error-message:not([hidden])")
    expect(refused).to_have_text(
        "Error: Write who is speaking, such as Interpreter, Daughter or Social worker."
    )
    name = chooser.get_by_label("Their name or role")
    expect(name).to_be_focused()
    assert refused.get_attribute("id") in name.get_attribute("aria-describedby").split()
    assert_accessible(page, "the recording page with the speaker chooser open")
    name.fill("Daughter")
    chooser.get_by_role("button", name="Save the speaker").click()
    expect(segment(page, question["id"]).locator(".app-transcript__speaker")).to_contain_text(
        "Daughter:"
    )
    assert_focused(page, f"#{question['id']} [data-speaker-button]")

    # Confirm the last segment as right, in place.
    last = segments(page)[-1]["id"]
    confirm = segment(page, last).get_by_role("button", name=re.compile("^Confirm as right"))
    if confirm.count():
        confirm.click()
        expect(segment(page, last)).to_contain_text("Confirmed as the machine heard it.")
        expect(segment(page, last).locator(".app-word")).to_have_count(0)

    # Accept: a turn per change of speaker, the daughter's named.
    with app.app_context():
        recording = db.session.get(Recording, recording_id)
        passages = rules.by_speaker(rules.segments_of(recording))
    assert "Daughter" in [passage.label for passage in passages]
    page.get_by_role("button", name="Accept the transcript into the narrative").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Conversation")
    turns = page.locator(".app-chat__turn")
    expect(turns).to_have_count(len(passages))
    labels = [p.label for p in passages]
    shown = [
        label.split(" · ")[0] for label in turns.locator(".app-chat__speaker").all_inner_texts()
    ]
    assert shown == labels
    assert all(one != after for one, after in zip(labels, labels[1:], strict=False)), labels
    daughter = page.locator(".app-chat__turn", has_text="Daughter")
    expect(daughter).to_contain_text(QUESTION)

    # The WebVTT carries the daughter's voice.
    vtt = page.request.get(f"/recordings/{recording_id}/transcript.vtt")
    assert vtt.ok and "<v Daughter>" in vtt.text()
    assert problems == []
    context.close()


def test_a_split_at_the_caret_counts_characters_as_the_server_does(page, live_app, advocate):
    """The caret counts UTF-16 units and the split rule counts characters: after a character
    beyond the BMP the two differ, and the split must still fall between the same words."""
    with live_app.app_context():
        from narrative_service.auth.models import User

        user = db.session.query(User).filter_by(email=advocate["email"]).one()
        recording = make_recording(
            make_narrative(user), user, segments=("Café 🙂 then someone listened.", "Thank you.")
        )
        recording_id = recording.id
    sign_in(page, advocate["email"])
    page.goto(f"/recordings/{recording_id}")
    first = segments(page)[0]["id"]
    segment(page, first).get_by_role("link", name=re.compile("^Split")).click()
    put_caret(page, len("Café 🙂 then "))  # the emoji is one caret step, two UTF-16 units
    segment(page, first).get_by_role("button", name="Split here").click()
    split = wait_for_count(page, 3)
    assert [s["text"] for s in split] == ["Café 🙂 then", "someone listened.", "Thank you."]
    with live_app.app_context():
        kept = rules.segments_of(db.session.get(Recording, recording_id))
        assert [s.text for s in kept] == ["Café 🙂 then", "someone listened.", "Thank you."]


def test_without_javascript_each_segment_still_goes_to_its_own_pages(
    browser, live_server, live_app, advocate
):
    with live_app.app_context():
        from narrative_service.auth.models import User

        user = db.session.query(User).filter_by(email=advocate["email"]).one()
        recording_id = make_recording(make_narrative(user), user).id
    context = browser.new_context(base_url=live_server, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, advocate["email"])
    page.goto(f"/recordings/{recording_id}")
    expect(page.locator("#studio")).to_be_hidden()
    first = segments(page)[0]["id"]
    segment(page, first).get_by_role("link", name=re.compile("^Correct")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Correct a segment")
    page.get_by_label("What was said").fill("I did not know who to ask for help.")
    page.get_by_role("button", name="Save the correction").click()
    expect(segment(page, first)).to_contain_text("I did not know who to ask for help.")
    segment(page, first).get_by_role("button", name=re.compile("^Merge with the next")).click()
    expect(page.locator("#transcript .app-transcript__segment")).to_have_count(1)
    segment(page, first).get_by_role("link", name=re.compile("^Split")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Split")
    context.close()
