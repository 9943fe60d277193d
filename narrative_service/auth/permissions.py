"""The permission decorators every view carries, and the loader that gives 404 or 403.

The route x role test reads ``view.allowed_roles`` from each view, so a route
without one of these decorators fails the suite.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_login import current_user

from ..extensions import login_manager
from .models import ROLES

PUBLIC = "public"
SIGNED_IN = "signed_in"


def requires_role(*roles: str) -> Callable:
    """Allow only signed-in users with one of these roles; others get 403, strangers sign in."""
    unknown = set(roles) - set(ROLES)
    if unknown:
        raise ValueError(f"Unknown roles {unknown}")

    def decorate(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        wrapper.allowed_roles = frozenset(roles)
        return wrapper

    return decorate


def signed_in(view: Callable) -> Callable:
    """Any signed-in user, whatever their role."""
    return requires_role(*ROLES)(view)


def public(view: Callable) -> Callable:
    """No sign-in needed (the sign-in page, health check, static assets)."""
    view.allowed_roles = PUBLIC
    return view
