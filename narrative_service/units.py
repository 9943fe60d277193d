"""How lengths of time and sizes of files read on a page: one wording everywhere."""

from __future__ import annotations


def clock(seconds: float | None) -> str:
    """12:31, or 1:02:05 for an hour or more."""
    whole = int(seconds or 0)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def size_label(megabytes: int) -> str:
    """2 GB, or 500 MB below a gigabyte."""
    return f"{megabytes / 1024:g} GB" if megabytes >= 1024 else f"{megabytes} MB"
