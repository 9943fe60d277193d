"""Throttling failed sign-ins without revealing which accounts exist or locking anyone out."""

from __future__ import annotations

import os
import re
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from narrative_service import create_app
from narrative_service.auth import throttle
from narrative_service.auth.models import SignInThrottle
from narrative_service.extensions import db
from narrative_service.timeutil import utcnow
from tests.conftest import base_config, sign_in_with_password
from tests.factories import TEST_PASSWORD

ATTACKER = {"environ_base": {"REMOTE_ADDR": "203.0.113.9"}}
OWNER = {"environ_base": {"REMOTE_ADDR": "198.51.100.7"}}


def attempt(client, email, password, where):
    return client.post("/sign-in", data={"email": email, "password": password}, **where)


def error_message(response) -> str:
    found = re.search(r'<a href="#email"\s*>\s*([^<]+?)\s*</a>', response.text)
    return found.group(1)


@pytest.fixture
def still_clock(monkeypatch):
    """Sign-in's clock stands still, so a wait cannot run out however slow the machine."""
    from narrative_service.auth import rules

    still = utcnow()
    monkeypatch.setattr(rules, "utcnow", lambda: still)


def test_the_owner_signs_in_from_their_address_while_the_attackers_is_throttled(
    app, users, still_clock
):
    email = users["advocate"].email
    attacker = app.test_client()
    for _ in range(6):
        attempt(attacker, email, "not the password", ATTACKER)
    refused = attempt(attacker, email, TEST_PASSWORD, ATTACKER)  # even the right password
    assert refused.status_code == 401
    assert "too many failed attempts" in refused.text
    owner = app.test_client()
    response = attempt(owner, email, TEST_PASSWORD, OWNER)
    assert response.status_code == 302
    assert owner.get("/start", **OWNER).status_code == 200


def test_known_and_unknown_accounts_get_the_same_messages(app, users, still_clock):
    known, unknown = users["advocate"].email, "no.such.person@example.nhs.uk"
    messages = {}
    for email in (known, unknown):
        client = app.test_client()
        messages[email] = [
            error_message(attempt(client, email, "not the password", ATTACKER)) for _ in range(5)
        ]
    assert messages[known] == messages[unknown]
    assert messages[known][0] == "Enter a correct email address and password"
    assert "too many failed attempts" in messages[known][-1]


def test_many_accounts_tried_from_one_address_slow_that_address_only(app):
    now = utcnow()
    policy = throttle.PASSWORDS_FROM_ADDRESS
    for number in range(policy.free_failures):
        throttle.record_failure(
            throttle.password_keys(f"guess{number}@example.nhs.uk", "203.0.113.9"), now
        )
    db.session.commit()
    fresh = "someone.new@example.nhs.uk"
    assert throttle.wait_seconds(throttle.password_keys(fresh, "203.0.113.9"), now) > 0
    assert throttle.wait_seconds(throttle.password_keys(fresh, "198.51.100.7"), now) == 0
    later = now + timedelta(seconds=policy.seconds + 1)
    assert throttle.wait_seconds(throttle.password_keys(fresh, "203.0.113.9"), later) == 0


def test_a_successful_sign_in_clears_that_addresss_count(app, users):
    email = users["advocate"].email
    client = app.test_client()
    for _ in range(2):
        attempt(client, email, "not the password", OWNER)
    assert attempt(client, email, TEST_PASSWORD, OWNER).status_code == 302
    client.post("/sign-out", **OWNER)
    for _ in range(2):
        attempt(client, email, "not the password", OWNER)
    # Two more mistakes after the success: still within the free ones.
    assert attempt(client, email, TEST_PASSWORD, OWNER).status_code == 302


def test_neither_email_addresses_nor_client_addresses_are_stored(app, users):
    attempt(app.test_client(), users["advocate"].email, "wrong", ATTACKER)
    keys = db.session.scalars(select(SignInThrottle.key)).all()
    assert len(keys) == 2
    assert not any(users["advocate"].email in key or "203.0.113.9" in key for key in keys)


def test_failures_counted_at_once_are_all_counted_on_postgresql(pg_app):
    now = utcnow()
    keys = throttle.password_keys("someone@example.nhs.uk", "203.0.113.9")
    for _ in range(3):
        throttle.record_failure(keys, now)
    db.session.commit()
    assert db.session.scalar(select(func.max(SignInThrottle.failures))) == 3
    assert throttle.wait_seconds(keys, now) == 2


def redis_url() -> str:
    url = os.environ.get("TEST_REDIS_URL") or os.environ.get("REDIS_URL")
    if not url:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but no Redis: set TEST_REDIS_URL or REDIS_URL")
        pytest.skip("No Redis server: set TEST_REDIS_URL to run this test")
    return url


@pytest.fixture
def redis_app(tmp_path, migrated_sqlite):
    import shutil

    path = tmp_path / "redis.db"
    shutil.copyfile(migrated_sqlite, path)
    config = {
        **base_config(tmp_path, f"sqlite:///{path}"),
        "REDIS_URL": redis_url(),
        "QUEUE_NAME": f"test-{uuid.uuid4().hex[:8]}",  # this test's keys only
    }
    app = create_app(config)
    with app.app_context():
        yield app
        import redis

        client = redis.Redis.from_url(config["REDIS_URL"])
        for found in client.scan_iter(f"{config['QUEUE_NAME']}:*"):
            client.delete(found)
        db.session.remove()
        db.engine.dispose()


def test_with_redis_failures_are_counted_there_for_every_web_process(redis_app):
    from tests.factories import make_user

    user = make_user("advocate")
    client = redis_app.test_client()
    for _ in range(4):
        attempt(client, user.email, "not the password", ATTACKER)
    refused = attempt(client, user.email, TEST_PASSWORD, ATTACKER)
    assert "too many failed attempts" in refused.text
    assert db.session.scalar(select(func.count()).select_from(SignInThrottle)) == 0
    import redis

    stored = list(
        redis.Redis.from_url(redis_app.config["REDIS_URL"]).scan_iter(
            f"{redis_app.config['QUEUE_NAME']}:sign-in:*"
        )
    )
    assert len(stored) == 2
    assert attempt(redis_app.test_client(), user.email, TEST_PASSWORD, OWNER).status_code == 302


def test_sign_in_with_two_step_is_throttled_the_same_way(app):
    from tests.factories import make_user

    lead = make_user("lead")
    for _ in range(4):
        attempt(app.test_client(), lead.email, "not the password", ATTACKER)
    assert sign_in_with_password(app.test_client(), lead.email, **OWNER).status_code == 302
