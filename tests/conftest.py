"""Fixtures: an app on a fresh, migrated database per test, users by role, signed-in clients."""

from __future__ import annotations

import contextvars
import os
import shutil
import uuid
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from narrative_service import create_app
from narrative_service.extensions import db

ROLES = ("admin", "lead", "facilitator", "advocate", "board")

# The real service on a free port (service_env, start_service): tests/service.py.
pytest_plugins = ["tests.service"]


class TemplatesCompiledOnce(BytecodeCache):
    """The suite makes a new app for almost every test, and each app's Jinja environment would
    compile every template it renders again: two thirds of a page test's time. This cache,
    shared by every app in the test process, keeps each template's compiled code by its name
    and the checksum of its source, so a changed template is compiled again."""

    def __init__(self):
        self._compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self._compiled.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self._compiled[bucket.key] = bucket.bytecode_to_string()


_TEMPLATES = TemplatesCompiledOnce()
_create_jinja_environment = Flask.create_jinja_environment


def _jinja_environment_sharing_compiled_templates(self):
    environment = _create_jinja_environment(self)
    environment.bytecode_cache = _TEMPLATES
    return environment


Flask.create_jinja_environment = _jinja_environment_sharing_compiled_templates


class RequestInItsOwnContextClient(FlaskClient):
    """Each request runs in its own app context, as in production.

    The test holds an app context for factories; without this, requests would
    share it (and its session and Flask-Login's cached user) and hide bugs.
    The test's session is committed before and after, so each side sees the
    other's writes. The body is read inside the request's context, as a server reads a
    streamed response in the thread that handled the request.
    """

    _inside = False

    def open(self, *args, **kwargs):
        if self._inside:  # a redirect being followed: already in a fresh context
            return super().open(*args, **kwargs)
        kwargs.setdefault("buffered", True)
        db.session.commit()
        self._inside = True
        try:
            return contextvars.Context().run(super().open, *args, **kwargs)
        finally:
            self._inside = False
            db.session.commit()


def base_config(tmp_path: Path, database_url: str) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-that-is-long-enough-for-checks",
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_DIR": str(tmp_path / "instance"),
        "MEDIA_DIR": str(tmp_path / "media"),
        "QUEUE_PATH": str(tmp_path / "queue.db"),
        "QUEUE_IMMEDIATE": True,
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "LOG_LEVEL": "WARNING",
    }


def upgrade(app) -> None:
    from flask_migrate import upgrade as alembic_upgrade

    with app.app_context():
        alembic_upgrade()


@pytest.fixture(scope="session", autouse=True)
def _test_environment(tmp_path_factory):
    """Nothing in a test writes to the checkout's instance/ folder."""
    instance = tmp_path_factory.mktemp("instance")
    os.environ["INSTANCE_DIR"] = str(instance)
    os.environ.setdefault("SECRET_KEY", "test-secret-key-that-is-long-enough-for-checks")
    yield


@pytest.fixture(autouse=True)
def _umask_restored():
    """create_app tightens the process umask; each test starts from the one pytest had."""
    previous = os.umask(0o077)
    os.umask(previous)
    yield
    os.umask(previous)


@pytest.fixture(scope="session")
def migrated_sqlite(tmp_path_factory) -> Path:
    """One SQLite file migrated from empty by Alembic; each test gets a copy."""
    folder = tmp_path_factory.mktemp("template")
    path = folder / "template.db"
    app = create_app(base_config(folder, f"sqlite:///{path}"))
    upgrade(app)
    with app.app_context():
        db.engine.dispose()
    return path


@pytest.fixture
def app(tmp_path, migrated_sqlite):
    path = tmp_path / "narrative_service.db"
    shutil.copyfile(migrated_sqlite, path)
    app = create_app(base_config(tmp_path, f"sqlite:///{path}"))
    app.test_client_class = RequestInItsOwnContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def postgres_url() -> str | None:
    url = os.environ.get("TEST_POSTGRES_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgresql") else None


@pytest.fixture
def postgres_database():
    """A new, empty PostgreSQL database for one test, dropped afterwards."""
    url = postgres_url()
    if url is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no PostgreSQL: set TEST_POSTGRES_URL or DATABASE_URL")
        pytest.skip("No PostgreSQL server: set TEST_POSTGRES_URL to run this test")
    admin_url = make_url(url)
    name = f"ns_test_{uuid.uuid4().hex[:12]}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        engine.dispose()


@pytest.fixture
def pg_app(tmp_path, postgres_database):
    app = create_app(base_config(tmp_path, postgres_database))
    app.test_client_class = RequestInItsOwnContextClient
    upgrade(app)
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def users(app):
    """One user per role, keyed by role."""
    from tests.factories import make_user

    return {role: make_user(role) for role in ROLES}


@pytest.fixture
def client(app):
    return app.test_client()


def sign_in(client, user) -> None:
    """Sign this client in as the user, as the sign-in pages would: a session on the server
    and its token in the cookie (password and, where set up, code taken as given)."""
    from narrative_service.auth import sessions
    from narrative_service.auth.loader import SESSION_TOKEN

    token = sessions.start(user)
    db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = user.get_id()
        session["_fresh"] = True
        session[SESSION_TOKEN] = token


@pytest.fixture
def client_as(app, users):
    """client_as("advocate") -> a test client signed in as that role's user."""

    def make(role_or_user):
        user = users[role_or_user] if isinstance(role_or_user, str) else role_or_user
        test_client = app.test_client()
        sign_in(test_client, user)
        return test_client

    return make


def sign_in_with_password(
    client, email: str, password: str | None = None, *, steps_ahead: int = 0, **request
):
    """Sign in through the pages as a person does: the password, then (when the page asks
    for one) the code the test authenticator shows. A code is accepted only once, so a
    second sign-in within the same 30 seconds takes the next one (``steps_ahead=1``).
    Returns the last response."""
    from tests.factories import TEST_PASSWORD

    response = client.post(
        "/sign-in", data={"email": email, "password": password or TEST_PASSWORD}, **request
    )
    if response.status_code == 302 and response.headers["Location"].endswith("/sign-in/code"):
        from tests.factories import current_code

        code = current_code(steps_ahead=steps_ahead)
        response = client.post("/sign-in/code", data={"code": code}, **request)
    return response
