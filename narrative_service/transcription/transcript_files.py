"""A transcript as a file to download: plain text, WebVTT (with voices) or SRT."""

from __future__ import annotations

from ..units import clock
from .models import TranscriptSegment


def _stamp(seconds: float, separator: str) -> str:
    millis = int(round(seconds * 1000))
    hours, rest = divmod(millis, 3_600_000)
    minutes, rest = divmod(rest, 60_000)
    secs, millis = divmod(rest, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{separator}{millis:03d}"


def as_text(segments: list[TranscriptSegment]) -> str:
    """Plain text: each segment's time, who is speaking and what they said."""
    return (
        "\n".join(
            f"[{clock(s.start_seconds)}] {_one_line(s.speaker_label)}: {_one_line(s.text)}"
            for s in segments
        )
        + "\n"
    )


def as_webvtt(segments: list[TranscriptSegment]) -> str:
    """WebVTT captions, each cue in the voice of its speaker: <v Narrator>what was said."""
    cues = [
        f"{n}\n{_stamp(s.start_seconds, '.')} --> {_stamp(s.end_seconds, '.')}\n"
        f"<v {_vtt_escape(_one_line(s.speaker_label))}>{_vtt_escape(_one_line(s.text))}\n"
        for n, s in enumerate(segments, start=1)
    ]
    return "WEBVTT\n\n" + "\n".join(cues)


def as_srt(segments: list[TranscriptSegment]) -> str:
    """SubRip captions, each cue starting with who is speaking: "Narrator: what was said"."""
    return "\n".join(
        f"{n}\n{_stamp(s.start_seconds, ',')} --> {_stamp(s.end_seconds, ',')}\n"
        f"{_cue_text(s.speaker_label)}: {_cue_text(s.text)}\n"
        for n, s in enumerate(segments, start=1)
    )


def _one_line(text: str) -> str:
    # A blank line ends a cue (or a plain-text entry) early: keep the words on one line.
    return " ".join(text.split())


def _cue_text(text: str) -> str:
    # "-->" and blank lines end an SRT cue early; keep the words, drop what breaks the format.
    return _one_line(text.replace("-->", "->"))


def _vtt_escape(text: str) -> str:
    # WebVTT cue text and voice names are markup: "&", "<" and ">" are written as escapes
    # (which also keeps "-->" from ending the cue).
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
