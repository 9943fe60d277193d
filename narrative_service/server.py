"""Run the web app under a production WSGI server, with a background worker beside it.

gunicorn (several processes, so every core serves pages) on Linux and macOS;
waitress (one process, many threads) on Windows or when WEB_SERVER=waitress.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask

from .extensions import db


@dataclass
class ServeOptions:
    host: str
    port: int
    processes: int
    threads: int
    trust_proxy: bool
    server: str  # "gunicorn" | "waitress"


def start_worker() -> subprocess.Popen:
    """A `narrative-service worker` that stops by itself if this process dies."""
    return subprocess.Popen(  # noqa: S603 (our own interpreter and module)
        [sys.executable, "-m", "narrative_service", "worker", "--parent-pid", str(os.getpid())],
        env=os.environ.copy(),
    )


def stop_worker(worker: subprocess.Popen | None) -> None:
    if worker is None:
        return
    worker.send_signal(signal.SIGINT)  # graceful: a running job may finish
    try:
        worker.wait(timeout=30)
    except subprocess.TimeoutExpired:
        worker.kill()


def run(app: Flask, options: ServeOptions, announce: Callable[[str], None]) -> None:
    # Close pooled connections before forking: a database connection must
    # never be shared between processes.
    db.engine.dispose()
    if options.server == "gunicorn":
        _run_gunicorn(app, options, announce)
    else:
        _run_waitress(app, options, announce)


def _run_waitress(app: Flask, options: ServeOptions, announce) -> None:
    from waitress import create_server

    server = create_server(
        app,
        host=options.host,
        port=options.port,
        threads=options.threads,
        trusted_proxy="*" if options.trust_proxy else None,
        trusted_proxy_headers={"x-forwarded-proto", "x-forwarded-for"}
        if options.trust_proxy
        else set(),
        ident="narrative_service",
    )
    signal.signal(signal.SIGTERM, lambda signum, frame: server.close())
    announce(f"http://{server.effective_host}:{server.effective_port}")
    with contextlib.suppress(KeyboardInterrupt):  # Ctrl+C is how people stop it
        server.run()


def _run_gunicorn(app: Flask, options: ServeOptions, announce) -> None:
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            settings = {
                "bind": f"{options.host}:{options.port}",
                "workers": options.processes,
                "threads": options.threads,
                "worker_class": "gthread",
                "timeout": 300,  # long uploads of recordings
                "graceful_timeout": 30,
                "accesslog": None,  # our own access log leaves out query strings
                "forwarded_allow_ips": "*" if options.trust_proxy else "",
                "when_ready": lambda arbiter: announce(_address(arbiter)),
                "post_fork": lambda arbiter, worker: db.engine.dispose(close=False),
                "proc_name": "narrative_service",
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return app

    Server().run()


def _address(arbiter) -> str:
    host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
    return f"http://{host}:{port}"
