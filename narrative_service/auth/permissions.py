"""The permission decorators every view carries, and the loader that gives 404 or 403.

The route x role test reads ``view.allowed_roles`` from each view, so a route
without one of these decorators fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, flash, redirect, url_for
from flask_login import current_user

from ..extensions import login_manager
from . import rules
from .models import ROLES

PUBLIC = "public"
SIGNED_IN = "signed_in"

# Where a person is sent while they still have to finish setting up their account.
SETUP_PAGES = {
    rules.PASSWORD_STEP: (
        "auth.change_password",
        "Your password was given to you by an administrator: choose your own to continue.",
    ),
    rules.TWO_STEP_STEP: (
        "auth.set_up_two_step",
        "Your role needs two-step verification: set it up to continue.",
    ),
}


def requires_role(*roles: str, during_setup: bool = False) -> Callable:
    """Allow only signed-in users with one of these roles; others get 403, strangers sign in.

    Someone who must still change a temporary password or set up two-step
    verification is taken there instead, unless the view is part of that
    (``during_setup=True``).
    """
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles {unknown}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            step = rules.setup_step(current_user)
            if step and not during_setup:
                endpoint, message = SETUP_PAGES[step]
                flash(message)
                return redirect(url_for(endpoint))
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorate


def signed_in(view: Callable) -> Callable:
    """Any signed-in user, whatever their role."""
    return requires_role(*ROLES)(view)


def during_account_setup(view: Callable) -> Callable:
    """Any signed-in user, even one who has still to finish setting up their account."""
    return requires_role(*ROLES, during_setup=True)(view)


def public(view: Callable) -> Callable:
    """No sign-in needed (the sign-in page, health check, static assets)."""
    view.allowed_roles = PUBLIC
    return view
