"""The faster-whisper engine with the bundled tiny.en model, on speech made by espeak-ng."""

from __future__ import annotations

import pytest

from narrative_service.transcription.audio import UnreadableAudio
from narrative_service.transcription.engines import (
    EngineSettings,
    TranscriptionFailed,
    engine_for,
)
from narrative_service.transcription.pipeline import transcribe_file
from tests.audio import speak

SENTENCE = "Nobody told me what was happening. Then someone sat with me and listened."


def test_spoken_words_come_back_as_text_with_timestamps(tmp_path):
    recording = speak(SENTENCE, tmp_path / "narrator.wav")
    seen = []
    result = transcribe_file(recording, EngineSettings(), on_segment=seen.append)
    text = result.text.lower()
    for word in ("nobody", "told", "happening", "listened"):
        assert word in text
    assert result.engine == "faster-whisper"
    assert result.model.startswith("tiny.en")
    assert 3 < result.duration < 8
    assert all(0 <= s.start < s.end <= result.duration + 0.5 for s in result.segments)
    assert result.segments[0].words, "word timestamps are on by default"
    assert seen == result.segments, "each segment is handed on as it is made"
    assert result.processing_seconds > 0


def test_pieces_of_a_recording_keep_their_place_in_time(tmp_path):
    recording = speak(SENTENCE, tmp_path / "narrator.wav")
    engine = engine_for(EngineSettings())
    from narrative_service.transcription import audio

    (offset, samples), *rest = list(audio.pieces(recording, start_seconds=2.0))
    assert rest == [] and offset == 2.0
    segments = list(engine.segments(samples, offset))
    assert segments and all(s.start >= 2.0 for s in segments)
    assert "listened" in " ".join(s.text for s in segments).lower()


def test_a_file_without_audio_is_refused_in_plain_words(tmp_path):
    not_audio = tmp_path / "minutes.wav"
    not_audio.write_text("These are the minutes of the meeting, not a recording.")
    with pytest.raises(UnreadableAudio, match="cannot be read as a recording"):
        transcribe_file(not_audio, EngineSettings())


def test_a_missing_file_is_named(tmp_path):
    with pytest.raises(UnreadableAudio, match="missing from the media folder"):
        transcribe_file(tmp_path / "gone.wav", EngineSettings())


def test_a_model_that_is_not_on_this_machine_is_never_downloaded():
    engine = engine_for(EngineSettings(model="large-v3"))
    with pytest.raises(TranscriptionFailed, match="could not be loaded from this machine"):
        engine.load()


def test_an_unknown_engine_is_refused_by_name():
    with pytest.raises(TranscriptionFailed, match="Unknown transcription engine 'whisper.cpp'"):
        engine_for(EngineSettings(engine="whisper.cpp"))
