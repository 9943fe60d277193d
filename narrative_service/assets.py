"""NHS.UK front-end assets, served from the npm package installed beside the code."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, request, send_from_directory

from .auth.permissions import public

bp = Blueprint("assets", __name__)

STYLESHEET = "nhsuk-frontend.min.css"
# nhsuk-frontend's compiled CSS fetches its Frutiger web fonts from assets.nhs.uk, which the
# Content-Security-Policy refuses (pages load nothing from elsewhere), so every page logged
# blocked requests. Without these rules the design system's own fallback, Arial, is used.
FONT_FACE = re.compile(r"@font-face\s*\{[^}]*\}")


@bp.route("/assets/<path:filename>")
@public
def nhsuk(filename: str):
    directory = current_app.config["NHSUK_ASSETS_DIR"]
    if filename.endswith(".map"):
        abort(404)
    if filename == STYLESHEET:
        return _stylesheet(Path(directory) / STYLESHEET)
    response = send_from_directory(directory, filename, max_age=3600)
    return response


def _stylesheet(path: Path) -> Response:
    if not path.is_file():
        abort(404)
    found = path.stat()
    response = Response(
        stylesheet_without_web_fonts(str(path), found.st_mtime_ns, found.st_size),
        mimetype="text/css",
    )
    response.cache_control.public = True
    response.cache_control.max_age = 3600
    response.add_etag()
    return response.make_conditional(request)


@lru_cache(maxsize=2)
def stylesheet_without_web_fonts(path: str, modified_ns: int, size: int) -> str:
    """The package's stylesheet with its @font-face rules taken out (read once per version)."""
    return FONT_FACE.sub("", Path(path).read_text(encoding="utf-8"))
