"""Settings read from environment variables, each with a default that works on a laptop.

The embedded default needs no server: an SQLite file, a media folder and an
SQLite-backed job queue, all under the instance folder.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

TRUE_WORDS = {"1", "true", "yes", "on"}

# Narratives are safeguarding records: nothing the service writes is readable by another
# local user. Folders are the owner's only; files are read and written by the owner only.
PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
PRIVATE_UMASK = 0o077


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in TRUE_WORDS


def default_instance_dir() -> Path:
    """The checkout's instance/ folder, or INSTANCE_DIR when set."""
    configured = os.environ.get("INSTANCE_DIR")
    if configured:
        return Path(configured).expanduser().resolve()
    return (Path(__file__).resolve().parent.parent / "instance").resolve()


def load_or_create_secret_key(instance_dir: Path, name: str = "secret_key") -> str:
    """Keep one random key per installation so sessions survive a restart.

    The file is created readable by its owner only. Two processes starting at
    once both end up with the one key that was written first.
    """
    key_file = instance_dir / name
    if key_file.exists():
        return key_file.read_text().strip()
    instance_dir.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _trusted_proxy_hops(trust_proxy: bool) -> int:
    """How many proxies in front of the service add an X-Forwarded-For entry (0: none trusted)."""
    configured = os.environ.get("TRUSTED_PROXY_HOPS", "").strip()
    if not trust_proxy:
        return 0
    if not configured:
        return 1
    if not configured.isdigit():
        raise ValueError(
            f"TRUSTED_PROXY_HOPS must be a whole number such as 1 (it is {configured!r})"
        )
    return int(configured)


def from_environment() -> dict:
    """Build the Flask config mapping from the environment."""
    instance_dir = default_instance_dir()
    redis_url = os.environ.get("REDIS_URL", "")
    trust_proxy = _flag("TRUST_PROXY", False)
    database_url = os.environ.get("DATABASE_URL") or (
        f"sqlite:///{instance_dir / 'narrative_service.db'}"
    )
    return {
        "INSTANCE_DIR": str(instance_dir),
        "SECRET_KEY": os.environ.get("SECRET_KEY") or load_or_create_secret_key(instance_dir),
        "SQLALCHEMY_DATABASE_URI": database_url,
        "MEDIA_DIR": os.environ.get("MEDIA_DIR") or str(instance_dir / "media"),
        "REDIS_URL": redis_url,
        "QUEUE_PATH": os.environ.get("QUEUE_PATH") or str(instance_dir / "queue.db"),
        "QUEUE_NAME": os.environ.get("QUEUE_NAME") or "narrative_service",
        "RATELIMIT_STORAGE_URI": os.environ.get("RATELIMIT_STORAGE_URI")
        or (redis_url if redis_url else "memory://"),
        "HOST": os.environ.get("HOST", "127.0.0.1"),
        "PORT": int(os.environ.get("PORT", "5000")),
        "THREADS": int(os.environ.get("THREADS", "4")),
        # gunicorn with one process per core where it runs (Linux, macOS); else waitress.
        "WEB_SERVER": os.environ.get("WEB_SERVER")
        or ("gunicorn" if os.name == "posix" else "waitress"),
        "WEB_PROCESSES": int(os.environ.get("WEB_PROCESSES") or os.cpu_count() or 2),
        # Cookies are marked Secure automatically when the request arrived over HTTPS;
        # set SESSION_COOKIE_SECURE=true behind a TLS-terminating proxy to force it.
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE", False),
        "TRUST_PROXY": trust_proxy,
        "TRUSTED_PROXY_HOPS": _trusted_proxy_hops(trust_proxy),
        # A session ends this long after sign-in, or after this long without a request.
        "SESSION_LIFETIME_MINUTES": int(os.environ.get("SESSION_LIFETIME_MINUTES", "480")),
        "SESSION_IDLE_MINUTES": int(os.environ.get("SESSION_IDLE_MINUTES", "30")),
        # Roles that must use two-step verification (comma-separated, or "all" or "none").
        "MFA_REQUIRED_ROLES": os.environ.get("MFA_REQUIRED_ROLES", "admin,lead"),
        # Encrypts the authenticator secrets held in the database.
        "MFA_SECRET_KEY": os.environ.get("MFA_SECRET_KEY")
        or load_or_create_secret_key(instance_dir, "mfa_key"),
        "PAGE_SIZE": int(os.environ.get("PAGE_SIZE", "25")),
        # Local transcription (see transcription/engines.py); nothing leaves the machine.
        "WHISPER_ENGINE": os.environ.get("WHISPER_ENGINE", "faster-whisper"),
        "WHISPER_MODEL": os.environ.get("WHISPER_MODEL", ""),
        "WHISPER_LANGUAGE": os.environ.get("WHISPER_LANGUAGE", "en"),
        "WHISPER_BEAM_SIZE": os.environ.get("WHISPER_BEAM_SIZE", "3"),
        "WHISPER_COMPUTE_TYPE": os.environ.get("WHISPER_COMPUTE_TYPE", "int8"),
        "WHISPER_THREADS": os.environ.get("WHISPER_THREADS", "0"),
        "WHISPER_VAD": os.environ.get("WHISPER_VAD", "true"),
        "WHISPER_WORD_TIMESTAMPS": os.environ.get("WHISPER_WORD_TIMESTAMPS", "true"),
        "WHISPER_BATCH_SIZE": os.environ.get("WHISPER_BATCH_SIZE", "6"),
        "WHISPER_CACHE_DIR": os.environ.get("WHISPER_CACHE_DIR", ""),
        # Uploads: the largest recording accepted, in megabytes (default 2 GB).
        "MAX_UPLOAD_MB": int(os.environ.get("MAX_UPLOAD_MB", "2048")),
        # Every request that is not an upload: room for the longest narrative (1,000,000
        # characters) as a form. Before sign-in a request may send 1 MB at most.
        "MAX_FORM_MB": int(os.environ.get("MAX_FORM_MB", "8")),
        # Evidence files for a milestone (minutes, slides, a bulletin): the largest accepted.
        "EVIDENCE_MAX_MB": int(os.environ.get("EVIDENCE_MAX_MB", "25")),
        # A worker's claim on a recording lapses after this long without news.
        "TRANSCRIPTION_LEASE_SECONDS": int(os.environ.get("TRANSCRIPTION_LEASE_SECONDS", "120")),
        # Recordings are transcribed in pieces of this many seconds (resume points).
        "TRANSCRIPTION_PIECE_SECONDS": int(os.environ.get("TRANSCRIPTION_PIECE_SECONDS", "300")),
        # Recordings transcribed at once by one worker process (each holds a model's memory).
        "TRANSCRIPTIONS_PER_WORKER": int(os.environ.get("TRANSCRIPTIONS_PER_WORKER", "1")),
        # Tell an interview's voices apart when it is transcribed, for a person to confirm.
        "SEPARATE_SPEAKERS": _flag("SEPARATE_SPEAKERS", True),
        "SPACY_MODEL": os.environ.get("SPACY_MODEL", ""),
        # The leads' e-mail digest (milestones/digest.py): off unless SMTP_HOST is set.
        "SMTP_HOST": os.environ.get("SMTP_HOST", ""),
        "SMTP_PORT": int(os.environ.get("SMTP_PORT", "25")),
        "SMTP_USERNAME": os.environ.get("SMTP_USERNAME", ""),
        "SMTP_PASSWORD": os.environ.get("SMTP_PASSWORD", ""),
        "SMTP_STARTTLS": os.environ.get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes"),
        "MAIL_FROM": os.environ.get("MAIL_FROM", ""),
        # Hour (0-23, local time of the worker) the digest is sent each day.
        "DIGEST_HOUR": int(os.environ.get("DIGEST_HOUR", "7")),
        # The service's address as users reach it, for links in e-mails.
        "BASE_URL": os.environ.get("BASE_URL", ""),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }
