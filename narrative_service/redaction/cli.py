"""`narrative-service redact`: the redaction the app runs, for a file or a stream of texts.

Registered in cli.register_commands. Nothing is stored and nothing leaves the machine.
"""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext

from ..errors import DomainError
from ..jsonl import batches, jsonl_items, one_of, read_text, text_input
from .engine import redact as redact_text
from .engine import redact_many


@click.command()
@text_input("Print a JSON object, not plain text.")
@with_appcontext
def redact(source, as_json, jsonl):
    """Replace the identifiers in SOURCE (a file, or - for standard input) with placeholders.

    Prints the redacted text, or with --json an object with the redacted text and each
    identifier found (type, start and end in the original text, and its wording).
    """
    one_of(source, jsonl)
    try:
        if jsonl is not None:
            for batch in batches(jsonl_items(jsonl)):
                results = redact_many([text for _, text in batch])
                for (item_id, _text), result in zip(batch, results, strict=True):
                    click.echo(json.dumps({"id": item_id, **result.as_json()}, ensure_ascii=False))
            return
        text = read_text(source)
        if not text.strip():
            raise click.ClickException("The text is empty: there is nothing to redact.")
        result = redact_text(text)
    except DomainError as wrong:
        raise click.ClickException(wrong.message) from None
    if as_json:
        item_id = "-" if source.name == "<stdin>" else source.name
        click.echo(json.dumps({"id": item_id, **result.as_json()}, ensure_ascii=False))
    else:
        click.echo(result.text)
