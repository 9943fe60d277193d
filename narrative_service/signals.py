"""Signals: how one feature tells the others that something happened, without importing them.

A feature sends; the features that care connect a receiver when the app is created (each
feature's ``init_app``), so a lower feature never needs to know who listens.
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

narrative_withdrawn = _signals.signal(
    "narrative-withdrawn",
    doc="""Consent for a narrative was withdrawn. Sent with the narrative, inside the
    transaction that records the withdrawal, and with dry_run (True to count only); each
    receiver erases its own copies of the person's words and returns {what: how many} for
    the page and the audit log. Receivers register through erasure.register().""",
)
