"""What a request may send: nothing reaches the disk before sign-in and CSRF, bodies are
capped, and NUL characters or an impossible page get a clear page, never a 500."""

from __future__ import annotations

import io
import os
import re
import shutil
import wave
from html.parser import HTMLParser
from pathlib import Path

import pytest
from flask import url_for

from narrative_service import create_app
from narrative_service.extensions import db
from tests.conftest import RequestInItsOwnContextClient, base_config, sign_in
from tests.factories import make_narrative, make_user
from tests.test_permissions import TABLE, make_objects


def a_wav(seconds: float) -> bytes:
    out = io.BytesIO()
    with wave.open(out, "wb") as writer:
        writer.setnchannels(1)
        writer.setsampwidth(2)
        writer.setframerate(16000)
        writer.writeframes(b"\x01\x00" * int(16000 * seconds))
    return out.getvalue()


class FilesCreated(list):
    """Every file this process creates through os.open (tempfile, NamedTemporaryFile, a
    spooled file rolling over to disk) while a request is served."""

    def __init__(self, monkeypatch):
        super().__init__()
        self.monkeypatch = monkeypatch

    def post(self, client, url, fields: dict):
        """Post multipart form data, encoded beforehand (the test client's own encoder
        spools large bodies to a temporary file), watching what the service creates."""
        from werkzeug.datastructures import FileStorage
        from werkzeug.test import encode_multipart

        values = {
            name: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
            for name, value in fields.items()
        }
        boundary, body = encode_multipart(values)
        real_open = os.open

        def spying_open(path, flags, *args, **kwargs):
            if flags & os.O_CREAT or flags & getattr(os, "O_TMPFILE", 0):
                self.append(os.fspath(path))
            return real_open(path, flags, *args, **kwargs)

        self.monkeypatch.setattr(os, "open", spying_open)
        try:
            return client.post(
                url, data=body, content_type=f"multipart/form-data; boundary={boundary}"
            )
        finally:
            self.monkeypatch.setattr(os, "open", real_open)


@pytest.fixture
def files_created(monkeypatch):
    return FilesCreated(monkeypatch)


@pytest.fixture
def csrf_app(tmp_path, migrated_sqlite):
    path = tmp_path / "csrf.db"
    shutil.copyfile(migrated_sqlite, path)
    app = create_app({**base_config(tmp_path, f"sqlite:///{path}"), "WTF_CSRF_ENABLED": True})
    app.test_client_class = RequestInItsOwnContextClient
    with app.app_context():
        yield app
        db.session.remove()
        db.engine.dispose()


def _token(client, path: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', client.get(path).text).group(1)


def _incoming(app) -> list[Path]:
    folder = Path(app.config["MEDIA_DIR"]) / ".incoming"
    return list(folder.iterdir()) if folder.is_dir() else []


def test_a_file_posted_to_sign_in_is_never_written_to_disk(csrf_app, files_created):
    client = csrf_app.test_client()
    response = files_created.post(
        client,
        "/sign-in",
        {"email": "a@b.nhs.uk", "recording": (io.BytesIO(b"x" * 900_000), "big.wav")},
    )
    assert response.status_code == 400  # refused by the CSRF check
    assert files_created == [], "a file was created before sign-in"
    assert _incoming(csrf_app) == []


def test_a_large_body_before_sign_in_is_refused_unread_with_a_page_about_forms(
    csrf_app, files_created
):
    response = files_created.post(
        csrf_app.test_client(),
        "/sign-in",
        {"email": "a@b.nhs.uk", "recording": (io.BytesIO(b"x" * 3_000_000), "big.wav")},
    )
    assert response.status_code == 413
    assert "larger than 1 MB" in response.text
    assert "ecording" not in response.text  # not an upload page: recordings are not its topic
    assert files_created == []


def test_an_upload_without_a_valid_token_is_refused_before_its_body_is_read(
    csrf_app, files_created
):
    advocate = make_user("advocate")
    narrative = make_narrative(advocate)
    client = csrf_app.test_client()
    sign_in(client, advocate)
    address = f"/narratives/{narrative.id}/recordings/new"
    for query in ("", "?csrf_token=forged"):
        response = files_created.post(
            client,
            address + query,
            {"speaker": "narrator", "recording": (io.BytesIO(a_wav(1)), "a.wav")},
        )
        assert response.status_code == 400
        assert "This form has expired" in response.text
    assert files_created == []
    assert _incoming(csrf_app) == []


def test_an_upload_by_a_stranger_or_the_wrong_role_writes_nothing(csrf_app, files_created):
    advocate = make_user("advocate")
    narrative = make_narrative(advocate)
    address = f"/narratives/{narrative.id}/recordings/new"
    stranger = csrf_app.test_client()
    response = files_created.post(
        stranger, address, {"speaker": "narrator", "recording": (io.BytesIO(a_wav(1)), "a.wav")}
    )
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]
    board = csrf_app.test_client()
    sign_in(board, make_user("board"))
    response = files_created.post(
        board, address, {"speaker": "narrator", "recording": (io.BytesIO(a_wav(1)), "a.wav")}
    )
    assert response.status_code == 403
    assert files_created == []


def test_an_upload_with_its_token_in_the_address_is_streamed_to_the_media_folder(
    csrf_app, files_created
):
    from narrative_service.transcription.models import Recording

    advocate = make_user("advocate")
    narrative = make_narrative(advocate)
    client = csrf_app.test_client()
    sign_in(client, advocate)
    page = client.get(f"/narratives/{narrative.id}/recordings/new").text
    action = re.search(r'<form method="post" enctype="multipart/form-data" action="([^"]+)"', page)
    assert action and "csrf_token=" in action.group(1)
    token = _token(client, f"/narratives/{narrative.id}/recordings/new")
    response = files_created.post(
        client,
        action.group(1).replace("&amp;", "&"),
        {"csrf_token": token, "speaker": "narrator", "recording": (io.BytesIO(a_wav(1)), "a.wav")},
    )
    assert response.status_code == 302
    incoming = str(Path(csrf_app.config["MEDIA_DIR"]) / ".incoming")
    assert any(path.startswith(incoming) for path in files_created)
    assert db.session.query(Recording).count() == 1


def test_a_typed_turn_to_an_upload_route_is_an_ordinary_form_with_its_token_in_the_body(
    csrf_app, files_created
):
    """Only a multipart body can carry a file: a turn typed and sent without JavaScript, as
    a plain form, needs no token in the address and writes nothing to the media folder."""
    advocate = make_user("advocate")
    narrative = make_narrative(advocate)
    client = csrf_app.test_client()
    sign_in(client, advocate)
    address = f"/narratives/{narrative.id}/conversation"
    token = _token(client, address)
    response = client.post(
        address, data={"csrf_token": token, "speaker": "narrator", "text": "Hello."}
    )
    assert response.status_code == 302
    forged = client.post(address, data={"csrf_token": "forged", "speaker": "narrator", "text": "x"})
    assert forged.status_code == 400
    assert files_created == []


def test_a_signed_in_form_over_the_limit_gets_a_413_that_names_the_setting(
    tmp_path, migrated_sqlite
):
    path = tmp_path / "limit.db"
    shutil.copyfile(migrated_sqlite, path)
    app = create_app({**base_config(tmp_path, f"sqlite:///{path}"), "MAX_FORM_MB": 1})
    app.test_client_class = RequestInItsOwnContextClient
    with app.app_context():
        client = app.test_client()
        sign_in(client, make_user("advocate"))
        response = client.post("/narratives/new", data={"body": "words " * 400_000})
        assert response.status_code == 413
        assert "MAX_FORM_MB" in response.text and "ecording" not in response.text
        db.engine.dispose()


# ------------------------------------------------------------------ NUL characters, pages


class _Forms(HTMLParser):
    """The post forms of a page: (action, {field: value}, [file fields])."""

    def __init__(self, page_url: str):
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, dict[str, str], list[str]]] = []
        self._current = None
        self._select = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._current = (attrs.get("action") or self.page_url, {}, [])
            self.forms.append(self._current)
        if self._current is None or not attrs.get("name"):
            if tag == "option" and self._select and self._current:
                self._current[1].setdefault(self._select, attrs.get("value") or "")
            return
        name = attrs["name"]
        if tag == "input" and attrs.get("type") == "file":
            self._current[2].append(name)
        elif tag == "input" and attrs.get("type") in ("checkbox", "radio"):
            self._current[1].setdefault(name, attrs.get("value") or "on")
        elif tag in ("input", "textarea"):
            self._current[1][name] = attrs.get("value") or "Words"
        elif tag == "select":
            self._select = name

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None
        if tag == "select":
            self._select = None


def _path(url: str) -> str:
    return url.replace("&amp;", "&").split("?")[0]


def _url(app, endpoint, arguments, objects):
    with app.test_request_context():
        return url_for(endpoint, **{k: objects.get(v, v) for k, v in arguments.items()})


def _post_forms(app, client_as, objects) -> dict[str, tuple[dict[str, str], list[str]]]:
    """Every post form of every page, keyed by the path it posts to."""
    found: dict[str, tuple[dict[str, str], list[str]]] = {}
    for role in ("lead", "advocate", "admin", "facilitator"):
        client = client_as(role)
        for endpoint, (_method, arguments, expected) in TABLE.items():
            if expected[role] != 200 or endpoint in ("static", "assets.nhsuk"):
                continue
            url = _url(app, endpoint, arguments, objects)
            response = client.get(url)
            if response.status_code != 200 or "text/html" not in response.content_type:
                continue
            parser = _Forms(url)
            parser.feed(response.text)
            for action, fields, file_fields in parser.forms:
                found.setdefault(_path(action), (fields, file_fields))
    return found


def _posting_role(endpoint: str) -> str:
    expected = TABLE[endpoint][2]
    return next(r for r in ("lead", "advocate", "facilitator", "admin") if expected[r] != 403)


def test_a_nul_character_in_any_field_of_any_form_gets_a_400_naming_the_field(
    app, users, client_as
):
    objects = make_objects(users)
    forms = _post_forms(app, client_as, objects)
    posting = [
        rule.endpoint
        for rule in app.url_map.iter_rules()
        if "POST" in rule.methods and rule.endpoint != "auth.sign_in"
    ]
    problems, tried = [], 0
    for endpoint in sorted(set(posting)):
        url = _url(app, endpoint, TABLE[endpoint][1], objects)
        fields, file_fields = forms.get(_path(url), ({"text": "Words"}, []))
        client = client_as(_posting_role(endpoint))
        for name in [*fields, *(f"file:{f}" for f in file_fields)]:
            data: dict = dict(fields)
            if name.startswith("file:"):
                data[name[5:]] = (io.BytesIO(b"minutes"), "minutes\x00.txt")
            else:
                data[name] = f"{fields[name]}\x00 more"
            response = client.post(url, data=data, content_type="multipart/form-data")
            tried += 1
            text = response.get_data(as_text=True)
            if response.status_code != 400 or "NUL character" not in text:
                problems.append(f"{endpoint} {name}: {response.status_code}")
    assert tried > 100, f"only {tried} posts: the forms were not found"
    assert problems == [], "\n".join(problems)


def test_a_nul_character_in_the_sign_in_form_gets_a_400(client):
    response = client.post("/sign-in", data={"email": "lead\x00@example.nhs.uk", "password": "x"})
    assert response.status_code == 400
    assert "“email” contains a NUL character" in response.text


def test_a_nul_character_in_a_filter_gets_a_400(client_as):
    response = client_as("lead").get("/audit?object_type=Narrative%00")
    assert response.status_code == 400
    assert "NUL character" in response.text


@pytest.mark.parametrize("path", ["/audit", "/narratives"])
def test_a_page_number_beyond_any_list_is_page_not_found(client_as, path):
    response = client_as("lead").get(f"{path}?page={10**30}")
    assert response.status_code == 404
    assert "There is no page 1000000000000000000" in response.text


def test_a_page_number_that_is_not_a_number_shows_the_first_page(app, users, client_as):
    make_narrative(users["advocate"], title="The first page")
    response = client_as("lead").get("/narratives?page=abc")
    assert response.status_code == 200
    assert "The first page" in response.text
