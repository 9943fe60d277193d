"""NHS.UK front-end assets, served from the npm package installed beside the code."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, send_from_directory

from .auth.permissions import public

bp = Blueprint("assets", __name__)


@bp.route("/assets/<path:filename>")
@public
def nhsuk(filename: str):
    directory = current_app.config["NHSUK_ASSETS_DIR"]
    if filename.endswith(".map"):
        abort(404)
    response = send_from_directory(directory, filename, max_age=3600)
    return response
