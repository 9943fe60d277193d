"""Theme suggestions with spaCy: lemmas, negation, hypotheticals, evidence, other languages."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from flask.cli import ScriptInfo

from narrative_service.cli import themes as themes_command
from narrative_service.themes.suggest import NotEnglish, suggest_many, suggester

COMMAND = Path(sys.executable).with_name("narrative-service")


@pytest.fixture(scope="module")
def engine():
    return suggester()  # outside the app: the packaged default codebook


def codes(engine, text: str) -> set[str]:
    (result,) = suggest_many(engine, [text])
    assert not isinstance(result, NotEnglish), result
    return {suggestion.code for suggestion in result}


@pytest.mark.parametrize("text", ["Nobody listened.", "They never listen.", "She was listening."])
def test_lemmas_match_every_form_of_a_word(engine, text):
    assert "experience.listened_to" in codes(engine, text)


def test_a_denied_feeling_is_not_suggested(engine):
    assert "experience.feeling_safe" not in codes(engine, "I wasn't frightened any more.")
    assert "experience.feeling_safe" not in codes(engine, "I no longer feel unsafe at home.")
    assert "experience.feeling_safe" in codes(engine, "I was frightened of him.")


def test_an_imagined_feeling_is_not_suggested(engine):
    found = codes(engine, "If they had explained it I would have been less scared.")
    assert "experience.feeling_safe" not in found
    assert "experience.information" in found  # what staff did not do is still the theme


def test_what_staff_did_not_do_is_still_a_theme(engine):
    assert "experience.information" in codes(engine, "Nobody told me anything.")
    assert "experience.listened_to" in codes(engine, "They didn't listen to me.")


def test_each_suggestion_shows_the_exact_words_that_triggered_it(engine):
    text = "At first nobody told me anything. Later the advocate explained it all."
    (result,) = suggest_many(engine, [text])
    information = next(s for s in result if s.code == "experience.information")
    quotes = [(e.start, e.end, e.text) for e in information.evidence]
    assert all(text[start:end] == quote for start, end, quote in quotes)
    assert "nobody told me" in [quote.lower() for *_, quote in quotes]
    assert 0 < information.score < 1


def test_text_in_another_language_says_so_and_suggests_nothing(engine):
    (result,) = suggest_many(
        engine, ["Personne ne m'a dit ce qui se passait et je ne savais pas quoi faire du tout."]
    )
    assert isinstance(result, NotEnglish) and "does not look like English" in result.message


def test_empty_text_and_control_characters(engine):
    text = "At first \x00Nobody\x07 told me anything."
    empty, controlled = suggest_many(engine, ["", text])
    assert empty == []
    information = next(s for s in controlled if s.code == "experience.information")
    evidence = information.evidence[0]
    assert (evidence.text, text[evidence.start : evidence.end]) == (
        "Nobody told me",
        "Nobody\x07 told me",
    )


def test_a_long_document_is_split_and_offsets_still_point_at_the_words(engine, monkeypatch):
    from narrative_service.themes import suggest

    monkeypatch.setattr(suggest, "MAX_CHARS_PER_DOC", 200)
    paragraph = "It was an ordinary week at home with the cat.\n\n"
    text = paragraph * 10 + "Nobody told me anything at all." + "\n\n" + paragraph * 3
    (result,) = suggest_many(engine, [text])
    evidence = next(s for s in result if s.code == "experience.information").evidence[0]
    assert text[evidence.start : evidence.end] == evidence.text == "Nobody told me"


def test_the_command_line_gives_the_same_suggestions(tmp_path):
    text = tmp_path / "narrative.txt"
    text.write_text("Nobody told me what was happening.")
    result = subprocess.run(
        [str(COMMAND), "themes", str(text), "--json"],
        capture_output=True,
        text=True,
        env={"INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout)["themes"]
    assert found[0]["code"] == "experience.information"
    assert found[0]["evidence"][0] == {"start": 0, "end": 14, "text": "Nobody told me"}

    lines = tmp_path / "in.jsonl"
    lines.write_text(
        json.dumps({"id": 7, "text": "They ignored me."}) + "\n"
        + json.dumps({"id": "x", "text": ""}) + "\n"
    )  # fmt: skip
    out = subprocess.run(
        [str(COMMAND), "themes", "--jsonl", str(lines)],
        capture_output=True,
        text=True,
        env={"INSTANCE_DIR": str(tmp_path / "instance"), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    first, second = (json.loads(line) for line in out.stdout.splitlines())
    assert first["id"] == 7 and first["themes"][0]["code"] == "experience.listened_to"
    assert second == {"id": "x", "themes": []}


def test_the_command_line_refuses_input_it_cannot_read(app, tmp_path):
    """Each refusal names what is wrong; a file is refused before the model is loaded."""
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1, "text": "fine"}\nnot json\n')
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("Nobody told me, caf\xe9.".encode("latin-1"))
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n")
    for args, message in (
        (["--jsonl", str(bad)], "line 2 is not a JSON object"),
        ([str(latin1)], "is not UTF-8 text"),
        ([str(empty)], "The text is empty"),
        ([], "Give a FILE (or -), or --jsonl FILE."),
    ):
        result = CliRunner().invoke(themes_command, args, obj=ScriptInfo(create_app=lambda: app))
        assert result.exit_code != 0, args
        assert message in result.output, (args, result.output)
        assert result.exception is None or isinstance(result.exception, SystemExit), args


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("I wasn't allowed my own money.", "abuse.financial"),
        ("I hadn't had any training on it.", "practice.training"),
        ("We didn't think about the children in the house.", "experience.think_family_child"),
    ],
)
def test_a_denied_thing_or_person_is_still_suggested(engine, text, code):
    # Only feelings and states (adjectives, participles) are dropped when denied.
    assert code in codes(engine, text)
