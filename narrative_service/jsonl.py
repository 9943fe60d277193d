"""Reading `{"id": ..., "text": ...}` lines for the command-line tools (themes, redact)."""

from __future__ import annotations

import json
from collections.abc import Iterator

import click

JSONL_BATCH = 64  # texts analysed together; results are written as each batch finishes


def jsonl_items(handle) -> Iterator[tuple[object, str]]:
    number = 0
    while True:
        number += 1
        try:
            line = handle.readline()
        except UnicodeDecodeError:
            raise click.ClickException(f"line {number} is not UTF-8 text") from None
        if not line:
            return
        if not line.strip():
            continue
        try:
            item = json.loads(line)
            item_id, text = item["id"], item["text"]
        except (ValueError, KeyError, TypeError):
            raise click.ClickException(
                f'line {number} is not a JSON object with "id" and "text"'
            ) from None
        if not isinstance(text, str):
            raise click.ClickException(f'line {number}: "text" must be a string')
        yield item_id, text


def batches(items: Iterator[tuple[object, str]]) -> Iterator[list[tuple[object, str]]]:
    batch: list[tuple[object, str]] = []
    for item in items:
        batch.append(item)
        if len(batch) == JSONL_BATCH:
            yield batch
            batch = []
    if batch:
        yield batch
