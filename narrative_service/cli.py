"""The `narrative-service` command: a Flask CLI group with the service's own commands.

Each command is thin: it calls the feature's rules module.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext
from sqlalchemy.exc import SQLAlchemyError

from . import create_app, server
from .audit.rules import record, verify_chain
from .auth import rules
from .database import refresh_statistics
from .demo.credentials import sign_in_details
from .demo.loader import load_demo
from .errors import DomainError
from .extensions import db
from .health import database_is_current, run_checks
from .jobs import huey, queue_description, stop_when_parent_exits
from .jsonl import batches, jsonl_items, one_of, read_text, text_input
from .milestones import digest as digests
from .milestones import evidence_pack as packs
from .redaction.cli import redact
from .themes.codebook import load_default_if_empty
from .themes.suggest import NotEnglish, suggest_many, suggester
from .transcription import vocabulary
from .transcription.audio import UnreadableAudio
from .transcription.engines import EngineSettings, TranscriptionFailed
from .transcription.pipeline import transcribe_file
from .transcription.storage import remove_stale_incoming
from .transcription.tasks import queue_unfinished


def _create_app() -> Flask:
    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_default_commands=False)
def main() -> None:
    """narrative_service: capture narratives, reflect on them, evidence the change."""


def register_commands(app: Flask) -> None:
    for command in (
        serve,
        worker,
        create_user,
        demo,
        check,
        transcribe,
        themes,
        redact,
        evidence_pack,
        digest,
        audit,
    ):
        app.cli.add_command(command)


@click.command()
@click.option("--host", default=None, help="Address to listen on (default HOST or 127.0.0.1).")
@click.option("--port", type=int, default=None, help="Port (default PORT or 5000).")
@click.option("--processes", type=int, default=None, help="Web processes (default WEB_PROCESSES).")
@click.option("--threads", type=int, default=None, help="Threads per process (default THREADS).")
@click.option("--no-worker", is_flag=True, help="Do not start a background worker alongside.")
@with_appcontext
def serve(host, port, processes, threads, no_worker):
    """Serve the app (gunicorn, or waitress), and start a background worker with it."""

    app = current_app._get_current_object()
    if not database_is_current():
        raise click.ClickException(
            "The database schema is not up to date. Run: narrative-service db upgrade"
        )
    refresh_statistics(db.engine)
    # First run: the default theme codebook, once, before any web process starts.

    if load_default_if_empty():
        db.session.commit()
    options = server.ServeOptions(
        host=host or app.config["HOST"],
        port=app.config["PORT"] if port is None else port,
        processes=processes or app.config["WEB_PROCESSES"],
        threads=threads or app.config["THREADS"],
        proxy_hops=app.config["TRUSTED_PROXY_HOPS"],
        server=app.config["WEB_SERVER"],
    )

    def announce(address: str) -> None:
        click.echo(f"narrative_service is running at {address}  (Ctrl+C to stop)")
        details = sign_in_details(app)
        if details:
            click.echo(details)

    worker_process = None if no_worker else server.start_worker()
    try:
        server.run(app, options, announce)
    finally:
        server.stop_worker(worker_process)


@click.command()
@click.option(
    "--workers",
    type=click.IntRange(1, 16),
    default=2,
    show_default=True,
    help="Worker threads: short jobs run on one while another transcribes.",
)
@click.option("--parent-pid", type=int, default=None, hidden=True)
@with_appcontext
def worker(workers, parent_pid):
    """Run background jobs (transcription, theme suggestions) until stopped."""

    click.echo(f"Worker started; queue: {queue_description(current_app)}")
    if parent_pid:
        stop_when_parent_exits(parent_pid)
    remove_stale_incoming(current_app.config["MEDIA_DIR"])
    # After a crash or kill -9: what was queued or half-done is taken up again.
    resumed = queue_unfinished(include_queued=True)
    if resumed:
        click.echo(f"Resuming {resumed} unfinished transcription(s).")
    consumer = huey.create_consumer(workers=workers, worker_type="thread")
    consumer.run()


@click.command("create-user")
@click.option("--email", required=True)
@click.option(
    "--role",
    required=True,
    type=click.Choice(["admin", "lead", "facilitator", "advocate", "board"]),
)
@click.option("--name", default=None, help="Full name (defaults to the email's local part).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@with_appcontext
def create_user(email, role, name, password_stdin):
    """Create a user who can sign in."""

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    try:
        user = rules.create_user(
            email=email, name=name or email.split("@")[0], role=role, password=password
        )
    except DomainError as wrong:
        raise click.ClickException(wrong.message) from None
    db.session.commit()
    click.echo(f"Created {user.role_name} {user.email}")
    if rules.setup_step(user) == rules.TWO_STEP_STEP:
        click.echo("Their role needs two-step verification: they set it up when they sign in.")


@click.command()
@click.option("--if-empty", is_flag=True, help="Only load when the database has no narratives.")
@with_appcontext
def demo(if_empty):
    """Load realistic, fictional demo data (programme 2025/26, cases, narratives, users)."""

    loaded = load_demo(current_app._get_current_object(), only_if_empty=if_empty)
    click.echo(loaded)


@click.command()
@click.option("--load-models", is_flag=True, help="Also load Whisper and spaCy (slower).")
@with_appcontext
def check(load_models):
    """Check configuration, database, media folder, queue, assets and models."""

    problems = 0
    for result in run_checks(current_app._get_current_object(), load_models=load_models):
        mark = "ok  " if result.ok else "FAIL"
        click.echo(f"[{mark}] {result.name}: {result.detail}")
        if not result.ok:
            problems += 1
            click.echo(f"       fix: {result.fix}")
    if problems:
        raise SystemExit(1)
    click.echo("Everything needed is in place.")


@click.command()
@click.argument("audio_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--model", default=None, help="A faster-whisper model name or directory.")
@click.option("--engine", default=None, help="faster-whisper (default) or openai-whisper.")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON object, not plain text.")
@click.option(
    "--speakers",
    "speaker_count",
    type=click.IntRange(1, 6),
    default=None,
    help="How many people speak (1 to 6); by default it is worked out from the voices.",
)
@click.option(
    "--word-list/--no-word-list",
    default=True,
    show_default=True,
    help="Give the decoder the organisation's word list (kept by leads).",
)
@with_appcontext
def transcribe(audio_file, model, engine, as_json, speaker_count, word_list):
    """Transcribe AUDIO_FILE on this machine and print the transcript, with who spoke each
    segment (Speaker 1, Speaker 2, ... told apart by their voices) in --json.

    The same code the worker runs; nothing is stored and nothing leaves the machine.
    """

    settings = EngineSettings.from_config(current_app.config)
    if word_list:
        try:
            settings = vocabulary.settings_with_word_list(settings)
        except SQLAlchemyError:
            db.session.rollback()
            click.echo(
                "The word list could not be read (is the database set up? "
                "`narrative-service db upgrade`): transcribing without it.",
                err=True,
            )
    if model:
        settings = dataclasses.replace(settings, model=model)
    if engine:
        settings = dataclasses.replace(settings, engine=engine)

    # Plain text is printed as it is heard; with --speakers, once the voices are told apart.
    streaming = not as_json and speaker_count is None

    def show(segment) -> None:
        if streaming:
            click.echo(segment.text)

    try:
        result = transcribe_file(
            audio_file,
            settings,
            on_segment=show,
            separate_speakers=as_json or speaker_count is not None,
            speaker_count=speaker_count,
        )
    except (UnreadableAudio, TranscriptionFailed) as failed:
        raise click.ClickException(f"{audio_file}: {failed.message}") from None
    if as_json:
        click.echo(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    elif not streaming:
        for segment, speaker in zip(result.segments, result.speakers, strict=True):
            click.echo(f"Speaker {speaker + 1}: {segment.text}")
    if result.damaged_after is not None:
        click.echo(
            f"Warning: the recording is damaged after {result.damaged_after:.1f} s; "
            "the part before that is transcribed above.",
            err=True,
        )
        raise SystemExit(3)


@click.command()
@text_input("Print a JSON object.")
@with_appcontext
def themes(source, as_json, jsonl):
    """Suggest codebook themes for the text in SOURCE (a file, or - for standard input).

    The same code the app runs; nothing is stored.
    """
    one_of(source, jsonl)
    text = read_text(source) if source is not None else ""
    if source is not None and not text.strip():
        raise click.ClickException("The text is empty: there is nothing to suggest themes for.")
    engine = suggester(current_app.config.get("SPACY_MODEL", ""))  # only once the input is fine
    if jsonl is not None:
        for batch in batches(jsonl_items(jsonl)):
            results = suggest_many(engine, [text for _, text in batch])
            for (item_id, _text), result in zip(batch, results, strict=True):
                out = {"id": item_id, "themes": []}
                if isinstance(result, NotEnglish):
                    out["note"] = result.message
                else:
                    out["themes"] = [suggestion.as_json() for suggestion in result]
                click.echo(json.dumps(out, ensure_ascii=False))
        return
    (result,) = suggest_many(engine, [text])
    if isinstance(result, NotEnglish):
        if as_json:
            click.echo(json.dumps({"themes": [], "note": result.message}))
            return
        raise click.ClickException(result.message)
    if as_json:
        click.echo(json.dumps({"themes": [s.as_json() for s in result]}, ensure_ascii=False))
        return
    for suggestion in result:
        quotes = "; ".join(f"“{e.text}”" for e in suggestion.evidence[:3])
        click.echo(f"{suggestion.code}  {suggestion.score:.2f}  {quotes}")


@click.command("evidence-pack")
@click.option("--programme", "programme_id", type=int, required=True, help="The programme's id.")
@click.option(
    "--quarter",
    required=True,
    type=click.Choice(["Q1", "Q2", "Q3", "Q4"], case_sensitive=False),
    help="The quarter's milestone.",
)
@click.option(
    "--format",
    "file_format",
    type=click.Choice(["pdf", "docx"], case_sensitive=False),
    default=None,
    help="pdf or docx (default: from the output file's extension).",
)
@click.option(
    "-o", "--output", required=True, type=click.Path(path_type=Path), help="The file to write."
)
@with_appcontext
def evidence_pack(programme_id, quarter, file_format, output):
    """Write a quarter's evidence pack for the commissioner (PDF or Word), as the app does.

    Everything in it is anonymised: the narrative only as its approved anonymised version.
    """

    if output.is_dir():
        raise click.ClickException(f"{output} is a folder: give a file name, such as pack.pdf.")
    file_format = (file_format or output.suffix.removeprefix(".")).lower()
    if file_format not in packs.FORMATS:
        raise click.UsageError("Give --format pdf or --format docx (or a .pdf or .docx file).")
    try:
        milestone = packs.milestone_for(programme_id, quarter)
    except DomainError as wrong:
        raise click.ClickException(wrong.message) from None
    folder = output.parent
    if not folder.is_dir():
        raise click.ClickException(f"Cannot write {output}: there is no folder {folder}.")
    if not os.access(folder, os.W_OK):
        raise click.ClickException(f"Cannot write {output}: the folder is not writable.")
    pack = packs.gather(milestone)
    try:
        output.write_bytes(packs.render(pack, file_format))
    except OSError as failed:
        raise click.ClickException(f"Cannot write {output}: {failed.strerror}.") from None
    record(
        "export",
        user_id=None,
        subject=milestone,
        what="evidence pack",
        format=file_format,
        via="command line",
    )
    db.session.commit()
    click.echo(f"Wrote the {milestone.quarter} evidence pack for {pack.programme} to {output}.")
    missing = [item for item in pack.checklist.items if not item.is_met]
    if missing:
        click.echo(f"{len(missing)} checklist item(s) not yet met; the pack says which.", err=True)


@click.command()
@click.option("--dry-run", is_flag=True, help="Print the digest; send nothing.")
@click.option("--to", "to", multiple=True, help="Send to this address instead of every lead.")
@with_appcontext
def digest(dry_run, to):
    """The leads' e-mail digest: what falls due in the next 14 days (needs SMTP_HOST)."""

    message = digests.compose()
    if dry_run:
        click.echo(f"Subject: {message.subject}\n\n{message.body}")
        return
    if not digests.is_configured():
        raise click.ClickException(
            "SMTP_HOST is not set: the e-mail digest is off. Set SMTP_HOST (and SMTP_PORT, "
            "MAIL_FROM) to send it, or use --dry-run to see it."
        )
    try:
        sent = digests.send(message, list(to) or None)
    except DomainError as failure:
        raise click.ClickException(failure.message) from None
    if not sent:
        click.echo("No active lead to send the digest to.")
    else:
        click.echo(f"Sent the digest to {sent} {'person' if sent == 1 else 'people'}.")


@click.group()
def audit() -> None:
    """The audit log."""


@audit.command("verify")
@with_appcontext
def verify_audit_log():
    """Check the audit log's hash chain; name the first event that was changed or follows
    a removed one (exit code 1). Keep the newest hash it prints: only that shows the newest
    events removed."""

    walk = verify_chain()
    if walk.broken is not None:
        click.echo(f"Audit log broken at event {walk.broken.event_id}: {walk.broken.problem}")
        raise SystemExit(1)
    click.echo(f"Audit log intact: {walk.count} events, chain verified.")
    if walk.last_id is not None:
        # The chain cannot show its newest events removed; a copy of this line can.
        click.echo(f"Newest event {walk.last_id}, hash {walk.last_hash}")
