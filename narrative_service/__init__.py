"""narrative_service: hear people in their own words, reflect, and evidence the change.

create_app(config=None) builds the Flask app: configuration from the
environment, extensions, blueprints, error pages and the CLI.
"""

from __future__ import annotations

import logging
import os
from datetime import timedelta
from pathlib import Path

from flask import Flask
from jinja2 import ChainableUndefined, ChoiceLoader, FileSystemLoader, PackageLoader

from . import config as settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def create_app(config: dict | None = None) -> Flask:
    # Before anything is written: the database, its -wal and -shm files, the queue and
    # every upload come out readable by this user only, whichever library creates them.
    os.umask(settings.PRIVATE_UMASK)
    app = Flask(
        __name__,
        instance_path=settings.default_instance_dir().as_posix(),
        instance_relative_config=False,
    )
    app.config.update(settings.from_environment())
    if config:
        app.config.update(config)
    _apply_fixed_settings(app)
    from .auth.mfa import required_roles

    required_roles(app.config["MFA_REQUIRED_ROLES"])  # a misspelt role stops the start, named
    Path(app.config["MEDIA_DIR"]).mkdir(mode=settings.PRIVATE_FOLDER, parents=True, exist_ok=True)
    _configure_logging(app)
    _configure_templates(app)
    from .request_checks import limit_request_body, refuse_nul_characters

    # Before the CSRF check that _init_extensions registers: it reads the body.
    app.before_request(limit_request_body)
    _init_extensions(app)
    app.before_request(refuse_nul_characters)
    _init_features()
    _register_blueprints(app)

    from .transcription.storage import MediaRequest
    from .web import (
        HttpsAwareSessionInterface,
        log_request,
        register_error_pages,
        set_security_headers,
        start_timer,
    )

    app.request_class = MediaRequest  # uploads stream into the media folder
    app.session_interface = HttpsAwareSessionInterface()
    app.before_request(start_timer)
    app.after_request(set_security_headers)
    app.after_request(log_request)
    register_error_pages(app)

    from .cli import register_commands

    register_commands(app)
    return app


def _apply_fixed_settings(app: Flask) -> None:
    app.config.setdefault(
        "NHSUK_ASSETS_DIR", str(PROJECT_ROOT / "node_modules/nhsuk-frontend/dist/nhsuk")
    )
    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="narrative_session",
        PERMANENT_SESSION_LIFETIME=timedelta(
            minutes=app.config.get("SESSION_LIFETIME_MINUTES", 480)
        ),
        SQLALCHEMY_TRACK_MODIFICATIONS=False,
        WTF_CSRF_TIME_LIMIT=None if app.config.get("TESTING") else 8 * 3600,
        # A 50,000-word narrative is about 300 kB; leave room for every other field.
        MAX_FORM_MEMORY_SIZE=8 * 1024 * 1024,
        # Each request's own body limit is set by request_checks.limit_request_body; this is
        # the ceiling for anything that runs before it: the largest recording and its form.
        MAX_CONTENT_LENGTH=app.config.get("MAX_CONTENT_LENGTH")
        or app.config.get("MAX_UPLOAD_MB", 2048) * 1024 * 1024 + 256 * 1024,
        RATELIMIT_HEADERS_ENABLED=True,
    )
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"connect_args": {"timeout": 30}})
    else:
        app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": True})
    # A statement's parameters are record content: never in a log line or an error message.
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **app.config["SQLALCHEMY_ENGINE_OPTIONS"],
        "hide_parameters": True,
    }


def _configure_logging(app: Flask) -> None:
    # Log events and ids only: request bodies and record content never reach a log.
    logging.basicConfig(
        level=app.config.get("LOG_LEVEL", "INFO"),
        format="%(asctime)s %(levelname)s %(name)s %(message)s",
    )
    if app.config.get("LOG_LEVEL", "INFO") != "DEBUG":
        # Libraries that narrate every step at INFO: keep their warnings only.
        for name in ("alembic", "presidio-analyzer", "presidio-anonymizer", "faster_whisper"):
            logging.getLogger(name).setLevel(logging.WARNING)


def _configure_templates(app: Flask) -> None:
    app.jinja_options = {
        "undefined": ChainableUndefined,
        "loader": ChoiceLoader(
            [
                FileSystemLoader(PROJECT_ROOT / "templates"),
                PackageLoader("nhsuk_frontend_jinja"),
            ]
        ),
        "autoescape": True,
    }
    from .templating import register_template_helpers

    register_template_helpers(app)


def _init_extensions(app: Flask) -> None:
    from . import models  # noqa: F401  (every table registered before Alembic looks)
    from .auth.loader import configure_login
    from .extensions import csrf, db, limiter, login_manager, migrate
    from .jobs import configure_queue

    db.init_app(app)
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        from .database import enable_sqlite_pragmas

        with app.app_context():
            enable_sqlite_pragmas(db.engine)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    configure_login(login_manager)
    configure_queue(app)


def _init_features() -> None:
    """Each feature registers what it holds about a narrative and how it erases it."""
    from . import audit, milestones, narratives, reflection, themes, transcription

    for feature in (audit, narratives, transcription, themes, reflection, milestones):
        feature.init_app()


def _register_blueprints(app: Flask) -> None:
    from .assets import bp as assets_bp
    from .audit.views import bp as audit_bp
    from .auth.views import bp as auth_bp
    from .home import bp as home_bp
    from .milestones.pack_views import bp as evidence_pack_bp
    from .milestones.views import bp as milestones_bp
    from .narratives.conversation_views import bp as conversation_bp
    from .narratives.theme_views import bp as narrative_themes_bp
    from .narratives.views import bp as narratives_bp
    from .reflection.theme_views import bp as reflection_themes_bp
    from .reflection.views import bp as reflection_bp
    from .themes.analysis_views import bp as analysis_bp
    from .themes.views import bp as themes_bp
    from .transcription.studio_views import bp as studio_bp
    from .transcription.views import bp as recordings_bp
    from .transcription.vocabulary_views import bp as vocabulary_bp

    for blueprint in (
        assets_bp,
        home_bp,
        auth_bp,
        narratives_bp,
        conversation_bp,
        narrative_themes_bp,
        recordings_bp,
        studio_bp,
        vocabulary_bp,
        reflection_bp,
        reflection_themes_bp,
        themes_bp,
        analysis_bp,
        milestones_bp,
        evidence_pack_bp,
        audit_bp,
    ):
        app.register_blueprint(blueprint)
