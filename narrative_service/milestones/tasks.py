"""The leads' daily e-mail digest as a background job (only when SMTP_HOST is set)."""

from __future__ import annotations

import logging
from datetime import datetime

from flask import current_app
from huey import crontab

from ..errors import DomainError
from ..jobs import SHORT_JOB, app_context, huey
from . import digest

log = logging.getLogger(__name__)


@huey.periodic_task(crontab(minute="0"), priority=SHORT_JOB)
def send_daily_digest() -> int:
    """Checked hourly; sends once, at DIGEST_HOUR, when SMTP is configured."""
    with app_context():
        if not digest.is_configured():
            return 0
        if datetime.now().hour != int(current_app.config.get("DIGEST_HOUR", 7)):
            return 0
        try:
            return digest.send(digest.compose())
        except DomainError as failure:
            log.warning("%s", failure.message)
            return 0
