"""Failed sign-in attempts, counted so that guessing is slow and the owner is never locked out.

Failures are counted per (email address typed, client address) and per client
address, never per account alone: someone else's wrong guesses slow down
their own address, not the owner signing in from theirs. Keys are counted the
same whether the account exists or not, so the throttle says nothing about
which addresses have accounts.

Two kinds of limit:
- a backoff, for one account from one address: the first few mistakes are free,
  then each failure doubles the wait (2, 4, 8 … seconds, up to 15 minutes); a
  successful sign-in clears it;
- a window, for one address (or, for codes, one account) across everything: so
  many failures within the window, then a wait until it has passed.

Counted in Redis when REDIS_URL is set (shared by every web process on every
machine), otherwise in the database. Keys are stored as keyed hashes, so neither
email addresses nor client addresses are kept.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache

from flask import current_app
from sqlalchemy import case, delete, literal, select

from ..extensions import db
from ..timeutil import as_utc
from .models import SignInThrottle


@dataclass(frozen=True)
class Policy:
    name: str
    free_failures: int
    kind: str  # "backoff" or "window"
    seconds: int  # the longest wait (backoff) or the window's length (window)
    forget_after: int  # a count untouched for this long starts again from nothing

    def wait(self, failures: int, first: datetime, last: datetime, now: datetime) -> int:
        """Whole seconds to wait before the next attempt, given the failures counted."""
        if self.kind == "backoff":
            if failures < self.free_failures or (now - last).total_seconds() > self.forget_after:
                return 0
            delay = min(2 ** (failures - self.free_failures + 1), self.seconds)
            remaining = delay - (now - last).total_seconds()
        else:
            if failures < self.free_failures or (now - first).total_seconds() > self.seconds:
                return 0
            remaining = self.seconds - (now - first).total_seconds()
        return max(0, int(remaining + 0.999))


FIFTEEN_MINUTES = 15 * 60
DAY = 24 * 3600
PASSWORD_FROM_ADDRESS = Policy("password:account+address", 3, "backoff", FIFTEEN_MINUTES, DAY)
PASSWORDS_FROM_ADDRESS = Policy("password:address", 30, "window", FIFTEEN_MINUTES, FIFTEEN_MINUTES)
CODE_FROM_ADDRESS = Policy("code:account+address", 3, "backoff", FIFTEEN_MINUTES, DAY)
CODES_FROM_ADDRESS = Policy("code:address", 30, "window", FIFTEEN_MINUTES, FIFTEEN_MINUTES)
# Someone who has the password and tries codes from many addresses at once.
CODES_FOR_ACCOUNT = Policy("code:account", 10, "window", FIFTEEN_MINUTES, FIFTEEN_MINUTES)


@dataclass(frozen=True)
class Key:
    policy: Policy
    digest: str


def key(policy: Policy, *parts: str) -> Key:
    secret = current_app.config["SECRET_KEY"].encode()
    message = "\x1f".join((policy.name, *parts)).encode()
    return Key(policy, hmac.new(secret, message, hashlib.sha256).hexdigest())


def password_keys(email: str, address: str) -> list[Key]:
    return [
        key(PASSWORD_FROM_ADDRESS, email, address),
        key(PASSWORDS_FROM_ADDRESS, address),
    ]


def code_keys(user_id: int, address: str) -> list[Key]:
    return [
        key(CODE_FROM_ADDRESS, str(user_id), address),
        key(CODES_FROM_ADDRESS, address),
        key(CODES_FOR_ACCOUNT, str(user_id)),
    ]


def wait_seconds(keys: list[Key], now: datetime) -> int:
    """The longest wait any of these keys asks for (0: the attempt may be considered)."""
    store = _store()
    waits = [0]
    for item in keys:
        counted = store.get(item.digest)
        if counted is not None:
            waits.append(item.policy.wait(*counted, now))
    return max(waits)


def record_failure(keys: list[Key], now: datetime) -> None:
    store = _store()
    for item in keys:
        store.add_failure(item, now)


def clear(item: Key) -> None:
    _store().clear(item.digest)


def _store():
    url = current_app.config.get("REDIS_URL")
    if url:
        prefix = f"{current_app.config.get('QUEUE_NAME') or 'narrative_service'}:sign-in:"
        return _redis_store(url, prefix)
    return DatabaseStore()


class DatabaseStore:
    """Counts in the sign_in_throttles table, in the caller's transaction (the caller commits)."""

    def get(self, digest: str) -> tuple[int, datetime, datetime] | None:
        row = db.session.execute(
            select(
                SignInThrottle.failures,
                SignInThrottle.first_failure_at,
                SignInThrottle.last_failure_at,
            ).where(SignInThrottle.key == digest)
        ).first()
        if row is None:
            return None
        return row.failures, as_utc(row.first_failure_at), as_utc(row.last_failure_at)

    def add_failure(self, item: Key, now: datetime) -> None:
        # One statement, so two failures at once are both counted.
        reference = (
            SignInThrottle.last_failure_at
            if item.policy.kind == "backoff"
            else SignInThrottle.first_failure_at
        )
        limit = item.policy.forget_after if item.policy.kind == "backoff" else item.policy.seconds
        is_stale = reference < now - timedelta(seconds=limit)
        moment = literal(now, SignInThrottle.first_failure_at.type)
        insert = _insert_for_dialect()
        statement = insert(SignInThrottle).values(
            key=item.digest, failures=1, first_failure_at=now, last_failure_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=[SignInThrottle.key],
            set_={
                "failures": case((is_stale, 1), else_=SignInThrottle.failures + 1),
                "first_failure_at": case((is_stale, moment), else_=SignInThrottle.first_failure_at),
                "last_failure_at": moment,
            },
        )
        db.session.execute(statement)

    def clear(self, digest: str) -> None:
        db.session.execute(delete(SignInThrottle).where(SignInThrottle.key == digest))


def _insert_for_dialect():
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    return insert


# Atomically: start the count again if it is stale, else add one; keep it for `ttl` seconds.
_ADD_FAILURE = """
local reference = redis.call('HGET', KEYS[1], ARGV[3])
if (not reference) or tonumber(reference) < tonumber(ARGV[2]) then
  redis.call('HSET', KEYS[1], 'failures', 1, 'first', ARGV[1], 'last', ARGV[1])
else
  redis.call('HINCRBY', KEYS[1], 'failures', 1)
  redis.call('HSET', KEYS[1], 'last', ARGV[1])
end
redis.call('EXPIRE', KEYS[1], ARGV[4])
return 1
"""


class RedisStore:
    """Counts in Redis hashes that expire by themselves."""

    def __init__(self, url: str, prefix: str):
        import redis

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.add_script = self.client.register_script(_ADD_FAILURE)

    def get(self, digest: str) -> tuple[int, datetime, datetime] | None:
        failures, first, last = self.client.hmget(self.prefix + digest, "failures", "first", "last")
        if failures is None or first is None or last is None:
            return None
        return (
            int(failures),
            datetime.fromtimestamp(float(first), UTC),
            datetime.fromtimestamp(float(last), UTC),
        )

    def add_failure(self, item: Key, now: datetime) -> None:
        policy = item.policy
        limit = policy.forget_after if policy.kind == "backoff" else policy.seconds
        reference = "last" if policy.kind == "backoff" else "first"
        self.add_script(
            keys=[self.prefix + item.digest],
            args=[now.timestamp(), now.timestamp() - limit, reference, max(limit, policy.seconds)],
        )

    def clear(self, digest: str) -> None:
        self.client.delete(self.prefix + digest)


@cache
def _redis_store(url: str, prefix: str) -> RedisStore:
    return RedisStore(url, prefix)
