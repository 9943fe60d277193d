"""axe-core on a page: fail on any serious or critical violation, naming each one."""

from __future__ import annotations

from axe_playwright_python.sync_playwright import Axe

_axe = Axe()


def assert_accessible(page, where: str) -> None:
    results = _axe.run(page)
    problems = [
        violation
        for violation in results.response["violations"]
        if violation.get("impact") in ("serious", "critical")
    ]
    details = "\n".join(
        f"- {v['id']} ({v['impact']}): {v['help']} ({v['helpUrl']})\n  at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        + (f" and {len(v['nodes']) - 5} more" if len(v["nodes"]) > 5 else "")
        for v in problems
    )
    assert not problems, f"axe found serious or critical problems on {where}:\n{details}"
