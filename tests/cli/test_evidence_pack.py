"""`narrative-service evidence-pack` as a user types it."""

from __future__ import annotations

import io
import os
import shutil

import docx
import pypdf
import pytest

from tests.cli.test_cli import run


@pytest.fixture(scope="module")
def demo_instance(tmp_path_factory):
    """An instance folder with the demo data loaded, once for this file (it takes a while)."""
    instance = tmp_path_factory.mktemp("demo") / "instance"
    environment = _environment(instance)
    for arguments in (("db", "upgrade"), ("demo",)):
        result = run(environment, *arguments)
        assert result.returncode == 0, result.stderr
    return instance


def _environment(instance) -> dict:
    environment = dict(os.environ, INSTANCE_DIR=str(instance), LOG_LEVEL="WARNING")
    for name in ("DATABASE_URL", "SECRET_KEY", "MEDIA_DIR", "QUEUE_PATH", "REDIS_URL"):
        environment.pop(name, None)
    return environment


@pytest.fixture
def demo(demo_instance, tmp_path):
    """Each test works on its own copy of the demo instance."""
    instance = tmp_path / "instance"
    shutil.copytree(demo_instance, instance)
    return _environment(instance)


@pytest.mark.parametrize("file_format", ["pdf", "docx"])
def test_writes_the_quarter_s_pack_in_the_format_asked_for(demo, tmp_path, file_format):
    output = tmp_path / f"q1.{file_format}"
    result = run(
        demo,
        "evidence-pack",
        "--programme",
        "1",
        "--quarter",
        "q1",
        "--format",
        file_format,
        "-o",
        str(output),
    )
    assert result.returncode == 0, result.stderr
    assert "Wrote the Q1 evidence pack for Reflecting on practice" in result.stdout
    body = output.read_bytes()
    if file_format == "pdf":
        text = " ".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(body)).pages)
    else:
        text = " ".join(p.text for p in docx.Document(io.BytesIO(body)).paragraphs)
    for title in ("Milestone checklist", "The narrative", "Appendix: evidence files"):
        assert title in text


def test_the_format_follows_the_file_name(demo, tmp_path):
    output = tmp_path / "pack.docx"
    result = run(demo, "evidence-pack", "--programme", "1", "--quarter", "Q2", "-o", str(output))
    assert result.returncode == 0, result.stderr
    assert docx.Document(str(output)).paragraphs[0].text.endswith("Q2")


def test_an_unknown_programme_is_named_with_the_ones_there_are(demo, tmp_path):
    output = tmp_path / "pack.pdf"
    result = run(demo, "evidence-pack", "--programme", "99", "--quarter", "Q1", "-o", str(output))
    assert result.returncode == 1
    assert "There is no programme 99. The programmes are: 1 (Reflecting on practice" in (
        result.stderr
    )
    assert not output.exists()


def test_a_quarter_that_is_not_a_quarter_is_refused(demo, tmp_path):
    result = run(
        demo, "evidence-pack", "--programme", "1", "--quarter", "Q5", "-o", str(tmp_path / "p.pdf")
    )
    assert result.returncode == 2
    assert "'Q5' is not one of" in result.stderr


def test_an_output_in_a_folder_that_does_not_exist_is_refused_before_any_work(demo, tmp_path):
    output = tmp_path / "no-such-folder" / "pack.pdf"
    result = run(demo, "evidence-pack", "--programme", "1", "--quarter", "Q1", "-o", str(output))
    assert result.returncode == 1
    assert "Cannot write" in result.stderr and "there is no folder" in result.stderr


def test_an_output_that_is_a_folder_is_refused(demo, tmp_path):
    result = run(demo, "evidence-pack", "--programme", "1", "--quarter", "Q1", "-o", str(tmp_path))
    assert result.returncode == 1
    assert "is a folder: give a file name" in result.stderr


def test_a_format_that_cannot_be_told_from_the_file_name_is_asked_for(demo, tmp_path):
    output = tmp_path / "pack.txt"
    result = run(demo, "evidence-pack", "--programme", "1", "--quarter", "Q1", "-o", str(output))
    assert result.returncode == 2
    assert "Give --format pdf or --format docx" in result.stderr


def test_a_quarter_the_programme_does_not_have_is_named(app, users, tmp_path):
    """Collaborative risk assessment has Q2 and Q4 only (seed 000)."""
    from narrative_service.extensions import db
    from narrative_service.milestones.rules import create_programme

    programme = create_programme("collaborative_risk_assessment", "2025/26", by=users["lead"])
    db.session.commit()
    result = app.test_cli_runner().invoke(
        args=[
            "evidence-pack",
            "--programme",
            str(programme.id),
            "--quarter",
            "Q1",
            "-o",
            str(tmp_path / "pack.pdf"),
        ],
    )
    assert result.exit_code == 1
    assert "has no Q1 milestone; its quarters are Q2, Q4." in result.output
