"""Template helpers: WTForms fields rendered through the NHS.UK design-system macros."""

from __future__ import annotations

import secrets
from datetime import date, datetime
from typing import Any

from flask import Flask, current_app, render_template, request, url_for
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from markupsafe import Markup, escape
from wtforms import Field

from .auth.models import ROLES
from .units import clock


def field_params(field: Field, **extra: Any) -> dict[str, Any]:
    """The params dict the nhsuk macro for this field expects, with its error if any."""
    params: dict[str, Any] = {"id": field.id, "name": field.name}
    label = {"text": str(field.label.text)}
    if extra.pop("label_size", None) == "m":
        label["size"] = "m"
    if field.description:
        params["hint"] = {"text": field.description}
    if field.errors:
        params["errorMessage"] = {"text": field.errors[0]}
    kind = type(field).__name__
    if field.render_kw and "rows" in field.render_kw:
        params["rows"] = field.render_kw["rows"]
    if kind in {"RadioField", "YesNoField", "MultiCheckboxField"}:
        selected = _selected(field)
        params["idPrefix"] = field.id
        params["fieldset"] = {"legend": {"text": label["text"], "size": label.get("size", "s")}}
        params["items"] = [
            {"value": value, "text": text, "checked": value in selected}
            for value, text in _choices(field)
        ]
        del params["id"]
    elif kind == "SelectField":
        params["label"] = label
        params["items"] = [
            {"value": value, "text": text, "selected": value == (field.data or "")}
            for value, text in _choices(field)
        ]
    else:
        params["label"] = label
        value = field._value() if hasattr(field, "_value") else field.data
        params["value"] = value
    params.update(extra)
    return params


def _choices(field: Field) -> list[tuple[str, str]]:
    return [(str(value), str(text)) for value, text, *_ in field.iter_choices()]


def _selected(field: Field) -> set[str]:
    if isinstance(field.data, list | tuple | set):
        return {str(value) for value in field.data}
    raw = field.raw_data[0] if field.raw_data else field.data
    if raw is True:
        return {"yes"}
    if raw is False:
        return {"no"}
    return {str(raw)} if raw not in (None, "") else set()


def error_list(form) -> list[dict[str, str]]:
    """One entry per invalid field, linking to it, for the error-summary component."""
    items = []
    for field in form:
        if field.errors and field.type != "CSRFTokenField":
            items.append({"text": field.errors[0], "href": f"#{field.id}"})
    return items


def uk_date(value: date | datetime | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%-d %B %Y at %H:%M")
    return value.strftime("%-d %B %Y")


def paragraphs(text: str) -> Markup:
    """Plain text to escaped <p> paragraphs: whatever a field holds is shown, never run."""
    blocks = [block.strip() for block in (text or "").replace("\r\n", "\n").split("\n\n")]
    return Markup("\n").join(
        Markup("<p>")
        + Markup("<br>").join(escape(line) for line in block.split("\n"))
        + Markup("</p>")
        for block in blocks
        if block
    )


CSRF_PLACEHOLDER = "__csrf_token_placeholder__"
MAX_CACHED_CHROME = 2048


def _section() -> str:
    endpoint = request.endpoint or ""
    if request.blueprint in ("narratives", "audit", "reflection", "milestones"):
        return request.blueprint
    if request.blueprint in ("analysis", "themes"):
        return "themes"  # the analysis and the codebook
    if request.blueprint in ("conversation", "recordings"):
        return "narratives"
    return "users" if endpoint.startswith("auth.") and "user" in endpoint else ""


def _cached_chrome(template: str, **values: str) -> str:
    """Header and footer render the same for the same person and section: render once.

    The NHS.UK header macro is the costliest part of every page, so each
    process keeps what it rendered, keyed by everything the header shows.
    """
    cache = current_app.extensions.setdefault("page_chrome", {})
    key = (template, *sorted(values.items()))
    html = cache.get(key)
    if html is None:
        if len(cache) >= MAX_CACHED_CHROME:
            cache.clear()
        html = render_template(template, csrf_placeholder=CSRF_PLACEHOLDER, **values)
        cache[key] = html
    return html


def page_header() -> Markup:
    if current_user.is_authenticated:
        values = {
            "name": current_user.name,
            "role": current_user.role,
            "role_name": current_user.role_name,
        }
    else:
        values = {"name": "", "role": "", "role_name": ""}
    html = _cached_chrome("partials/header.html", section=_section(), **values)
    # The sign-out form's token belongs to this session, so it is never cached.
    token = str(escape(generate_csrf())) if current_user.is_authenticated else ""
    return Markup(html.replace(CSRF_PLACEHOLDER, token))  # noqa: S704 (rendered by Jinja)


def page_footer() -> Markup:
    return Markup(_cached_chrome("partials/footer.html"))  # noqa: S704 (rendered by Jinja)


def new_token() -> str:
    """A fresh token for a form that must be saved once however often it is sent."""
    return secrets.token_urlsafe(16)


def upload_url(endpoint: str, **values) -> str:
    """The address an upload form posts to, with its CSRF token: the token is checked before
    the body is read, so a file is never written to disk for a forged request."""
    return url_for(endpoint, csrf_token=generate_csrf(), **values)


def register_template_helpers(app: Flask) -> None:
    app.jinja_env.globals.update(
        field_params=field_params,
        error_list=error_list,
        ROLES=ROLES,
        page_header=page_header,
        page_footer=page_footer,
        new_token=new_token,
        upload_url=upload_url,
    )
    app.jinja_env.filters.update(uk_date=uk_date, paragraphs=paragraphs, clock=clock)
