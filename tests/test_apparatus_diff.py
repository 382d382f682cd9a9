"""`edition diff`: what a pull request or a release changes in the apparatus.

The made-up history (made_up_history.py: a copy of the project, v1, then v2
with one change of each kind) must give exactly those changes, once each,
and nothing of the real project, which did not change.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from edition.cli.commands import main
from made_up_history import ADDED_TEXT, EXPECTED, commit_and_tag, git, make_history


@pytest.fixture(scope="module")
def tagged_repo(tmp_path_factory) -> Path:
    return make_history(tmp_path_factory.mktemp("diff") / "edition")


@pytest.fixture
def repo_copy(tagged_repo, tmp_path) -> Path:
    copy = tmp_path / "edition"
    shutil.copytree(tagged_repo, copy, symlinks=True)
    return copy


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = main(["diff", *args])
    out, err = capsys.readouterr()
    return status, out, err


def changes_in(data: dict) -> list[tuple[str, str, str]]:
    found = [("notes", c["change"], c["id"]) for c in data["notes"]]
    found += [("entries", c["change"], c["id"]) for c in data["entries"]]
    found += [("texts", c["change"], c["text_id"]) for c in data["texts"]]
    return found


def test_json_names_each_change_once_and_nothing_else(tagged_repo, capsys):
    status, out, err = run(capsys, "v1", "v2", "--repo", str(tagged_repo), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    found = changes_in(data)
    assert sorted(found) == sorted(EXPECTED)
    notes = {c["id"]: c for c in data["notes"]}
    assert notes["diff-edited"]["fields"] == ["body"]
    assert notes["diff-edited"]["new"]["body_text"] == "A prison for political offenders, run by the OGPU."
    moved = notes["diff-moved"]
    assert (moved["old"]["passage"]["paragraph"], moved["new"]["passage"]["paragraph"]) == (1, 2)
    assert moved["new"]["passage"]["exact"] == "the moved note"
    assert moved["new"]["passage"]["before"] == "The second paragraph has a passage "
    assert notes["diff-renamed-new"]["old_id"] == "diff-renamed-old"
    term = next(c for c in data["entries"] if c["id"] == "diff-term")
    assert term["fields"] == ["forms"]
    assert term["forms_added"] == [["en", "scissorsmiths"]] and term["forms_dropped"] == [["en", "scissorsmith"]]
    # A moved stand-off citation is the work's change, said as citations added and dropped, nothing else.
    work = next(c for c in data["entries"] if c["id"] == "diff-work")
    assert work["fields"] == ["cited_at"] and not work["forms_added"] and not work["forms_dropped"]
    cited = {"text_id": "made-up-diff", "prefix": None, "suffix": None}
    assert work["citations_added"] == [{**cited, "paragraph": 3, "exact": "third paragraph"}]
    assert work["citations_dropped"] == [{**cited, "paragraph": 2, "exact": "second paragraph"}]
    added_text = data["texts"][0]
    assert (added_text["lang"], added_text["paragraphs_after"]) == ("ru", 1)
    assert notes["diff-added"]["new"]["path"] == "annotations/notes/made-up-diff.yaml"


def test_markdown_shows_passages_and_rendered_bodies(tagged_repo, capsys):
    status, out, err = run(capsys, "v1", "v2", "--repo", str(tagged_repo))
    assert status == 0, err
    # Each changed id once in a heading or a list item, and no id of the project's own apparatus.
    for _, _, changed_id in EXPECTED:
        assert re.search(rf"` {re.escape(changed_id)} `", out), changed_id
    ids_in_output = set(re.findall(r"` ([a-z0-9-]+) `", out))
    assert ids_in_output == {i for _, _, i in EXPECTED} | {"diff-renamed-old", "made-up-diff"}
    html = MarkdownIt("commonmark").render(out)
    # The passage, in context, with the anchored words in bold; the body rendered, not as source.
    assert "The first paragraph speaks of the <strong>isolator</strong> and of the opposition in exile" in html
    assert "run by the <strong>OGPU</strong>." in html
    assert "Sic: <em>a</em> passage." in html
    assert "forms added: scissorsmiths (en)" in html and "forms dropped: scissorsmith (en)" in html
    assert "A Made\\-up Pamphlet (` diff-work `, works) changed: citations" in out
    assert "citations added: “third paragraph” in ¶3 of <code>made-up-diff</code>" in html
    assert "citations dropped: “second paragraph” in ¶2 of <code>made-up-diff</code>" in html
    assert re.search(r"From A Made-up Text for the Diff .*¶1", html) and re.search(r"to A Made-up Text .*¶2", html)


def test_work_tree_is_the_default_head(repo_copy, capsys):
    notes = repo_copy / "annotations/notes/made-up-diff.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace("kind: sic", "kind: editorial"), encoding="utf-8")
    status, out, err = run(capsys, "v2", "--repo", str(repo_copy), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert changes_in(data) == [("notes", "changed", "diff-added")]
    assert data["notes"][0]["fields"] == ["kind"] and data["head"] == "the work tree"


def test_default_base_is_the_merge_base_with_main(repo_copy, capsys):
    git(repo_copy, "checkout", "-q", "-b", "contribution", "v1")
    (repo_copy / "docs/texts/made-up-added.md").write_text(ADDED_TEXT, encoding="utf-8")
    commit_and_tag(repo_copy, None, "a text")
    status, out, err = run(capsys, "--repo", str(repo_copy), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert changes_in(data) == [("texts", "added", "made-up-added")]
    assert data["base"].startswith("the merge base with main (") and data["head"] == "the work tree"


def test_reimported_text_moves_no_note(repo_copy, capsys):
    text = repo_copy / "docs/texts/made-up-diff.md"
    text.write_text(text.read_text(encoding="utf-8").replace("scissors and hammers", "sickles"), encoding="utf-8")
    status, out, err = run(capsys, "v2", "--repo", str(repo_copy), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert changes_in(data) == [("texts", "reimported", "made-up-diff")]
    assert "re-imported: 3 paragraphs before, 3 now" in run(capsys, "v2", "--repo", str(repo_copy))[1]


def test_no_change_says_so(tagged_repo, capsys):
    status, out, _ = run(capsys, "v2", "v2", "--repo", str(tagged_repo))
    assert status == 0 and "No note, register or glossary entry, or text changed." in out


@pytest.mark.parametrize("revisions", [["v9"], ["v1", "no-such-branch"], ["--", "-x"]])
def test_bad_revision_is_one_line(tagged_repo, capsys, revisions):
    status, out, err = run(capsys, "--repo", str(tagged_repo), *revisions)
    assert status == 1 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and "revision" in err and "Traceback" not in err


def test_not_a_repository_is_one_line(tmp_path, capsys):
    status, _, err = run(capsys, "v1", "--repo", str(tmp_path))
    assert status == 1 and err.count("\n") == 1 and err.startswith("error: ")


def test_side_failing_check_is_one_line(repo_copy, capsys):
    notes = repo_copy / "annotations/notes/made-up-diff.yaml"
    notes.write_text(notes.read_text(encoding="utf-8").replace('"a passage"', '"no such passage"'), encoding="utf-8")
    commit_and_tag(repo_copy, "v3", "broken")
    for args in (["v2", "v3"], ["v3", "v2"], ["v2"]):
        status, out, err = run(capsys, "--repo", str(repo_copy), *args)
        assert status == 1 and out == ""
        assert err.count("\n") == 1, err
        assert "fails `edition check`" in err and "annotations/notes/made-up-diff.yaml:" in err
        assert "edition-rev-" not in err  # the repository's path, not the temporary folder's


HOSTILE_BODY = (
    "&lt;script&gt;alert(1)&lt;/script&gt; \\<img src=x onerror=alert(2)> "
    "\\[click\\](javascript:alert(3)) \\# not a heading | a | b | `` `<b>` `` [ok](https://example.org/a)b)"
)


def test_hostile_markup_comes_out_escaped(repo_copy, capsys):
    """Whatever a body or a text says, the report adds no HTML, image, link or heading of its own."""
    text = repo_copy / "docs/texts/made-up-diff.md"
    text.write_text(
        text.read_text(encoding="utf-8").replace(
            "The third paragraph", "<img src=x onerror=alert(4)> [a](javascript:x) ## The third paragraph"),
        encoding="utf-8")
    notes = repo_copy / "annotations/notes/made-up-diff.yaml"
    body = HOSTILE_BODY.replace("\\", "\\\\").replace('"', '\\"')
    notes.write_text(
        notes.read_text(encoding="utf-8")
        + f'  - id: diff-hostile\n    kind: editorial\n    anchor:\n      exact: "words such as"\n    body: "{body}"\n',
        encoding="utf-8")
    # `edition check` must accept the body (else the diff would refuse it): it is all text, escaped.
    assert main(["check", "--docs", str(repo_copy / "docs"), "--annotations", str(repo_copy / "annotations")]) == 0
    status, out, err = run(capsys, "v2", "--repo", str(repo_copy))
    assert status == 0, err
    html = MarkdownIt("commonmark").render(out)
    tags = set(re.findall(r"<\s*([a-zA-Z][\w-]*)", html))
    assert tags <= {"h2", "h3", "h4", "p", "em", "strong", "code", "blockquote", "ul", "li", "a", "details", "summary"}
    assert re.findall(r'<a href="([^"]*)"', html) == ["https://example.org/a"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(4)&gt;" in html and "&lt;img src=x onerror=alert(2)&gt;" in html
    assert not re.search(r'href="javascript', html)


def test_symbolic_link_in_a_revision_is_one_line(repo_copy, capsys):
    """A link committed into annotations/ could point anywhere on the reviewer's machine."""
    (repo_copy / "annotations/notes/made-up-added.yaml").symlink_to("/etc/passwd")
    commit_and_tag(repo_copy, "v3", "a link")
    status, out, err = run(capsys, "v2", "v3", "--repo", str(repo_copy))
    assert status == 1 and out == "" and err.count("\n") == 1
    assert "annotations/notes/made-up-added.yaml" in err and "symbolic link" in err


def test_a_note_changed_in_several_ways_is_one_item_with_all_of_them(repo_copy, capsys):
    notes = repo_copy / "annotations/notes/made-up-diff.yaml"
    text = notes.read_text(encoding="utf-8")
    text = text.replace('exact: "the moved note"', 'exact: "reaches in the end"').replace(
        "Those deported.", "Those deported to *Siberia*.\n    sources:\n      - \"A made-up source.\"")
    notes.write_text(text, encoding="utf-8")
    status, out, err = run(capsys, "v2", "--repo", str(repo_copy), "--format", "json")
    assert status == 0, err
    data = json.loads(out)
    assert changes_in(data) == [("notes", "changed", "diff-moved")]
    assert data["notes"][0]["fields"] == ["body", "sources", "anchor"]
    html = MarkdownIt("commonmark").render(run(capsys, "v2", "--repo", str(repo_copy))[1])
    assert html.count("<blockquote>") == 2  # the old passage and the new
    assert "<strong>the moved note</strong>" in html and "<strong>reaches in the end</strong>" in html
    assert "Those deported to <em>Siberia</em>." in html and "<summary>Body before</summary>" in html
    assert "<em>Source:</em> A made-up source." in html
