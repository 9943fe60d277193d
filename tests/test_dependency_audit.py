"""The dependency audit in the test command: a finding fails it, a documented exception
accepts it, and a registry that does not answer is a warning, never a clean report."""

from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "audit_dependencies.py"
spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
audit = importlib.util.module_from_spec(spec)
sys.modules[spec.name] = audit  # dataclasses look their module up there
spec.loader.exec_module(audit)

TODAY = date(2026, 12, 3)


def exceptions(*lines: str):
    accepted, _ = audit.read_exceptions("\n".join(lines), TODAY)
    return accepted


def pip_report(*vulns, skipped=()) -> str:
    dependencies = [{"name": "werkzeug", "version": "3.0.0", "vulns": list(vulns)}]
    dependencies += [
        {"name": name, "skip_reason": "Dependency not found on PyPI"} for name in skipped
    ]
    dependencies.append(
        {"name": "narrative-service", "skip_reason": "distribution marked as editable"}
    )
    return json.dumps({"dependencies": dependencies, "fixes": []})


WERKZEUG_ADVISORY = {
    "id": "GHSA-2g68-c3qc-8985",
    "fix_versions": ["3.0.6"],
    "aliases": ["CVE-2024-49766"],
    "description": "Werkzeug safe_join not safe on Windows",
}

NPM_REPORT = {
    "auditReportVersion": 2,
    "vulnerabilities": {
        "nhsuk-frontend": {
            "name": "nhsuk-frontend",
            "severity": "moderate",
            "via": [
                {
                    "source": 1099999,
                    "name": "nhsuk-frontend",
                    "title": "Cross-site scripting in the header component",
                    "url": "https://github.com/advisories/GHSA-aaaa-bbbb-cccc",
                    "severity": "moderate",
                    "range": "<10.6.2",
                }
            ],
        }
    },
}


def test_a_python_advisory_without_an_exception_fails_naming_the_fix():
    outcome = audit.pip_audit_outcome(1, pip_report(WERKZEUG_ADVISORY), "", {})
    assert outcome.state == "found"
    assert outcome.lines == [
        "werkzeug 3.0.0: GHSA-2g68-c3qc-8985 / CVE-2024-49766 (fixed in: 3.0.6)"
    ]


def test_an_exception_by_any_of_the_advisorys_names_accepts_it():
    accepted = exceptions(
        "cve-2024-49766 | werkzeug | safe_join on Windows; we run on Linux only | 2027-03-01"
    )
    outcome = audit.pip_audit_outcome(1, pip_report(WERKZEUG_ADVISORY), "", accepted)
    assert outcome.state == "clean"


def test_an_exception_past_its_review_date_no_longer_counts():
    accepted, expired = audit.read_exceptions(
        "CVE-2024-49766 | werkzeug | Linux only | 2026-12-02", TODAY
    )
    assert accepted == {}
    assert expired == ["CVE-2024-49766 (werkzeug): its review date 2026-12-02 has passed"]
    assert audit.pip_audit_outcome(1, pip_report(WERKZEUG_ADVISORY), "", accepted).state == "found"


@pytest.mark.parametrize(
    "line, problem",
    [
        ("CVE-2024-49766 | werkzeug | Linux only", "line 2: expected 'ID | package"),
        ("CVE-2024-49766 | werkzeug |  | 2027-01-01", "line 2: expected 'ID | package"),
        ("CVE-2024-49766 | werkzeug | Linux only | next spring", "line 2: review date"),
    ],
)
def test_an_exception_without_its_reason_or_date_is_refused_with_its_line(line, problem):
    with pytest.raises(audit.BadExceptionsFile, match=problem):
        audit.read_exceptions(f"# comment\n{line}", TODAY)


def test_pip_audit_that_cannot_connect_is_a_warning_not_a_clean_report():
    stderr = (
        "requests.exceptions.ConnectionError: HTTPSConnectionPool(host='api.osv.dev', port=443):"
        " Max retries exceeded with url: /v1/query"
    )
    outcome = audit.pip_audit_outcome(1, None, stderr, {})
    assert outcome.state == "unreachable"


def test_an_index_that_knows_no_package_is_a_warning_not_a_clean_report():
    report = json.dumps(
        {
            "dependencies": [
                {"name": n, "skip_reason": "Dependency not found on PyPI"}
                for n in ("flask", "huey")
            ]
        }
    )
    assert audit.pip_audit_outcome(0, report, "", {}).state == "unreachable"


def test_pip_audit_failing_for_another_reason_fails_the_run():
    outcome = audit.pip_audit_outcome(1, None, "No module named pip_audit", {})
    assert outcome.state == "error"
    assert "No module named pip_audit" in outcome.lines[0]


@pytest.mark.parametrize(
    "answer",
    [
        {"message": "405 Method Not Allowed - POST .../advisories/bulk", "statusCode": 405},
        {"error": {"code": "ENOTFOUND", "summary": "request to registry.npmjs.org failed"}},
        {"error": {"code": "EAI_AGAIN", "summary": "getaddrinfo EAI_AGAIN"}},
    ],
)
def test_npm_audit_without_an_answer_is_a_warning_not_a_clean_report(answer):
    outcome = audit.npm_audit_outcome(1, json.dumps(answer), "", {})
    assert outcome.state == "unreachable"


def test_an_npm_advisory_without_an_exception_fails_with_its_address():
    outcome = audit.npm_audit_outcome(1, json.dumps(NPM_REPORT), "", {})
    assert outcome.state == "found"
    assert "https://github.com/advisories/GHSA-aaaa-bbbb-cccc" in outcome.lines[0]
    assert outcome.lines[0].startswith("nhsuk-frontend <10.6.2: Cross-site scripting")


def test_an_npm_advisory_with_an_exception_passes():
    accepted = exceptions("GHSA-aaaa-bbbb-cccc | nhsuk-frontend | header unused | 2027-01-01")
    assert audit.npm_audit_outcome(1, json.dumps(NPM_REPORT), "", accepted).state == "clean"


def test_the_projects_exceptions_file_is_well_formed_and_current():
    accepted, expired = audit.read_exceptions(audit.EXCEPTIONS_FILE.read_text(), date.today())
    assert expired == []
