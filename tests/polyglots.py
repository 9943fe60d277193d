"""Files that are two things at once: a valid WAV that is also JavaScript, or also HTML.

The audio probe accepts both (a RIFF header, a format chunk, real samples); a browser told
they are a script or a page would run them. Made here, byte by byte, for the tests.
"""

from __future__ import annotations

import math
import struct

RATE = 16_000


def _samples(seconds: float) -> bytes:
    """A quiet tone whose bytes never spell the end of a JavaScript comment."""
    out = bytearray()
    for n in range(int(RATE * seconds)):
        value = int(3000 * math.sin(2 * math.pi * 440 * n / RATE))
        out += struct.pack("<h", value)
    data = bytes(out).replace(b"*/", b"*.")
    return data if len(data) % 2 == 0 else data + b"\x00"


def _wav(riff_size: bytes, trailer: bytes, seconds: float = 1.0) -> bytes:
    data = _samples(seconds)
    fmt = struct.pack("<HHIIHH", 1, 1, RATE, RATE * 2, 2, 16)
    if len(trailer) % 2:
        trailer += b" "
    return (
        b"RIFF"
        + riff_size
        + b"WAVE"
        + b"fmt "
        + struct.pack("<I", len(fmt))
        + fmt
        + b"data"
        + struct.pack("<I", len(data))
        + data
        + b"note"
        + struct.pack("<I", len(trailer))
        + trailer
    )


def wav_that_is_javascript(code: str) -> bytes:
    """`RIFF=1/*` opens a comment over the binary part; the trailing chunk closes it and runs
    `code`. The RIFF size field is those four bytes, which FFmpeg does not hold to."""
    return _wav(b"=1/*", f"*/;{code}//".encode())


def wav_that_is_html(html: str) -> bytes:
    """An HTML parser shows the binary part as text and obeys the markup at the end."""
    body = _wav(b"\x00\x00\x00\x00", html.encode())
    size = struct.pack("<I", len(body) - 8)
    return body[:4] + size + body[8:]
