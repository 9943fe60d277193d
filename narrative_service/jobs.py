"""The background job queue (Huey).

Embedded default: an SQLite file beside the database, so the worker needs no
server. With REDIS_URL set, the queue lives in Redis and any number of
`narrative-service worker` processes on any machine can share it.
"""

from __future__ import annotations

import os
import signal
import threading
import time

from flask import Flask
from huey import Huey
from huey.storage import PriorityRedisStorage, SqliteStorage

# Short jobs (theme suggestions, erasure, the digest: seconds each) are taken before long
# ones (a transcription: minutes), so a queue of recordings never holds them up. The worker
# runs two threads, and each process transcribes one recording at a time by default
# (TRANSCRIPTIONS_PER_WORKER): the other thread stays free for short jobs.
SHORT_JOB = 10
LONG_JOB = 0

# Starts in memory; configure_queue() points it at the real store once the
# app's configuration is known, so importing this module touches no file.
huey = Huey("narrative_service", immediate=True, storage_class=SqliteStorage, utc=True)


_app: Flask | None = None


def configure_queue(app: Flask) -> None:
    global _app
    _app = app
    # Each feature's tasks register themselves with `huey` when the feature is imported
    # (its __init__ imports its tasks module), so this module knows no feature.
    if app.config.get("QUEUE_IMMEDIATE"):
        huey.immediate = True
        return
    if app.config.get("REDIS_URL"):
        huey.storage_class = PriorityRedisStorage  # the same Redis list, taken by priority
        huey.storage_kwargs = {"url": app.config["REDIS_URL"]}
    else:
        huey.storage_class = SqliteStorage
        huey.storage_kwargs = {"filename": app.config["QUEUE_PATH"], "fsync": True}
    # Several services may share one Redis: each keeps its queue under its own name.
    huey.name = app.config.get("QUEUE_NAME") or "narrative_service"
    huey._immediate = False
    huey.storage = huey.create_storage()


def app_context():
    """The app's context for a job: jobs run on the worker's own threads."""
    if _app is None:
        raise RuntimeError("configure_queue(app) has not been called")
    return _app.app_context()


def queue_description(app: Flask) -> str:
    if app.config.get("QUEUE_IMMEDIATE"):
        return "in-process (jobs run at once; tests only)"
    if app.config.get("REDIS_URL"):
        return "Redis"
    return f"SQLite file {app.config['QUEUE_PATH']}"


def stop_when_parent_exits(parent_pid: int, interval: float = 1.0) -> None:
    """A worker started by `serve` stops when `serve` does, even after kill -9.

    SIGINT asks Huey's consumer for a graceful stop: the running job may finish.
    """

    def watch() -> None:
        while os.getppid() == parent_pid:
            time.sleep(interval)
        os.kill(os.getpid(), signal.SIGINT)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
