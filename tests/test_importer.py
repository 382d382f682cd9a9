"""The importer: verbatim output, structure found on unseen input, bad input refused."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest

from conftest import DOCS, KO_SOURCE, RU_SOURCE, SOURCES
from support import run_edition
from edition.base.errors import EditionError
from edition.importer.text_import import import_text
from edition.reading.texts import parse_myst, reading_blocks, split_front_matter


@pytest.mark.parametrize("source", [KO_SOURCE, RU_SOURCE], ids=["ko", "ru"])
def test_committed_texts_are_the_importers_output(source):
    myst, meta = import_text(source)
    committed = (DOCS / "texts" / f"{meta['id']}.md").read_text(encoding="utf-8")
    assert myst == committed, f"docs/texts/{meta['id']}.md drifted: run `edition import {source}`"


def test_import_check_cli_passes_on_committed_texts():
    result = run_edition("import", "--check", KO_SOURCE, RU_SOURCE)
    assert result.returncode == 0, result.stderr


def blocks_of(source: Path):
    myst, _ = import_text(source)
    return reading_blocks(parse_myst(myst))


def test_korean_structure():
    raw_lines = KO_SOURCE.read_text(encoding="utf-8").splitlines()
    blocks = blocks_of(KO_SOURCE)
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings[0] == "트로츠키와 러시아 좌익반대파"
    assert headings[1:] == [
        "내전으로부터 네프[NEP]로의 이행", "총서기로서의 스탈린", "12차 당대회에서 트로츠키의 실패",
        "코민테른과 1923년 독일에서의 패배", "13차 당대회", '"학구적 토론"', "3자 동맹의 분열",
        "코민테른의 더해가는 기회주의", "통합반대파", "통합반대파와 중국",
        "부하린 지지자들과의 블럭에 반대하는 투쟁", "ICL이 물려받은 유산",
    ]
    attributions = [b.text for b in blocks if b.kind == "attribution"]
    assert len(attributions) == 17
    assert attributions[0] == raw_lines[22]  # "- 레닌, …" with its own dash
    assert "트로츠키, \"코민테른과 GPU\" 1940년 8월 17일 (저작집 1939-40)" in attributions  # no dash
    assert any(a.startswith("- 트로츠키, “현재의") for a in attributions)  # curly opening quote
    # Every quotation paragraph sits in a block quote; body paragraphs do not.
    quoted = [b.text for b in blocks if b.kind == "paragraph" and b.in_quote]
    assert raw_lines[264] in quoted and raw_lines[266] in quoted  # Ioffe's letter, two paragraphs
    assert not any(b.in_quote for b in blocks if b.text == raw_lines[16])


def test_korean_site_navigation_is_provenance_not_text():
    myst, _ = import_text(KO_SOURCE)
    body = myst.split("\n---\n", 1)[1]
    assert "Documents in:" not in body and "International Communist League" not in body
    assert "Documents in: Bahasa Indonesia" in myst.split("\n---\n", 1)[0]  # kept in front matter
    assert "subtitle: 비판적 평가서" in myst
    assert "issue_line: '[스파르타시스트 56호, 2001년 봄]'" in myst


def test_russian_colon_introduced_quotation_spans_two_paragraphs():
    blocks = blocks_of(RU_SOURCE)
    paragraphs = [b for b in blocks if b.kind == "paragraph"]
    assert [b.in_quote for b in paragraphs] == [False, True, True]
    assert not [b for b in blocks if b.kind == "attribution"]


MADE_UP = """\
Menu: Home About
Some Site
Archive
Bulletin 7, 1999
 
A short subtitle
The Title of a Made-up Text
[Bulletin 7, 1999]

First paragraph with *stars*, _underscores_, `ticks`, [brackets](http://x.invalid), <b>tags</b>, {{ jinja }}, {role}`x`, $math$, a | pipe, ~tilde~, &amp; an entity and a back\\slash.

A heading without punctuation

# Not a heading but a line that starts with a hash and is long enough to be running text.
- A line that starts with a dash and goes on long enough to be a paragraph, not a list item.
1. A line that starts like an ordered list item, and is long enough to be a paragraph.
% A line that starts like a MyST comment and is long enough to be running text of a paragraph.
(label)= A line that starts like a MyST target and is long enough to be a paragraph here.

He wrote this in reply:

"A quoted passage in straight quotes, which the next line attributes."

— Somebody, "A Title" 1 January 1920 (Collected Works)

“A passage in curly quotes.”

Author Name, “Another Title” 1921

“First of two quoted paragraphs.

Second of the two quoted paragraphs.”

- Ed., "Third Title" (Papers)

The narrator said:

«A guillemet quotation that goes on

over two paragraphs and closes here».

A last ordinary paragraph of running text.
"""


def test_made_up_text_with_the_same_kind_of_structure(tmp_path):
    source = tmp_path / "made_up.txt"
    source.write_text(MADE_UP, encoding="utf-8")
    (tmp_path / "made_up.meta.yaml").write_text("id: made-up\nlang: en\n", encoding="utf-8")
    myst, _ = import_text(source)
    meta, _ = split_front_matter(myst)
    assert meta["subtitle"] == "A short subtitle" and meta["title"] == "The Title of a Made-up Text"
    assert meta["issue_line"] == "[Bulletin 7, 1999]"
    assert meta["navigation"] == ["Menu: Home About", "Some Site", "Archive", "Bulletin 7, 1999"]

    blocks = reading_blocks(parse_myst(myst))
    texts = [(b.kind, b.text) for b in blocks]
    raw = {line.strip() for line in MADE_UP.splitlines()}
    # Every block is a source line, character for character.
    assert all(text in raw for _, text in texts), [t for _, t in texts if t not in raw]
    assert ("heading", "A heading without punctuation") in texts
    assert [t for k, t in texts if k == "attribution"] == [
        '— Somebody, "A Title" 1 January 1920 (Collected Works)',
        "Author Name, “Another Title” 1921",
        '- Ed., "Third Title" (Papers)',
    ]
    quoted = [b.text for b in blocks if b.in_quote and b.kind == "paragraph"]
    assert quoted == [
        '"A quoted passage in straight quotes, which the next line attributes."',
        "“A passage in curly quotes.”",
        "“First of two quoted paragraphs.", "Second of the two quoted paragraphs.”",
        "«A guillemet quotation that goes on", "over two paragraphs and closes here».",
    ]
    for line in ("# Not a heading", "- A line that starts", "1. A line", "% A line", "(label)= A line"):
        assert any(k == "paragraph" and t.startswith(line) for k, t in texts), line


@pytest.mark.parametrize(
    "variant",
    [
        lambda b: b.replace(b"\n", b"\r\n"),
        lambda b: b"\xef\xbb\xbf" + b,
        lambda b: b.replace(b"\n", b"\r"),
    ],
    ids=["crlf", "bom", "cr"],
)
def test_line_endings_and_bom_do_not_change_the_output(tmp_path, variant):
    source = tmp_path / RU_SOURCE.name
    source.write_bytes(variant(RU_SOURCE.read_bytes()))
    shutil.copy(RU_SOURCE.with_name(RU_SOURCE.stem + ".meta.yaml"), tmp_path)
    assert import_text(source) == import_text(RU_SOURCE)


BAD = {
    "empty": (b"", "the file is empty"),
    "blank": (b" \n\xc2\xa0\n\n", "the file is empty"),
    "not-utf8": ("머리말\n\n본문입니다.".encode("cp949"), "not UTF-8"),
    "control": (b"Text\x00with a NUL byte in the middle of a sentence.", "control character U+0000"),
    "no-structure": (b"alpha\nbeta\ngamma\n", "no recognisable structure"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_input_fails_with_one_line_and_writes_nothing(tmp_path, name):
    data, message = BAD[name]
    source = tmp_path / "bad.txt"
    source.write_bytes(data)
    (tmp_path / "bad.meta.yaml").write_text("id: bad\nlang: ko\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    (out / "bad.md").write_text("previous version\n", encoding="utf-8")
    result = run_edition("import", "--out", out, source, cwd=tmp_path)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0] and "bad.txt" in lines[0], result.stderr
    assert "Traceback" not in result.stderr
    assert (out / "bad.md").read_text(encoding="utf-8") == "previous version\n"
    assert sorted(p.name for p in out.iterdir()) == ["bad.md"]  # no temporary file left


def test_missing_metadata_names_the_file_to_create(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text("A paragraph of running text.\n", encoding="utf-8")
    with pytest.raises(EditionError, match=r"no metadata file x\.meta\.yaml"):
        import_text(source)


def test_without_an_issue_line_the_first_line_is_the_title(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text("A Title Line\nA paragraph of running text.\n", encoding="utf-8")
    (tmp_path / "x.meta.yaml").write_text("id: x\nlang: en\n", encoding="utf-8")
    myst, _ = import_text(source)
    blocks = reading_blocks(parse_myst(myst))
    assert [(b.kind, b.text) for b in blocks] == [("heading", "A Title Line"), ("paragraph", "A paragraph of running text.")]
    assert split_front_matter(myst)[0]["title"] == "A Title Line"


def test_a_title_only_is_refused(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text("A paragraph of running text.\n", encoding="utf-8")
    (tmp_path / "x.meta.yaml").write_text("id: x\nlang: en\n", encoding="utf-8")
    with pytest.raises(EditionError, match="no recognisable structure"):
        import_text(source)


def test_sources_are_the_seeds_as_received():
    """sources/SHA256SUMS records the seeds' digests when they were received; the
    raw sources must still match them byte for byte. Where the team's seed folder
    sits beside the checkout (not on CI machines), it must match too."""
    recorded = {}
    for line in (SOURCES / "SHA256SUMS").read_text(encoding="ascii").splitlines():
        digest, name = line.split(maxsplit=1)
        recorded[name.lstrip("*")] = digest
    assert sorted(recorded) == sorted(p.name for p in SOURCES.glob("*.txt"))
    for name, digest in recorded.items():
        assert hashlib.sha256((SOURCES / name).read_bytes()).hexdigest() == digest, name
    seeds = Path(__file__).resolve().parent.parent.parent / "shared" / "seeds"
    for seed in sorted(seeds.glob("*.txt")) if seeds.is_dir() else []:
        assert hashlib.sha256(seed.read_bytes()).hexdigest() == recorded.get(seed.name), seed.name


@pytest.mark.parametrize(
    "meta,message",
    [
        ("begins_with: Not a line\n", "begins_with 'Not a line' is not a line of the source"),
        ("begins_with: Same line\n", "occurs on lines 1 and 3 of the source; add the line after it"),
        ("ends_with: Same line\n", "occurs on lines 1 and 3 of the source; add the line before it"),
        ("begins_with: The end, a paragraph of running text.\nends_with: Title Line\n", "comes before begins_with"),
        ("subtitle: Not the next line\n", "'subtitle' 'Not the next line' is not the line after the title"),
        ("title: An editorial title\nsubtitle: Same line\n", "needs the title to be the text's first line"),
    ],
)
def test_metadata_refusals_say_what_to_change(tmp_path, meta, message):
    source = tmp_path / "x.txt"
    source.write_text("Same line\nTitle Line\nSame line\nA paragraph of running text.\nThe end, a paragraph of running text.\n",
                      encoding="utf-8")
    (tmp_path / "x.meta.yaml").write_text(f"id: x\nlang: en\n{meta}", encoding="utf-8")
    with pytest.raises(EditionError) as caught:
        import_text(source)
    assert message in str(caught.value) and "\n" not in str(caught.value)


def test_begins_with_of_several_lines_and_furniture_in_front_matter(tmp_path):
    source = tmp_path / "x.txt"
    source.write_text("Same line\nTitle Line\nSame line\nTitle Line\nA paragraph of running text.\nFooter line\n",
                      encoding="utf-8")
    (tmp_path / "x.meta.yaml").write_text(
        "id: x\nlang: en\nbegins_with: |\n  Same line\n  Title Line\n", encoding="utf-8")
    with pytest.raises(EditionError, match="occurs on lines 1 and 3"):
        import_text(source)  # these two lines still name two places
    (tmp_path / "x.meta.yaml").write_text(
        "id: x\nlang: en\nbegins_with: |\n  Title Line\n  A paragraph of running text.\n"
        "ends_with: A paragraph of running text.\n", encoding="utf-8")
    myst, _ = import_text(source)
    meta, _ = split_front_matter(myst)
    assert meta["title"] == "Title Line"
    assert meta["navigation"] == ["Same line", "Title Line", "Same line"] and meta["footer"] == ["Footer line"]
    assert [(b.kind, b.text) for b in reading_blocks(parse_myst(myst))] == [
        ("heading", "Title Line"), ("paragraph", "A paragraph of running text.")]
