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
from werkzeug.middleware.proxy_fix import ProxyFix

from .extensions import db


@dataclass
class ServeOptions:
    host: str
    port: int
    processes: int
    threads: int
    proxy_hops: int  # proxies in front whose X-Forwarded-* entries are believed (0: none)
    server: str  # "gunicorn" | "waitress"


def wsgi_app(app: Flask, proxy_hops: int):
    """The application as both servers run it.

    Behind proxies, werkzeug's ProxyFix takes the client's address, the scheme and
    the host from the last ``proxy_hops`` entries of X-Forwarded-For, -Proto and
    -Host (each proxy appends one), and ignores anything further left, which the
    client may have written itself. Neither server is asked to read these headers
    itself, so the rule is the same under gunicorn and waitress.
    """
    if proxy_hops <= 0:
        return app
    return ProxyFix(app, x_for=proxy_hops, x_proto=proxy_hops, x_host=proxy_hops)


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
        wsgi_app(app, options.proxy_hops),
        host=options.host,
        port=options.port,
        threads=options.threads,
        # waitress itself trusts no proxy; it passes the X-Forwarded-* headers on to
        # ProxyFix when proxies are trusted, and removes them when none are.
        trusted_proxy=None,
        clear_untrusted_proxy_headers=options.proxy_hops <= 0,
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
                # gunicorn reads no forwarded header itself: ProxyFix does (wsgi_app).
                "forwarded_allow_ips": "",
                "when_ready": lambda arbiter: announce(_address(arbiter)),
                "post_fork": lambda arbiter, worker: db.engine.dispose(close=False),
                "proc_name": "narrative_service",
            }
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self):
            return wsgi_app(app, options.proxy_hops)

    Server().run()


def _address(arbiter) -> str:
    host, port = arbiter.LISTENERS[0].sock.getsockname()[:2]
    return f"http://{host}:{port}"
