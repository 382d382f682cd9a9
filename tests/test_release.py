"""Releases: `edition release` / `make release VERSION=…` and the Zenodo metadata."""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path

import jsonschema
import pytest
import yaml

from conftest import ROOT
from support import git
from edition.formats.citation import load_edition
from edition.cli.commands import main
from edition.formats.release import release_date, with_release, zenodo_metadata

CFF_SCHEMA = ROOT / "tests/standards/cff/schema-1.2.0.json"


@pytest.fixture
def project(tmp_path) -> Path:
    repo = tmp_path / "edition"
    for folder in ("docs", "annotations"):
        shutil.copytree(ROOT / folder, repo / folder)
    for name in ("CITATION.cff", ".zenodo.json"):
        shutil.copy(ROOT / name, repo / name)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "start")
    return repo


def release(capsys, repo: Path, *args: str) -> tuple[int, str, str]:
    status = main(["release", *args, "--citation", str(repo / "CITATION.cff")])
    out, err = capsys.readouterr()
    return status, out, err


def test_zenodo_json_agrees_with_citation_cff():
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    zenodo = json.loads((ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert zenodo == zenodo_metadata(cff), "run `edition zenodo` after changing CITATION.cff"
    edition = load_edition(ROOT / "CITATION.cff")
    assert zenodo["title"] == edition.title
    assert [c["name"] for c in zenodo["creators"]] == list(edition.editors)
    assert zenodo.get("version", "") == edition.version
    # The edition's citation date falls back to the build's; Zenodo gets only what CFF says.
    assert zenodo.get("publication_date", "") == str(cff.get("date-released") or "")
    # Nothing Zenodo would show that the CFF file does not say.
    assert "related_identifiers" not in zenodo or all(
        r["identifier"] in (edition.url, edition.repository) for r in zenodo["related_identifiers"])


def test_zenodo_names_people_family_name_first():
    cff = {"title": "T", "type": "dataset", "authors": [
        {"given-names": "Ludwig", "name-particle": "van", "family-names": "Beethoven",
         "orcid": "https://orcid.org/0000-0002-1825-0097"}, {"name": "The editors"}]}
    creators = zenodo_metadata(cff)["creators"]
    # "The editors" names nobody: it is left out rather than given to Zenodo as a creator.
    assert creators == [{"name": "van Beethoven, Ludwig", "orcid": "0000-0002-1825-0097"}]


def test_release_sets_version_and_date_and_tags(project, capsys, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")  # 2026-01-01T00:00:00Z
    before = (project / "CITATION.cff").read_text(encoding="utf-8")
    status, out, err = release(capsys, project, "1.2")
    assert status == 0, err
    text = (project / "CITATION.cff").read_text(encoding="utf-8")
    cff = yaml.safe_load(text)
    assert (cff["version"], cff["date-released"]) == ("1.2", "2026-01-01")
    jsonschema.Draft7Validator(json.loads(CFF_SCHEMA.read_text(encoding="utf-8"))).validate(cff)
    # Only those two lines changed: the comments and everything else stay.
    changed = set(text.splitlines()) ^ set(before.splitlines())
    assert {line.split(":")[0] for line in changed} <= {"version", "date-released"}
    assert json.loads((project / ".zenodo.json").read_text(encoding="utf-8")) == zenodo_metadata(cff)
    assert git(project, "rev-parse", "v1.2^{commit}") == git(project, "rev-parse", "HEAD")
    assert git(project, "status", "--porcelain") == ""
    assert "git push origin HEAD v1.2" in out


@pytest.mark.parametrize("version, says", [
    ("1.2", "already a release"), ("1.1", "not later than the last release"), ("1.2.0", "not later"),
    ("v1.3", "is not one to three numbers"), ("1.3-rc", "is not one to three numbers"), ("", "is not one"),
])
def test_release_refuses_a_version_in_one_line(project, capsys, monkeypatch, version, says):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1767225600")
    assert release(capsys, project, "1.2")[0] == 0
    status, _, err = release(capsys, project, version)
    assert status == 1 and says in err and err.count("\n") == 1 and "Traceback" not in err


def test_release_refuses_uncommitted_work(project, capsys):
    (project / "annotations/glossary.yaml").write_text("entries: []\n", encoding="utf-8")
    status, _, err = release(capsys, project, "1.0")
    assert status == 1 and "uncommitted" in err
    assert git(project, "tag", "--list") == ""


def test_release_refuses_an_edition_that_fails_check(project, capsys):
    notes = sorted((project / "annotations/notes").glob("*.yaml"))[0]
    notes.write_text(notes.read_text(encoding="utf-8") + "  - id: broken\n", encoding="utf-8")
    git(project, "commit", "-q", "-am", "broken")
    status, _, err = release(capsys, project, "1.0")
    assert status == 1 and "edition check" in err and git(project, "tag", "--list") == ""


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "1e9", "99999999999999999999"])
def test_a_bad_source_date_epoch_is_one_line(project, capsys, monkeypatch, epoch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    status, _, err = release(capsys, project, "1.0")
    assert status == 1 and "SOURCE_DATE_EPOCH" in err and err.count("\n") == 1


def test_release_date_is_today_without_source_date_epoch():
    assert release_date({}, today=dt.date(2031, 5, 17)) == "2031-05-17"
    assert release_date({"SOURCE_DATE_EPOCH": "1767225600"}) == "2026-01-01"


def test_with_release_adds_keys_a_file_lacks():
    text = "cff-version: 1.2.0\n# a comment\ntitle: T\nauthors:\n  - name: X\n"
    out = with_release(text, "2", "2030-02-03")
    assert out.splitlines()[:5] == ["cff-version: 1.2.0", "# a comment", "title: T", 'version: "2"', 'date-released: "2030-02-03"']


def test_make_release_needs_a_version():
    done = subprocess.run(["make", "-s", "release"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode != 0 and "make release VERSION=1.2" in done.stdout + done.stderr


def test_the_build_takes_its_version_from_citation_cff(tmp_path):
    import importlib.util

    def conf_version(conf_dir: Path) -> str:
        spec = importlib.util.spec_from_file_location("conf_for_version", conf_dir / "conf.py")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module.release

    assert conf_version(ROOT / "conf") == load_edition(ROOT / "CITATION.cff").version
    shutil.copytree(ROOT / "conf", tmp_path / "conf")
    cff = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    (tmp_path / "CITATION.cff").write_text(with_release(cff, "7.3", "2030-01-01"), encoding="utf-8")
    assert conf_version(tmp_path / "conf") == "7.3"


def test_edition_zenodo_check_fails_until_rewritten(project, capsys):
    cff = project / "CITATION.cff"
    cff.write_text(cff.read_text(encoding="utf-8").replace('title: "', 'title: "Retitled ', 1), encoding="utf-8")
    assert main(["zenodo", "--check", "--citation", str(cff)]) == 1
    assert ".zenodo.json: does not match" in capsys.readouterr().err
    assert main(["zenodo", "--citation", str(cff)]) == 0
    assert main(["zenodo", "--check", "--citation", str(cff)]) == 0
    assert json.loads((project / ".zenodo.json").read_text(encoding="utf-8"))["title"].startswith("Retitled")
