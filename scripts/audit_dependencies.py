"""Audit the installed Python packages (pip-audit) and the npm packages (npm audit).

Fails on a known vulnerability that security/audit-exceptions.txt does not accept. When a
registry's vulnerability service cannot be reached, says so and carries on: no answer is
never taken for "no vulnerabilities".
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXCEPTIONS_FILE = ROOT / "security" / "audit-exceptions.txt"
# Words in an error that mean the service did not answer, not that something was found.
NETWORK_WORDS = (
    "ConnectionError",
    "NameResolutionError",
    "Max retries exceeded",
    "timed out",
    "Timeout",
    "ENOTFOUND",
    "EAI_AGAIN",
    "ECONNREFUSED",
    "ECONNRESET",
    "ETIMEDOUT",
    "EHOSTUNREACH",
    "ENETUNREACH",
)
# npm audit's endpoint answered with one of these: the registry (or a mirror in front of it)
# does not offer audits, which is not the same as a clean report.
NPM_UNAVAILABLE_STATUSES = {404, 405, 501, 502, 503, 504}


class BadExceptionsFile(ValueError):
    pass


@dataclass(frozen=True)
class AcceptedVulnerability:
    id: str
    package: str
    reason: str
    review_by: date


@dataclass
class Outcome:
    """What one audit found: "clean", "found" (fails), "unreachable" (warns) or "error"."""

    state: str
    lines: list[str] = field(default_factory=list)


def read_exceptions(text: str, today: date) -> tuple[dict[str, AcceptedVulnerability], list[str]]:
    """The accepted vulnerabilities by id, and a note for each one past its review date."""
    accepted, expired = {}, []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = [part.strip() for part in line.split("|")]
        if len(parts) != 4 or not all(parts):
            raise BadExceptionsFile(
                f"line {number}: expected 'ID | package | why it does not apply | review by'"
            )
        try:
            review_by = date.fromisoformat(parts[3])
        except ValueError:
            raise BadExceptionsFile(
                f"line {number}: review date {parts[3]!r} is not YYYY-MM-DD"
            ) from None
        if review_by < today:
            expired.append(f"{parts[0]} ({parts[1]}): its review date {review_by} has passed")
            continue
        accepted[parts[0].upper()] = AcceptedVulnerability(parts[0], parts[1], parts[2], review_by)
    return accepted, expired


def _accepted(ids: list[str], accepted: dict[str, AcceptedVulnerability]) -> bool:
    return any(i.upper() in accepted for i in ids)


def _looks_like_network_failure(text: str) -> bool:
    return any(word in text for word in NETWORK_WORDS)


def pip_audit_outcome(
    returncode: int, report: str | None, stderr: str, accepted: dict[str, AcceptedVulnerability]
) -> Outcome:
    """Read pip-audit's JSON report (absent when it stopped with an error)."""
    if not report:
        if _looks_like_network_failure(stderr):
            return Outcome("unreachable", [_last_line(stderr)])
        return Outcome("error", [f"pip-audit exited {returncode}: {_last_line(stderr)}"])
    dependencies = json.loads(report)["dependencies"]
    audited = [d for d in dependencies if "skip_reason" not in d]
    found = []
    for dependency in audited:
        for vulnerability in dependency.get("vulns", []):
            ids = [vulnerability["id"], *vulnerability.get("aliases", [])]
            if not _accepted(ids, accepted):
                fixed = ", ".join(vulnerability.get("fix_versions", [])) or "no fixed version"
                found.append(
                    f"{dependency['name']} {dependency['version']}: {' / '.join(ids)}"
                    f" (fixed in: {fixed})"
                )
    if found:
        return Outcome("found", found)
    not_editable = [d for d in dependencies if "editable" not in d.get("skip_reason", "")]
    if not_editable and not audited:
        # Every package "not found": the index answers, its vulnerability data does not.
        return Outcome("unreachable", ["no package could be looked up for vulnerabilities"])
    skipped = sorted(d["name"] for d in not_editable if d not in audited)
    lines = [f"{len(audited)} packages audited"]
    if skipped:
        lines.append(f"not audited (not on the index): {', '.join(skipped)}")
    return Outcome("clean", lines)


def npm_audit_outcome(
    returncode: int, stdout: str, stderr: str, accepted: dict[str, AcceptedVulnerability]
) -> Outcome:
    """Read `npm audit --json`: a report, or an error object when the audit did not run."""
    try:
        report = json.loads(stdout)
    except ValueError:
        if _looks_like_network_failure(stdout + stderr):
            return Outcome("unreachable", [_last_line(stderr)])
        return Outcome("error", [f"npm audit exited {returncode}: {_last_line(stderr)}"])
    if "vulnerabilities" not in report:
        problem = report.get("message") or json.dumps(report.get("error", report))[:200]
        if report.get("statusCode") in NPM_UNAVAILABLE_STATUSES or _looks_like_network_failure(
            json.dumps(report) + stderr
        ):
            return Outcome("unreachable", [problem])
        return Outcome("error", [f"npm audit exited {returncode}: {problem}"])
    found = []
    for name, vulnerability in sorted(report["vulnerabilities"].items()):
        for advisory in vulnerability.get("via", []):
            if not isinstance(advisory, dict):  # "through another package": listed under it
                continue
            ids = [str(advisory.get("source", "")), advisory.get("url", "").rsplit("/", 1)[-1]]
            if not _accepted([i for i in ids if i], accepted):
                found.append(
                    f"{name} {advisory.get('range', '')}: {advisory.get('title', '')}"
                    f" ({advisory.get('severity', '')}, {advisory.get('url', '')})"
                )
    if found:
        return Outcome("found", found)
    return Outcome("clean", [f"{len(report['vulnerabilities'])} advisories, all accepted"])


def run_pip_audit(accepted: dict[str, AcceptedVulnerability]) -> Outcome:
    with tempfile.TemporaryDirectory() as folder:
        report_path = Path(folder) / "report.json"
        command = [sys.executable, "-m", "pip_audit", "--skip-editable", "--timeout", "15"]
        command += ["--progress-spinner", "off", "--format", "json", "--output", str(report_path)]
        done = subprocess.run(command, capture_output=True, text=True, timeout=300)  # noqa: S603
        report = report_path.read_text() if report_path.exists() else None
    return pip_audit_outcome(done.returncode, report, done.stderr, accepted)


def run_npm_audit(accepted: dict[str, AcceptedVulnerability]) -> Outcome:
    command = ["npm", "audit", "--json", "--omit=dev", "--fetch-retries=1"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=ROOT)  # noqa: S603
    return npm_audit_outcome(done.returncode, done.stdout, done.stderr, accepted)


def _last_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else "(no message)"


def main() -> int:
    try:
        accepted, expired = read_exceptions(EXCEPTIONS_FILE.read_text(), date.today())
    except BadExceptionsFile as bad:
        print(f"{EXCEPTIONS_FILE.relative_to(ROOT)}: {bad}", file=sys.stderr)
        return 1
    failed = False
    for note in expired:
        print(f"Dependency audit: exception no longer counts: {note}", file=sys.stderr)
    for label, audit in (("Python packages (pip-audit)", run_pip_audit), ("npm", run_npm_audit)):
        outcome = audit(accepted)
        if outcome.state == "clean":
            print(
                f"Dependency audit, {label}: no known vulnerabilities ({'; '.join(outcome.lines)})"
            )
        elif outcome.state == "unreachable":
            print(
                f"WARNING: dependency audit, {label}: the vulnerability service did not answer,"
                f" so nothing was checked ({'; '.join(outcome.lines)})",
                file=sys.stderr,
            )
        else:
            failed = True
            heading = "known vulnerabilities" if outcome.state == "found" else "could not run"
            print(f"Dependency audit, {label}: {heading}:", file=sys.stderr)
            for line in outcome.lines:
                print(f"  {line}", file=sys.stderr)
    if failed:
        print(
            "Upgrade the package, or add a line to security/audit-exceptions.txt saying why"
            " the advisory does not apply here and when to review it.",
            file=sys.stderr,
        )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
