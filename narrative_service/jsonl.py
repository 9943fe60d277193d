"""The input of the command-line tools that read texts (themes, redact): one text from a file
or standard input, or `{"id": ..., "text": ...}` lines."""

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


def text_input(json_help: str):
    """The arguments such a command takes: SOURCE (a file, or - for standard input) or
    --jsonl FILE, and --json."""

    def decorate(command):
        command = click.option(
            "--jsonl",
            "jsonl",
            type=click.File("r", encoding="utf-8"),
            default=None,
            help='One {"id": ..., "text": ...} per line in; one result per line out.',
        )(command)
        command = click.option("--json", "as_json", is_flag=True, help=json_help)(command)
        return click.argument("source", required=False, type=click.File("r", encoding="utf-8"))(
            command
        )

    return decorate


def one_of(source, jsonl) -> None:
    """Refuse both a SOURCE and --jsonl, or neither."""
    if (source is None) == (jsonl is None):
        raise click.UsageError("Give a FILE (or -), or --jsonl FILE.")


def read_text(handle) -> str:
    """The whole of SOURCE, or a message that it is not UTF-8 text."""
    try:
        return handle.read()
    except UnicodeDecodeError:
        raise click.ClickException(f"{handle.name} is not UTF-8 text.") from None
