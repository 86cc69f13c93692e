"""Audit the locked dependencies with pip-audit; fail on any known vulnerability.

pip-audit asks PyPI's JSON API (or OSV) about each pinned version. Where this machine cannot
reach that service, nothing can be audited: say so loudly rather than report a false "clean".
"""

import json
import subprocess
import sys

result = subprocess.run(
    [
        sys.executable,
        "-m",
        "pip_audit",
        "--requirement",
        "requirements-test.lock",
        "--no-deps",
        "--disable-pip",
        "--progress-spinner",
        "off",
        "--format",
        "json",
    ],
    capture_output=True,
    text=True,
    check=False,
)
try:
    report = json.loads(result.stdout)
except json.JSONDecodeError:
    sys.exit(f"pip-audit did not run: {result.stderr.strip()[-2000:]}")

dependencies = report.get("dependencies", [])
vulnerable = [d for d in dependencies if d.get("vulns")]
skipped = [d for d in dependencies if d.get("skip_reason")]
for dependency in vulnerable:
    for vuln in dependency["vulns"]:
        fixed = ", ".join(vuln.get("fix_versions", [])) or "no fix yet"
        name, version = dependency["name"], dependency["version"]
        print(f"VULNERABLE {name} {version}: {vuln['id']} (fixed in {fixed})")
audited = len(dependencies) - len(skipped)
total = len(dependencies)
print(f"pip-audit: {audited} of {total} locked packages audited, {len(vulnerable)} vulnerable.")
if skipped and not audited:
    print("WARNING: the vulnerability service is unreachable from here; nothing could be audited.")
sys.exit(1 if vulnerable else 0)
