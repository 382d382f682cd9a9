"""The printed indices of persons and works: book indices, not concordances.

Read back from the PDF (pdftotext) and compared with where the lexer finds
each entry in the texts' sources (tests/reading.py), independently of the
build. Nothing here knows the texts: their labels come from their metadata."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import ANNOTATIONS, DOCS, require_tool
from edition.model.registers import load_persons, load_works
from edition.reading.texts import load_texts
from reading import source_passages

# The indices' headings: the domain's own names for them.
from edition.sphinxext.registers.indices import PersonsIndex, WorksIndex


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def text_labels() -> dict[str, str]:
    """docname -> how the index names the text: the first of its metadata's
    short_title, title_en, title."""
    labels = {}
    for text in load_texts(DOCS):
        meta = text.meta
        labels[text.docname] = next(str(meta[k]).strip() for k in ("short_title", "title_en", "title") if meta.get(k))
    return labels


def expected_entries() -> dict[str, tuple[str, str]]:
    """key -> (index, what the entry prints before its passages), for every person and work."""
    persons, _ = load_persons(ANNOTATIONS / "persons.yaml")
    works, _ = load_works(ANNOTATIONS / "works.yaml", {p.id for p in persons})
    by_id = {p.id: p for p in persons}
    found = {}
    for person in persons:
        found[person.key] = (PersonsIndex.localname, f"{person.sort_name} ({person.dates})" if person.dates else
                             person.sort_name)
    for work in works:
        author = by_id[work.author].sort_name.split(",")[0] + ", " if work.author in by_id else ""
        # No "(n.d.)" for a work whose date is not known: no date at all.
        year = f" ({work.year})" if work.year else ""
        found[work.key] = (WorksIndex.localname, f"{author}{work.title_en}{year}")
    return found


def index_pages(pdf: Path) -> dict[str, list[str]]:
    """The lines of each index's pages in the order TeX set them (pdftotext
    -raw: column by column), without heading, running head and page number."""
    pages = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                           check=True).stdout.split("\f")
    pages = [[norm(line) for line in page.splitlines() if line.strip()] for page in pages]
    firsts = [page[0] for page in pages if page]
    running_head = max(set(firsts), key=firsts.count)
    names = [WorksIndex.localname, PersonsIndex.localname, "Index"]
    starts = {}
    for number, page in enumerate(pages):
        for name in names:
            if page and page[0].upper() == name.upper() and name not in starts:
                starts[name] = number
    assert set(starts) == set(names), starts
    found = {}
    for name in names[:2]:
        end = min(s for s in starts.values() if s > starts[name])
        lines = []
        for page in pages[starts[name]:end]:
            if page and re.fullmatch(rf"({re.escape(name)} )?\d+", page[-1]):
                page = page[:-1]  # the page number, with the running foot
            if page and page[0] in (running_head, name.upper()):
                page = page[1:]
            lines += page
        found[name] = lines
    return found


def expand(locators: str) -> set[int]:
    numbers = set()
    for part in locators.split(","):
        part = part.strip()
        if "–" in part:
            first, last = (int(n) for n in part.split("–"))
            assert first + 2 <= last, f"range {part} should be two numbers"
            numbers.update(range(first, last + 1))
        elif part:
            numbers.add(int(part))
    return numbers


def separate_runs(locators: str) -> list[str]:
    """Three or more consecutive numbers printed one by one (a range not merged)."""
    singles = [int(p) for p in (p.strip() for p in locators.split(",")) if p.isdigit()]
    return [f"{a}, {b}, {c}" for a, b, c in zip(singles, singles[1:], singles[2:]) if a + 1 == b and b + 1 == c]


@pytest.fixture(scope="module")
def printed(pdf_build):
    require_tool("upmendex", "the indices are sorted and merged by upmendex")
    return index_pages(pdf_build / "edition.pdf")


@pytest.fixture(scope="module")
def printed_entries(printed):
    """key -> the passages its index entry prints, per docname."""
    labels = text_labels()
    entries = expected_entries()
    parsed = {}
    for index, lines in printed.items():
        flow = " ".join(lines)
        starts = []
        for key, (where, shown) in entries.items():
            if where == index:
                hits = [m.start() for m in re.finditer(re.escape(shown), flow)]
                assert len(hits) <= 1, f"{shown!r} is printed {len(hits)} times in the {index}"
                starts += [(at, key, shown) for at in hits]
        starts.sort()
        for (at, key, shown), following in zip(starts, [*starts[1:], (len(flow), "", "")]):
            segment = flow[at + len(shown):following[0]]
            per_text = {}
            for docname, label in labels.items():
                match = re.search(rf"{re.escape(label)} ?¶ ?([\d–, ]+)", segment)
                if match:
                    per_text[docname] = match.group(1).strip(" ,")
            parsed[key] = (index, per_text)
    return parsed


def test_no_line_is_a_bare_passage(printed):
    labels = text_labels()
    bare = re.compile("|".join(rf"{re.escape(label)} ?¶ ?\d+" for label in labels.values()))
    for index, lines in printed.items():
        for before, line in zip(["."] + lines, lines):
            # A line of its own, not the rest of an entry broken after "," or ";".
            assert not (bare.fullmatch(line) and not before.endswith((",", ";"))), (index, before, line)


def test_each_entry_once_with_exactly_its_passages(printed_entries):
    """Every person and work named in the texts: its locators, expanded, are
    the paragraphs where the lexer finds it, text by text."""
    entries = expected_entries()
    checked = 0
    for key in entries:
        expected: dict[str, set[int]] = defaultdict(set)
        for docname, paragraph in source_passages(key):
            expected[docname].add(paragraph)
        if not expected:
            assert key not in printed_entries, f"{key} is named nowhere but printed"
            continue
        assert key in printed_entries, f"{key} ({entries[key][1]}) is missing from the {entries[key][0]}"
        _, per_text = printed_entries[key]
        assert {doc: expand(numbers) for doc, numbers in per_text.items()} == dict(expected), key
        checked += 1
    assert checked >= 2


def test_ranges_are_merged(printed_entries):
    runs = {key: separate_runs(numbers) for key, (_, per_text) in printed_entries.items()
            for numbers in per_text.values()}
    assert not any(runs.values()), {k: v for k, v in runs.items() if v}
    # The real texts have entries named in three paragraphs in a row.
    assert any("–" in numbers for _, per_text in printed_entries.values() for numbers in per_text.values())


def test_indices_are_shorter_than_their_passages(printed, printed_entries):
    """A concordance takes a line per passage and one per entry at least;
    these take fewer lines than there are passages."""
    passages = sum(len(expand(numbers)) for _, per_text in printed_entries.values() for numbers in per_text.values())
    lines = sum(len(lines) for lines in printed.values())
    assert lines < passages, (lines, passages)


def test_register_lists_are_not_printed_twice(pdf_build):
    """In print the registers leave the passages to the indices; the HTML keeps them (test_registers)."""
    tex = (pdf_build / "edition.tex").read_text(encoding="utf-8")
    assert "Named in:" not in tex and "Quoted or cited in:" not in tex
    assert "Used in:" in tex  # the glossary keeps its list


# --- the upmendex input, on made-up entries ---------------------------------------


def fake_passages(*texts):
    from edition.sphinxext.registers.indices import TextPassages
    from edition.sphinxext.transforms.linking import Use

    found = []
    for docname, label, numbers in texts:
        uses = tuple(Use("person:x", docname, "en", n, "s-1", "", False, f"p-{n}") for n in numbers)
        found.append(TextPassages(docname, label, label, uses))
    return found


def run_upmendex(tmp_path: Path, lines: list[str]) -> str:
    require_tool("upmendex", "the indices are sorted and merged by upmendex")
    from edition.sphinxext.registers.print_indices import TEXINPUTS

    shutil.copy(TEXINPUTS / "editionindices.ist", tmp_path)
    (tmp_path / "x.edidx").write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    subprocess.run(["upmendex", "-q", "-s", "editionindices.ist", "-o", "x.edind", "x.edidx"], cwd=tmp_path,
                   check=True, capture_output=True)
    return (tmp_path / "x.edind").read_text(encoding="utf-8")


def test_one_item_per_entry_with_merged_ranges(tmp_path):
    from edition.sphinxext.registers.print_indices import index_entry_lines

    lines = index_entry_lines("Zeta, Z.", "Zeta, Z. (1900–1950)", "persons:person-zeta", fake_passages(
        ("texts/b", "Second", [9, 1, 2, 3, 5, 6, 7, 8, 12, 13]), ("texts/a", "First", [4])), "xelatex")
    lines += index_entry_lines("Alpha, A.", "Alpha, A.", "persons:person-alpha",
                               fake_passages(("texts/a", "First", [2])), "xelatex")
    ind = run_upmendex(tmp_path, lines)
    assert ind.count(r"\item ") == 2 and r"\subitem" not in ind
    assert ind.index("Alpha") < ind.index("Zeta")
    flat = re.sub(r"\s+", " ", ind).split("Zeta, Z. (1900–1950)")[1]
    # Texts in reading order, as given; their paragraphs merged into ranges.
    assert flat.index(r"\edindextext{Second}") < flat.index(r"\edindextext{First}")
    numbers = re.findall(r"\\edindexpar\{texts/b\}\{([^}]*)\}", flat)
    assert numbers == [r"1\edindexto 3", r"5\edindexto 9", "12", "13"]


@pytest.mark.parametrize("name", [
    r"\input{/etc/passwd}", "Bad}{\\def", 'Quote "q" @ at ! bang | bar', "50% & $x_1^2$ #~", "Ärger, 트로츠키, Троцкий",
])
def test_hostile_names_stay_text(tmp_path, name):
    """A name from a register reaches the .ind as escaped text: no command of
    its own, braces balanced, upmendex's special characters quoted."""
    from edition.sphinxext.registers.print_indices import index_entry_lines

    lines = index_entry_lines(name, name, "persons:person-x", fake_passages(("texts/a", name, [1, 2])), "xelatex")
    ind = run_upmendex(tmp_path, lines)
    assert ind.count(r"\item ") == 1
    assert r"\input" not in ind and r"\def" not in ind
    body = ind.split(r"\item ", 1)[1]
    depth = 0
    for char in ind:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0, ind
    assert depth == 0, ind
    for plain in re.findall(r"[^\W\d_]+", name):
        assert plain in body


# --- the labels -------------------------------------------------------------------


def test_text_label_comes_from_metadata():
    from edition.reading.texts import short_label

    assert short_label({"short_title": "Short", "title_en": "Long", "title": "원제"}, "doc") == "Short"
    assert short_label({"short_title": "  ", "title_en": "Long", "title": "원제"}, "doc") == "Long"
    assert short_label({"title": "원제"}, "doc") == "원제"
    assert short_label({"short_title": 7}, "texts/x") == "texts/x"


def test_ebook_indices_name_texts_by_their_labels(epub_build):
    """The e-book's indices keep a link to each passage, named by the same labels
    (the web edition's list them on the register pages, tests/test_register_split.py)."""
    from reading import page

    labels = text_labels()
    for index in ("edition-persons", "edition-works"):
        # A book's index (tests/test_epub_book.py): the text's label, then its ¶ numbers, each a link.
        links = [a for a in page(epub_build / f"{index}.xhtml").select(".edition-book-index li a")
                 if "#p-" in a.get("href", "")]
        assert links, index
        for link in links:
            docname = link["href"].split(".xhtml")[0].lstrip("./")
            assert docname in labels, link["href"]
            label = link.find_previous("span", class_="edition-index-text")
            assert norm(label.get_text()) == labels[docname], link
            assert label.a["href"].split(".xhtml")[0].lstrip("./") == docname
