"""Dependency audit for CI: fail on a known vulnerability, only warn when the service is unreachable.

pip-audit asks PyPI's vulnerability service about every installed distribution
(the project itself, installed editable, is skipped). Its exit status alone cannot
tell "vulnerable" from "offline", so the service is probed first and pip-audit's
JSON report is read.
"""

import json
import subprocess
import sys
import urllib.request

SERVICE = "https://pypi.org/pypi/django/json"


def main() -> int:
    try:
        urllib.request.urlopen(SERVICE, timeout=15).close()
    except OSError as error:
        print(f"WARNING: dependency audit skipped, PyPI unreachable ({error}).", file=sys.stderr)
        return 0
    result = subprocess.run(
        [sys.executable, "-m", "pip_audit", "--skip-editable", "--progress-spinner", "off", "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(result.stdout)
    except json.JSONDecodeError:
        print(f"WARNING: dependency audit did not complete:\n{result.stderr.strip()}", file=sys.stderr)
        return 0
    vulnerable = [dep for dep in report.get("dependencies", []) if dep.get("vulns")]
    for dep in vulnerable:
        for vuln in dep["vulns"]:
            fixed = ", ".join(vuln.get("fix_versions") or []) or "no fix yet"
            print(f"{dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixed})")
    audited = len(report.get("dependencies", []))
    if vulnerable:
        print(f"FAIL: {len(vulnerable)} of {audited} dependencies have known vulnerabilities.", file=sys.stderr)
        return 1
    print(f"Dependency audit: {audited} distributions, no known vulnerability.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
