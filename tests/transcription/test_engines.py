"""The faster-whisper engine with the bundled tiny.en model, on speech made by espeak-ng."""

from __future__ import annotations

import pytest

from narrative_service.transcription.engines import (
    EngineSettings,
    TranscriptionFailed,
    engine_for,
)
from tests.audio import speak

SENTENCE = "Nobody told me what was happening. Then someone sat with me and listened."


@pytest.fixture(scope="module")
def engine():
    return engine_for(EngineSettings())


def test_spoken_words_come_back_as_text_with_timestamps(engine, tmp_path):
    recording = speak(SENTENCE, tmp_path / "narrator.wav")
    progress = []
    result = engine.transcribe(
        recording, on_segment=lambda seg, total: progress.append(seg.end / total)
    )
    text = " ".join(segment.text for segment in result.segments).lower()
    for word in ("nobody", "told", "happening", "listened"):
        assert word in text
    assert result.language == "en"
    assert 3 < result.duration < 8
    assert all(0 <= s.start < s.end <= result.duration + 0.5 for s in result.segments)
    assert result.segments[0].words, "word timestamps are on by default"
    assert progress and progress == sorted(progress) and progress[-1] <= 1.05


def test_a_file_without_audio_is_refused_in_plain_words(engine, tmp_path):
    not_audio = tmp_path / "minutes.wav"
    not_audio.write_text("These are the minutes of the meeting, not a recording.")
    with pytest.raises(TranscriptionFailed, match="no audio track"):
        engine.transcribe(not_audio)


def test_a_missing_file_is_named(engine, tmp_path):
    with pytest.raises(TranscriptionFailed, match="missing from the media folder"):
        engine.transcribe(tmp_path / "gone.wav")


def test_a_model_that_is_not_on_this_machine_is_never_downloaded(tmp_path):
    engine = engine_for(EngineSettings(model="large-v3"))
    with pytest.raises(TranscriptionFailed, match="could not be loaded from this machine"):
        engine.transcribe(tmp_path / "any.wav")


def test_an_unknown_engine_is_refused_by_name():
    with pytest.raises(TranscriptionFailed, match="Unknown transcription engine 'whisper.cpp'"):
        engine_for(EngineSettings(engine="whisper.cpp"))


def test_settings_come_from_configuration():
    settings = EngineSettings.from_config(
        {"WHISPER_BEAM_SIZE": "2", "WHISPER_VAD": "false", "WHISPER_LANGUAGE": "en"}
    )
    assert settings.beam_size == 2
    assert settings.vad is False
    assert settings.word_timestamps is True
