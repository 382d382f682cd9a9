"""The GitHub workflows: what runs on a pull request, what may write, and that
GitHub's schema and the zizmor security audit find nothing in them.

Nothing here reaches GitHub: the workflows are parsed, validated with
check-jsonschema's vendored schema and audited with ``zizmor --offline``
(both installed with the test extras).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.y*ml"))
BIN = Path(sys.executable).parent


def load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["on"] = data.pop(True, data.get("on"))  # YAML 1.1 reads the key `on` as true
    return data


def workflow(name: str) -> dict:
    return load(ROOT / ".github/workflows" / name)


def triggers(data: dict) -> set[str]:
    on = data["on"]
    return {on} if isinstance(on, str) else set(on)


def steps(job: dict) -> list[dict]:
    return job.get("steps", [])


def uses(job: dict) -> list[str]:
    return [s["uses"] for s in steps(job) if "uses" in s]


def image(job: dict) -> str | None:
    container = job.get("container")
    return container.get("image") if isinstance(container, dict) else container


def test_there_are_workflows():
    assert {p.name for p in WORKFLOWS} >= {"edition.yml", "preview.yml", "publish.yml"}


def test_pull_request_job_runs_ci_script_in_debian():
    pr_workflows = [load(p) for p in WORKFLOWS if "pull_request" in triggers(load(p))]
    assert pr_workflows, "no workflow runs on pull requests"
    jobs = [job for data in pr_workflows for job in data["jobs"].values()]
    ci_jobs = [job for job in jobs if any(".ci/run" in s.get("run", "") for s in steps(job))]
    assert ci_jobs, "no pull request job calls .ci/run"
    for job in ci_jobs:
        assert image(job) == "debian:bookworm"
        checkout = [s for s in steps(job) if s.get("uses", "").startswith("actions/checkout@")]
        assert checkout and checkout[0]["with"]["fetch-depth"] == 0  # edition diff needs the base
        # git must be there before the checkout, or it downloads a tarball without history.
        before = steps(job)[: steps(job).index(checkout[0])]
        assert any(re.search(r"apt-get install .*\bgit\b", s.get("run", "")) for s in before)


def test_pull_request_writes_check_and_diff_to_the_summary_and_keeps_the_editions():
    job = workflow("edition.yml")["jobs"]["edition"]
    scripts = "\n".join(s.get("run", "") for s in steps(job))
    assert re.search(r"edition check.*\n(.*\n)*.*GITHUB_STEP_SUMMARY", scripts)
    assert re.search(r"edition diff .*\n.*GITHUB_STEP_SUMMARY", scripts)
    kept = "\n".join(s["with"]["path"] for s in steps(job) if s.get("uses", "").startswith("actions/upload-artifact@"))
    for output in ("_build/html", "_build/edition.pdf", "_build/edition.epub"):
        assert output in kept
    # Untrusted values reach scripts through the environment, never pasted into them.
    assert "${{" not in scripts


def test_preview_deploy_never_checks_out_or_runs_the_pull_request():
    data = workflow("preview.yml")
    assert triggers(data) == {"workflow_run"}
    assert data["on"]["workflow_run"]["workflows"] == [workflow("edition.yml")["name"]]
    assert data["permissions"] == {}
    (job,) = data["jobs"].values()
    assert not [u for u in uses(job) if u.startswith("actions/checkout@")]
    assert job["permissions"] == {
        "actions": "read", "contents": "write", "pull-requests": "write", "pages": "read",
    }
    scripts = "\n".join(s.get("run", "") for s in steps(job))
    # Nothing from the artifact is executed or sourced: it is only read (the number) and copied.
    assert not re.search(r"\b(bash|sh|source|python3?|make|npm|pip)\b[^\n]*preview|(^|[\s;&|(])\.{1,2}/preview/\S*\s*($|[;&|])|(^|\s)\. \S*preview", scripts, re.M)
    assert "${{" not in scripts
    assert re.search(r"\[\[ \"\$number\" =~ \^\[1-9\]", scripts)  # the number is checked before use
    assert "pr/$NUMBER" in scripts and "gh pr comment" in scripts


def test_publish_puts_releases_under_their_version_and_the_latest_at_the_root():
    data = workflow("publish.yml")
    assert triggers(data) == {"push", "release"} and data["on"]["push"]["branches"] == ["main"]
    scripts = "\n".join(s.get("run", "") for job in data["jobs"].values() for s in steps(job))
    assert 'targets=("v/${BASH_REMATCH[1]}")' in scripts and "targets+=(.)" in scripts
    assert data["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert data["jobs"]["deploy"]["permissions"] == {"contents": "write", "pull-requests": "read"}
    assert "gh pr list" in scripts and 'rm -rf "pr/$number"' in scripts  # closed pull requests' previews go
    assert image(data["jobs"]["build"]) == "debian:bookworm"


def test_every_job_says_what_it_may_do_and_every_action_is_pinned():
    pins: dict[str, set[str]] = {}
    for path in WORKFLOWS:
        data = load(path)
        assert data.get("permissions") == {}, f"{path.name}: no default permissions at the top"
        for name, job in data["jobs"].items():
            assert "permissions" in job, f"{path.name}: job {name} has no permissions block"
            assert "write-all" not in str(job["permissions"])
            for step in steps(job):
                if "uses" not in step:
                    continue
                action, _, ref = step["uses"].partition("@")
                assert re.fullmatch(r"[0-9a-f]{40}", ref), f"{path.name}: {step['uses']} is not pinned to a commit"
                pins.setdefault(action, set()).add(ref)
                if action == "actions/checkout":
                    assert step["with"]["persist-credentials"] is False
    # One action, one commit everywhere: an update cannot leave one workflow behind.
    assert {a: len(r) for a, r in pins.items()} == {a: 1 for a in pins}


def tool(name: str) -> Path:
    path = BIN / name
    if not path.exists():
        found = shutil.which(name)
        if found is None:
            pytest.fail(f"{name} is not installed; it is in the test extras (make .venv/.installed)")
        path = Path(found)
    return path


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_matches_githubs_schema(path):
    done = subprocess.run(
        [tool("check-jsonschema"), "--builtin-schema", "vendor.github-workflows", path],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("persona", ["regular", "pedantic"])
def test_zizmor_finds_nothing(persona):
    """Every finding fixed, or ignored in the workflow with the reason beside it."""
    done = subprocess.run(
        [tool("zizmor"), "--offline", "--no-progress", f"--persona={persona}", ROOT / ".github/workflows"],
        capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No findings to report" in done.stdout + done.stderr
    for path in WORKFLOWS:
        for line in path.read_text(encoding="utf-8").splitlines():
            if "zizmor: ignore[" in line:
                rest = line.split("zizmor: ignore[", 1)[1].split("]", 1)[1].strip()
                context = path.read_text(encoding="utf-8")
                # The reason is on the same line or in the comment lines just above.
                above = context[: context.index(line)].splitlines()[-2:]
                assert rest or any(a.strip().startswith("#") for a in above), f"{path.name}: {line.strip()}"


def test_zizmor_would_catch_an_injection(tmp_path):
    """The audit is not vacuous: a pull request title pasted into a script is reported."""
    bad = tmp_path / ".github/workflows/bad.yml"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "name: bad\non: pull_request_target\npermissions: {}\njobs:\n  j:\n    runs-on: ubuntu-24.04\n"
        "    permissions: {}\n    steps:\n      - run: echo \"${{ github.event.pull_request.title }}\"\n",
        encoding="utf-8",
    )
    done = subprocess.run([tool("zizmor"), "--offline", "--no-progress", bad], capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "template-injection" in done.stdout + done.stderr


def chromium_check() -> str:
    """The function .ci/run uses to decide that a browser works."""
    script = (ROOT / ".ci/run").read_text(encoding="utf-8")
    match = re.search(r"^chromium_works\(\) \{\n.*?^\}\n", script, re.M | re.S)
    assert match, ".ci/run has no chromium_works function"
    return match.group()


def test_ci_refuses_a_chromium_that_does_not_start(tmp_path):
    """Ubuntu's chromium package installs a command that only asks for the snap."""
    fake = tmp_path / "chromium"
    fake.write_text('#!/bin/sh\necho "Command \'/usr/bin/chromium\' requires the chromium snap to be installed." >&2\nexit 1\n')
    fake.chmod(0o755)
    done = subprocess.run(
        ["bash", "-c", chromium_check() + "chromium_works"],
        env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, capture_output=True, timeout=60,
    )
    assert done.returncode != 0


def test_ci_accepts_debians_chromium(tmp_path):
    from conftest import IN_CI, chromium_path

    if chromium_path() is None:
        if IN_CI:
            pytest.fail("Chromium is not installed; .ci/run installs it")
        pytest.skip("Chromium is not installed")
    done = subprocess.run(["bash", "-c", chromium_check() + "chromium_works"], capture_output=True, timeout=120)
    assert done.returncode == 0
